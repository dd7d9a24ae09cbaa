/* fuzz_buckets.h -- the artifacts of libFuzzer runs (crash-, timeout-,
 * leak- and oom- files), bucketed by the crash state they reproduce with
 * (one finding per bucket) and their minimization (the libFuzzer
 * processes `chanfuzz fuzz` starts: fuzz_multi_run.h). Every judgement of
 * scenario code runs in a child process (chanfuzz/isolate.h): an input
 * that crashes or hangs the scenario is a bucket of kind crash or hang.
 * Internal to harness/fuzz/ (fuzz_command.c). */
#ifndef CHANFUZZ_FUZZ_BUCKETS_H
#define CHANFUZZ_FUZZ_BUCKETS_H

#include <stdbool.h>
#include <stddef.h>

#include "fuzz_target.h"

/* One distinct crash of one target. */
typedef struct chanfuzz_bucket {
    chanfuzz_target target;
    char crash_state[CHANFUZZ_CRASH_STATE_MAX]; /* or "no chanfuzz finding
                                                   (...)" for a crash the
                                                   detectors did not make */
    chanfuzz_kind kind;            /* the primary finding's; meaningless
                                      when !reproduces */
    bool reproduces;               /* the standalone path finds it again */
    chanfuzz_input_verdict verdict;
    char *reproducer;              /* smallest input (minimized when it could
                                      be), malloc'ed path */
    size_t reproducer_size;
    char *trace;                   /* the reproducer as a trace file
                                      (fuzz_reproducer.h), malloc'ed path;
                                      NULL when none was written */
    size_t crashes;                /* crash files that fell in the bucket */
    bool died;                     /* the reproducer crashed or hung the
                                      child that judged it: */
    go_semantics death_semantics;
    go_decision *death_decisions;  /* its decisions up to the fault,
                                      malloc'ed: its trace */
    size_t death_decision_count;
    unsigned long long found_at_execution; /* the variant's executions when
                                              the fuzzing process first saw
                                              it; 0: not known */
    double found_at_seconds;       /* when, from the command's start (with
                                      found_at_execution only) */
} chanfuzz_bucket;

typedef struct chanfuzz_buckets {
    chanfuzz_bucket *items;
    size_t count, capacity;
} chanfuzz_buckets;

/* Judges every crash-*, timeout-* and leak-* file in `folder` (libFuzzer's
 * artifacts of target) with the standalone path, in a child process under
 * the watchdog of chanfuzz_isolate_configure, and adds it to its bucket,
 * keeping the smallest input of each; an oom-* file is a bucket of its
 * own, not judged again. Returns false when out of memory. */
bool chanfuzz_buckets_collect(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                              go_semantics semantics, const char *folder);

/* When the fuzzing process first saw each of target's buckets, from
 * folder/found.tsv (written by the multi-variant target, fuzz_multi.c):
 * the earliest line of each crash state, its time less `started` (the
 * command's CLOCK_MONOTONIC start). Buckets without a line keep 0. */
void chanfuzz_buckets_note_found(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                                 const char *folder, double started);

/* Shrinks each bucket's reproducer, for at most `seconds` each: delta
 * debugging over its bytes, each candidate judged as the standalone
 * driver judges it. libFuzzer's -minimize_crash spends a process of about
 * a second on every step; a judgement of a catalogue scenario takes well
 * under a millisecond, so a model finding's candidates are all judged in
 * one child process. A crash's are judged each in a child of its own
 * (about 5 ms); a hang is not shrunk (each candidate would cost the
 * watchdog's seconds). Keeps the result, as minimized-<crash state hash>,
 * only when it is smaller and still gives the bucket's crash state. */
void chanfuzz_buckets_minimize(chanfuzz_buckets *buckets, size_t from, go_semantics semantics,
                               double seconds);

void chanfuzz_buckets_free(chanfuzz_buckets *buckets);

/* The whole file, malloc'ed; NULL when it cannot be read. */
unsigned char *chanfuzz_read_whole(const char *path, size_t *size);

#endif
