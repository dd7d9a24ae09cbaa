/* test_detect_timers.c -- the "timer never stopped" detector and the timer
 * inspection behind it (exec.h, "Timers"): a ticker left running is a
 * finding exactly when Go keeps it -- always under Go 1.22, only through a
 * global under Go 1.23 -- and every near miss (stopped, fired, collected,
 * someone else's finding) is clean. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/findings.h>

#include "findings_listing.h"
#include "support.h"

#define THIS_FILE "tests/test_detect_timers.c"

/* ---- helpers ----------------------------------------------------------------- */

/* The findings of e, which must be exactly one, of `kind`. */
static chanfuzz_findings *only(const go_exec *e, chanfuzz_kind kind) {
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_not_null(f);
    cr_assert_eq(f->count, 1, "expected one %s finding, got %zu:\n%s", chanfuzz_kind_id(kind),
                 f->count, listing(f));
    cr_assert_eq(f->items[0].kind, kind, "got %s", chanfuzz_kind_id(f->items[0].kind));
    return f;
}

static void expect_clean(go_func *fn, go_semantics semantics, const char *what) {
    go_exec *e = run_under(fn, semantics);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED, "%s", what);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_not_null(f);
    cr_expect_eq(f->count, 0, "%s (Go %s): expected no finding, got:\n%s", what,
                 go_semantics_name(semantics), listing(f));
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* No finding of `kind` (others may be there: they are someone else's). */
static void expect_no_kind(const go_exec *e, chanfuzz_kind kind) {
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_not_null(f);
    cr_expect_null(chanfuzz_findings_first(f, kind), "unexpected %s among:\n%s",
                   chanfuzz_kind_id(kind), listing(f));
    chanfuzz_findings_free(f);
}

static const go_timer_info *timer_info(const go_exec *e, go_object_kind kind, uint64_t id) {
    for (size_t i = 0; i < go_exec_timer_count(e); i++) {
        const go_timer_info *t = go_exec_timer(e, i);
        if (t->object_kind == kind && t->id == id) return t;
    }
    return NULL;
}

static void stop_timer(void *t) { go_timer_stop(t); }

static go_chan *done;
static int ticker_line;

/* ---- a stopped ticker whose loop exits on a done channel: clean ---------------- */

/*  func poll(done chan struct{}) {
 *      t := time.NewTicker(10ms)
 *      defer t.Stop()
 *      for { select { case <-t.C: case <-done: return } }
 *  }
 *  go poll(done); time.Sleep(35ms); close(done); time.Sleep(1ms)
 */
static void poll_and_stop(void *arg) {
    go_timer *t = go_ticker_new(10 * GO_MS);
    go_defer(stop_timer, t);
    while (go_select(go_case_recv(go_timer_chan(t), NULL), go_case_recv(done, NULL)) == 0) {}
}

static void runs_stopped_poller(void *arg) {
    done = go_make_chan(0);
    go_go(poll_and_stop, NULL);
    go_sleep(35 * GO_MS);
    go_close(done);
    go_sleep(GO_MS);
}

Test(timer_not_stopped, a_stopped_ticker_whose_loop_exits_on_done_is_clean) {
    expect_clean(runs_stopped_poller, GO_SEMANTICS_1_23, "stopped ticker");
    expect_clean(runs_stopped_poller, GO_SEMANTICS_1_22, "stopped ticker");
    go_exec *e = run_under(runs_stopped_poller, GO_SEMANTICS_1_22);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    cr_assert_not_null(t, "Go 1.22 keeps a stopped ticker's object until nothing holds it");
    cr_expect_eq(t->kind, GO_TIMER_TICKER);
    cr_expect_eq(t->state, GO_TIMER_STOPPED);
    cr_expect(t->stop_called);
    cr_expect_eq(t->fired, 3, "ticks at 10, 20 and 30ms");
    go_exec_free(e);
}

/* ---- the same loop without Stop: 1.22 finding, 1.23 collected ------------------ */

static void poll_without_stop(void *arg) {
    ticker_line = __LINE__; go_timer *t = go_ticker_new(10 * GO_MS);
    while (go_select(go_case_recv(go_timer_chan(t), NULL), go_case_recv(done, NULL)) == 0) {}
}

static void runs_unstopped_poller(void *arg) {
    done = go_make_chan(0);
    go_go(poll_without_stop, NULL);
    go_sleep(35 * GO_MS);
    go_close(done);
    go_sleep(GO_MS);
}

Test(timer_not_stopped, an_unstopped_ticker_nothing_references_is_collected_under_go_1_23) {
    expect_clean(runs_unstopped_poller, GO_SEMANTICS_1_23, "unreferenced ticker");
    go_exec *e = run_under(runs_unstopped_poller, GO_SEMANTICS_1_23);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    /* Freed by a collection, or found garbage by the final one. */
    cr_expect(t == NULL || !t->reachable, "Go 1.23 collects an unreferenced ticker");
    go_exec_free(e);
}

Test(timer_not_stopped, an_unstopped_ticker_leaks_under_go_1_22_at_its_creation_site) {
    go_exec *e = run_under(runs_unstopped_poller, GO_SEMANTICS_1_22);
    chanfuzz_findings *f = only(e, CHANFUZZ_TIMER_NOT_STOPPED);
    const chanfuzz_finding *leak = &f->items[0];
    char expected[CHANFUZZ_CRASH_STATE_MAX];
    snprintf(expected, sizeof expected,
             "timer never stopped: time.NewTicker at " THIS_FILE ":%d (poll_without_stop)",
             ticker_line);
    cr_expect_str_eq(leak->crash_state, expected);
    cr_expect_str_eq(leak->title, "ticker never stopped");
    cr_expect_str_eq(leak->message, "1 ticker still running at the end");
    cr_expect_eq(leak->site->line, ticker_line);
    cr_expect_eq(leak->goroutine_count, 0);
    /* The witness: the runtime's timer heap holds it, nothing else. */
    cr_expect_eq(leak->witness.kind, CHANFUZZ_WITNESS_HOLDER_CHAIN);
    cr_assert_eq(leak->witness.link_count, 2);
    cr_expect_str_eq(leak->witness.links[0].role, "root");
    cr_expect_str_eq(leak->witness.links[0].state, "pending timer");
    cr_expect_str_eq(leak->witness.links[1].role, "held");
    cr_expect_eq(leak->witness.links[1].object_kind, GO_OBJ_TIMER);
    cr_expect_eq(leak->witness.links[1].object_id, 1);
    cr_expect_eq(leak->witness.links[1].site->line, ticker_line);
    cr_expect_str_eq(leak->witness.summary,
                     "ticker timer#1 (every 10ms, 3 ticks) was never stopped and is still "
                     "running at the end: Go 1.22 and earlier never collect an unstopped Ticker");
    cr_expect_eq(chanfuzz_exit_status(f), CHANFUZZ_EXIT_FINDINGS);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- Go 1.23: a ticker a global keeps running --------------------------------- */

/*  var heartbeat = time.NewTicker(time.Second)   // never stopped */
static void global_heartbeat(void *arg) {
    ticker_line = __LINE__; go_global_set("heartbeat", go_ticker_new(GO_S));
    go_sleep(GO_MS);
}

Test(timer_not_stopped, a_ticker_a_global_holds_leaks_under_go_1_23) {
    go_exec *e = run_under(global_heartbeat, GO_SEMANTICS_1_23);
    chanfuzz_findings *f = only(e, CHANFUZZ_TIMER_NOT_STOPPED);
    const chanfuzz_finding *leak = &f->items[0];
    cr_expect_eq(leak->site->line, ticker_line);
    cr_assert_eq(leak->witness.link_count, 2);
    cr_expect_str_eq(leak->witness.links[0].state, "global \"heartbeat\"");
    cr_expect_eq(leak->witness.links[1].object_kind, GO_OBJ_TIMER);
    cr_expect_str_eq(leak->witness.summary,
                     "ticker timer#1 (every 1s, 0 ticks) was never stopped and is still running, "
                     "held by global \"heartbeat\" -> timer#1");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* Cleared before the end, the global no longer holds it: collected. */
static void cleared_heartbeat(void *arg) {
    go_global_set("heartbeat", go_ticker_new(GO_S));
    go_sleep(GO_MS);
    go_global_clear("heartbeat");
}

Test(timer_not_stopped, a_ticker_whose_global_was_cleared_is_clean_under_go_1_23) {
    expect_clean(cleared_heartbeat, GO_SEMANTICS_1_23, "cleared global");
}

/* Reset after Stop runs again: a finding, and the witness says so. */
static void stop_then_reset(void *arg) {
    go_timer *t = go_ticker_new(GO_S);
    go_global_set("heartbeat", t);
    go_timer_stop(t);
    go_timer_reset(t, 2 * GO_S);
}

Test(timer_not_stopped, a_ticker_reset_after_its_stop_is_running_again) {
    go_exec *e = run_under(stop_then_reset, GO_SEMANTICS_1_23);
    chanfuzz_findings *f = only(e, CHANFUZZ_TIMER_NOT_STOPPED);
    cr_expect(strstr(f->items[0].witness.summary, "was Reset after its last Stop at " THIS_FILE)
                  != NULL, "%s", f->items[0].witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- one-shot timers are never findings ------------------------------------------ */

/*  t := time.NewTimer(5ms); <-t.C      // fired, never stopped: fine */
static void fired_timer(void *arg) {
    go_timer *t = go_timer_new(5 * GO_MS);
    go_recv(go_timer_chan(t));
}

Test(timer_not_stopped, a_fired_one_shot_timer_never_stopped_is_clean) {
    expect_clean(fired_timer, GO_SEMANTICS_1_23, "fired timer");
    expect_clean(fired_timer, GO_SEMANTICS_1_22, "fired timer");
    go_exec *e = run_under(fired_timer, GO_SEMANTICS_1_22);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    if (t) {
        cr_expect_eq(t->state, GO_TIMER_FIRED);
        cr_expect_eq(t->fired, 1);
        cr_expect(!t->stop_called);
    }
    go_exec_free(e);
}

/*  t := time.NewTimer(time.Hour)  // still pending at the end: Go 1.22
 *  select { case <-ready: case <-t.C: }   // frees it once it fires */
static void pending_timer_main(void *arg) {
    go_chan *ready = go_make_chan(1);
    go_send(ready, 1);
    go_timer *t = go_timer_new(2 * 3600 * GO_S);
    go_select(go_case_recv(ready, NULL), go_case_recv(go_timer_chan(t), NULL));
}

Test(timer_not_stopped, a_pending_one_shot_timer_is_delayed_memory_not_a_leak) {
    expect_clean(pending_timer_main, GO_SEMANTICS_1_23, "pending timer");
    expect_clean(pending_timer_main, GO_SEMANTICS_1_22, "pending timer");
    go_exec *e = run_under(pending_timer_main, GO_SEMANTICS_1_22);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    cr_assert_not_null(t);
    cr_expect_eq(t->kind, GO_TIMER_TIMER);
    cr_expect_eq(t->state, GO_TIMER_PENDING);
    cr_expect(t->reachable, "under 1.22 a pending timer is a root");
    go_exec_free(e);
}

/* ---- someone else's finding ------------------------------------------------------- */

/*  go func() { for range t.C { } }()   // never exits: that is the finding */
static void ranges_ticker(void *arg) {
    go_word tick;
    go_timer *t = go_ticker_new(GO_MS);
    while (go_range(go_timer_chan(t), &tick)) {}
}

static void starts_ranger(void *arg) { go_go(ranges_ticker, NULL); }

Test(timer_not_stopped, a_ticker_a_never_exiting_loop_receives_from_is_the_loops_finding) {
    go_config cfg = {.decider = go_decider_first(), .semantics = GO_SEMANTICS_1_22,
                     .settle_time = 50 * GO_MS};
    go_exec *e = go_exec_run(&cfg, starts_ranger, NULL);
    chanfuzz_findings *f = only(e, CHANFUZZ_NEVER_EXITS);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    cr_assert_not_null(t);
    cr_expect_eq(t->receiver, 2, "goroutine 2 still waits on t.C");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/*  go func() { t := time.NewTicker(1ms); defer t.Stop(); <-never }() */
static go_chan *never;

static void defers_stop_then_leaks(void *arg) {
    go_timer *t = go_ticker_new(GO_MS);
    go_defer(stop_timer, t);
    go_recv(never);
}

static void starts_deferrer(void *arg) {
    never = go_make_chan(0);
    go_go(defers_stop_then_leaks, NULL);
    go_yield();
}

Test(timer_not_stopped, a_stop_deferred_in_a_leaked_goroutine_is_the_leaks_finding) {
    go_exec *e = run_under(starts_deferrer, GO_SEMANTICS_1_22);
    chanfuzz_findings *f = only(e, CHANFUZZ_LEAK);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    cr_assert_not_null(t);
    cr_expect_eq(t->stop_deferred_in, 2);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* An AfterFunc past the settle window keeps its closure: that closure is
 * the finding (unreleased_closure, "held by a pending timer"), once. */
static void callback(void *env) { (void)env; }

static void late_after_func(void *arg) {
    go_after_func(2 * 3600 * GO_S, callback, go_closure(go_make_chan(0)));
}

Test(timer_not_stopped, a_pending_after_func_is_reported_as_its_closure_only) {
    go_exec *e = run_under(late_after_func, GO_SEMANTICS_1_22);
    chanfuzz_findings *f = only(e, CHANFUZZ_UNRELEASED_CLOSURE);
    const go_timer_info *t = timer_info(e, GO_OBJ_TIMER, 1);
    cr_assert_not_null(t);
    cr_expect_eq(t->kind, GO_TIMER_AFTER_FUNC);
    cr_expect_eq(t->state, GO_TIMER_PENDING);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* A deadline context never cancelled: the context findings own it. */
static void forgets_cancel(void *arg) {
    go_cancel_func *cancel;
    go_with_timeout(go_background(), 2 * 3600 * GO_S, &cancel);
}

Test(timer_not_stopped, a_context_deadline_belongs_to_the_context_findings) {
    go_exec *e = run_under(forgets_cancel, GO_SEMANTICS_1_22);
    expect_no_kind(e, CHANFUZZ_TIMER_NOT_STOPPED);
    const go_timer_info *t = NULL;
    for (size_t i = 0; i < go_exec_timer_count(e); i++)
        if (go_exec_timer(e, i)->kind == GO_TIMER_CONTEXT_DEADLINE) t = go_exec_timer(e, i);
    cr_assert_not_null(t);
    cr_expect_eq(t->object_kind, GO_OBJ_CONTEXT);
    cr_expect_eq(t->state, GO_TIMER_PENDING);
    cr_expect_eq(t->when, 2 * 3600 * GO_S);
    go_exec_free(e);
}

/* ---- inspection ------------------------------------------------------------------- */

static void one_of_each(void *arg) {
    go_timer *timer = go_timer_new(GO_MS);          /* timer#1: fires */
    go_timer *ticker = go_ticker_new(2 * GO_MS);    /* timer#2: stopped */
    go_chan *after = go_after(3 * GO_MS);           /* timer#3 */
    go_recv(go_timer_chan(timer));
    go_timer_stop(ticker);
    go_recv(after);
    go_global_set("keep", ticker);
    go_global_set("keep2", timer);
}

Test(timer_inspection, kinds_states_and_counts_as_the_execution_ended) {
    go_exec *e = run_under(one_of_each, GO_SEMANTICS_1_22);
    cr_expect_str_eq(go_timer_kind_name(GO_TIMER_AFTER), "time.After");
    cr_expect_str_eq(go_timer_state_name(GO_TIMER_STOPPED), "stopped");
    const go_timer_info *timer = timer_info(e, GO_OBJ_TIMER, 1);
    const go_timer_info *ticker = timer_info(e, GO_OBJ_TIMER, 2);
    cr_assert_not_null(timer);
    cr_assert_not_null(ticker);
    cr_expect_eq(timer->kind, GO_TIMER_TIMER);
    cr_expect_eq(timer->state, GO_TIMER_FIRED);
    cr_expect(timer->reachable);
    cr_expect_eq(ticker->kind, GO_TIMER_TICKER);
    cr_expect_eq(ticker->state, GO_TIMER_STOPPED);
    cr_expect_eq(ticker->period, 2 * GO_MS);
    cr_expect_eq(ticker->fired, 0, "stopped at 1ms, before its first tick");
    cr_expect_not_null(ticker->stop_site);
    cr_expect_neq(ticker->chan_id, 0);
    for (size_t i = 1; i < go_exec_timer_count(e); i++)
        cr_expect(go_exec_timer(e, i - 1)->object_kind != GO_OBJ_TIMER ||
                      go_exec_timer(e, i)->object_kind != GO_OBJ_TIMER ||
                      go_exec_timer(e, i - 1)->id < go_exec_timer(e, i)->id,
                  "timers by id");
    cr_expect_null(go_exec_timer(e, go_exec_timer_count(e)));
    go_exec_free(e);
}
