/* test_detect.c -- the detectors (chanfuzz/findings.h): for each kind, an
 * execution that must produce exactly that finding, with its crash state,
 * witness, function and site, and a near miss that must produce none;
 * deduplication, ignore rules, expectations and the exit status. The
 * property that correct programs stay clean is test_detect_programs.c. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/findings.h>

#include "findings_listing.h"
#include "support.h"

#define THIS_FILE "tests/test_detect.c"

/* ---- helpers ----------------------------------------------------------------- */

static go_exec *run_config(go_func *fn, void *arg, go_config cfg) {
    if (!cfg.decider.decide) cfg.decider = go_decider_first();
    return go_exec_run(&cfg, fn, arg);
}

static chanfuzz_findings *detect(const go_exec *e) {
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_not_null(f);
    return f;
}

/* The only finding, which must be of `kind`. */
static const chanfuzz_finding *only(const chanfuzz_findings *f, chanfuzz_kind kind) {
    cr_assert_eq(f->count, 1, "expected one %s finding, got %zu:\n%s", chanfuzz_kind_id(kind),
                 f->count, listing(f));
    cr_assert_eq(f->items[0].kind, kind, "expected %s, got %s", chanfuzz_kind_id(kind),
                 chanfuzz_kind_id(f->items[0].kind));
    return &f->items[0];
}

static void expect_clean(const go_exec *e, const char *what) {
    chanfuzz_findings *f = detect(e);
    cr_expect_eq(f->count, 0, "%s: expected no finding, got:\n%s", what, listing(f));
    cr_expect_eq(chanfuzz_exit_status(f), CHANFUZZ_EXIT_CLEAN);
    chanfuzz_findings_free(f);
}

static char *text(const char *format, ...) __attribute__((format(printf, 1, 2)));
static char *text(const char *format, ...) {
    static char buffers[4][CHANFUZZ_CRASH_STATE_MAX];
    static int next;
    char *out = buffers[next++ % 4];
    va_list args;
    va_start(args, format);
    vsnprintf(out, CHANFUZZ_CRASH_STATE_MAX, format, args);
    va_end(args);
    return out;
}

/* ---- leak: a blocked sender ----------------------------------------------------- */

/*  func fetch() {
 *      results := make(chan int)
 *      go func() { time.Sleep(10ms); results <- 1 }()   // blocks forever
 *      select { case <-results: case <-time.After(5ms): }
 *      time.Sleep(20ms)
 *  }
 */
static go_chan *results;
static int send_line, go_line, recv_line, select_line;

static void timeout_worker(void *arg) {
    go_sleep(10 * GO_MS);
    send_line = __LINE__; go_send(results, 1);
}

static void timeout_fetch(void *arg) {
    results = go_make_chan(0);
    go_line = __LINE__; go_go(timeout_worker, NULL);
    go_select(go_case_recv(results, NULL), go_case_recv(go_after(5 * GO_MS), NULL));
    go_sleep(20 * GO_MS);
}

