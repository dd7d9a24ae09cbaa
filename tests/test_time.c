/* test_time.c -- virtual time, timers, tickers, and the end of an
 * execution (settling), under both timer semantics where they differ. */
#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

static go_exec *run_semantics(go_func *fn, void *arg, go_semantics semantics) {
    go_config cfg = {.decider = go_decider_first(), .semantics = semantics,
                     .record_trace = true};
    return go_exec_run(&cfg, fn, arg);
}

/* ---- the clock ------------------------------------------------------------ */

static void counter(void *arg) {
    go_atomic *a = arg;
    for (int i = 0; i < 50; i++) go_atomic_add(a, 1);
}

static void jump_main(void *arg) {
    go_duration *seen = arg;
    go_atomic *a = go_atomic_new(0);
    go_go(counter, a);
    seen[0] = go_now();
    go_sleep(5 * GO_MS); /* counter runs all 50 steps first: no time passes */
    seen[1] = go_now();
    seen[2] = go_atomic_add(a, 0);
}

Test(time, the_clock_jumps_only_when_nothing_can_run) {
    go_duration seen[3];
    go_exec *e = run_first(jump_main, seen);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(seen[0], 0);
    cr_expect_eq(seen[1], 5 * GO_MS);
    cr_expect_eq(seen[2], 50);
    go_exec_free(e);
}

static void sleepers_main(void *arg);
static go_atomic *wake_order;

static void sleeper(void *arg) {
    go_sleep((go_duration)(uintptr_t)arg);
    go_atomic_store(wake_order, go_atomic_load(wake_order) * 10 + (int64_t)((uintptr_t)arg / GO_MS));
}

static void sleepers_main(void *arg) {
    wake_order = go_atomic_new(0);
    go_go(sleeper, (void *)(uintptr_t)(3 * GO_MS));
    go_go(sleeper, (void *)(uintptr_t)(1 * GO_MS));
    go_go(sleeper, (void *)(uintptr_t)(2 * GO_MS));
    go_sleep(10 * GO_MS);
    *(int64_t *)arg = go_atomic_load(wake_order);
}

Test(time, sleepers_wake_in_deadline_order) {
    int64_t order;
    go_exec *e = run_first(sleepers_main, &order);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(order, 123);
    cr_expect_eq(go_exec_time(e), 10 * GO_MS);
    go_exec_free(e);
}

/* ---- a decided early advance lets a timeout beat a runnable worker ------- */

static go_chan *race_result;

static void computing_worker(void *arg) {
    go_atomic *work = go_atomic_new(0);
    for (int i = 0; i < 3; i++) go_atomic_add(work, 1); /* "computing" */
    go_send(race_result, 1);
}

static void timeout_main(void *arg) {
    int *chosen = arg;
    race_result = go_make_chan(0);
    go_go(computing_worker, NULL);
    *chosen = go_select(go_case_recv(race_result, NULL), go_case_recv(go_after(5 * GO_MS), NULL));
}

Test(time, a_decided_clock_advance_lets_a_timeout_beat_a_runnable_worker) {
    int chosen;
    go_exec *e = run_first(timeout_main, &chosen);
    cr_expect_eq(chosen, 0, "with no clock decision the worker wins");
    cr_expect_eq(go_exec_goroutine_count(e), 0);
    go_exec_free(e);

    /* Decisions 1 and 2 are main's go_after and select points; then main
     * blocks, and the worker's first atomic asks PREEMPT (a timer is
     * pending, nothing else runnable): 1 advances the clock. */
    e = run_answers(timeout_main, &chosen, (uint64_t[]){0, 0, 1}, 3);
    cr_expect_eq(chosen, 1, "the timeout wins");
    const go_goroutine_info *worker = info_of(e, 2);
    cr_assert_not_null(worker);
    cr_expect_eq(worker->state, GO_STATE_BLOCKED);
    cr_expect_eq(worker->wait_reason, GO_WAIT_CHAN_SEND);
    size_t n;
    const go_decision *d = go_exec_decisions(e, &n);
    cr_assert_geq(n, 3);
    cr_expect_eq(d[2].kind, GO_DECIDE_PREEMPT);
    go_exec_free(e);
}

/* ---- busy polling does not stop time --------------------------------------- */

static void poll_main(void *arg) {
    int *polls = arg;
    go_chan *timeout = go_after(1 * GO_S);
    while (go_select_default(go_case_recv(timeout, NULL)) == -1) (*polls)++;
}

