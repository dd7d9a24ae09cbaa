/* test_mutex.c -- sync.Mutex (Go 1.23 sync/mutex.go), one test per rule.
 *
 * Go's Mutex has two modes. In normal mode Unlock wakes the first waiter,
 * which must then compete with running goroutines and may lose (barging);
 * in starvation mode Unlock hands ownership straight to the first waiter.
 * The model asks a MUTEX decision at each Unlock with waiters: 0 hands
 * off, 1 releases and lets the woken waiter compete. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"


static bool trace_contains(const go_exec *e, const char *needle) {
    char *trace = trace_text(e);
    bool found = strstr(trace, needle) != NULL;
    free(trace);
    return found;
}

/* ---- mutual exclusion holds under every interleaving ------------------ */

enum { WORKERS = 4, ROUNDS = 5 };

typedef struct {
    go_mutex *mu;
    int inside;      /* holders inside the critical section right now */
    int overlaps;    /* times a holder found another inside */
    int counter;     /* incremented non-atomically under the lock */
} exclusion_case;

static void exclusion_worker(void *arg) {
    exclusion_case *t = arg;
    for (int i = 0; i < ROUNDS; i++) {
        go_mutex_lock(t->mu);
        if (t->inside++) t->overlaps++;
        int seen = t->counter;
        go_yield(); /* invite everyone else in: only the lock keeps them out */
        t->counter = seen + 1;
        t->inside--;
        go_mutex_unlock(t->mu);
    }
}

static void exclusion_main(void *arg) {
    exclusion_case *t = arg;
    t->mu = go_mutex_new();
    for (int i = 0; i < WORKERS; i++) go_go(exclusion_worker, t);
}

Test(mutex, holders_never_overlap_and_no_update_is_lost_under_any_seed) {
    int contended = 0;
    for (uint64_t seed = 0; seed < 200; seed++) {
        exclusion_case t = {0};
        go_exec *e = run_seeded(exclusion_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.overlaps, 0, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.counter, WORKERS * ROUNDS, "seed %llu", (unsigned long long)seed);
        contended += trace_contains(e, "[sync.Mutex.Lock]");
        go_exec_free(e);
    }
    /* The property means something only if Lock really had to wait. */
    cr_expect_gt(contended, 100);
}

/* ---- not FIFO: barging and hand-off ----------------------------------- */

typedef struct {
    go_mutex *mu;
    uint64_t order[4];   /* goroutine ids in the order they took the lock */
    int taken;
} order_case;

static void take_once(order_case *t) {
    go_mutex_lock(t->mu);
    t->order[t->taken++] = go_goroutine_id();
    go_mutex_unlock(t->mu);
}

static void order_waiter(void *arg) { take_once(arg); }

/* main holds the lock while goroutine 2 queues on it, unlocks, and at once
 * asks for the lock again: a running goroutine against a woken waiter. */
static void barge_main(void *arg) {
    order_case *t = arg;
    t->mu = go_mutex_new();
    go_mutex_lock(t->mu);
    go_go(order_waiter, t);
    go_yield();                /* goroutine 2 blocks in Lock */
    go_mutex_unlock(t->mu);    /* the MUTEX decision */
    take_once(t);
}

/* The yield, with goroutine 2 the only other runnable one, is a SCHEDULE
 * decision: 0 gives way (runtime.Gosched may also keep running). */
static const go_decision_kind barge_kinds[] = {GO_DECIDE_SCHEDULE, GO_DECIDE_PREEMPT,
                                               GO_DECIDE_MUTEX};

Test(mutex, a_running_goroutine_can_take_the_lock_ahead_of_a_woken_waiter) {
    order_case t = {0};
    const uint64_t compete[] = {0, 0, 1};
    go_exec *e = run_script(barge_main, &t, barge_kinds, compete, 3);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(t.taken, 2);
    cr_expect_eq(t.order[0], 1, "main barged in ahead of the waiter it woke");
    cr_expect_eq(t.order[1], 2);
    go_exec_free(e);
}

Test(mutex, unlock_can_hand_the_lock_to_the_first_waiter) {
    order_case t = {0};
    const uint64_t hand_off[] = {0, 0, 0};
    go_exec *e = run_script(barge_main, &t, barge_kinds, hand_off, 3);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(t.taken, 2);
    cr_expect_eq(t.order[0], 2, "the waiter owned the lock before main asked again");
    cr_expect_eq(t.order[1], 1);
    go_exec_free(e);
}