Test(leak, a_sender_whose_receiver_timed_out_is_a_blocked_sender) {
    go_exec *e = run_first(timeout_fetch, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *leak = only(f, CHANFUZZ_LEAK);
    cr_expect_str_eq(leak->crash_state,
                     text("leak: chan send at " THIS_FILE ":%d (timeout_worker) created at "
                          THIS_FILE ":%d", send_line, go_line));
    cr_expect_str_eq(leak->title, "blocked sender");
    cr_expect_str_eq(leak->message, "1 goroutine blocked");
    cr_expect_eq(leak->site->line, send_line);
    cr_expect_eq(leak->creation_site->line, go_line);
    cr_assert_eq(leak->goroutine_count, 1);
    const chanfuzz_goroutine *g = &leak->goroutines[0];
    cr_expect_eq(g->info.id, 2);
    cr_expect_eq(g->info.state, GO_STATE_BLOCKED);
    cr_expect_str_eq(g->info.entry_name, "timeout_worker");
    cr_expect_eq(g->info.wait_reason, GO_WAIT_CHAN_SEND);
    cr_expect_str_eq(g->info.wait_site->func, "timeout_worker");
    cr_expect_eq(g->info.wait_site->line, send_line);
    cr_expect_str_eq(g->object_state, "unbuffered, 1 sender and 0 receivers waiting, not closed");
    cr_expect_eq(go_exec_time(e), 25 * GO_MS);
    cr_expect_eq(g->blocked_for, 15 * GO_MS, "blocked from 10ms to the end at 25ms");
    /* The witness, checked on its own: the channel it waits on. */
    cr_expect_eq(leak->witness.kind, CHANFUZZ_WITNESS_BLOCKING_OBJECT);
    cr_assert_eq(leak->witness.link_count, 1);
    cr_expect_eq(leak->witness.links[0].object_kind, GO_OBJ_CHAN);
    cr_expect_eq(leak->witness.links[0].object_id, g->info.object_id);
    cr_expect_str_eq(leak->witness.links[0].state, g->object_state);
    cr_expect_str_eq(leak->witness.summary,
                     text("blocked sender on chan#%llu (%s)",
                          (unsigned long long)g->info.object_id, g->object_state));
    cr_expect_eq(chanfuzz_exit_status(f), CHANFUZZ_EXIT_FINDINGS);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* The near miss: the receiver comes late, after a timer, but it comes. */
static void early_sender(void *arg) { go_send(results, 1); }

static void late_receiver(void *arg) {
    results = go_make_chan(0);
    go_go(early_sender, NULL);
    go_sleep(5 * GO_MS);
    go_recv(results);
}

Test(leak, a_sender_whose_receiver_arrives_after_a_timer_is_not_a_leak) {
    go_exec *e = run_first(late_receiver, NULL);
    expect_clean(e, "first-ready");
    go_exec_free(e);
    for (uint64_t seed = 1; seed <= 50; seed++) {
        e = run_seeded(late_receiver, NULL, seed);
        expect_clean(e, "seeded");
        go_exec_free(e);
    }
}

/* A receiver on a channel nobody closes: a blocked receiver. */
static go_chan *jobs;

static void ranger(void *arg) {
    go_word v;
    recv_line = __LINE__; while (go_range(jobs, &v)) {}
}

static void forgets_close(void *arg) {
    jobs = go_make_chan(2);
    go_line = __LINE__; go_go(ranger, NULL);
    go_send(jobs, 1);
    go_send(jobs, 2);
}

Test(leak, range_over_a_channel_never_closed_is_a_blocked_receiver) {
    go_exec *e = run_first(forgets_close, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *leak = only(f, CHANFUZZ_LEAK);
    cr_expect_str_eq(leak->title, "blocked receiver");
    cr_expect_str_eq(leak->crash_state,
                     text("leak: chan receive at " THIS_FILE ":%d (ranger) created at "
                          THIS_FILE ":%d", recv_line, go_line));
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* A select with nothing ready and no object: the summary says so. */
static void select_forever(void *arg) {
    select_line = __LINE__; go_select(go_case_recv(jobs, NULL), go_case_recv(NULL, NULL));
}

static void select_leak(void *arg) {
    jobs = go_make_chan(0);
    go_go(select_forever, NULL);
}

Test(leak, a_select_no_case_of_which_can_proceed_is_blocked_in_select) {
    go_exec *e = run_first(select_leak, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *leak = only(f, CHANFUZZ_LEAK);
    cr_expect_str_eq(leak->title, "blocked in select");
    cr_expect_eq(leak->site->line, select_line);
    cr_expect(strncmp(leak->crash_state, "leak: select at ", 16) == 0, "%s", leak->crash_state);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- leak: settling, a stopped ticker loop and a done channel ------------------- */

/*  done := make(chan struct{})
 *  go func() {                       // blocked in select when main returns
 *      t := time.NewTicker(1ms); defer t.Stop()
 *      for { select { case <-t.C: case <-done: return } }
 *  }()
 *  go func() { time.Sleep(5ms); close(done) }()
 */
static go_chan *done;

static void stopped_ticker_loop(void *arg) {
    go_timer *t = go_ticker_new(GO_MS);
    for (;;) {
        if (go_select(go_case_recv(go_timer_chan(t), NULL), go_case_recv(done, NULL)) == 1) {
            go_timer_stop(t);
            return;
        }
    }
}

static void closes_done_later(void *arg) {
    go_sleep(5 * GO_MS);
    go_close(done);
}

static void ticker_with_done(void *arg) {
    done = go_make_chan(0);
    go_go(stopped_ticker_loop, NULL);
    go_go(closes_done_later, NULL);
    go_yield(); /* the loop blocks in its select before main returns */
}

Test(leak, a_ticker_loop_that_stops_on_a_done_channel_while_settling_is_not_a_leak) {
    go_exec *e = run_config(ticker_with_done, NULL, (go_config){.settle_time = GO_S});
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED);
    expect_clean(e, "first-ready");
    go_exec_free(e);
    for (uint64_t seed = 1; seed <= 50; seed++) {
        e = run_seeded(ticker_with_done, NULL, seed);
        expect_clean(e, "seeded");
        go_exec_free(e);
    }
}

/* ---- never exits ---------------------------------------------------------------- */

/*  go func() { for range time.NewTicker(1ms).C { } }()   // main returns */
static void ticker_range(void *arg) {
    go_timer *t = go_ticker_new(GO_MS);
    go_word tick;
    recv_line = __LINE__; while (go_range(go_timer_chan(t), &tick)) {}
}

static void starts_ticker_range(void *arg) { go_line = __LINE__; go_go(ticker_range, NULL); }

Test(never_exits, a_range_over_a_ticker_never_exits_with_the_loop_site) {
    go_exec *e = run_config(starts_ticker_range, NULL, (go_config){.settle_time = 50 * GO_MS});
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *loop = only(f, CHANFUZZ_NEVER_EXITS);
    cr_expect_str_eq(loop->crash_state,
                     text("never exits: chan receive at " THIS_FILE ":%d (ticker_range) "
                          "created at " THIS_FILE ":%d", recv_line, go_line));
    cr_expect_str_eq(loop->message, "1 goroutine never exits");
    cr_assert_eq(loop->goroutine_count, 1);
    cr_expect_eq(loop->goroutines[0].info.state, GO_STATE_NEVER_EXITS);
    cr_expect_str_eq(loop->goroutines[0].info.entry_name, "ticker_range");
    cr_expect_eq(loop->site->line, recv_line, "the loop's site");
    cr_expect(strstr(loop->witness.summary, "still woken by timers") != NULL, "%s",
              loop->witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* The near miss: the loop stops its ticker and leaves after three ticks. */
static void ticker_three_times(void *arg) {
    go_timer *t = go_ticker_new(GO_MS);
    for (int i = 0; i < 3; i++) go_recv(go_timer_chan(t));
    go_timer_stop(t);
}

static void starts_bounded_ticker(void *arg) { go_go(ticker_three_times, NULL); }

Test(never_exits, a_ticker_loop_that_stops_is_clean) {
    go_exec *e = run_config(starts_bounded_ticker, NULL, (go_config){.settle_time = 50 * GO_MS});
    expect_clean(e, "bounded ticker");
    go_exec_free(e);
}

/* ---- panics, fatal errors, overflow ------------------------------------------------ */

static int close_line;

static void closer(void *arg) { close_line = __LINE__; go_close(jobs); }

static void closes_twice(void *arg) {
    jobs = go_make_chan(0);
    go_go(select_forever, NULL); /* blocked when the panic comes: not judged */
    go_close(jobs);
    go_go(closer, NULL);
    go_sleep(GO_MS);
}

Test(panic, a_close_of_a_closed_channel_is_a_panic_at_its_site) {
    go_exec *e = run_first(closes_twice, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *p = only(f, CHANFUZZ_PANIC);
    cr_expect_str_eq(p->crash_state,
                     text("panic: close of closed channel at " THIS_FILE ":%d (closer)",
                          close_line));
    cr_expect_str_eq(p->message, "close of closed channel");
    cr_expect_eq(p->site->line, close_line);
    cr_assert_eq(p->goroutine_count, 1, "the failed goroutine only");
    cr_expect_eq(p->goroutines[0].info.state, GO_STATE_FAILED);
    cr_expect_str_eq(p->goroutines[0].info.entry_name, "closer");
    cr_expect_eq(p->witness.kind, CHANFUZZ_WITNESS_NONE);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static int panic_line;
static void panics(void *arg) { panic_line = __LINE__; go_panic("boom\nsecond line"); }

Test(panic, a_panic_message_stays_on_one_crash_state_line) {
    go_exec *e = run_first(panics, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *p = only(f, CHANFUZZ_PANIC);
    cr_expect_str_eq(p->crash_state,
                     text("panic: boom second line at " THIS_FILE ":%d (panics)", panic_line));
    cr_expect_str_eq(p->message, "boom\nsecond line", "the message itself is kept");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static int unlock_line;
static void unlocks_twice(void *arg) {
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_mutex_unlock(mu);
    unlock_line = __LINE__; go_mutex_unlock(mu);
}

Test(panic, unlock_of_an_unlocked_mutex_is_a_fatal_error) {
    go_exec *e = run_first(unlocks_twice, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *p = only(f, CHANFUZZ_FATAL_ERROR);
    cr_expect_str_eq(p->crash_state,
                     text("fatal error: %s at " THIS_FILE ":%d (unlocks_twice)",
                          go_exec_message(e), unlock_line));
    cr_expect_eq(p->site->line, unlock_line);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static __attribute__((noinline)) int recurse_forever(uint64_t depth) {
    volatile char frame[4096];
    memset((char *)frame, (int)depth, sizeof frame);
    if (depth == UINT64_MAX) return frame[7];
    return recurse_forever(depth + 1) + frame[depth % sizeof frame];
}

static void overflower(void *arg) { recurse_forever(0); }

static void overflows(void *arg) {
    go_line = __LINE__; go_go(overflower, NULL);
    go_sleep(GO_MS);
}

Test(panic, a_stack_overflow_names_the_goroutine_and_its_go_statement) {
    go_exec *e = run_first(overflows, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *p = only(f, CHANFUZZ_STACK_OVERFLOW);
    cr_expect_str_eq(p->crash_state,
                     text("stack overflow: in overflower created at " THIS_FILE ":%d", go_line));
    cr_expect_eq(p->site->line, go_line, "located at the go statement");
    cr_assert_eq(p->goroutine_count, 1);
    cr_expect_null(p->goroutines[0].info.wait_site, "not a stale blocking site");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* The near misses: one close, one unlock, a deep recursion that ends. */
static __attribute__((noinline)) int recurse_to(uint64_t depth) {
    volatile char frame[1024];
    memset((char *)frame, (int)depth, sizeof frame);
    if (depth == 0) return frame[1];
    return recurse_to(depth - 1) + frame[depth % sizeof frame];
}

static void deep_but_bounded(void *arg) { recurse_to(16); }

static void correct_close_unlock_recursion(void *arg) {
    jobs = go_make_chan(0);
    go_close(jobs);
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_mutex_unlock(mu);
    go_go(deep_but_bounded, NULL);
    go_sleep(GO_MS);
}

Test(panic, one_close_one_unlock_and_a_bounded_recursion_are_clean) {
    go_exec *e = run_first(correct_close_unlock_recursion, NULL);
    expect_clean(e, "correct");
    go_exec_free(e);
}

/* ---- global deadlock ------------------------------------------------------------------ */

/*  var wg sync.WaitGroup
 *  wg.Add(2)
 *  go func() { if err { return }; wg.Done() }()   // forgets Done on error
 *  go func() { results <- 1; wg.Done() }()        // nobody receives
 *  wg.Wait()
 */
static go_waitgroup *wg;
static int wait_line;

static void forgets_done(void *arg) {}

static void sends_then_done(void *arg) {
    send_line = __LINE__; go_send(results, 1);
    go_waitgroup_done(wg);
}

static void waits_forever(void *arg) {
    wg = go_waitgroup_new();
    results = go_make_chan(0);
    go_waitgroup_add(wg, 2);
    go_go(forgets_done, NULL);
    go_go(sends_then_done, NULL);
    wait_line = __LINE__; go_waitgroup_wait(wg);
}

Test(deadlock, main_waiting_on_a_waitgroup_nobody_finishes_is_a_global_deadlock) {
    go_exec *e = run_first(waits_forever, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *d = only(f, CHANFUZZ_GLOBAL_DEADLOCK);
    cr_expect_str_eq(d->crash_state,
                     text("global deadlock: sync.WaitGroup.Wait at " THIS_FILE ":%d "
                          "(waits_forever); chan send at " THIS_FILE ":%d (sends_then_done)",
                          wait_line, send_line));
    cr_expect_str_eq(d->message, "all goroutines are asleep - deadlock!");
    cr_assert_eq(d->goroutine_count, 2, "main and the blocked sender, no separate leak");
    cr_expect_eq(d->goroutines[0].info.id, 1);
    cr_expect_eq(d->site->line, wait_line);
    cr_expect_eq(d->witness.kind, CHANFUZZ_WITNESS_BLOCKING_OBJECT);
    cr_assert_eq(d->witness.link_count, 2);
    cr_expect_eq(d->witness.links[0].object_kind, GO_OBJ_WAITGROUP);
    cr_expect_eq(d->witness.links[1].object_kind, GO_OBJ_CHAN);
    cr_expect(strncmp(d->witness.summary, "main blocked in sync.WaitGroup.Wait on waitgroup#1",
                      50) == 0, "%s", d->witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* Go's variant: main calls runtime.Goexit and nothing is left. */
static void main_goexits(void *arg) { go_goexit(); }

Test(deadlock, main_calling_goexit_with_nothing_left_is_a_global_deadlock) {
    go_exec *e = run_first(main_goexits, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *d = only(f, CHANFUZZ_GLOBAL_DEADLOCK);
    cr_expect_str_eq(d->crash_state, "global deadlock: no goroutines");
    cr_expect_str_eq(d->message, "no goroutines (main called runtime.Goexit) - deadlock!");
    cr_expect_eq(d->goroutine_count, 0);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* The near miss: every Done called, the sender's value received. */
static void does_done(void *arg) { go_waitgroup_done(wg); }

static void waits_balanced(void *arg) {
    wg = go_waitgroup_new();
    results = go_make_chan(0);
    go_waitgroup_add(wg, 2);
    go_go(does_done, NULL);
    go_go(sends_then_done, NULL);
    go_recv(results);
    go_waitgroup_wait(wg);
}

Test(deadlock, a_balanced_waitgroup_is_clean) {
    for (uint64_t seed = 1; seed <= 50; seed++) {
        go_exec *e = run_seeded(waits_balanced, NULL, seed);
        expect_clean(e, "balanced");
        go_exec_free(e);
    }
}

/* ---- step budget (livelock) ----------------------------------------------------------- */

static void spins(void *arg) {
    for (;;) go_yield();
}

static void blocks_while_spinning(void *arg) {
    jobs = go_make_chan(0);
    go_line = __LINE__; go_go(spins, NULL);
    go_recv(jobs);
}

Test(step_budget, a_goroutine_that_never_blocks_exhausts_the_budget) {
    go_exec *e = run_config(blocks_while_spinning, NULL, (go_config){.step_budget = 1000});
    cr_assert_eq(go_exec_end(e), GO_END_STEP_BUDGET);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *b = only(f, CHANFUZZ_STEP_BUDGET);
    cr_expect_str_eq(b->crash_state,
                     text("step budget exhausted: runnable spins created at " THIS_FILE ":%d",
                          go_line));
    cr_assert_eq(b->goroutine_count, 1, "the blocked main is not judged");
    cr_expect_eq(b->goroutines[0].info.state, GO_STATE_RUNNABLE);
    cr_expect_eq(b->site->line, go_line);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static void spins_after_main(void *arg) { go_line = __LINE__; go_go(spins, NULL); }

Test(step_budget, a_goroutine_spinning_after_main_returned_exhausts_settling) {
    go_exec *e = run_config(spins_after_main, NULL, (go_config){.settle_steps = 500});
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *b = only(f, CHANFUZZ_STEP_BUDGET);
    cr_expect_str_eq(b->crash_state,
                     text("step budget exhausted: runnable spins created at " THIS_FILE ":%d",
                          go_line));
    cr_expect_str_eq(b->message, "1 goroutine runnable when settling ran out of steps");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static void yields_a_while(void *arg) {
    for (int i = 0; i < 100; i++) go_yield();
}

static void busy_but_finite(void *arg) {
    go_go(yields_a_while, NULL);
    go_go(yields_a_while, NULL);
}

Test(step_budget, a_long_but_finite_loop_is_clean) {
    go_exec *e = run_config(busy_but_finite, NULL, (go_config){.step_budget = 1000});
    expect_clean(e, "finite");
    go_exec_free(e);
}

/* ---- contexts: lost cancel, still registered ----------------------------------------- */

static int ctx_line, child_line;

static void loses_cancel(void *arg) {
    go_cancel_func *cancel;
    ctx_line = __LINE__; go_context *ctx = go_with_timeout(go_background(), 5 * GO_MS, &cancel);
    go_ctx_err(ctx);
}

Test(context, a_cancel_never_called_is_a_lost_cancel_at_the_context_site) {
    go_exec *e = run_first(loses_cancel, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *lost = only(f, CHANFUZZ_LOST_CANCEL);
    cr_expect_str_eq(lost->crash_state,
                     text("lost cancel: context.WithTimeout at " THIS_FILE ":%d (loses_cancel)",
                          ctx_line));
    cr_expect_eq(lost->site->line, ctx_line);
    cr_expect_str_eq(lost->message, "1 cancel function never called");
    cr_expect_eq(lost->witness.kind, CHANFUZZ_WITNESS_CONTEXT);
    cr_assert_eq(lost->witness.link_count, 2);
    cr_expect_eq(lost->witness.links[0].object_kind, GO_OBJ_CONTEXT);
    cr_expect_eq(lost->witness.links[0].site->line, ctx_line);
    cr_expect_eq(lost->witness.links[1].object_kind, GO_OBJ_CANCEL_FUNC);
    cr_expect(strstr(lost->witness.links[1].state, "never called") != NULL, "%s",
              lost->witness.links[1].state);
    cr_expect(strstr(lost->witness.summary, "cancelled by deadline") != NULL,
              "the deadline fired while settling, the cancel is still lost: %s",
              lost->witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static void cancels(void *arg) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_timeout(go_background(), 5 * GO_MS, &cancel);
    go_ctx_err(ctx);
    go_cancel(cancel); /* defer cancel() */
}

Test(context, a_cancel_called_is_clean) {
    go_exec *e = run_first(cancels, NULL);
    expect_clean(e, "cancelled");
    go_exec_free(e);
}

/*  ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
 *  <-ctx.Done()                  // the deadline fires first
 *  time.Sleep(time.Second)
 *  cancel()                      // late, long after the deadline, but called */
static void cancels_late(void *arg) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_timeout(go_background(), 5 * GO_MS, &cancel);
    go_recv(go_ctx_done(ctx));
    go_sleep(GO_S);
    go_cancel(cancel);
}

Test(context, a_deadline_context_whose_cancel_is_called_late_is_clean) {
    go_exec *e = run_first(cancels_late, NULL);
    expect_clean(e, "cancelled after the deadline fired");
    go_exec_free(e);
}

static void child_outlives_use(void *arg) {
    go_cancel_func *cancel_root, *cancel_child;
    ctx_line = __LINE__; go_context *root = go_with_cancel(go_background(), &cancel_root);
    child_line = __LINE__; go_with_cancel(root, &cancel_child);
    if (arg) go_cancel(cancel_child);
}

Test(context, a_child_never_cancelled_stays_registered_in_its_parent) {
    go_exec *e = run_first(child_outlives_use, NULL);
    chanfuzz_findings *f = detect(e);
    cr_assert_eq(f->count, 3, "two lost cancels and one registration:\n%s", listing(f));
    const chanfuzz_finding *reg = chanfuzz_findings_first(f, CHANFUZZ_CONTEXT_REGISTERED);
    cr_assert_not_null(reg);
    cr_expect_str_eq(reg->crash_state,
                     text("context still registered: context.WithCancel at " THIS_FILE
                          ":%d (child_outlives_use) in context.WithCancel at " THIS_FILE ":%d",
                          child_line, ctx_line));
    cr_expect_eq(reg->site->line, child_line);
    cr_assert_eq(reg->witness.link_count, 2);
    cr_expect_str_eq(reg->witness.links[0].role, "context");
    cr_expect_eq(reg->witness.links[0].site->line, child_line);
    cr_expect_str_eq(reg->witness.links[1].role, "registered in");
    cr_expect_eq(reg->witness.links[1].site->line, ctx_line);
    cr_expect(strstr(reg->witness.summary, "it pins nothing else") != NULL, "%s",
              reg->witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(context, a_child_cancelled_is_not_registered) {
    go_exec *e = run_first(child_outlives_use, (void *)1);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *lost = only(f, CHANFUZZ_LOST_CANCEL);
    cr_expect_eq(lost->site->line, ctx_line, "only the root's cancel is lost");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- partial deadlock ---------------------------------------------------------------- */

/*  go func() { ch <- 1 }()    // ch lives only in the closure: an orphan
 *  return                      // main never receives
 */
static void orphan_sender(void *env) {
    send_line = __LINE__; go_send(go_env_chan(env, 0), 1);
}

static void orphans_a_sender(void *arg) {
    go_chan *ch = go_make_chan(0);
    go_line = __LINE__; go_go(orphan_sender, go_closure(ch));
    if (arg) go_recv(ch); /* the fixed variant receives */
}

/* The same orphan made by a goroutine that returns, so that main's own
 * stack never holds the channel, then main panics. */
static void panics_after_an_orphan(void *arg) {
    go_go(orphans_a_sender, NULL);
    go_sleep(GO_MS); /* the orphan blocks */
    go_panic("and then main panics");
}

Test(partial_deadlock, a_sender_on_a_channel_only_it_holds_is_partially_deadlocked) {
    go_exec *e = run_first(orphans_a_sender, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *pd = only(f, CHANFUZZ_PARTIAL_DEADLOCK);
    cr_expect_str_eq(pd->crash_state,
                     text("partial deadlock: chan send at " THIS_FILE ":%d (orphan_sender) "
                          "created at " THIS_FILE ":%d", send_line, go_line));
    cr_expect_str_eq(pd->title, "blocked sender");
    cr_expect_str_eq(pd->message, "1 goroutine partially deadlocked");
    cr_expect_eq(pd->site->line, send_line);
    cr_assert_eq(pd->goroutine_count, 1);
    cr_expect_str_eq(pd->goroutines[0].info.entry_name, "orphan_sender");
    /* The witness: the chain that holds the channel starts at the
     * deadlocked goroutine itself -- an orphan. */
    cr_expect_eq(pd->witness.kind, CHANFUZZ_WITNESS_HOLDER_CHAIN);
    cr_assert_geq(pd->witness.link_count, 2);
    const chanfuzz_witness_link *last = &pd->witness.links[pd->witness.link_count - 1];
    cr_expect_eq(last->object_kind, GO_OBJ_CHAN);
    cr_expect_eq(last->object_id, pd->goroutines[0].info.object_id);
    cr_expect_str_eq(pd->witness.links[0].role, "root");
    cr_expect_str_eq(pd->witness.links[0].state, "leaked goroutine 2");
    /* Through its closure or its stack, whichever the collection met first. */
    const char *prefix = "chan#1 is held only by leaked goroutines: leaked goroutine 2 -> ";
    cr_expect(strncmp(pd->witness.summary, prefix, strlen(prefix)) == 0, "%s",
              pd->witness.summary);
    cr_expect_str_eq(pd->witness.summary + strlen(pd->witness.summary) - 6, "chan#1");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(partial_deadlock, is_judged_even_when_a_panic_cuts_the_execution_short) {
    go_exec *e = run_first(panics_after_an_orphan, NULL);
    chanfuzz_findings *f = detect(e);
    cr_assert_eq(f->count, 2, "%s", listing(f));
    cr_expect_not_null(chanfuzz_findings_first(f, CHANFUZZ_PANIC));
    cr_expect_not_null(chanfuzz_findings_first(f, CHANFUZZ_PARTIAL_DEADLOCK),
                       "nothing live reaches its channel, whatever would have run next");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* Two goroutines, each holding the channel the other waits on. */
static int cycle_lines[2];

static void cycle_half(void *env) {
    go_recv(go_env_chan(env, 1));
    go_send(go_env_chan(env, 0), 1);
}

static void makes_a_cycle(void *arg) {
    go_chan *a = go_make_chan(0), *b = go_make_chan(0);
    cycle_lines[0] = __LINE__; go_go(cycle_half, go_closure(a, b));
    cycle_lines[1] = __LINE__; go_go(cycle_half, go_closure(b, a));
}

Test(partial_deadlock, goroutines_waiting_on_each_other_have_the_cycle_as_witness) {
    go_exec *e = run_first(makes_a_cycle, NULL);
    chanfuzz_findings *f = detect(e);
    cr_assert_eq(f->count, 2, "one per go statement:\n%s", listing(f));
    for (size_t i = 0; i < 2; i++) {
        const chanfuzz_finding *pd = &f->items[i];
        cr_expect_eq(pd->kind, CHANFUZZ_PARTIAL_DEADLOCK);
        cr_expect_eq(pd->witness.kind, CHANFUZZ_WITNESS_CYCLE, "%s", pd->witness.summary);
        cr_assert_eq(pd->witness.link_count, 2);
        cr_expect_neq(pd->witness.links[0].object_id, pd->witness.links[1].object_id,
                      "each waits on the other's channel");
        cr_expect(strncmp(pd->witness.summary, "wait cycle: goroutine ", 22) == 0, "%s",
                  pd->witness.summary);
    }
    cr_expect_eq(f->items[0].creation_site->line, cycle_lines[0]);
    cr_expect_eq(f->items[1].creation_site->line, cycle_lines[1]);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(partial_deadlock, the_same_sender_received_from_is_clean) {
    go_exec *e = run_first(orphans_a_sender, (void *)1);
    expect_clean(e, "received");
    go_exec_free(e);
}

/* The other near miss: the same blocked sender, its channel kept by a static --
 * reachable, so a leak and not a partial deadlock: exactly one verdict. */
Test(partial_deadlock, a_blocked_goroutine_whose_channel_is_reachable_is_a_leak_instead) {
    go_exec *e = run_first(timeout_fetch, NULL);
    chanfuzz_findings *f = detect(e);
    only(f, CHANFUZZ_LEAK);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- resources --------------------------------------------------------------------- */

static int open_line;

static void forgets_close_on_error(void *arg) {
    open_line = __LINE__; go_resource *r = go_open("config.json");
    go_resource_use(r);
    if (!arg) return; /* the error path: no Close */
    go_resource_close(r);
}

Test(resource, a_resource_never_closed_is_reported_at_its_open_site) {
    go_exec *e = run_first(forgets_close_on_error, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *r = only(f, CHANFUZZ_RESOURCE_NOT_CLOSED);
    cr_expect_str_eq(r->crash_state,
                     text("resource never closed: os.Open at " THIS_FILE
                          ":%d (forgets_close_on_error)", open_line));
    cr_expect_eq(r->site->line, open_line);
    cr_expect_eq(r->witness.kind, CHANFUZZ_WITNESS_HOLDER_CHAIN);
    cr_assert_geq(r->witness.link_count, 1);
    const chanfuzz_witness_link *last = &r->witness.links[r->witness.link_count - 1];
    cr_expect_eq(last->object_kind, GO_OBJ_RESOURCE);
    cr_expect(strstr(last->state, "config.json, open") != NULL, "%s", last->state);
    cr_expect(strstr(r->witness.summary, "\"config.json\"") != NULL, "%s", r->witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(resource, a_resource_closed_is_clean) {
    go_exec *e = run_first(forgets_close_on_error, (void *)1);
    expect_clean(e, "closed");
    go_exec_free(e);
}

/* ---- unreleased closures ------------------------------------------------------------- */

static int closure_line;

static void noop(void *arg) {}

/*  var registry = map[int]func(){}
 *  registry[1] = func() { use(buf) }    // never deleted
 */
static void registers_handler(void *arg) {
    go_map *registry = go_map_new();
    go_global_set("registry", registry);
    closure_line = __LINE__; go_map_put(registry, 1, go_closure(go_alloc(64)));
    if (arg) go_map_delete(registry, 1);
}

Test(closure, a_closure_left_in_a_global_registry_is_unreleased) {
    go_exec *e = run_first(registers_handler, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *c = only(f, CHANFUZZ_UNRELEASED_CLOSURE);
    cr_expect_str_eq(c->crash_state,
                     text("unreleased closure: closure at " THIS_FILE ":%d (registers_handler) "
                          "held by global \"registry\"", closure_line));
    cr_expect_eq(c->site->line, closure_line);
    cr_expect_eq(c->witness.kind, CHANFUZZ_WITNESS_HOLDER_CHAIN);
    cr_expect(strstr(c->witness.summary, "global \"registry\" -> map#1 -> closure#1") != NULL,
              "%s", c->witness.summary);
    /* What it retains: the buffer it captured, and nothing else. */
    cr_expect(strstr(c->witness.summary, "; it reaches 1 object (") != NULL, "%s",
              c->witness.summary);
    const chanfuzz_witness_link *kept = &c->witness.links[c->witness.link_count - 1];
    cr_expect_str_eq(kept->role, "retained");
    cr_expect_eq(kept->object_kind, GO_OBJ_HEAP);
    cr_assert_not_null(kept->site);
    cr_expect_eq(kept->site->line, closure_line);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(closure, a_closure_removed_from_the_registry_is_clean) {
    go_exec *e = run_first(registers_handler, (void *)1);
    expect_clean(e, "deleted");
    go_exec_free(e);
}

/*  t := time.AfterFunc(2*time.Hour, func() { use(buf) })   // never stopped */
static void arms_after_func(void *arg) {
    go_env *captures = go_closure(go_alloc(64));
    closure_line = __LINE__ - 1;
    go_timer *t = go_after_func(2 * 3600 * GO_S, noop, captures);
    if (arg) go_timer_stop(t);
}

/*  registry[1] = func() { use(buf) }
 *  go func() { time.Sleep(time.Hour); mu.Lock(); delete(registry, 1); mu.Unlock() }()
 * Released late -- an hour of virtual time after main returned, by
 * another goroutine -- but released. */
static void unregisters_later(void *arg) {
    go_sleep(3600 * GO_S);
    go_map_delete((go_map *)go_global_get("registry"), 1);
}

static void registers_then_unregisters_late(void *arg) {
    go_map *registry = go_map_new();
    go_global_set("registry", registry);
    go_map_put(registry, 1, go_closure(go_alloc(64)));
    go_go(unregisters_later, NULL);
}

Test(closure, a_closure_released_late_is_clean) {
    go_exec *e = run_first(registers_then_unregisters_late, NULL);
    expect_clean(e, "removed from the registry an hour after main returned");
    go_exec_free(e);
}

Test(closure, a_closure_of_an_after_func_never_stopped_is_unreleased) {
    go_exec *e = run_first(arms_after_func, NULL);
    chanfuzz_findings *f = detect(e);
    const chanfuzz_finding *c = only(f, CHANFUZZ_UNRELEASED_CLOSURE);
    cr_expect_str_eq(c->crash_state,
                     text("unreleased closure: closure at " THIS_FILE ":%d (arms_after_func) "
                          "held by a pending timer", closure_line));
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(closure, an_after_func_stopped_is_clean) {
    go_exec *e = run_first(arms_after_func, (void *)1);
    expect_clean(e, "stopped");
    go_exec_free(e);
}

/* ---- deduplication ---------------------------------------------------------------------- */

/*  func first() int {
 *      for i := 0; i < 3; i++ { go func() { results <- work() }() }
 *      return <-results            // two senders block forever
 *  }
 */
static void first_worker(void *arg) {
    go_sleep(go_fz_duration(10 * GO_MS));
    send_line = __LINE__; go_send(results, 1);
}

static void first_result(void *arg) {
    results = go_make_chan(0);
    go_line = __LINE__; for (int i = 0; i < 3; i++) go_go(first_worker, NULL);
    go_recv(results);
}

Test(dedup, the_same_leak_under_different_schedules_has_one_crash_state) {
    char first[CHANFUZZ_CRASH_STATE_MAX] = "";
    int schedules_with_other_goroutines = 0;
    uint64_t first_blocked[2] = {0, 0};
    for (uint64_t seed = 1; seed <= 40; seed++) {
        go_exec *e = run_seeded(first_result, NULL, seed);
        chanfuzz_findings *f = detect(e);
        const chanfuzz_finding *leak = only(f, CHANFUZZ_LEAK);
        cr_assert_eq(leak->goroutine_count, 2, "two goroutines in one finding");
        cr_expect_str_eq(leak->message, "2 goroutines blocked");
        cr_expect_eq(leak->occurrences, 2);
        if (!first[0]) {
            snprintf(first, sizeof first, "%s", leak->crash_state);
            first_blocked[0] = leak->goroutines[0].info.id;
            first_blocked[1] = leak->goroutines[1].info.id;
        } else {
            cr_assert_str_eq(leak->crash_state, first, "seed %llu", (unsigned long long)seed);
            if (leak->goroutines[0].info.id != first_blocked[0] ||
                leak->goroutines[1].info.id != first_blocked[1])
                schedules_with_other_goroutines++;
        }
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
    cr_expect_gt(schedules_with_other_goroutines, 0,
                 "some schedules left other goroutines blocked, with the same crash state");
    cr_expect_str_eq(first, text("leak: chan send at " THIS_FILE ":%d (first_worker) created at "
                                 THIS_FILE ":%d", send_line, go_line));
}

static void two_leaks(void *arg) {
    results = go_make_chan(0);
    jobs = go_make_chan(0);
    go_go(early_sender, NULL); /* blocked sender on results */
    go_go(ranger, NULL);       /* blocked receiver on jobs */
}

Test(dedup, two_different_leaks_in_one_execution_are_two_findings) {
    go_exec *e = run_first(two_leaks, NULL);
    chanfuzz_findings *f = detect(e);
    cr_assert_eq(f->count, 2, "%s", listing(f));
    cr_expect_neq(strcmp(f->items[0].crash_state, f->items[1].crash_state), 0);
    cr_expect_eq(f->items[0].goroutine_count, 1);
    cr_expect_eq(f->items[1].goroutine_count, 1);
    cr_expect_str_neq(f->items[0].title, f->items[1].title);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- ignore rules --------------------------------------------------------------------- */

static void blocking_helper(go_chan *ch) { go_send(ch, 1); }
static void uses_helper(void *arg) { blocking_helper(results); }

static void leaks_through_helper(void *arg) {
    results = go_make_chan(0);
    jobs = go_make_chan(0);
    go_go(uses_helper, NULL);
    go_go(ranger, NULL);
}

/* Findings of leaks_through_helper under one rule. */
static chanfuzz_findings *with_rule(const go_exec *e, const char *spec) {
    chanfuzz_ignore *ignore = chanfuzz_ignore_new();
    cr_assert(chanfuzz_ignore_parse(ignore, spec), "%s", spec);
    chanfuzz_findings *f = chanfuzz_detect(e, ignore);
    chanfuzz_ignore_free(ignore);
    cr_assert_not_null(f);
    return f;
}

Test(ignore, a_top_function_is_the_entry_or_the_blocking_function) {
    go_exec *e = run_first(leaks_through_helper, NULL);
    const char *rules[] = {"top:uses_helper", "top:blocking_helper"};
    for (size_t i = 0; i < 2; i++) {
        chanfuzz_findings *f = with_rule(e, rules[i]);
        const chanfuzz_finding *left = only(f, CHANFUZZ_LEAK);
        cr_expect_str_eq(left->goroutines[0].info.entry_name, "ranger", "%s", rules[i]);
        cr_expect_eq(f->ignored, 1);
        chanfuzz_findings_free(f);
    }
    go_exec_free(e);
}

/* A scenario's own rules and the caller's, as chanfuzz_target_judge joins
 * them: each set leaves out its own goroutine, and unjoined again the
 * first set leaves out only its own. */
Test(ignore, rules_joined_with_also_leave_out_what_either_set_does) {
    go_exec *e = run_first(leaks_through_helper, NULL);
    chanfuzz_ignore *own = chanfuzz_ignore_new(), *caller = chanfuzz_ignore_new();
    cr_assert(chanfuzz_ignore_parse(own, "top:uses_helper"));
    cr_assert(chanfuzz_ignore_parse(caller, "top:ranger"));
    chanfuzz_ignore_also(own, caller);
    chanfuzz_findings *f = chanfuzz_detect(e, own);
    cr_assert_not_null(f);
    cr_expect_eq(f->count, 0);
    cr_expect_eq(f->ignored, 2);
    chanfuzz_findings_free(f);
    chanfuzz_ignore_also(own, NULL);
    f = chanfuzz_detect(e, own);
    cr_assert_not_null(f);
    cr_expect_str_eq(only(f, CHANFUZZ_LEAK)->goroutines[0].info.entry_name, "ranger");
    chanfuzz_findings_free(f);
    chanfuzz_ignore_free(own);
    chanfuzz_ignore_free(caller);
    go_exec_free(e);
}

Test(ignore, a_site_matches_blocking_or_creation_by_file_tail_and_line) {
    go_exec *e = run_first(leaks_through_helper, NULL);
    chanfuzz_findings *all = detect(e);
    cr_assert_eq(all->count, 2);
    bool first_is_ranger = strcmp(all->items[0].goroutines[0].info.entry_name, "ranger") == 0;
    const chanfuzz_finding *ranger_leak = &all->items[first_is_ranger ? 0 : 1];
    char spec[64];
    snprintf(spec, sizeof spec, "site:test_detect.c:%d", ranger_leak->site->line);
    chanfuzz_findings *f = with_rule(e, spec);
    cr_expect_str_eq(only(f, CHANFUZZ_LEAK)->goroutines[0].info.entry_name, "uses_helper");
    chanfuzz_findings_free(f);
    f = with_rule(e, "site:" THIS_FILE); /* a whole file */
    cr_expect_eq(f->count, 0);
    cr_expect_eq(f->ignored, 2);
    chanfuzz_findings_free(f);
    f = with_rule(e, "site:detect.c"); /* not a tail after '/' */
    cr_expect_eq(f->count, 2);
    chanfuzz_findings_free(f);
    f = with_rule(e, "created-by:leaks_through_helper");
    cr_expect_eq(f->count, 0);
    chanfuzz_findings_free(f);
    chanfuzz_findings_free(all);
    go_exec_free(e);
}

Test(ignore, rules_leave_panics_alone_and_apply_to_contexts) {
    go_exec *e = run_first(closes_twice, NULL);
    chanfuzz_findings *f = with_rule(e, "top:closer");
    only(f, CHANFUZZ_PANIC);
    chanfuzz_findings_free(f);
    go_exec_free(e);
    e = run_first(loses_cancel, NULL);
    f = with_rule(e, "top:loses_cancel");
    cr_expect_eq(f->count, 0);
    cr_expect_eq(f->ignored, 1);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(ignore, malformed_rules_are_refused) {
    chanfuzz_ignore *ignore = chanfuzz_ignore_new();
    const char *bad[] = {"",         "top:",       "site:",     "site::12",
                         "created-by:", "function:x", "site:x.c:0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_not(chanfuzz_ignore_parse(ignore, bad[i]), "'%s'", bad[i]);
    cr_expect(chanfuzz_ignore_parse(ignore, "site:a:b.c"), "a colon inside a file name");
    chanfuzz_ignore_free(ignore);
}

/* ---- expectations and exit status ------------------------------------------------------- */

Test(expect, a_buggy_variant_must_show_its_kind_in_some_run) {
    chanfuzz_expectation x;
    chanfuzz_expect_init(&x, CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK), 0);
    chanfuzz_kind_set missing, unexpected;
    cr_expect_eq(chanfuzz_expect_verdict(&x, &missing, &unexpected), CHANFUZZ_MISSING_EXPECTED);
    cr_expect_eq(missing, CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK));

    go_exec *clean = run_first(late_receiver, NULL), *leaky = run_first(timeout_fetch, NULL);
    chanfuzz_findings *none = detect(clean), *leak = detect(leaky);
    chanfuzz_expect_note(&x, none);
    cr_expect_eq(chanfuzz_expect_verdict(&x, NULL, NULL), CHANFUZZ_MISSING_EXPECTED);
    chanfuzz_expect_note(&x, leak);
    cr_expect_eq(chanfuzz_expect_verdict(&x, NULL, NULL), CHANFUZZ_AS_EXPECTED);
    cr_expect_eq(x.runs, 2);
    cr_expect_eq(chanfuzz_exit_status_of_verdict(CHANFUZZ_AS_EXPECTED), 0);

    chanfuzz_expectation fixed;
    chanfuzz_expect_init(&fixed, 0, 0);
    chanfuzz_expect_note(&fixed, none);
    cr_expect_eq(chanfuzz_expect_verdict(&fixed, NULL, NULL), CHANFUZZ_AS_EXPECTED);
    chanfuzz_expect_note(&fixed, leak);
    cr_expect_eq(chanfuzz_expect_verdict(&fixed, NULL, &unexpected), CHANFUZZ_UNEXPECTED_FINDING);
    cr_expect_eq(unexpected, CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK));
    cr_expect_eq(chanfuzz_exit_status_of_verdict(CHANFUZZ_UNEXPECTED_FINDING), 1);
    chanfuzz_findings_free(none);
    chanfuzz_findings_free(leak);
    go_exec_free(clean);
    go_exec_free(leaky);
}

Test(expect, allowed_kinds_are_not_unexpected_and_unexpected_outranks_missing) {
    chanfuzz_expectation x;
    chanfuzz_kind_set set;
    cr_assert(chanfuzz_kind_set_parse("leak", &set));
    chanfuzz_kind_set allowed;
    cr_assert(chanfuzz_kind_set_parse("lost_cancel,context_registered", &allowed));
    chanfuzz_expect_init(&x, set, allowed);
    go_exec *e = run_first(child_outlives_use, NULL);
    chanfuzz_findings *f = detect(e);
    chanfuzz_expect_note(&x, f);
    cr_expect_eq(chanfuzz_expect_verdict(&x, NULL, NULL), CHANFUZZ_MISSING_EXPECTED,
                 "allowed kinds seen, the expected leak not");
    chanfuzz_expect_init(&x, CHANFUZZ_KIND_BIT(CHANFUZZ_PANIC), 0);
    chanfuzz_expect_note(&x, f);
    cr_expect_eq(chanfuzz_expect_verdict(&x, NULL, NULL), CHANFUZZ_UNEXPECTED_FINDING);
    cr_expect_str_eq(chanfuzz_verdict_name(CHANFUZZ_UNEXPECTED_FINDING), "unexpected finding");
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

Test(expect, kind_lists_parse_ids_only) {
    chanfuzz_kind_set set = 99;
    cr_expect(chanfuzz_kind_set_parse("", &set));
    cr_expect_eq(set, 0);
    cr_expect(chanfuzz_kind_set_parse("panic,global_deadlock", &set));
    cr_expect_eq(set,
                 CHANFUZZ_KIND_BIT(CHANFUZZ_PANIC) | CHANFUZZ_KIND_BIT(CHANFUZZ_GLOBAL_DEADLOCK));
    const char *bad[] = {"leaks", "leak,", ",leak", "leak,,panic", "global deadlock"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_not(chanfuzz_kind_set_parse(bad[i], &set), "'%s'", bad[i]);
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++) {
        chanfuzz_kind back;
        cr_expect(chanfuzz_kind_from_id(chanfuzz_kind_id((chanfuzz_kind)k), &back));
        cr_expect_eq(back, (chanfuzz_kind)k);
    }
}

/* A decider that stops the execution at its first decision, as a replay
 * that diverged does. */
static uint64_t stop_at_once(void *self, go_decision_kind kind, uint64_t options) {
    go_exec_stop("diverged at decision 1");
    return 0;
}

Test(exit_status, clean_findings_and_input_errors) {
    cr_expect_eq(chanfuzz_exit_status(NULL), CHANFUZZ_EXIT_USAGE);
    go_exec *e = run_config(first_result, NULL, (go_config){.decider = {stop_at_once, NULL}});
    cr_assert_eq(go_exec_end(e), GO_END_STOPPED);
    chanfuzz_findings *f = detect(e);
    cr_expect_eq(f->count, 0, "a stopped execution is not judged");
    cr_expect_eq(chanfuzz_exit_status(f), CHANFUZZ_EXIT_USAGE);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}
