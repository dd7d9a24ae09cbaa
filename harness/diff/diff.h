/* diff.h -- the differential check against the real Go runtime (issue 8),
 * inside harness/diff/. Public entry: chanfuzz_diff_command (diff_api.h).
 *
 * One program, two oracles, one outcome form:
 *   model  diff_model.c runs the program under bounded exhaustive
 *          exploration (Go 1.22 timer semantics) and collects the SET of
 *          outcomes;
 *   Go     diff_export.c writes it as Go, diff_gorun.c builds a batch into
 *          one binary and runs program i many times (GOMAXPROCS 1 and 2,
 *          seeded perturbation), parsing what each run printed.
 * Both fill a diff_outcome and format it with diff_outcome_format, so the
 * comparison is string membership: every Go outcome must be in the model's
 * set (README.md, "Outcomes").
 *
 * Sections:
 *   1. Outcomes      per goroutine observations and end, the canonical line
 *   2. Sets          distinct outcome lines
 *   3. Model         exploration of one program
 *   4. Go            export, build, run, parse
 *   5. Programs      the seeded generator, what Go 1.19 cannot run
 *   6. Coverage      operation pairs met on one object, outcome classes
 *   7. Frontend      the round trip through the Go frontend (--frontend)
 */
#ifndef CHANFUZZ_DIFF_H
#define CHANFUZZ_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chanfuzz/ops.h"

/* ---- 1. Outcomes --------------------------------------------------------- */

/* Goroutines one outcome can name: a program starts at most
 * CHANFUZZ_OPS_MAX_GOROUTINES; a few spare for a Go run that misbehaves. */
#define DIFF_MAX_GOROUTINES 24
#define DIFF_OBSERVED_MAX 1024

/* How a run ended, as both sides can tell. */
typedef enum diff_end {
    DIFF_END_RETURNED = 0, /* main returned and everything settled */
    DIFF_END_DEADLOCK,     /* "all goroutines are asleep - deadlock!" */
    DIFF_END_PANIC,        /* an unrecovered panic: message, body, op */
    DIFF_END_FATAL,        /* a fatal error (unlock of unlocked mutex) */
    DIFF_END_OTHER,        /* neither side should give it: a cut model
                              execution (budget), a Go run that hung or
                              crashed otherwise; message says what */
} diff_end;

/* One goroutine of the program as a run saw it. Goroutines are named by
 * their spawn path, the same in Go and in the model whatever the ids:
 * main is "m"; the goroutine that `go` or `afterfunc` at op K of
 * goroutine P started is "P.K". */
typedef struct diff_goroutine {
    char name[48];
    unsigned body;           /* 0 main, 1..3 */
    int op;                  /* the op it started last (-1: none) */
    bool exited;             /* its body returned */
    uint64_t model_id;       /* model side: go_goroutine_id() */
    /* What it received, in its program order: "r3=7/1" (recv at op 3
     * got 7, ok), "s4=1:7/1" (select at op 4 took case 1, a receive of
     * 7; "s4=d" default), "n5=[1 2]" (range at op 5 got 1 then 2). */
    char observed[DIFF_OBSERVED_MAX];
    size_t observed_length;
} diff_goroutine;

typedef struct diff_outcome {
    diff_end end;
    char message[160];       /* PANIC, FATAL: Go's text; OTHER: what */
    unsigned fail_body;      /* PANIC, FATAL: where */
    int fail_op;
    size_t count;
    diff_goroutine goroutines[DIFF_MAX_GOROUTINES];
} diff_outcome;

void diff_outcome_init(diff_outcome *o);
/* The goroutine named `name`, added (body as given, op -1) if new; NULL
 * when the table is full. */
diff_goroutine *diff_outcome_goroutine(diff_outcome *o, const char *name, unsigned body);
/* Appends one observation ("r3=7/1") to g, comma-separated. */
void diff_goroutine_observe(diff_goroutine *g, const char *text);

/* The canonical one-line form (README.md, "Outcomes"):
 *   returned|deadlock  then " | NAME:obs,obs,...,x" per goroutine sorted
 *                      by name, x for exited, @K for blocked at op K
 *   panic "MSG" at gB.K   /   fatal "MSG" at gB.K
 *   other "MSG"
 * Returns the length written (truncated to size-1). */
