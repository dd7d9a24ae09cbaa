/* chanfuzz/ops.h -- fuzz_ops: programs of Go concurrency operations, decoded
 * from any byte string, printed and parsed as text, run in the model and
 * checked for the runtime's and the detectors' consistency.
 *
 * A program is up to CHANFUZZ_OPS_BODIES goroutine bodies: body 0 is main,
 * the others run when a `go` (or an AfterFunc) names them. Every goroutine
 * has its own variables, one per slot, of fixed types: a spawned goroutine
 * gets a copy of its spawner's variables, as `go body(s)` passes a struct
 * of pointers by value in Go. Nothing is shared except through the objects
 * the slots point to, so the Go export of a program has no data race on a
 * variable, only the synchronisation the operations themselves do.
 *
 *     slot  type                    starts as
 *     c0-c3 chan int                nil
 *     x0-x1 context.Context (and    Background (cancel nil)
 *           its CancelFunc)
 *     m0-m1 *sync.Mutex             new(sync.Mutex), made by main
 *     w0-w1 *sync.WaitGroup         new(sync.WaitGroup), made by main
 *     t0-t1 *time.Timer             nil (a nil timer's channel is nil)
 *     f0-f1 *os.File (modelled)     nil (Close of nil: os.ErrInvalid)
 *     k0-k1 a closure               nil
 *     p0-p1 weak.Pointer            the zero Pointer
 *
 * Well-formed by construction: every operand names a slot of the type the
 * operation needs, a body the goroutine may start, a value in range. What
 * Go does with legal but wrong programs (a send on a nil channel blocks
 * forever, close of a closed channel panics, Unlock of an unlocked Mutex
 * is fatal, a negative WaitGroup counter panics) is an outcome of the
 * program, judged by the detectors, never a failure of the harness.
 *
 * Sections:
 *   1. Programs       operations, select cases, bodies
 *   2. Bytes          decode (total: any byte string) and encode
 *   3. Text           print and parse, with file:line:column errors
 *   4. Running        the interpreter and the consistency check
 *   5. Command line   `chanfuzz ops print|encode|run`
 */
#ifndef CHANFUZZ_OPS_H
#define CHANFUZZ_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chanfuzz/exec.h"
#include "chanfuzz/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Programs ---------------------------------------------------------- */

enum {
    CHANFUZZ_OPS_BODIES = 4,         /* main and g1..g3 */
    CHANFUZZ_OPS_MAX_OPS = 16,       /* operations per body */
    CHANFUZZ_OPS_MAX_CASES = 4,      /* select cases, default aside */
    CHANFUZZ_OPS_MAX_CAPTURES = 3,   /* slots one closure captures */
    CHANFUZZ_OPS_MAX_GOROUTINES = 16,/* goroutines one execution can start,
                                        main included (checked statically) */
    CHANFUZZ_OPS_MAX_DURATION = 15,  /* ms: sleeps, timers, timeouts */
    CHANFUZZ_OPS_MAX_CAPACITY = 3,   /* channel buffer */
    CHANFUZZ_OPS_MAX_ADD = 3,        /* WaitGroup.Add delta */
};

/* Slot numbers: one namespace, type by range (see the table above). */
typedef enum chanfuzz_slot_kind {
    CHANFUZZ_SLOT_CHAN = 0,   /* c */
    CHANFUZZ_SLOT_CONTEXT,    /* x */
    CHANFUZZ_SLOT_MUTEX,      /* m */
    CHANFUZZ_SLOT_WAITGROUP,  /* w */
    CHANFUZZ_SLOT_TIMER,      /* t */
    CHANFUZZ_SLOT_FILE,       /* f */
    CHANFUZZ_SLOT_CLOSURE,    /* k */
    CHANFUZZ_SLOT_WEAK,       /* p */
    CHANFUZZ_SLOT_KIND_COUNT
} chanfuzz_slot_kind;

#define CHANFUZZ_OPS_SLOTS 18
/* The parent operand's Background: not a slot. */
#define CHANFUZZ_OPS_BACKGROUND 0xffu

chanfuzz_slot_kind chanfuzz_ops_slot_kind(unsigned slot);
/* "c2", "x0", ...; "bg" for CHANFUZZ_OPS_BACKGROUND. Static storage
 * per slot. */
