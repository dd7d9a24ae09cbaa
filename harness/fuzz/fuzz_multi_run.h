/* fuzz_multi_run.h -- `chanfuzz fuzz`'s side of the multi-variant process
 * (fuzz_multi.h has the input format): seeding it from the per-variant
 * corpora, running it until a deadline (restarting it after a real
 * crash), and splitting its new inputs back into
 * CORPUS/fuzz_<s>_<v>/. Internal to harness/fuzz/ (fuzz_command.c).
 *
 * Files, in WORK = OUT/multi-XXXXXX/:
 *   targets.txt     the selection, one NAME:VARIANT a line (prefix = line)
 *   seeds/          every corpus input with its variant's prefix, named by
 *                   a hash of its bytes (16 hex digits)
 *   new/            the inputs libFuzzer makes while fuzzing
 *   artifacts/      libFuzzer's crash-/timeout-/oom-/leak- files, moved to
 *                   OUT/fuzz_<s>_<v>/artifacts/ without their prefix after
 *                   each process
 *   stats/          per-process execution counts per variant
 *   fuzz-N.log      each libFuzzer process's output
 * Model findings go straight to OUT/fuzz_<s>_<v>/crash-<crash state hash>:
 * the process ran them and returned, so they are judged again in the
 * command's own process (milliseconds); what is in artifacts/ crashed or
 * hung one, and is judged in children (fuzz_buckets.c). */
#ifndef CHANFUZZ_FUZZ_MULTI_RUN_H
#define CHANFUZZ_FUZZ_MULTI_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_target.h"

#define CHANFUZZ_MULTI_ARTIFACTS "artifacts"

typedef struct chanfuzz_multi_run {
    const chanfuzz_target *targets;   /* the selection, not owned */
    size_t count;
    const char *binary;               /* a fuzz binary linking every target */
    const char *out, *corpus;         /* --out and --corpus */
    const char *semantics_flag;       /* "-chanfuzz_go_semantics=..." or NULL */
    const char *timeout_flag;         /* libFuzzer's "-timeout=S" (--exec-timeout) */
    unsigned jobs;
    char work[PATH_MAX];
    uint64_t *executions;             /* per target, from the stats files */
    unsigned long long total;         /* libFuzzer's own count, all processes */
    unsigned processes, crashes;      /* processes run, of which crashed */
    size_t seeds, added;              /* corpus inputs seeded, new ones kept */
} chanfuzz_multi_run;

/* The work folder, the list and the seeds. False, with one line on
 * stderr, when a folder or file cannot be made. */
bool chanfuzz_multi_prepare(chanfuzz_multi_run *run);

typedef enum chanfuzz_multi_outcome {
    CHANFUZZ_MULTI_DONE,        /* fuzzed until the deadline (or interrupted) */
    CHANFUZZ_MULTI_UNSUPPORTED, /* the binary refused -chanfuzz_targets: use
                                   one process per variant instead */
    CHANFUZZ_MULTI_FAILED,      /* it could not run at all (stderr says) */
} chanfuzz_multi_outcome;

/* Fuzzes until `deadline` (CLOCK_MONOTONIC seconds), starting a new
 * process with the time left after each real crash; earlier when judging
 * the crash files written so far would not fit before `end` (the
 * command's end). */
chanfuzz_multi_outcome chanfuzz_multi_fuzz(chanfuzz_multi_run *run, double deadline, double end);

/* Reads the per-variant execution counts and splits the new inputs into
 * CORPUS/fuzz_<s>_<v>/ (prefix removed, libFuzzer's name kept). No
 * -merge=1 pass: libFuzzer writes an input to its output folder only when
 * it adds features, and deletes the one a REDUCE replaces, so the folder
 * is already nearly minimal; a merge would run every corpus input again
 * in a fresh process (seconds with ASan, measured: it did not fit the
 * 3.6 s tail of a 60 s budget for 76 variants). */
void chanfuzz_multi_keep(chanfuzz_multi_run *run);

/* Frees what the run allocated. The work folder keeps the logs, the list
 * and any artifact that could not be moved; chanfuzz_multi_keep removed
 * the copies. */
void chanfuzz_multi_free(chanfuzz_multi_run *run);

/* ---- shared with the per-variant path ------------------------------------- */

/* CLOCK_MONOTONIC in seconds. */
double chanfuzz_monotonic(void);

/* Runs argv (argv[0] a path) with stdout and stderr appended to log_path,
 * in a process group of its own that a SIGINT or SIGTERM of ours is sent
 * on to (a -fork parent and its workers stop with us), and kills that
 * group at `deadline` (CLOCK_MONOTONIC seconds). Returns the exit status, 128+signal when
 * killed, -1 when it could not start; *killed says the deadline did it. */
int chanfuzz_run_until(char *const argv[], const char *log_path, double deadline, bool *killed);

/* As chanfuzz_run_until, and every half second `watch(self)` may bring the
 * deadline forward (never back). */
typedef double chanfuzz_watch(void *self);
int chanfuzz_run_watched(char *const argv[], const char *log_path, double deadline,
                         chanfuzz_watch *watch, void *self, bool *killed);

/* The last "#N" libFuzzer printed in a log: its executions. */
unsigned long long chanfuzz_log_executions(const char *log_path);

/* mkdir -p; 0 or -1 with errno. */
int chanfuzz_make_folder(const char *path);

#endif
