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
    go_semantics frontend_semantics; /* --frontend's side: the same unless
                                        --frontend-semantics (only to see
                                        the round trip catch a difference) */
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

/* ---- the round trip through the Go frontend (--frontend) ---------------- */

/* Why a program's sets were not compared (README.md, "Round trip"). */
enum {
    DIFF_EXCLUDED_CAPPED = 0,      /* either exploration hit --schedules */
    DIFF_EXCLUDED_NONDETERMINISTIC,/* the frontend's exploration re-ran a
                                      prefix differently */
    DIFF_EXCLUDED_NOT_RUN,         /* the runner did not report it */
    DIFF_EXCLUDED_KIND_COUNT
};

typedef struct diff_roundtrip_report {
    FILE *out;
    bool json, verbose;
    const char *save_dir;
    size_t programs, agreements, differences, skipped;
    size_t epilogue_agreements;       /* equal once the ops side has the
                                         test epilogue's scheduling point */
    size_t excluded[DIFF_EXCLUDED_KIND_COUNT];
    size_t frontend_only, model_only; /* outcomes on one side, summed */
    size_t outcomes;                  /* distinct outcomes of agreeing programs */
    uint64_t frontend_schedules, model_schedules;
    char skip_reason[120];
} diff_roundtrip_report;

void diff_roundtrip_init(diff_roundtrip_report *r, FILE *out, bool json, bool verbose,
                         const char *save_dir);
/* Programs [first, first + count) of `programs` (names beside): one
 * translated batch, both explorations, the comparison. False with one
 * message when the batch could not be built or run. */
bool diff_roundtrip_batch(diff_roundtrip_report *r, const chanfuzz_program *programs,
                          char *const *names, size_t first, size_t count,
                          const diff_run_options *o, char *error, size_t error_size);
void diff_roundtrip_summary(diff_roundtrip_report *r, double seconds);

#endif