const char *chanfuzz_ops_slot_name(unsigned slot);

/* The operations, with their text form and Go meaning. The numbers are
 * the byte encoding: append only. */
typedef enum chanfuzz_op_kind {
    CHANFUZZ_OP_YIELD = 0,     /* yield            runtime.Gosched() */
    CHANFUZZ_OP_GO,            /* go g2            go g2(s) */
    CHANFUZZ_OP_MAKE,          /* make c0 1        c0 = make(chan int, 1) */
    CHANFUZZ_OP_SEND,          /* send c0 7        c0 <- 7 */
    CHANFUZZ_OP_RECV,          /* recv c0          v, ok := <-c0 */
    CHANFUZZ_OP_RANGE,         /* range c0         for v := range c0 {} */
    CHANFUZZ_OP_CLOSE,         /* close c0         close(c0) */
    CHANFUZZ_OP_SELECT,        /* select recv c0, after 5ms, default */
    CHANFUZZ_OP_WITH_CANCEL,   /* withcancel x1 x0 x1, cancel1 = context.WithCancel(x0) */
    CHANFUZZ_OP_WITH_TIMEOUT,  /* withtimeout x0 bg 5ms  ... WithTimeout(Background(), 5ms) */
    CHANFUZZ_OP_CANCEL,        /* cancel x0        if cancel0 != nil { cancel0() } */
    CHANFUZZ_OP_DONE,          /* done x0          <-x0.Done() (nil for Background) */
    CHANFUZZ_OP_ADD,           /* add w0 2         w0.Add(2) */
    CHANFUZZ_OP_WG_DONE,       /* wgdone w0        w0.Done() */
    CHANFUZZ_OP_WAIT,          /* wait w0          w0.Wait() */
    CHANFUZZ_OP_LOCK,          /* lock m0          m0.Lock() */
    CHANFUZZ_OP_UNLOCK,        /* unlock m0        m0.Unlock() */
    CHANFUZZ_OP_SLEEP,         /* sleep 3ms        time.Sleep(3ms) */
    CHANFUZZ_OP_TIMER,         /* timer t0 5ms     t0 = time.NewTimer(5ms) */
    CHANFUZZ_OP_AFTER_FUNC,    /* afterfunc t0 5ms g2   t0 = time.AfterFunc(5ms, func() { g2(s) }) */
    CHANFUZZ_OP_STOP,          /* stop t0          if t0 != nil { t0.Stop() } */
    CHANFUZZ_OP_TICK,          /* tick t0          <-t0.C (nil timer, AfterFunc: nil chan) */
    CHANFUZZ_OP_OPEN,          /* open f0          f0 = open("f0") */
    CHANFUZZ_OP_FILE_CLOSE,    /* fclose f0        f0.Close() */
    CHANFUZZ_OP_CAPTURE,       /* capture k0 c0 m1 k0 = func() { use(c0, m1) } */
    CHANFUZZ_OP_PUBLISH,       /* publish k0       registry_k0 = k0 (a global) */
    CHANFUZZ_OP_UNPUBLISH,     /* unpublish k0     registry_k0 = nil */
    CHANFUZZ_OP_WEAK,          /* weak p0 k1       p0 = weak.Make(k1) */
    CHANFUZZ_OP_WEAK_VALUE,    /* weakvalue p0     _ = p0.Value() */
    CHANFUZZ_OP_GC,            /* gc               runtime.GC() */
    CHANFUZZ_OP_RELEASE,       /* release c0       c0 = nil (chan, timer, file,
                                                   closure, weak slots) */
    CHANFUZZ_OP_KIND_COUNT
} chanfuzz_op_kind;

/* "yield", "go", "make", ... as the text form spells them. */
const char *chanfuzz_op_name(chanfuzz_op_kind kind);

/* One arm of a select. Numbers are the byte encoding: append only. */
typedef enum chanfuzz_case_kind {
    CHANFUZZ_CASE_RECV = 0,   /* recv c0       case v, ok := <-c0: */
    CHANFUZZ_CASE_SEND,       /* send c0 7     case c0 <- 7: */
    CHANFUZZ_CASE_DONE,       /* done x0       case <-x0.Done(): */
    CHANFUZZ_CASE_TICK,       /* tick t0       case <-t0.C: */
    CHANFUZZ_CASE_AFTER,      /* after 5ms     case <-time.After(5ms): */
    CHANFUZZ_CASE_KIND_COUNT
} chanfuzz_case_kind;

