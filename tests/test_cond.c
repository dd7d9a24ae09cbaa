/* test_cond.c -- sync.Cond (Go 1.23 sync/cond.go over runtime/sema.go's
 * notify list), one test per rule. Wait takes a ticket before it unlocks
 * L; Signal notifies the oldest ticket not yet notified, Broadcast all of
 * them. So a Signal is lost only when it comes before Wait began. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct {
    go_mutex *L;
    go_cond *c;
    int waiting;             /* waiters that announced themselves under L */
    uint64_t woke[4];        /* goroutine ids in the order Wait returned */
    int woken;
    bool held_l_on_return;   /* TryLock failed right after Wait returned */
} cond_case;

static void setup(cond_case *t) {
    t->L = go_mutex_new();
    t->c = go_cond_new(t->L);
}

/* The classic waiter: announce under L, then Wait. */
static void waiter(void *arg) {
    cond_case *t = arg;
    go_mutex_lock(t->L);
    t->waiting++;
    go_cond_wait(t->c);
    t->held_l_on_return = !go_mutex_trylock(t->L);
    t->woke[t->woken++] = go_goroutine_id();
    go_mutex_unlock(t->L);
}

static bool blocked_ever(const go_exec *e, uint64_t goroutine) {
    char needle[64];
    snprintf(needle, sizeof needle, "event block g%llu cond#1", (unsigned long long)goroutine);
    char *trace = trace_text(e);
    bool found = strstr(trace, needle) != NULL;
    free(trace);
    return found;
}

/* ---- a Signal after Wait took its ticket is not lost ----------------------- */

/* main signals as soon as it sees the waiter announced under L. Holding L
 * then means the waiter is inside Wait, past its Unlock -- so past its
 * ticket -- but maybe not yet asleep. */
static void signal_when_waiting_main(void *arg) {
    cond_case *t = arg;
    setup(t);
    go_go(waiter, t);
    for (;;) {
        go_mutex_lock(t->L);
        if (t->waiting) break;
        go_mutex_unlock(t->L);
        go_yield();
    }
    go_cond_signal(t->c);
    go_mutex_unlock(t->L);
}

Test(cond, a_signal_after_wait_began_is_not_lost_under_any_seed) {
    int before_it_parked = 0;
    for (uint64_t seed = 0; seed < 200; seed++) {
        cond_case t = {0};
        go_exec *e = run_seeded(signal_when_waiting_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.woken, 1, "seed %llu: the waiter stayed in Wait",
                     (unsigned long long)seed);
        before_it_parked += !blocked_ever(e, 2);
        go_exec_free(e);
    }
    /* The ticket mattered: some Signals came before the waiter went to
     * sleep, and still reached it. */
    cr_expect_gt(before_it_parked, 0);
}

/* Deterministic: preempt the waiter between its Unlock of L and going to
 * sleep; main signals in that gap; the waiter then does not sleep at all. */
Test(cond, a_signal_between_unlock_and_sleep_reaches_the_waiter) {
    cond_case t = {0};
    static const go_decision_kind kinds[] = {
        GO_DECIDE_PREEMPT, /* main at Lock L: keep running                */
        GO_DECIDE_PREEMPT, /* main at Unlock L (no waiter yet): keep      */
        GO_DECIDE_SCHEDULE, /* main yields: give way to the waiter        */
        GO_DECIDE_PREEMPT, /* waiter at Lock L: keep running              */
        GO_DECIDE_PREEMPT, /* waiter at Wait: keep running (takes ticket) */
        GO_DECIDE_PREEMPT, /* waiter unlocking L: keep running            */
        GO_DECIDE_PREEMPT, /* waiter about to sleep: preempt              */
    };
    static const uint64_t answers[] = {0, 0, 0, 0, 0, 0, 1};
    go_exec *e = run_answers(signal_when_waiting_main, &t, answers, 7);
    size_t made;
    const go_decision *log = go_exec_decisions(e, &made);
    cr_assert_geq(made, 7);
    for (size_t i = 0; i < 7; i++)
        if (log[i].kind != kinds[i])
            cr_assert_fail("decision %zu is %s:\n%s", i + 1,
                           go_decision_kind_name((go_decision_kind)log[i].kind), trace_text(e));
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.woken, 1);
    cr_expect_not(blocked_ever(e, 2), "the waiter never slept:\n%s", trace_text(e));
    go_exec_free(e);
}

/* ---- a Signal before Wait began is lost ------------------------------------ */

static void signal_first_main(void *arg) {
    cond_case *t = arg;
    setup(t);
    go_cond_signal(t->c);      /* nobody holds a ticket: lost */
    go_cond_broadcast(t->c);   /* likewise */
    go_go(waiter, t);
    go_yield();
}