size_t diff_outcome_format(const diff_outcome *o, char *out, size_t size);

/* ---- 2. Sets -------------------------------------------------------------- */

typedef struct diff_set {
    char **items;            /* sorted only by diff_set_sort */
    size_t count, capacity;
} diff_set;

void diff_set_init(diff_set *s);
void diff_set_free(diff_set *s);
/* Adds a copy of text; returns true when it was new. */
bool diff_set_add(diff_set *s, const char *text);
bool diff_set_contains(const diff_set *s, const char *text);
void diff_set_sort(diff_set *s);

/* ---- 6. Coverage (used by 3) ------------------------------------------------ */

/* What touched an object, by op kind; a pair is two touches of one
 * object in one execution (README.md, "Coverage"). */
typedef enum diff_touch {
    DIFF_TOUCH_SEND = 0, DIFF_TOUCH_RECV, DIFF_TOUCH_RANGE, DIFF_TOUCH_CLOSE,
    DIFF_TOUCH_SELECT_SEND, DIFF_TOUCH_SELECT_RECV, DIFF_TOUCH_SELECT_DONE,
    DIFF_TOUCH_SELECT_TICK, DIFF_TOUCH_CANCEL, DIFF_TOUCH_DONE, DIFF_TOUCH_TIMEOUT,
    DIFF_TOUCH_LOCK, DIFF_TOUCH_UNLOCK, DIFF_TOUCH_ADD, DIFF_TOUCH_WG_DONE, DIFF_TOUCH_WAIT,
    DIFF_TOUCH_TIMER, DIFF_TOUCH_STOP, DIFF_TOUCH_TICK,
    DIFF_TOUCH_KIND_COUNT
} diff_touch;

const char *diff_touch_name(diff_touch kind);

/* pairs[a][b], a <= b: seen in some execution; `across`: by two
 * different goroutines. */
typedef struct diff_pairs {
    bool seen[DIFF_TOUCH_KIND_COUNT][DIFF_TOUCH_KIND_COUNT];
    bool across[DIFF_TOUCH_KIND_COUNT][DIFF_TOUCH_KIND_COUNT];
} diff_pairs;

void diff_pairs_merge(diff_pairs *into, const diff_pairs *from);
/* The pairs the issue names, each covered or not: writes one line per
 * pair to out; returns how many of them are covered. */
size_t diff_pairs_report_required(const diff_pairs *p, FILE *out, size_t *required);
size_t diff_pairs_count(const diff_pairs *p);

/* Outcome classes of a Go outcome line (bit per class). */
enum {
    DIFF_CLASS_VALUE = 1,    /* a receive got a value (ok) */
    DIFF_CLASS_CLOSED = 2,   /* a receive saw a closed channel */
    DIFF_CLASS_PANIC = 4,    /* a panic or fatal error */
    DIFF_CLASS_BLOCKED = 8,  /* main returned, a goroutine blocked forever */
    DIFF_CLASS_DEADLOCK = 16,
    DIFF_CLASS_COUNT = 5,
};
unsigned diff_outcome_classes(const char *line);
const char *diff_class_name(unsigned index);

/* ---- 3. Model ------------------------------------------------------------- */

typedef struct diff_model_result {
    diff_set outcomes;       /* canonical lines */
    uint64_t schedules;
    bool exhausted;          /* every schedule within the bound ran */
    diff_pairs pairs;
} diff_model_result;

/* Explores p with preemption bound `bound`, at most max_schedules
 * executions, under `semantics` (GO_SEMANTICS_1_22 to compare with Go
 * 1.19; 1.23 only to check that the check notices). Deterministic. */
void diff_model_explore(const chanfuzz_program *p, unsigned bound, uint64_t max_schedules,
                        go_semantics semantics, diff_model_result *result);
void diff_model_result_free(diff_model_result *r);

/* ---- 4. Go ----------------------------------------------------------------- */

/* A batch of programs compiled into one Go binary. */
typedef struct diff_batch {
    char dir[256];           /* temporary directory: prog.go, support.go, binary */
    size_t programs;
    /* line of prog.go -> (program, body, op); -1 where no op is */
    int32_t *line_program;
    int8_t *line_body;
    int8_t *line_op;
    size_t lines;
} diff_batch;