typedef struct chanfuzz_ops_case {
    uint8_t kind;             /* chanfuzz_case_kind */
    uint8_t arg[2];           /* operands, as chanfuzz_op.arg */
} chanfuzz_ops_case;

/* One operation. Operands by kind, in text order: a slot number, a body
 * index (1..3), or a number (capacity, value, ms, delta); PARENT is a
 * context slot or CHANFUZZ_OPS_BACKGROUND. */
typedef struct chanfuzz_op {
    uint8_t kind;             /* chanfuzz_op_kind */
    uint8_t arg[1 + CHANFUZZ_OPS_MAX_CAPTURES]; /* CAPTURE: closure slot,
                                                   then `count` slots */
    uint8_t count;            /* CAPTURE: slots captured (1..3);
                                 SELECT: cases (0..4) */
    bool has_default;         /* SELECT */
    chanfuzz_ops_case cases[CHANFUZZ_OPS_MAX_CASES];
} chanfuzz_op;

typedef struct chanfuzz_ops_body {
    uint8_t count;
    chanfuzz_op ops[CHANFUZZ_OPS_MAX_OPS];
} chanfuzz_ops_body;

/* A program: plain data, no pointers; copy it freely. Unused fields are
 * zero, so two equal programs compare equal with memcmp after
 * chanfuzz_ops_program_init. */
typedef struct chanfuzz_program {
    uint8_t body_count;       /* 1..CHANFUZZ_OPS_BODIES */
    chanfuzz_ops_body bodies[CHANFUZZ_OPS_BODIES];
} chanfuzz_program;

/* The empty program: main alone, doing nothing. */
void chanfuzz_ops_program_init(chanfuzz_program *p);

/* Checks every rule the decoder guarantees (operands in range, slots of
 * the right type, `go` only to a later body, at most
 * CHANFUZZ_OPS_MAX_GOROUTINES goroutines). On failure writes why, naming
 * the body and operation, and returns false. */
bool chanfuzz_ops_program_valid(const chanfuzz_program *p, char *why, size_t why_size);

/* ---- 2. Bytes ----------------------------------------------------------- */

/* Decodes the front of `data` into *p; returns the bytes it read. Total:
 * every byte string is a program, a short one a short program (past the
 * end every byte reads as 0). The bytes after the returned count are the
 * schedule (chanfuzz_fuzz_bytes): see ops_bytes.c for why the program is
 * decoded up front rather than read as DATA decisions. */
size_t chanfuzz_ops_decode(const uint8_t *data, size_t size, chanfuzz_program *p);

/* The canonical bytes of a valid program: decode(encode(p)) == p. Writes
 * at most max bytes to out; returns the size needed (encode with max 0 to
 * measure). */
size_t chanfuzz_ops_encode(const chanfuzz_program *p, uint8_t *out, size_t max);

/* ---- 3. Text ------------------------------------------------------------------ */

/* One operation per line, under a header per body:
 *
 *     main:
 *       make c0 0
 *       go g1
 *       select recv c0, after 5ms, default
 *     g1:
 *       send c0 7
 *
 * `#` starts a comment. */
void chanfuzz_ops_print(FILE *out, const chanfuzz_program *p);
/* The same into a malloc'ed string (caller frees); NULL when out of memory. */
char *chanfuzz_ops_to_text(const chanfuzz_program *p);

/* Parses the text form. On failure returns false with one line in error:
 * "FILE:LINE:COLUMN: what" (1-based; columns in bytes). `file` names the
 * text in messages. */
bool chanfuzz_ops_parse(const char *text, size_t size, const char *file, chanfuzz_program *p,
                        char *error, size_t error_size);

/* ---- 4. Running ------------------------------------------------------------ */

/* Step budget of an ops execution: programs have no loops, so a run that
 * needs more is a runtime bug the check reports. */
#define CHANFUZZ_OPS_STEP_BUDGET 100000u

/* Runs p in the model under cfg (its decider required; other fields as
 * go_exec_run, step_budget CHANFUZZ_OPS_STEP_BUDGET when 0). p must stay
 * valid until the execution has ended. */
