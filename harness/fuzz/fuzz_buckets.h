/* fuzz_buckets.h -- the crash files of libFuzzer runs, bucketed by the
 * crash state they reproduce with (one finding per bucket), their
 * in-process minimization, and the libFuzzer processes `chanfuzz fuzz`
 * starts. Internal to harness/fuzz/ (fuzz_command.c). */
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
} chanfuzz_bucket;

typedef struct chanfuzz_buckets {
    chanfuzz_bucket *items;
    size_t count, capacity;
} chanfuzz_buckets;

/* Judges every crash-* file in `folder` (libFuzzer's artifacts of target)
 * with the standalone path and adds it to its bucket, keeping the smallest
 * input of each. Returns false when out of memory. */
bool chanfuzz_buckets_collect(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                              go_semantics semantics, const char *folder);

/* Shrinks each bucket's reproducer in this process, for at most `seconds`
 * each: delta debugging over its bytes, each candidate judged as the
 * standalone driver judges it. libFuzzer's -minimize_crash spends a child
 * process of about a second on every step; an in-process judgement of a
 * catalogue scenario takes well under a millisecond. Keeps the result,
 * as minimized-<crash state hash>, only when it is smaller and still gives
 * the bucket's crash state. */
void chanfuzz_buckets_minimize(chanfuzz_buckets *buckets, size_t from, go_semantics semantics,
                               unsigned seconds);

void chanfuzz_buckets_free(chanfuzz_buckets *buckets);

/* Runs argv (argv[0] a path) with stdout and stderr appended to log_path;
 * returns its exit status, 128+signal when killed, -1 when it could not
 * start. */
int chanfuzz_run_logged(char *const argv[], const char *log_path);

/* The whole file, malloc'ed; NULL when it cannot be read. */
unsigned char *chanfuzz_read_whole(const char *path, size_t *size);

#endif