Test(cond, a_signal_before_wait_began_is_lost) {
    cond_case t = {0};
    go_exec *e = run_first(signal_first_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.woken, 0);
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_COND_WAIT);
    cr_expect_str_eq(go_wait_reason_name(g->wait_reason), "sync.Cond.Wait");
    cr_expect_eq(g->object_kind, GO_OBJ_COND);
    cr_expect_eq(g->object_id, 1);
    cr_expect_str_eq(g->wait_site->func, "waiter");
    char *dump = dump_text(e);
    cr_expect(strstr(dump, "goroutine 2 [sync.Cond.Wait") != NULL, "%s", dump);
    cr_expect(strstr(dump, "Wait on cond#1 (1 parked, 1 Wait not yet signalled)") != NULL, "%s", dump);
    free(dump);
    go_exec_free(e);
}

/* ---- Signal wakes the oldest ticket, Broadcast wakes all ------------------- */

enum { WAITERS = 3 };

/* Starts the waiters one at a time, each announced under L before the
 * next starts, so their tickets are in id order; then notifies. */
static void start_waiters(cond_case *t) {
    setup(t);
    for (int i = 0; i < WAITERS; i++) {
        go_go(waiter, t);
        for (;;) {
            go_mutex_lock(t->L);
            bool in = t->waiting == i + 1;
            go_mutex_unlock(t->L);
            if (in) break;
            go_yield();
        }
    }
}

static void signal_each_main(void *arg) {
    cond_case *t = arg;
    start_waiters(t);
    for (int i = 0; i < WAITERS; i++) {
        go_cond_signal(t->c);
        while (t->woken < i + 1) go_yield();  /* let exactly that one return */
    }
}

Test(cond, signal_wakes_the_waiter_holding_the_oldest_ticket) {
    for (uint64_t seed = 0; seed < 100; seed++) {
        cond_case t = {0};
        go_exec *e = run_seeded(signal_each_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu: %s",
                     (unsigned long long)seed, go_end_name(go_exec_end(e)));
        cr_assert_eq(t.woken, WAITERS);
        for (int i = 0; i < WAITERS; i++)
            cr_assert_eq(t.woke[i], (uint64_t)(i + 2), "seed %llu: wake %d",
                         (unsigned long long)seed, i);
        go_exec_free(e);
    }
}

static void signal_once_main(void *arg) {
    cond_case *t = arg;
    start_waiters(t);
    go_cond_signal(t->c);
    go_yield();
}

Test(cond, one_signal_wakes_exactly_one_waiter) {
    cond_case t = {0};
    go_exec *e = run_first(signal_once_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.woken, 1);
    cr_expect_eq(t.woke[0], 2);
    cr_expect_eq(state_of(e, 3), GO_STATE_BLOCKED);
    cr_expect_eq(state_of(e, 4), GO_STATE_BLOCKED);
    go_exec_free(e);
}

static void broadcast_main(void *arg) {
    cond_case *t = arg;
    start_waiters(t);
    go_cond_broadcast(t->c);
}

Test(cond, broadcast_wakes_every_waiter_under_any_seed) {
    for (uint64_t seed = 0; seed < 100; seed++) {
        cond_case t = {0};
        go_exec *e = run_seeded(broadcast_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.woken, WAITERS, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(go_exec_goroutine_count(e), 0);
        go_exec_free(e);
    }
}

/* A Broadcast notifies the tickets taken so far, not later ones. */
static void broadcast_then_wait_main(void *arg) {
    cond_case *t = arg;
    start_waiters(t);
    go_cond_broadcast(t->c);
    go_go(waiter, t);          /* 5: its ticket comes after the Broadcast */
    go_yield();
}

Test(cond, broadcast_does_not_wake_a_later_wait) {
    cond_case t = {0};
    go_exec *e = run_first(broadcast_then_wait_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.woken, WAITERS);
    const go_goroutine_info *late = info_of(e, 5);
    cr_assert_not_null(late);
    cr_expect_eq(late->wait_reason, GO_WAIT_COND_WAIT);
    go_exec_free(e);
}

/* ---- Wait returns holding L; Wait without L is fatal ----------------------- */

Test(cond, wait_returns_with_l_locked_again) {
    cond_case t = {0};
    go_exec *e = run_first(signal_once_main, &t);
    cr_assert_eq(t.woken, 1);
    cr_expect(t.held_l_on_return);
    go_exec_free(e);
}

static void wait_without_l_main(void *arg) {
    cond_case *t = arg;
    setup(t);
    go_cond_wait(t->c);        /* Wait unlocks L, which nobody locked */
}

Test(cond, wait_without_holding_l_is_a_fatal_error) {
    cond_case t = {0};
    go_exec *e = run_first(wait_without_l_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_FATAL, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), "sync: unlock of unlocked mutex");
    go_exec_free(e);
}