Test(time, a_busy_poll_loop_does_not_stop_time) {
    int polls = 0;
    go_exec *e = run_first(poll_main, &polls);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_end_name(go_exec_end(e)));
    cr_expect_eq(go_exec_time(e), 1 * GO_S);
    cr_expect_lt(polls, 100);
    go_exec_free(e);
}

static go_atomic *spin_flag;

static void flag_setter(void *arg) { go_atomic_store(spin_flag, 1); }

static void spin_main(void *arg) {
    spin_flag = go_atomic_new(0);
    go_go(flag_setter, NULL);
    while (go_atomic_load(spin_flag) == 0) {
    }
}

Test(time, a_goroutine_spinning_on_an_atomic_gives_way_to_runnable_ones) {
    go_exec *e = run_first(spin_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_end_name(go_exec_end(e)));
    go_exec_free(e);
}

/* ---- equal deadlines fire in a decided order -------------------------------- */

static go_atomic *fired;
static void note_fired(void *arg) {
    go_atomic_store(fired, go_atomic_load(fired) * 10 + (int64_t)(uintptr_t)arg);
}

static void ties_main(void *arg) {
    fired = go_atomic_new(0);
    go_after_func(GO_MS, note_fired, (void *)1);
    go_after_func(GO_MS, note_fired, (void *)2);
    go_sleep(2 * GO_MS);
    *(int64_t *)arg = go_atomic_load(fired);
}

Test(time, timers_due_at_the_same_instant_fire_in_a_decided_order) {
    int64_t order;
    go_exec *e = run_first(ties_main, &order);
    cr_expect_eq(order, 12);
    go_exec_free(e);
    /* Decisions 1 and 2 are preemption points with a timer pending; the
     * third is the tie: 1 fires the second AfterFunc (spawns it) first. */
    e = run_answers(ties_main, &order, (uint64_t[]){0, 0, 1}, 3);
    size_t n;
    const go_decision *d = go_exec_decisions(e, &n);
    cr_assert_geq(n, 3);
    cr_expect_eq(d[2].kind, GO_DECIDE_TIMER);
    cr_expect_eq(order, 21);
    go_exec_free(e);
}

/* ---- Timer Stop and Reset under both semantics ------------------------------- */

typedef struct {
    bool stopped;
    size_t len_after_fire, len_after_stop, cap;
    int stale_read;   /* 0: got a stale value, -1: receive would block */
    bool reset_result;
} stop_case;

static void stop_after_fire_main(void *arg) {
    stop_case *r = arg;
    go_timer *t = go_timer_new(GO_MS);
    go_sleep(2 * GO_MS); /* fires; nobody receives */
    r->len_after_fire = go_len(go_timer_chan(t));
    r->cap = go_cap(go_timer_chan(t));
    r->stopped = go_timer_stop(t);
    r->len_after_stop = go_len(go_timer_chan(t));
    r->stale_read = go_select_default(go_case_recv(go_timer_chan(t), NULL));
}

Test(time, stop_after_the_timer_fired_unread_under_go_1_23_discards_the_value) {
    stop_case r;
    go_exec *e = run_semantics(stop_after_fire_main, &r, GO_SEMANTICS_1_23);
    cr_expect(r.stopped, "1.23: an undelivered value means Stop stopped it");
    cr_expect_eq(r.len_after_fire, 0, "1.23: len of a timer channel reads 0");
    cr_expect_eq(r.cap, 0);
    cr_expect_eq(r.stale_read, -1, "no stale value after Stop");
    go_exec_free(e);
}

Test(time, stop_after_the_timer_fired_unread_under_go_1_22_keeps_the_stale_value) {
    stop_case r;
    go_exec *e = run_semantics(stop_after_fire_main, &r, GO_SEMANTICS_1_22);
    cr_expect_not(r.stopped, "1.22: the timer already fired");
    cr_expect_eq(r.len_after_fire, 1);
    cr_expect_eq(r.cap, 1);
    cr_expect_eq(r.len_after_stop, 1);
    cr_expect_eq(r.stale_read, 0, "the stale value is still there");
    go_exec_free(e);
}

static void stop_before_fire_main(void *arg) {
    stop_case *r = arg;
    go_timer *t = go_timer_new(5 * GO_MS);
    r->stopped = go_timer_stop(t);
    go_sleep(10 * GO_MS);
    r->stale_read = go_select_default(go_case_recv(go_timer_chan(t), NULL));
}

