/* test_defer.c -- defer statements and panics (Go 1.23 spec "Defer
 * statements", "Handling panics"; runtime/panic.go), one test per rule.
 * Frames are explicit: go_call is a Go call, a plain C call is not.
 * recover has test_recover.c, Goexit test_goexit.c. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "defer_log.h"
#include "support.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_LSAN 1
#endif
#endif
#ifdef TEST_LSAN
#include <sanitizer/lsan_interface.h>
#endif





/* ---- deferred calls run last-in first-out at a normal return ------------- */

static void three_defers(void *arg) {
    go_defer(mark, "1");
    go_defer(mark, "2");
    go_defer(mark, "3");
    mark("b");
}

static void lifo_main(void *arg) {
    go_call(three_defers, NULL);
    mark("c");
}

Test(defer, deferred_calls_run_last_in_first_out_when_the_function_returns) {
    go_exec *e = run_first(lifo_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_str_eq(order, "b321c");
    go_exec_free(e);
}

/* A plain C call is part of its caller's Go function: its defer runs when
 * the caller's frame returns, not when the C helper does. */
static void c_helper_defers(void) { go_defer(mark, "h"); }

static void shares_frame(void *arg) {
    c_helper_defers();
    mark("b");
}

static void shares_main(void *arg) {
    go_call(shares_frame, NULL);
    mark("c");
}

Test(defer, a_plain_c_call_defers_into_its_callers_frame) {
    go_exec *e = run_first(shares_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_str_eq(order, "bhc");
    go_exec_free(e);
}

/* ---- deferred calls run on panic, innermost frame first ------------------- */

static void panics_with_defers(void *arg) {
    go_defer(mark, "1");
    go_defer(mark, "2");
    go_panic("boom");
}

static void outer_of_panic(void *arg) {
    go_defer(mark, "m");
    go_call(panics_with_defers, NULL);
    mark("unreached");
}

Test(defer, a_panic_runs_every_deferred_call_innermost_frame_first) {
    go_exec *e = run_first(outer_of_panic, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "boom");
    cr_expect_str_eq(order, "21m");
    go_exec_free(e);
}

/* ---- an unrecovered panic ends the execution with what it ran ------------ */

Test(defer, an_unrecovered_panic_ends_the_execution_with_its_message_site_and_deferred_calls) {
    go_exec *e = run_first(outer_of_panic, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    const go_goroutine_info *main = info_of(e, 1);
    cr_assert_not_null(main);
    cr_expect_eq(main->state, GO_STATE_FAILED);
    cr_expect_str_eq(main->wait_site->func, "panics_with_defers");
    size_t count = 0;
    const go_deferred_call *ran = go_exec_panic_defers(e, &count);
    cr_assert_eq(count, 3);
    cr_expect_str_eq(ran[0].fn_name, "mark");
    cr_expect_str_eq(ran[0].site->func, "panics_with_defers");
    cr_expect_str_eq(ran[1].site->func, "panics_with_defers");
    cr_expect_lt(ran[1].site->line, ran[0].site->line, "LIFO: the later defer first");
    cr_expect_str_eq(ran[2].site->func, "outer_of_panic");
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event panic g1 panic at tests/test_defer.c") != NULL, "%s", trace);
    cr_expect(strstr(trace, "event defer g1 by panic at tests/test_defer.c") != NULL, "%s",
              trace);
    cr_expect(strstr(trace, "end panic: boom") != NULL, "%s", trace);
    free(trace);
    go_exec_free(e);
}

Test(defer, an_execution_without_a_panic_lists_no_deferred_calls) {
    go_exec *e = run_first(lifo_main, NULL);
    size_t count = 99;
    go_exec_panic_defers(e, &count);
    cr_expect_eq(count, 0);
    go_exec_free(e);
}

/* ---- fatal errors run no deferred call and are never recovered ----------- */

static void unlock_unlocked(void *mu) {
    go_defer(recover_into_log, NULL);
    go_defer(mark, "d");
    go_mutex_unlock(mu);
}

static void fatal_main(void *arg) { go_call(unlock_unlocked, go_mutex_new()); }

Test(defer, a_fatal_error_runs_no_deferred_call_and_cannot_be_recovered) {
    reset();
    go_exec *e = run_first(fatal_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_FATAL);
    cr_expect_str_eq(go_exec_message(e), "sync: unlock of unlocked mutex");
    cr_expect_str_eq(order, "");
    cr_expect_eq(recover_calls, 0);
    size_t count = 99;
    go_exec_panic_defers(e, &count);
    cr_expect_eq(count, 0);
    go_exec_free(e);
}

/* ---- runtime panics are recoverable ------------------------------------------ */

static void send_on_closed(void *arg) {
    go_chan *ch = go_make_chan(1);
    go_close(ch);
    go_send(ch, 1);
}
static void close_nil(void *arg) { go_close(NULL); }
static void negative_waitgroup(void *arg) { go_waitgroup_done(go_waitgroup_new()); }

typedef struct {
    go_func *op;
    const char *message;
} runtime_panic;

static void recovering_runner(void *arg) {
    go_defer(recover_into_log, NULL);
    go_call(((runtime_panic *)arg)->op, NULL);
    mark("unreached");
}

static void runtime_panic_main(void *arg) {
    go_call(recovering_runner, arg);
    mark("c");
}

static const runtime_panic runtime_panics[] = {
    {send_on_closed, "send on closed channel"},
    {close_nil, "close of nil channel"},
    {negative_waitgroup, "sync: negative WaitGroup counter"},
};

/* Parameters are indices: Criterion may run each in a fresh process, where
 * function pointers in a copied parameter would not be valid. */
ParameterizedTestParameters(defer, runtime_panics_are_recoverable_like_go_panic) {
    static size_t indices[] = {0, 1, 2};
    return cr_make_param_array(size_t, indices, sizeof indices / sizeof indices[0]);
}

ParameterizedTest(size_t *index, defer, runtime_panics_are_recoverable_like_go_panic) {
    const runtime_panic *c = &runtime_panics[*index];
    reset();
    go_exec *e = run_first(runtime_panic_main, (void *)c);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(recovered[0], c->message);
    cr_expect_str_eq(order, "c");
    go_exec_free(e);
}

/* ---- deferred calls may block while the goroutine panics ---------------- */

typedef struct {
    go_chan *ch;
} blocking_case;

static void wait_then_recover(void *arg) {
    go_recv(((blocking_case *)arg)->ch);
    recovered[recover_calls++] = go_recover();
}

static void late_sender(void *arg) {
    go_sleep(5 * GO_MS);
    go_send(((blocking_case *)arg)->ch, 1);
}

static void blocking_main(void *arg) {
    blocking_case *t = arg;
    t->ch = go_make_chan(0);
    go_go(late_sender, t);
    go_defer(wait_then_recover, t);
    go_panic("p");
}

Test(defer, a_deferred_call_may_block_while_the_goroutine_panics) {
    reset();
    blocking_case t;
    go_exec *e = run_first(blocking_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(recovered[0], "p");
    cr_expect_eq(go_exec_time(e), 5 * GO_MS);
    go_exec_free(e);
}

/* ---- sync.Once: a panicking f still leaves the Once done ------------------ */

typedef struct {
    go_once *once;
    int later_calls;
    int returned;
} once_panic_case;

static void panicking_f(void *arg) { go_panic("in f"); }
static void count_call(void *arg) { ((once_panic_case *)arg)->later_calls++; }

static void do_and_recover(void *arg) {
    go_defer(recover_into_log, NULL);
    go_once_do(((once_panic_case *)arg)->once, panicking_f, NULL);
}

static void later_caller(void *arg) {
    once_panic_case *t = arg;
    go_once_do(t->once, count_call, t);
    t->returned++;
}

static void once_panic_main(void *arg) {
    once_panic_case *t = arg;
    t->once = go_once_new();
    go_call(do_and_recover, t);
    go_go(later_caller, t);    /* would block forever if m were still held */
    later_caller(t);
    go_yield();
}

Test(defer, once_is_done_and_unlocked_after_f_panics) {
    reset();
    once_panic_case t = {0};
    go_exec *e = run_first(once_panic_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(recovered[0], "in f");
    cr_expect_eq(t.later_calls, 0, "Do never calls f again");
    cr_expect_eq(t.returned, 2);
    char desc[160];
    go_exec_describe_object(e, GO_OBJ_ONCE, 1, desc, sizeof desc);
    cr_expect(strncmp(desc, "done, unlocked", 14) == 0, "%s", desc);
    go_exec_free(e);
}

/* ---- many executions leave nothing behind (run under ASan/LSan) -------- */

typedef struct {
    go_chan *never;            /* nobody sends: goroutines stay blocked */
    go_waitgroup *wg;
} churn_case;

static void wg_done(void *wg) { go_waitgroup_done(wg); }

static void churn_recovering(void *arg) {
    churn_case *t = arg;
    go_defer(wg_done, t->wg);
    go_defer(recover_into_log, NULL);
    for (int i = 0; i < 100; i++) go_defer(mark, "");   /* several chunks */
    if (go_fz_bool()) go_yield();
    go_panic("churn");
}

static void churn_goexit(void *arg) {
    churn_case *t = arg;
    go_defer(wg_done, t->wg);
    go_defer(mark, "");
    go_yield();
    go_goexit();
}

/* Abandoned at the end with deferred calls pending: in its body, and in a
 * deferred call a panic is running. */
static void churn_blocked_in_body(void *arg) {
    go_defer(mark, "");
    go_recv(((churn_case *)arg)->never);
}

static void blocks_forever(void *arg) { go_recv(((churn_case *)arg)->never); }

static void churn_blocked_while_panicking(void *arg) {
    go_defer(mark, "");
    go_defer(blocks_forever, arg);
    go_panic("stuck");
}

static void churn_main(void *arg) {
    churn_case *t = arg;
    order[0] = '\0';
    recover_calls = 0;
    t->never = go_make_chan(0);
    t->wg = go_waitgroup_new();
    go_waitgroup_add(t->wg, 2);
    go_go(churn_recovering, t);
    go_go(churn_goexit, t);
    go_go(churn_blocked_in_body, t);
    go_go(churn_blocked_while_panicking, t);
    go_waitgroup_wait(t->wg);
    if (go_fz_intn(4) == 0) go_panic("main gives up");
}

Test(defer, many_executions_with_panics_recovers_goexits_and_abandoned_goroutines_leak_nothing) {
    int panicked = 0;
    for (uint64_t seed = 0; seed < 300; seed++) {
        churn_case t;
        go_exec *e = run_seeded(churn_main, &t, seed);
        go_end end = go_exec_end(e);
        cr_assert(end == GO_END_RETURNED || end == GO_END_PANIC, "seed %llu: %s %s",
                  (unsigned long long)seed, go_end_name(end), go_exec_message(e));
        panicked += end == GO_END_PANIC;
        go_exec_free(e);
    }
    cr_expect_gt(panicked, 0);
#ifdef TEST_LSAN
    /* LSan's own check runs only at exit, after Criterion has recorded the
     * test as passed: ask now. */
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "LeakSanitizer found leaks");
#endif
}