Test(mutex, barging_and_hand_off_are_both_reached_across_seeds) {
    int main_first = 0, waiter_first = 0;
    for (uint64_t seed = 0; seed < 100; seed++) {
        order_case t = {0};
        go_exec *e = run_seeded(barge_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
        cr_assert_eq(t.taken, 2);
        main_first += t.order[0] == 1;
        waiter_first += t.order[0] == 2;
        go_exec_free(e);
    }
    cr_expect_gt(main_first, 0);
    cr_expect_gt(waiter_first, 0);
}

/* Goroutines 2 and 3 queue in that order. main wakes 2 and barges in ahead
 * of it; 2 runs, loses, and must requeue at the front (it has waited
 * longest), so the hand-off that follows goes to 2, not 3. */
static void requeue_main(void *arg) {
    order_case *t = arg;
    t->mu = go_mutex_new();
    go_mutex_lock(t->mu);
    go_go(order_waiter, t);
    go_go(order_waiter, t);
    go_yield();                /* 2 and 3 block in Lock, in that order */
    go_mutex_unlock(t->mu);    /* MUTEX 1: wake 2 to compete */
    go_mutex_lock(t->mu);      /* main barges in */
    go_yield();                /* 2 runs, finds the lock taken, requeues */
    go_mutex_unlock(t->mu);    /* MUTEX 0: hand off to the first waiter */
}

Test(mutex, a_woken_waiter_that_loses_requeues_at_the_front) {
    order_case t = {0};
    static const go_decision_kind kinds[] = {
        GO_DECIDE_PREEMPT,  /* main spawns 3: keep running            */
        GO_DECIDE_SCHEDULE, /* main yields: 2 runs first               */
        GO_DECIDE_PREEMPT,  /* 2 at Lock: keep running (it blocks)     */
        GO_DECIDE_SCHEDULE, /* 3 runs next                             */
        GO_DECIDE_PREEMPT,  /* 3 at Lock: keep running (it blocks)     */
        GO_DECIDE_MUTEX,    /* main's first Unlock: wake 2, compete    */
        GO_DECIDE_PREEMPT,  /* main's Lock: keep running, barge in     */
        GO_DECIDE_SCHEDULE, /* main yields: give way to 2              */
        GO_DECIDE_MUTEX,    /* main's second Unlock: hand off          */
    };
    const uint64_t answers[] = {0, 0, 0, 0, 0, 1, 0, 0, 0};
    go_exec *e = run_script(requeue_main, &t, kinds, answers, 9);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(t.taken, 2);
    cr_expect_eq(t.order[0], 2, "the waiter that lost kept its place at the front");
    cr_expect_eq(t.order[1], 3);
    go_exec_free(e);
}

/* While a woken waiter has not yet run, Unlock wakes no one else (Go's
 * mutexWoken bit): main's second Unlock, before goroutine 2 has run, asks
 * no MUTEX decision and leaves goroutine 3 asleep. */
static void woken_pending_main(void *arg) {
    order_case *t = arg;
    t->mu = go_mutex_new();
    go_mutex_lock(t->mu);
    go_go(order_waiter, t);
    go_go(order_waiter, t);
    go_yield();                /* 2 and 3 block in Lock, in that order */
    go_mutex_unlock(t->mu);    /* MUTEX 1: wake 2 to compete */
    go_mutex_lock(t->mu);      /* main barges in */
    go_mutex_unlock(t->mu);    /* 2 is still pending: wake no one */
}

Test(mutex, unlock_wakes_no_second_waiter_while_a_woken_one_is_pending) {
    order_case t = {0};
    static const go_decision_kind kinds[] = {
        GO_DECIDE_PREEMPT, GO_DECIDE_SCHEDULE, GO_DECIDE_PREEMPT, GO_DECIDE_SCHEDULE,
        GO_DECIDE_PREEMPT,  /* as above: 2 and 3 queue in order       */
        GO_DECIDE_MUTEX,    /* wake 2 to compete                      */
        GO_DECIDE_PREEMPT,  /* main barges in                         */
        GO_DECIDE_PREEMPT,  /* main's Unlock: a scheduling point only */
        GO_DECIDE_MUTEX,    /* 2's Unlock, after it took the lock     */
    };
    const uint64_t answers[] = {0, 0, 0, 0, 0, 1, 0, 0, 0};
    go_exec *e = run_script(woken_pending_main, &t, kinds, answers, 9);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.taken, 2, "2 took the lock, then handed it on to 3");
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event wake g1 g3") == NULL, "%s", trace);
    cr_expect(strstr(trace, "event wake g2 g3") != NULL, "%s", trace);
    free(trace);
    go_exec_free(e);
}

/* ---- ownership is not tied to a goroutine ------------------------------ */

static void unlock_for_main(void *arg) { go_mutex_unlock((go_mutex *)arg); }

static void foreign_unlock_main(void *arg) {
    bool *relocked = arg;
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_go(unlock_for_main, mu);
    go_mutex_lock(mu);         /* blocks until goroutine 2 unlocks */
    *relocked = true;
}

Test(mutex, any_goroutine_may_unlock_a_mutex_locked_by_another) {
    bool relocked = false;
    go_exec *e = run_first(foreign_unlock_main, &relocked);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect(relocked);
    go_exec_free(e);
}

/* ---- unlock of an unlocked Mutex is a fatal error ---------------------- */

static void double_unlock_main(void *arg) {
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_mutex_unlock(mu);
    go_mutex_unlock(mu);
}