/* How Go runs every program: time scale and runs. */
typedef struct diff_go_options {
    unsigned ms_scale;       /* real ms per model ms (a run's argument) */
    unsigned seeds;          /* seeds per GOMAXPROCS setting */
    unsigned parallel;       /* runs at once (<= 2 on this machine) */
    double run_timeout;      /* seconds, plus the program's own time */
} diff_go_options;

/* Is `go` on PATH? */
bool diff_go_available(void);

/* Writes the Go source of programs[0..n) and builds it. On failure
 * returns false with one line in error. */
bool diff_batch_build(diff_batch *b, const chanfuzz_program *programs, size_t n,
                      const diff_go_options *options, char *error, size_t error_size);
void diff_batch_free(diff_batch *b);

/* Writes program `index` as Go functions p<index>_b<body> (export). Each
 * op sits on one line; line_of_op[body][op] gets its line number, counted
 * from *line (updated). */
void diff_export_program(FILE *out, const chanfuzz_program *p, size_t index,
                         size_t *line, int32_t *line_program, int8_t *line_body,
                         int8_t *line_op, size_t line_capacity);
/* The runtime support the exported programs call (go/support.go). */
extern const char diff_go_support[];

/* Runs program `index` of the batch under every (GOMAXPROCS, seed) and
 * adds each run's canonical outcome to `outcomes`. */
void diff_batch_run(const diff_batch *b, size_t index, const chanfuzz_program *p,
                    const diff_go_options *options, diff_set *outcomes);

/* Parses one run's stdout and stderr into an outcome. */
void diff_parse_run(const diff_batch *b, const char *out, const char *err, bool timed_out,
                    diff_outcome *o);

/* Adds the s/o/x event lines of `text` (support.go's and
 * frontend_support.go's stdout form) to o's goroutines. */
void diff_parse_events(const char *text, diff_outcome *o);

/* ---- 5. Programs ------------------------------------------------------------ */

/* Does p use what Go 1.19 lacks (weak, weakvalue)? Then why, else NULL. */
const char *diff_program_unsupported(const chanfuzz_program *p);
/* Does p depend on timers (sleep, after, timer, afterfunc, withtimeout)? */
bool diff_program_timed(const chanfuzz_program *p);
/* The longest virtual time p can need, in model ms (every duration added). */
unsigned diff_program_time_bound(const chanfuzz_program *p);

/* A random valid program from a seeded splitmix64 state (deterministic). */
void diff_generate(uint64_t *random_state, chanfuzz_program *p);

/* ---- 7. Frontend ------------------------------------------------------------ */

/* The round trip (README.md, "Round trip through the Go frontend"): the
 * same Go as section 4 writes, with frontend_support.go, as one test
 * package per batch (TestProg<i> calls p<i>), translated by chanfuzz-go
 * and explored by the model; its outcome set must equal the ops
 * interpreter's. */
typedef struct diff_frontend_batch {
    char dir[256];           /* go.mod, support.go, prog_test.go, batch.c, runner */
    char frontend[4096];     /* chanfuzz-go */
    size_t programs;
    int32_t *line_program;   /* line of prog_test.go -> (program, body, op) */
    int8_t *line_body;
    int8_t *line_op;
    size_t lines;
} diff_frontend_batch;

typedef struct diff_frontend_result {
    diff_set outcomes;       /* canonical lines */
    uint64_t schedules;
    bool ran;                /* the runner reported this program */
    bool exhausted;
    bool nondeterministic;
} diff_frontend_result;

/* Writes, translates and compiles a batch; false with one message. */
bool diff_frontend_build(diff_frontend_batch *b, const chanfuzz_program *programs, size_t n,
                         char *error, size_t error_size);
/* Explores every program of the batch, `parallel` runner processes at
 * once; results[0..programs) are initialised here (free each). */
bool diff_frontend_run(const diff_frontend_batch *b, unsigned bound, uint64_t max_schedules,
                       go_semantics semantics, unsigned parallel, diff_frontend_result *results,
                       char *error, size_t error_size);
void diff_frontend_result_free(diff_frontend_result *r);
void diff_frontend_batch_free(diff_frontend_batch *b);
/* go/frontend_support.go and frontend_runner.c, embedded at build time. */
extern const char diff_go_frontend_support[];
extern const char diff_frontend_runner_source[];

#endif
