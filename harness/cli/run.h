/* run.h -- `chanfuzz run`: the options, one variant's exploration and what
 * it saw. run.c parses and reports; run_variant.c explores. */
#ifndef CHANFUZZ_CLI_RUN_H
#define CHANFUZZ_CLI_RUN_H

#include <chanfuzz/sources.h>

#include "cli.h"

/* RUN_PORTFOLIO, the default: random and PCT by turns (portfolio.c). */
typedef enum run_mode { RUN_RANDOM = 0, RUN_PCT, RUN_EXHAUSTIVE, RUN_PORTFOLIO } run_mode;

/* The random walk preempts with probability 1/RUN_PREEMPT_ONE_IN at each
 * scheduling point (go_decider_prng): often enough to interleave, rarely
 * enough that goroutines get some distance before being switched. */
#define RUN_PREEMPT_ONE_IN 3
/* PCT's bug depth d: three ordering constraints cover the catalogue's
 * send-after-timeout and close-races (Burckhardt et al. report most bugs
 * at depth <= 3). */
#define RUN_PCT_DEPTH 3
#define RUN_DEFAULT_BOUND 2

/* What the whole run records as it goes, for the figures of --html and
 * the `progress` of --json's summary (run_record.c): samples of
 * (seconds, executions, distinct findings) since the run began, at most
 * every RUN_SAMPLE_SECONDS and at every new finding; and, under --html,
 * the finding lines to show. */
#define RUN_SAMPLE_SECONDS 0.01
typedef struct run_sample {
    double seconds;
    uint64_t executions, findings;
} run_sample;

/* It lives in shared memory (chanfuzz/isolate.h: run_record_new), with
 * all it points to: the variants' child processes record into it. */
typedef struct run_record {
    double started;
    uint64_t executions, findings;
    run_sample *samples;        /* room for RUN_SAMPLES_MAX (run_record.c) */
    size_t sample_count;
    char **finding_lines;       /* --html: JSON finding lines */
    size_t finding_count, finding_capacity;
} run_record;

run_record *run_record_new(double started);

void run_record_execution(run_record *r, size_t new_findings);
void run_record_finish(run_record *r);
/* The samples as a cJSON array of [seconds, executions, findings]. */
void *run_record_progress_json(const run_record *r);
void run_record_keep_finding(run_record *r, const char *line);

typedef struct run_options {
    run_mode mode;
    uint64_t budget;            /* 0: the scenario's executions */
    double time_limit;          /* seconds per variant; 0: none */
    uint64_t seed;              /* execution i runs with seed + i */
    uint64_t rate;              /* --rate N; 0: off */
    uint32_t bound;             /* exhaustive: preemption bound */
    go_semantics semantics;
    bool json;
    bool isolate;               /* children run the variants (isolate.h);
                                   --no-isolate: this process does */
    double exec_timeout;        /* --exec-timeout S; 0: no watchdog */
    const char *out_dir;
    chanfuzz_ignore *ignore;    /* --ignore rules, on top of the scenario's */
    chanfuzz_sarif *sarif;      /* --sarif: gathered over the whole run */
    const char *html;           /* --html FILE, or NULL */
    run_record *record;         /* the run's samples and kept findings */
    bool tty;                   /* stderr is a terminal: redraw progress */
    FILE *table;                /* stdout, or stderr under --json */
} run_options;

/* The decisions of one execution, alive or dead. */
typedef struct run_decisions {
    const go_decision *log;
    size_t count;
    go_semantics semantics;
} run_decisions;

/* A distinct finding (by crash state) of one variant. */
typedef struct run_crash {
    char state[CHANFUZZ_CRASH_STATE_MAX];
    chanfuzz_kind kind;
    uint64_t execution;         /* 1-based: where it first appeared */
    double seconds;             /* wall clock into the run, when it did */
    char reproducer[1024];      /* "" when it could not be written */
} run_crash;

typedef struct run_variant {
    const run_options *options;
    const chanfuzz_target *target;
    char name[300];             /* "scenario:variant" as typed */
    bool skipped;               /* its semantics exclude options->semantics */
    uint64_t limit;             /* executions to run at most */
    chanfuzz_expectation expectation;
    uint64_t executions;
    uint64_t detected_at;       /* 1-based execution of the first expected
                                   kind; 0: not detected */
    uint64_t kind_executions[CHANFUZZ_KIND_COUNT]; /* --rate: executions in
                                                      which each kind appeared */
    uint64_t *interleavings;    /* open-addressing set of decision hashes */
    size_t interleaving_count, interleaving_capacity;
    run_crash *crashes;
    size_t crash_count, crash_capacity;
    double started, seconds, last_progress;
    bool stop;                  /* a buggy variant found all it expects */
    bool write_failed;          /* a reproducer could not be written */
    chanfuzz_explore_result explore; /* RUN_EXHAUSTIVE */
} run_variant;

/* Runs one variant to its limit, printing reports as findings appear,
 * in child processes (isolate.h): v must be in chanfuzz_shared_calloc memory.
 * False when a reproducer could not be written (an input error: exit 2). */
bool run_variant_explore(run_variant *v);
void run_variant_free(run_variant *v);

const char *run_mode_name(run_mode mode);

/* "as expected", "MISSED", "FALSE ALARM", "UNEXPECTED", "skipped";
 * *ok says whether it counts as expected. */
const char *run_variant_verdict(const run_variant *v, bool *ok);

#endif