go_exec *chanfuzz_ops_run(const chanfuzz_program *p, const go_config *cfg);

/* What an interpreted program does, for callers that record outcomes (the
 * differential check against Go). Every callback may be NULL. They run
 * inside the execution, on the goroutine's stack: they must not call the
 * model, and what they keep belongs in the caller's memory (the collector
 * does not see it, so keeping model pointers there keeps nothing alive).
 * `goroutine` is go_goroutine_id(). */
typedef struct chanfuzz_ops_observer {
    void *self;
    /* A goroutine starts body `body`: spawned by goroutine `parent` at
     * operation `spawn_op` (0-based) of its body; main has parent 0. An
     * AfterFunc's goroutine is spawned by the goroutine that armed it. */
    void (*start)(void *self, uint64_t goroutine, unsigned body, uint64_t parent,
                  unsigned spawn_op);
    /* Operation `index` (0-based) of the body is about to run; `slots` are
     * the goroutine's slot values then (0 for nil; a context slot holding
     * Background reads 0), valid during the call. */
    void (*operation)(void *self, uint64_t goroutine, unsigned body, unsigned index,
                      const chanfuzz_op *op, const go_word *slots);
    /* Operation `index` completed a receive: `recv` (arm 0), each value of
     * a `range` (arm 0, ok true) and its end (arm 0, value 0, ok false),
     * or a select (arm: the case that ran, -1 for default; value and ok
     * of a receive arm, else 0 and false). */
    void (*received)(void *self, uint64_t goroutine, unsigned index, int arm, go_word value,
                     bool ok);
} chanfuzz_ops_observer;

/* chanfuzz_ops_run, telling observer (may be NULL) what happens. Asks the
 * same decisions as chanfuzz_ops_run. */
go_exec *chanfuzz_ops_run_observed(const chanfuzz_program *p, const go_config *cfg,
                                   const chanfuzz_ops_observer *observer);

typedef struct chanfuzz_ops_check_result {
    bool consistent;          /* every check below held */
    char problem[512];        /* else: what did not, in one line */
    go_end end;
    size_t findings;          /* chanfuzz_detect's count */
    chanfuzz_kind_set kinds;  /* the kinds found */
} chanfuzz_ops_check_result;

/* Runs p under decider, judges it with chanfuzz_detect, and checks that
 * the runtime and the detectors agree with themselves:
 *   - every goroutine that did not exit appears in a finding, unless the
 *     execution was cut (panic, fatal error, deadlock, budget), and then
 *     a finding of that cut's kind exists;
 *   - every crash state is non-empty and names no goroutine or object id;
 *   - every finding's JSON parses (cJSON) and carries its kind;
 *   - replaying the recorded decisions gives the same end and crash states.
 * A failure is a bug in the runtime or the detectors, not in p. */
void chanfuzz_ops_check(const chanfuzz_program *p, go_decider decider,
                        chanfuzz_ops_check_result *result);
/* The same without the replay: half the cost, for sanitizer builds where
 * memory errors are the point and determinism is checked elsewhere. */
void chanfuzz_ops_check_once(const chanfuzz_program *p, go_decider decider,
                             chanfuzz_ops_check_result *result);

/* What fuzz_ops does with one input: decode the program from its front,
 * schedule with chanfuzz_fuzz_bytes over the rest, chanfuzz_ops_check.
 * *program (may be NULL) gets the program, for reporting. */
void chanfuzz_ops_check_input(const uint8_t *data, size_t size, chanfuzz_program *program,
                              chanfuzz_ops_check_result *result);

/* ---- 5. Command line ------------------------------------------------------ */

/* `chanfuzz ops ...`, argv[0] being "ops":
 *   ops print FILE              a raw fuzz_ops input as a text program
 *   ops encode TEXTFILE -o OUT  a text program as a corpus input
 *   ops run FILE [--seed S]     run (FILE raw, or text when it ends in
 *                               .ops); schedule from the input's
 *                               remaining bytes, or a seeded PRNG
 * Returns the exit status: 0 clean, 1 findings, 2 usage or input error
 * (one line on stderr naming the file and position). */
int chanfuzz_ops_command(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
