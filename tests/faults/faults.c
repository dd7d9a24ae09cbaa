/* faults.c -- scenarios whose goroutines misbehave the way code under test
 * does: a NULL write, abort(), a division by zero, a stack overflow, a
 * spin without runtime calls, memory exhaustion. Built only into
 * chanfuzz-faults (tests/faults/CMakeLists.txt), never into the catalogue:
 * each buggy variant must end as one finding (crash, stack overflow, hang)
 * with a reproducer, and the run must go on to the next variant.
 *
 * Each buggy variant first makes a decision (a select between two ready
 * channels), so its reproducer has something to replay; the fault comes
 * in a goroutine, after a runtime call, so the report can name both. */
#include <stdint.h>
#include <stdlib.h>

#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

/* Opaque to the optimizer: the faults must happen at run time. */
static volatile int zero;
static int *volatile nowhere;

/* Main starts `body` in a goroutine and waits for it. A macro: go_go
 * names the goroutine by the function written there. */
#define RUN_IN_GOROUTINE(body)                \
    do {                                      \
        go_chan *done_ = go_make_chan(0);     \
        go_go(body, done_);                   \
        go_recv(done_);                       \
    } while (0)

static void pick(void) {
    go_chan *a = go_make_chan(1), *b = go_make_chan(1);
    go_send(a, 1);
    go_send(b, 2);
    go_select(go_case_recv(a, NULL), go_case_recv(b, NULL));
}

/* ---- fault_null_write: *p = 1 with p nil ------------------------------- */

static void null_writer(void *done) {
    pick();
    *nowhere = 1;
    go_send(done, 1);
}

static void careful_writer(void *done) {
    int cell = 0;
    pick();
    if (nowhere) *nowhere = 1;
    else cell = 1;
    go_send(done, (go_word)cell);
}

static void null_write_buggy(void *arg) { RUN_IN_GOROUTINE(null_writer); }
static void null_write_fixed(void *arg) { RUN_IN_GOROUTINE(careful_writer); }

CHANFUZZ_SCENARIO(fault_null_write) = {
    .name = "fault_null_write",
    .description = "a goroutine writes through a NULL pointer",
    .fix = "check the pointer",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {.main = null_write_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_CRASH)},
    .fixed = {.main = null_write_fixed},
};

/* ---- fault_abort: a failed assertion ----------------------------------- */

static void aborter(void *done) {
    pick();
    abort();
}

static void abort_buggy(void *arg) { RUN_IN_GOROUTINE(aborter); }

CHANFUZZ_SCENARIO(fault_abort) = {
    .name = "fault_abort",
    .description = "a goroutine calls abort()",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {.main = abort_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_CRASH)},
};

/* ---- fault_divide: integer division by zero ---------------------------- */

static void divider(void *done) {
    pick();
    int quotient = 100 / zero;
    go_send(done, (go_word)quotient);
}

static void divide_buggy(void *arg) { RUN_IN_GOROUTINE(divider); }

CHANFUZZ_SCENARIO(fault_divide) = {
    .name = "fault_divide",
    .description = "a goroutine divides by zero",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {.main = divide_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_CRASH)},
};

/* ---- fault_stack_overflow: unbounded recursion ------------------------- */

static int recurse(int depth) {
    volatile char frame[256];
    frame[0] = (char)depth;
    if (zero) return depth;
    return recurse(depth + 1) + frame[0];
}

static void recurser(void *done) {
    pick();
    go_send(done, (go_word)recurse(0));
}

static void stack_overflow_buggy(void *arg) { RUN_IN_GOROUTINE(recurser); }

CHANFUZZ_SCENARIO(fault_stack_overflow) = {
    .name = "fault_stack_overflow",
    .description = "a goroutine recurses until its stack overflows",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {.main = stack_overflow_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_STACK_OVERFLOW)},
};

/* ---- fault_spin: a loop that never calls the runtime ------------------- */

static void spinner(void *done) {
    pick();
    while (!zero) {
    }
    go_send(done, 1);
}

static void spin_buggy(void *arg) { RUN_IN_GOROUTINE(spinner); }

CHANFUZZ_SCENARIO(fault_spin) = {
    .name = "fault_spin",
    .description = "a goroutine spins without a runtime call (run with --exec-timeout)",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {.main = spin_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_HANG)},
};

/* ---- fault_memory: allocation until the limit, abort on failure -------- */

static void hoarder(void *done) {
    pick();
    for (;;) {
        /* Untouched: the limit is on address space (ulimit -v), so the
         * test costs no real memory. */
        char *volatile block = malloc((size_t)64 << 20);
        if (!block) abort(); /* xmalloc's way */
    }
}

static void memory_buggy(void *arg) { RUN_IN_GOROUTINE(hoarder); }

CHANFUZZ_SCENARIO(fault_memory) = {
    .name = "fault_memory",
    .description = "a goroutine allocates until memory runs out (run under a limit)",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {.main = memory_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_CRASH)},
};

/* ---- fault_control: an ordinary leak beside the faults ----------------- */

static go_chan *control_results;

static void control_worker(void *arg) { go_send(control_results, 1); }

static void control(size_t capacity) {
    control_results = go_make_chan(capacity);
    for (int i = 0; i < 2; i++) go_go(control_worker, NULL);
    go_recv(control_results);
}

static void control_buggy(void *arg) { control(0); }
static void control_fixed(void *arg) { control(2); }

CHANFUZZ_SCENARIO(fault_control) = {
    .name = "fault_control",
    .description = "the caller takes one of two results: the other sender leaks",
    .fix = "make(chan int, 2)",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .buggy = {.main = control_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK)},
    .fixed = {.main = control_fixed},
};

/* ---- fault_many_goroutines: 100,000 goroutines park, then all go ------ *
 *
 *  ch := make(chan int)
 *  var wg sync.WaitGroup
 *  for i := 0; i < 100000; i++ {
 *      wg.Add(1)
 *      go func() { defer wg.Done(); <-ch }()
 *  }
 *  close(ch)
 *  wg.Wait()
 *
 * Clean: the step budget grows with the goroutines started
 * (CHANFUZZ_STEPS_PER_GOROUTINE), so spawning them is not a livelock. */
#define MANY_GOROUTINES 100000

static go_waitgroup *many_wg;

static void parked(void *ch) {
    go_recv(ch);
    go_waitgroup_done(many_wg);
}

static void many_goroutines_fixed(void *arg) {
    go_chan *ch = go_make_chan(0);
    many_wg = go_waitgroup_new();
    for (int i = 0; i < MANY_GOROUTINES; i++) {
        go_waitgroup_add(many_wg, 1);
        go_go(parked, ch);
    }
    go_close(ch);
    go_waitgroup_wait(many_wg);
}

CHANFUZZ_SCENARIO(fault_many_goroutines) = {
    .name = "fault_many_goroutines",
    .description = "100,000 goroutines park on a channel, then its close releases them",
    .tags = "scale",
    .file = CHANFUZZ_HERE,
    .executions = 2,
    .fixed = {.main = many_goroutines_fixed},
};

/* ---- fault_livelock: a loop that only yields -------------------------- */

static void yielder(void *done) {
    for (;;) go_yield();
}

static void livelock_buggy(void *arg) { RUN_IN_GOROUTINE(yielder); }

CHANFUZZ_SCENARIO(fault_livelock) = {
    .name = "fault_livelock",
    .description = "a goroutine yields for ever: the step budget runs out",
    .tags = "fault",
    .file = CHANFUZZ_HERE,
    .executions = 5,
    .buggy = {.main = livelock_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_STEP_BUDGET)},
};