Test(time, a_timer_stopped_before_it_fires_never_sends) {
    for (int s = 0; s < 2; s++) {
        stop_case r;
        go_exec *e = run_semantics(stop_before_fire_main, &r, (go_semantics)s);
        cr_expect(r.stopped);
        cr_expect_eq(r.stale_read, -1);
        go_exec_free(e);
    }
}

static void reset_main(void *arg) {
    stop_case *r = arg;
    go_timer *t = go_timer_new(GO_MS);
    go_sleep(2 * GO_MS);
    r->reset_result = go_timer_reset(t, 5 * GO_MS);
    go_word when = go_recv(go_timer_chan(t));
    r->stale_read = (int)(when / GO_MS); /* 2 under 1.22 (stale), 7 under 1.23 */
}

Test(time, reset_discards_an_unread_value_only_under_go_1_23) {
    stop_case r;
    go_exec *e = run_semantics(reset_main, &r, GO_SEMANTICS_1_23);
    cr_expect_eq(r.stale_read, 7);
    cr_expect(r.reset_result);
    go_exec_free(e);
    e = run_semantics(reset_main, &r, GO_SEMANTICS_1_22);
    cr_expect_eq(r.stale_read, 1, "1.22 reads the value sent at 1ms");
    cr_expect_not(r.reset_result);
    go_exec_free(e);
}

/* ---- tickers ------------------------------------------------------------------ */

static void cadence_main(void *arg) {
    go_word *ticks = arg;
    go_timer *t = go_ticker_new(10 * GO_MS);
    for (int i = 0; i < 3; i++) ticks[i] = go_recv(go_timer_chan(t));
    go_timer_stop(t);
}

Test(time, a_ticker_ticks_every_period) {
    go_word ticks[3];
    go_exec *e = run_first(cadence_main, ticks);
    cr_expect_eq(ticks[0], 10 * GO_MS);
    cr_expect_eq(ticks[1], 20 * GO_MS);
    cr_expect_eq(ticks[2], 30 * GO_MS);
    go_exec_free(e);
}

static void ticker_loop(void *arg) {
    go_word v;
    while (go_range(go_timer_chan((go_timer *)arg), &v)) {
    }
}

static void stopped_ticker_main(void *arg) {
    go_timer *t = go_ticker_new(GO_MS);
    go_go(ticker_loop, t);
    go_sleep(5 * GO_MS);
    go_timer_stop(t); /* does not close t.C: the loop never ends */
}

Test(time, stopping_a_ticker_does_not_close_its_channel) {
    go_exec *e = run_first(stopped_ticker_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_CHAN_RECV);
    cr_expect_not(go_exec_settle_exhausted(e));
    go_exec_free(e);
}

static void bad_ticker_main(void *arg) { go_ticker_new(0); }

Test(time, a_ticker_with_a_non_positive_interval_panics) {
    go_exec *e = run_first(bad_ticker_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "non-positive interval for NewTicker");
    go_exec_free(e);
}

/* ---- AfterFunc ------------------------------------------------------------------- */

static void after_func_main(void *arg) {
    bool *stopped = arg;
    fired = go_atomic_new(0);
    go_after_func(GO_MS, note_fired, (void *)7);
    go_timer *cancelled = go_after_func(GO_MS, note_fired, (void *)9);
    *stopped = go_timer_stop(cancelled);
    go_sleep(3 * GO_MS);
}

Test(time, after_func_runs_in_a_new_goroutine_unless_stopped_first) {
    bool stopped;
    go_exec *e = run_first(after_func_main, &stopped);
    cr_expect(stopped);
    cr_expect_eq(go_exec_goroutines_started(e), 2);
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event spawn g0 g2 timer#1 at tests/test_time.c:") != NULL, "%s",
              trace);
    free(trace);
    go_exec_free(e);
}

/* ---- the end of an execution ------------------------------------------------------ */

static go_chan *late_channel;

static void late_sender(void *arg) { go_send(late_channel, 1); }

static void late_receiver(void *arg) {
    go_sleep(5 * GO_MS);
    go_recv(late_channel);
}

static void late_main(void *arg) {
    late_channel = go_make_chan(0);
    go_go(late_sender, NULL);
    go_go(late_receiver, NULL);
}