Test(mutex, unlock_of_unlocked_mutex_is_a_fatal_error) {
    go_exec *e = run_first(double_unlock_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_FATAL);
    cr_expect_str_eq(go_exec_message(e), "sync: unlock of unlocked mutex");
    const go_goroutine_info *g = info_of(e, 1);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_FAILED);
    cr_expect_str_eq(g->wait_site->func, "double_unlock_main");
    go_exec_free(e);
}

/* In starvation mode Go passes ownership to the first waiter without
 * setting the locked bit: until that waiter runs, the Mutex is not locked
 * (Unlock is fatal) yet not free either (TryLock fails, Lock queues). */
typedef struct {
    bool trylock_result;
    bool unlock_again;
} handoff_case;

static void handoff_waiter(void *arg) { go_mutex_lock((go_mutex *)arg); }

static void unlock_during_handoff_main(void *arg) {
    handoff_case *t = arg;
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_go(handoff_waiter, mu);
    go_yield();                /* goroutine 2 blocks in Lock */
    go_mutex_unlock(mu);       /* MUTEX 0: ownership passes to 2 */
    t->trylock_result = go_mutex_trylock(mu);
    if (t->unlock_again) go_mutex_unlock(mu);
}

Test(mutex, a_lock_handed_to_a_waiter_cannot_be_taken_by_trylock) {
    handoff_case t = {.unlock_again = false};
    go_exec *e = run_first(unlock_during_handoff_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_not(t.trylock_result);
    go_exec_free(e);
}

Test(mutex, unlock_while_the_lock_is_handed_to_a_waiter_is_a_fatal_error) {
    handoff_case t = {.unlock_again = true};
    go_exec *e = run_first(unlock_during_handoff_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_FATAL, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), "sync: unlock of unlocked mutex");
    cr_expect_eq(state_of(e, 1), GO_STATE_FAILED);
    go_exec_free(e);
}

/* ---- a goroutine blocked forever in Lock ------------------------------- */

static void locker(void *arg) { go_mutex_lock((go_mutex *)arg); }

static void forgotten_unlock_main(void *arg) {
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);         /* never unlocked */
    go_go(locker, mu);
    go_yield();
}

Test(mutex, a_goroutine_blocked_in_lock_waits_with_sync_mutex_lock) {
    go_exec *e = run_first(forgotten_unlock_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_MUTEX_LOCK);
    cr_expect_str_eq(go_wait_reason_name(g->wait_reason), "sync.Mutex.Lock");
    cr_expect_eq(g->object_kind, GO_OBJ_MUTEX);
    cr_expect_eq(g->object_id, 1);
    cr_expect_str_eq(g->wait_site->func, "locker");
    char *dump = dump_text(e);
    cr_expect(strstr(dump, "goroutine 2 [sync.Mutex.Lock") != NULL, "%s", dump);
    cr_expect(strstr(dump, "Lock on mutex#1 (locked by goroutine 1 at tests/test_mutex.c:") !=
                  NULL, "%s", dump);
    free(dump);
    go_exec_free(e);
}

static void relock_main(void *arg) {
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_mutex_lock(mu);         /* Go's Mutex is not reentrant */
}

Test(mutex, locking_twice_with_no_one_to_unlock_is_a_global_deadlock) {
    go_exec *e = run_first(relock_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    const go_goroutine_info *g = info_of(e, 1);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_MUTEX_LOCK);
    cr_expect_eq(g->object_kind, GO_OBJ_MUTEX);
    go_exec_free(e);
}

/* ---- TryLock ----------------------------------------------------------- */

typedef struct {
    bool on_free, on_held, after_unlock;
} trylock_case;

static void trylock_main(void *arg) {
    trylock_case *t = arg;
    go_mutex *mu = go_mutex_new();
    t->on_free = go_mutex_trylock(mu);
    t->on_held = go_mutex_trylock(mu);
    go_mutex_unlock(mu);
    t->after_unlock = go_mutex_trylock(mu);
    go_mutex_unlock(mu);
}

Test(mutex, trylock_takes_a_free_mutex_and_fails_on_a_held_one) {
    trylock_case t = {0};
    go_exec *e = run_first(trylock_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect(t.on_free);
    cr_expect_not(t.on_held);
    cr_expect(t.after_unlock);
    go_exec_free(e);
}

/* Go's TryLock comment: a running goroutine may grab the mutex before the
 * waiter that Unlock woke gets to run. */
static void trylock_barge_main(void *arg) {
    bool *got = arg;
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_go(handoff_waiter, mu);
    go_yield();
    go_mutex_unlock(mu);       /* MUTEX 1: wake goroutine 2 to compete */
    *got = go_mutex_trylock(mu);
    if (*got) go_mutex_unlock(mu);
}

Test(mutex, trylock_can_take_the_lock_ahead_of_a_woken_waiter) {
    bool got = false;
    const uint64_t compete[] = {0, 0, 1};
    go_exec *e = run_script(trylock_barge_main, &got, barge_kinds, compete, 3);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect(got);
    go_exec_free(e);
}
