/* diff_report.h -- comparing one program's outcome sets, and the summary
 * of a whole `chanfuzz diff` run. */
#ifndef CHANFUZZ_DIFF_REPORT_H
#define CHANFUZZ_DIFF_REPORT_H

#include "diff.h"

typedef struct diff_run_options {
    unsigned bound;            /* preemption bound (deeper looks at bound
                                  + 2 and + 4 before a divergence counts) */
    uint64_t max_schedules;
    go_semantics semantics;    /* GO_SEMANTICS_1_22 unless --go-semantics */
    diff_go_options go;
    const char *save_dir;      /* diverging programs written here */
    const char *review_path;   /* model-only outcomes written here */
    bool verbose;              /* print both sets of every program */
} diff_run_options;

/* Divergence kinds: how the Go outcome the model lacks ended, and whether
 * the program uses timers (README.md, "Timers"). */
enum { DIFF_KIND_COUNT = 10 };

typedef struct diff_report {
    FILE *out;
    bool json;
    FILE *review;
    size_t programs, agreements, divergences, skipped;
    size_t kinds[DIFF_KIND_COUNT];
    size_t model_only;         /* outcomes the model found, Go never showed */
    size_t unexhausted;        /* programs whose exploration hit the cap */
    size_t retried;            /* programs that needed a deeper look */
    size_t timed;              /* programs with timers */
    size_t timer_races;        /* timed divergences gone at a slower scale:
                                  excluded (README.md, "Timers") */
    size_t go_outcomes;        /* distinct Go outcomes, summed */
    size_t class_programs[DIFF_CLASS_COUNT];
    diff_pairs pairs;
    char skip_reason[120];
} diff_report;

/* Runs the program in Go again at another time scale (timer races). */
typedef struct diff_rerun {
    void (*run)(void *self, unsigned ms_scale, diff_set *outcomes);
    void *self;
} diff_rerun;

/* How much slower a timed program's Go rerun is, when a divergence
 * needs it: 20 ms per model ms becomes 60. */
#define DIFF_TIMER_RERUN_FACTOR 3

void diff_report_init(diff_report *r, FILE *out, bool json, const char *review_path);
void diff_report_skip(diff_report *r, const char *name, const char *why);
/* Explores p in the model and checks every Go outcome against it;
 * prints a block per divergence. */
void diff_report_compare(diff_report *r, const char *name, const chanfuzz_program *p,
                         const diff_set *go_outcomes, const diff_run_options *o,
                         const diff_rerun *rerun);
void diff_report_summary(diff_report *r, double seconds);
void diff_report_free(diff_report *r);

#endif