Test(time, a_sender_woken_by_a_receiver_arriving_after_a_timer_has_exited) {
    go_exec *e = run_first(late_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(go_exec_goroutine_count(e), 0, "settling let both finish");
    cr_expect_eq(go_exec_time(e), 5 * GO_MS);
    go_exec_free(e);
}

static void forever_ticker_main(void *arg) {
    go_go(ticker_loop, go_ticker_new(GO_S));
}

Test(time, a_loop_still_woken_by_a_ticker_when_settling_ends_never_exits) {
    go_config cfg = {.decider = go_decider_first(), .settle_time = 60 * GO_S};
    go_exec *e = go_exec_run(&cfg, forever_ticker_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect(go_exec_settle_exhausted(e));
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_NEVER_EXITS);
    cr_expect_str_eq(g->wait_site->func, "ticker_loop");
    go_exec_free(e);
}

static void unread_ticker_main(void *arg) { go_ticker_new(GO_MS); }

Test(time, a_ticker_nobody_reads_does_not_keep_the_execution_alive) {
    go_exec *e = run_first(unread_ticker_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_not(go_exec_settle_exhausted(e));
    cr_expect_eq(go_exec_time(e), 0);
    go_exec_free(e);
}

static void lone_sleeper(void *arg) { go_sleep(GO_S); }

static void sleeping_main(void *arg) {
    go_chan *never = go_make_chan(0);
    go_go(lone_sleeper, NULL);
    go_recv(never);
}

Test(time, no_deadlock_is_reported_while_a_sleeper_can_still_wake) {
    go_exec *e = run_first(sleeping_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_DEADLOCK);
    cr_expect_eq(go_exec_time(e), GO_S, "the deadlock comes after the sleeper woke and exited");
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    go_exec_free(e);
}

static void budget_spinner(void *arg) {
    for (;;) go_yield();
}

static void budget_main(void *arg) { go_go(budget_spinner, NULL); }

Test(time, a_goroutine_runnable_when_the_settle_steps_run_out_is_runnable) {
    go_config cfg = {.decider = go_decider_first(), .settle_steps = 500};
    go_exec *e = go_exec_run(&cfg, budget_main, NULL);
    cr_expect(go_exec_settle_exhausted(e));
    cr_expect_eq(info_of(e, 2)->state, GO_STATE_RUNNABLE);
    go_exec_free(e);
}

static void blocked_dump_main(void *arg) {
    go_go(late_sender, NULL);
    late_channel = go_make_chan(0);
    go_sleep(5 * GO_MS);
}

Test(time, a_dump_shows_how_long_a_goroutine_has_been_blocked_in_virtual_time) {
    go_exec *e = run_first(blocked_dump_main, NULL);
    char *dump = dump_text(e);
    cr_expect(strstr(dump, "goroutine 2 [chan send, 5ms]:") != NULL, "%s", dump);
    free(dump);
    go_exec_free(e);
}

/* ---- the clock does not stand still for ever ------------------------------- */

/* Two goroutines that hand a token back and forth over an unbuffered
 * channel until stop closes, and a third that closes it after a 300 ns
 * sleep (GoKer's kubernetes_11298 has this shape): someone is always
 * runnable, so on the plain schedule time only moves once
 * CF_CLOCK_STILL_STEPS steps have passed without it. */
typedef struct {
    go_chan *stop, *token;
} relay_case;

/* Returns false once stop is closed. */
static bool pass_token(relay_case *c, bool send) {
    go_case other = send ? go_case_send(c->token, 1) : go_case_recv(c->token, NULL);
    return go_select(go_case_recv(c->stop, NULL), other) == 1;
}

static void relay_first(void *arg) {
    while (pass_token(arg, true) && pass_token(arg, false)) {
    }
}

static void relay_second(void *arg) {
    while (pass_token(arg, false) && pass_token(arg, true)) {
    }
}

static void close_later(void *arg) {
    relay_case *c = arg;
    go_sleep(300 * GO_NS);
    go_close(c->stop);
}

static void relay_main(void *arg) {
    (void)arg;
    relay_case *c = go_alloc(sizeof *c);
    c->stop = go_make_chan(0);
    c->token = go_make_chan(0);
    go_go(close_later, c);
    go_go(relay_first, c);
    go_go(relay_second, c);
    go_recv(go_make_chan(0)); /* main waits for ever: a deadlock once all return */
}

Test(time, a_sleep_ends_while_others_keep_running) {
    go_config cfg = {.decider = go_decider_first(), .step_budget = 200000};
    go_exec *e = go_exec_run(&cfg, relay_main, NULL);
    /* Only main is left, blocked on a channel nobody has: reached because
     * the closer's 300 ns passed and the relays returned. Before the rule,
     * the step budget ran out at time 0. */
    cr_expect_eq(go_exec_end(e), GO_END_DEADLOCK, "ended %d", (int)go_exec_end(e));
    cr_expect_geq(go_exec_time(e), 300 * GO_NS);
    go_exec_free(e);
}
