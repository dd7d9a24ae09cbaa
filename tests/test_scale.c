/* test_scale.c -- many goroutines, many executions: everything an
 * execution takes (stacks, mappings, heap, ASan's fake stacks) goes back
 * when it ends, so a fuzzer can run millions of them in one process.
 *
 * 100,000 goroutines take the stacks past the guarded limit (~30,000) into
 * canary slabs. Under ASan each stack is 512 KiB and fake stacks are
 * megabytes, so the sanitizer build runs 1,000. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "support.h"


#if UNDER_ASAN
#define SCALE 1000
#else
#define SCALE 100000
#endif

/* runtime/stack.h's CF_STACK_POOL_KEEP: free stacks kept mapped after an
 * execution, two mappings each at most. */
#define POOL_KEEP 4096


/* ---- a crowd of blocked goroutines is torn down ------------------------- */

/* Spread over many channels: check builds verify a channel's whole wait
 * queue each time a goroutine blocks on it, which is quadratic in the
 * queue's length. */
#define CHANNELS 4096

typedef struct {
    int goroutines;
    go_chan *receive_on[CHANNELS]; /* nobody sends */
    go_chan *send_on[CHANNELS];    /* nobody receives */
} crowd_case;

static void blocked_receiver(void *arg) { go_recv((go_chan *)arg); }
static void blocked_sender(void *arg) { go_send((go_chan *)arg, 1); }

static void crowd_main(void *arg) {
    crowd_case *t = arg;
    for (int i = 0; i < CHANNELS; i++) {
        t->receive_on[i] = go_make_chan(0);
        t->send_on[i] = go_make_chan((size_t)(i % 2)); /* a full buffer blocks too */
        if (i % 2) go_send(t->send_on[i], 0);
    }
    for (int i = 0; i < t->goroutines; i++) {
        if (i % 2)
            go_go(blocked_sender, t->send_on[i / 2 % CHANNELS]);
        else
            go_go(blocked_receiver, t->receive_on[i / 2 % CHANNELS]);
    }
}

/* Runs SCALE blocked goroutines and checks every one is reported blocked
 * and then torn down. */
static void run_crowd(void) {
    crowd_case t = {.goroutines = SCALE};
    go_config config = {.decider = go_decider_first()};
    go_exec *e = go_exec_run(&config, crowd_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "ended by %s: %s",
                 go_end_name(go_exec_end(e)), go_exec_message(e));
    cr_assert_eq(go_exec_goroutines_started(e), (uint64_t)SCALE + 1);
    cr_assert_eq(go_exec_goroutine_count(e), (size_t)SCALE, "every goroutine but main is left");
    size_t senders = 0;
    for (size_t i = 0; i < go_exec_goroutine_count(e); i++) {
        const go_goroutine_info *g = go_exec_goroutine(e, i);
        cr_assert_eq(g->state, GO_STATE_BLOCKED);
        senders += g->wait_reason == GO_WAIT_CHAN_SEND;
    }
    cr_assert_eq(senders, (size_t)SCALE / 2);
    go_exec_free(e);
}

Test(scale, blocked_goroutines_by_the_hundred_thousand_are_torn_down_and_their_stacks_kept) {
    size_t before = mapping_count();
    run_crowd();
    /* The pool is trimmed back: whatever the peak, at most POOL_KEEP
     * stacks stay mapped. */
    size_t after_first = mapping_count();
    cr_expect_leq(after_first, before + 2 * POOL_KEEP + 64, "%zu mappings before, %zu after",
                  before, after_first);
    /* And the same again works, on the kept stacks plus fresh ones. */
    run_crowd();
    cr_expect_leq(mapping_count(), after_first + 64, "%zu mappings after the first, %zu now",
                  after_first, mapping_count());
}

/* ---- many executions leave nothing behind ------------------------------- */

typedef struct {
    int kind;               /* 0, 2: leaves goroutines blocked; 1: panics;
                               3: clean */
    go_chan *work;
    go_chan *done;
} churn_case;

static void churn_worker(void *arg) {
    churn_case *t = arg;
    go_word v;
    while (go_range(t->work, &v)) {
        if (t->kind == 1 && v == 3) go_panic("worker hit a bad item");
        char *scratch = malloc(32); /* heap work freed on every path */
        scratch[0] = (char)v;
        free(scratch);
    }
    go_send(t->done, 1);
}

static void churn_main(void *arg) {
    churn_case *t = arg;
    t->work = go_make_chan(2);
    t->done = go_make_chan(0);
    for (int i = 0; i < 4; i++) go_go(churn_worker, t);
    for (go_word v = 0; v < 8; v++) go_send(t->work, v);
    if (t->kind == 0 || t->kind == 2) return; /* never closes: workers leak */
    go_close(t->work);
    for (int i = 0; i < 4; i++) go_recv(t->done);
}

Test(scale, thousands_of_executions_leave_the_sanitizers_nothing_to_say) {
    static const go_end expected[4] = {GO_END_RETURNED, GO_END_PANIC, GO_END_RETURNED,
                                       GO_END_RETURNED};
    size_t settled = 0;
    for (int run = 0; run < 2000; run++) {
        churn_case t = {.kind = run % 4};
        go_exec *e = run_seeded(churn_main, &t, (uint64_t)run);
        cr_assert_eq(go_exec_end(e), expected[t.kind], "run %d ended by %s: %s", run,
                     go_end_name(go_exec_end(e)), go_exec_message(e));
        if (t.kind == 0 || t.kind == 2) cr_assert_eq(go_exec_goroutine_count(e), 4);
        go_exec_free(e);
        if (run == 99) settled = mapping_count();
    }
    cr_expect_leq(mapping_count(), settled + 8, "stacks leak: %zu mappings after 100 runs, %zu now",
                  settled, mapping_count());
#if UNDER_ASAN
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "leaks left by the executions");
#endif
}
