/* test_context_leaks.c -- context.AfterFunc, the leak patterns contexts
 * take part in, and what inspection reports for the lost-cancel detector
 * (Go 1.23 src/context/context.go). */
#include <criterion/criterion.h>
#include <string.h>

#include "support.h"


static void expect_returned(const go_exec *e) {
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "ended %s: %s", go_end_name(go_exec_end(e)),
                 go_exec_message(e));
}

/* ---- AfterFunc ------------------------------------------------------------------------ */

typedef struct {
    int runs;
    uint64_t ran_in;
    bool stop_after_run;
} after_state;

static void after_fn(void *arg) {
    after_state *s = arg;
    s->runs++;
    s->ran_in = go_goroutine_id();
}

static void after_main(void *arg) {
    after_state *s = arg;
    go_cancel_func *cancel;
    go_context *c = go_with_cancel(go_background(), &cancel);
    go_stop_func *stop = go_context_after_func(c, after_fn, s);
    go_cancel(cancel);
    go_cancel(cancel);
    go_sleep(GO_MS); /* lets it run */
    s->stop_after_run = go_stop(stop);
}

Test(context, after_func_runs_once_in_a_new_goroutine) {
    after_state s = {0};
    go_exec *e = run_first(after_main, &s);
    expect_returned(e);
    cr_expect_eq(s.runs, 1);
    cr_expect_eq(s.ran_in, 2, "in goroutine 2, not in main");
    cr_expect_not(s.stop_after_run, "stop after it started reports false");
    const go_context_info *a = context_info(e, 3);
    cr_expect_eq(a->kind, GO_CONTEXT_AFTER_FUNC);
    cr_expect(a->func_started);
    cr_expect(a->stop_called);
    cr_expect_eq(a->cancelled_by, GO_CANCELLED_BY_PARENT);
    go_exec_free(e);
}

static void stop_main(void *arg) {
    after_state *s = arg;
    go_cancel_func *cancel;
    go_context *c = go_with_cancel(go_background(), &cancel);
    go_stop_func *stop = go_context_after_func(c, after_fn, s);
    bool first = go_stop(stop);
    bool second = go_stop(stop);
    go_cancel(cancel);
    go_sleep(GO_MS);
    s->stop_after_run = first && !second;
}

Test(context, after_func_stop_before_it_runs_prevents_it) {
    after_state s = {0};
    go_exec *e = run_first(stop_main, &s);
    expect_returned(e);
    cr_expect_eq(s.runs, 0);
    cr_expect(s.stop_after_run, "the first stop reports true, the second false");
    cr_expect_eq(go_exec_goroutines_started(e), 1);
    cr_expect_eq(context_info(e, 3)->cancelled_by, GO_CANCELLED_BY_STOP);
    cr_expect_not(context_info(e, 3)->func_started);
    cr_expect_eq(context_info(e, 2)->children, 0, "stop took it off the parent's list");
    go_exec_free(e);
}

static void after_done_main(void *arg) {
    after_state *s = arg;
    go_cancel_func *cancel;
    go_context *c = go_with_timeout(go_background(), 0, &cancel);
    go_stop_func *stop = go_context_after_func(c, after_fn, s);
    s->stop_after_run = go_stop(stop); /* fn has been started already */
    go_yield();
    go_cancel(cancel);
}

Test(context, after_func_on_a_done_context_starts_at_once) {
    after_state s = {0};
    go_exec *e = run_first(after_done_main, &s);
    expect_returned(e);
    cr_expect_eq(s.runs, 1);
    cr_expect_not(s.stop_after_run);
    go_exec_free(e);
}

static void after_background_main(void *arg) {
    after_state *s = arg;
    go_stop_func *stop = go_context_after_func(go_background(), after_fn, s);
    go_sleep(GO_MS);
    s->stop_after_run = go_stop(stop);
}

Test(context, after_func_on_a_context_never_cancelled_never_runs) {
    after_state s = {0};
    go_exec *e = run_first(after_background_main, &s);
    expect_returned(e);
    cr_expect_eq(s.runs, 0);
    cr_expect(s.stop_after_run, "stop still stops it");
    cr_expect_not(context_info(e, 2)->registered, "nothing registers under Background");
    go_exec_free(e);
}

/* ---- the leak pattern: select without a Done arm --------------------------------------- */

typedef struct {
    go_context *ctx;
    go_chan *results;
    go_chan *errors;
} worker_env;

static void worker_without_done(void *arg) {
    worker_env *w = arg;
    go_select(go_case_recv(w->results, NULL), go_case_recv(w->errors, NULL));
}

static void worker_with_done(void *arg) {
    worker_env *w = arg;
    go_select(go_case_recv(w->results, NULL), go_case_recv(go_ctx_done(w->ctx), NULL));
}

static void leak_main(void *arg) {
    worker_env *w = arg;
    go_cancel_func *cancel;
    w->ctx = go_with_cancel(go_background(), &cancel);
    w->results = go_make_chan(0);
    w->errors = go_make_chan(0);
    go_go(worker_without_done, w); /* goroutine 2 */
    go_go(worker_with_done, w);    /* goroutine 3 */
    go_yield();
    go_cancel(cancel);
}

Test(context, a_select_without_a_done_arm_stays_blocked_after_cancel) {
    worker_env w = {0};
    go_exec *e = run_first(leak_main, &w);
    expect_returned(e);
    cr_expect_eq(state_of(e, 2), GO_STATE_BLOCKED);
    cr_expect_eq(info_of(e, 2)->wait_reason, GO_WAIT_SELECT);
    cr_expect_eq(state_of(e, 3), GO_STATE_EXITED);
    const go_context_info *c = context_info(e, 2);
    cr_expect_eq(c->done_waiters, 0, "the Done waiter left when Done closed");
    cr_expect_neq(c->done_chan_id, 0);
    go_exec_free(e);
}

/* ---- what a live context pins, in words ---------------------------------------------- */

static void pins_main(void *arg) {
    worker_env *w = arg;
    go_cancel_func *cancel_root, *cancel_a, *cancel_b;
    go_context *root = go_with_cancel(go_background(), &cancel_root); /* #2 */
    w->ctx = go_with_timeout(root, 5 * GO_MS, &cancel_a);              /* #3 */
    go_with_cancel(root, &cancel_b);                                   /* #4 */
    w->results = go_make_chan(0);
    go_go(worker_with_done, w);
    go_yield();
    /* Every cancel lost: main returns; the describe below is taken by the
     * test after the timeout fired during settling. */
}

Test(context, a_description_names_kind_state_children_and_registration) {
    worker_env w = {0};
    go_exec *e = run_first(pins_main, &w);
    expect_returned(e);
    char desc[256];
    go_exec_describe_object(e, GO_OBJ_CONTEXT, 2, desc, sizeof desc);
    cr_expect_str_eq(desc, "cancelCtx, cancelled: no, 1 child, not registered, 0 Done waiters");
    go_exec_describe_object(e, GO_OBJ_CONTEXT, 3, desc, sizeof desc);
    cr_expect_str_eq(desc, "timerCtx, cancelled: yes, by deadline (context deadline exceeded), "
                           "0 children, deadline at 5ms, not registered, 0 Done waiters");
    go_exec_describe_object(e, GO_OBJ_CONTEXT, 4, desc, sizeof desc);
    cr_expect_str_eq(desc, "cancelCtx, cancelled: no, 0 children, registered in context#2, "
                           "0 Done waiters");
    go_exec_describe_object(e, GO_OBJ_CANCEL_FUNC, 1, desc, sizeof desc);
    cr_expect_str_eq(desc, "CancelFunc of context#2, never called");
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED, "the worker left when the deadline fired");
    go_exec_free(e);
}

static void waiting_main(void *arg) {
    worker_env *w = arg;
    go_cancel_func *cancel;
    w->ctx = go_with_cancel(go_background(), &cancel);
    w->results = go_make_chan(0);
    go_go(worker_with_done, w);
    go_go(worker_with_done, w);
    go_yield();
}

Test(context, done_waiters_are_counted_while_nothing_cancels) {
    worker_env w = {0};
    go_exec *e = run_first(waiting_main, &w);
    expect_returned(e);
    const go_context_info *c = context_info(e, 2);
    cr_expect_eq(c->done_waiters, 2);
    cr_expect_eq(c->cancelled_by, GO_CANCELLED_NOT);
    cr_expect_not(c->cancel_called);
    cr_expect_eq(state_of(e, 2), GO_STATE_BLOCKED);
    go_exec_free(e);
}

/* ---- many executions leave nothing behind ---------------------------------------------- */

static void noop(void *arg) { (void)arg; }

static void churn_worker(void *arg) {
    go_context *ctx = arg;
    go_chan *never = go_make_chan(0);
    go_select(go_case_recv(never, NULL), go_case_recv(go_ctx_done(ctx), NULL));
}

/* A random forest of contexts, random cancels, timeouts and AfterFuncs,
 * waiters on Done: whatever happens, the invariant checks must hold and
 * every execution must free all it made. */
static void churn_main(void *arg) {
    (void)arg;
    go_context *live[16];
    go_cancel_func *cancels[16] = {0};
    int n = 1;
    live[0] = go_background();
    for (int i = 0; i < 15; i++) {
        go_context *parent = live[go_fz_intn((uint64_t)n)];
        switch (go_fz_intn(6)) {
        case 0: live[n] = go_with_cancel(parent, &cancels[n]); break;
        case 1: live[n] = go_with_timeout(parent, go_fz_duration(5 * GO_MS), &cancels[n]); break;
        case 2: live[n] = go_with_value(parent, (go_word)i + 1, (go_word)i); break;
        case 3: live[n] = go_without_cancel(parent); break;
        case 4: live[n] = go_with_cancel_cause(parent, &cancels[n]); break;
        default:
            go_context_after_func(parent, noop, NULL);
            live[n] = parent;
            break;
        }
        if (go_fz_bool()) go_go(churn_worker, live[n]);
        n++;
        int victim = (int)go_fz_intn((uint64_t)n);
        if (cancels[victim] && go_fz_bool()) go_cancel(cancels[victim]);
    }
}

Test(context, many_executions_keep_the_invariants_and_leave_nothing) {
    for (uint64_t seed = 1; seed <= 300; seed++) {
        go_exec *e = run_seeded(churn_main, NULL, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu: %s: %s",
                     (unsigned long long)seed, go_end_name(go_exec_end(e)), go_exec_message(e));
        for (size_t i = 0; i < go_exec_context_count(e); i++) {
            const go_context_info *c = go_exec_context(e, i);
            /* What inspection reports agrees with the registration rule. */
            if (c->registered)
                cr_assert(context_info(e, c->registered_in_id)->err == NULL,
                          "seed %llu: context#%llu registered in a cancelled context",
                          (unsigned long long)seed, (unsigned long long)c->id);
        }
        go_exec_free(e);
    }
#if UNDER_ASAN
    /* LSan's exit-time report does not fail a Criterion test: ask now. */
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "leaks left by the executions");
#endif
}
