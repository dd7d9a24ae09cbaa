/* test_waitgroup.c -- sync.WaitGroup (Go 1.23 sync/waitgroup.go), one test
 * per rule. Go keeps a counter and a waiter count in one word; the counter
 * reaching zero resets both and releases each waiter through a semaphore,
 * and a released waiter panics if it finds the word non-zero when it runs
 * (the WaitGroup was reused before its Wait returned). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* ---- Wait with a zero counter returns at once --------------------------- */

static void zero_wait_main(void *arg) {
    int *returned = arg;
    go_waitgroup *wg = go_waitgroup_new();
    go_waitgroup_wait(wg);             /* never used: counter 0 */
    (*returned)++;
    go_waitgroup_add(wg, 2);
    go_waitgroup_add(wg, -2);
    go_waitgroup_wait(wg);             /* back to 0 */
    (*returned)++;
}

Test(waitgroup, wait_with_a_zero_counter_returns_at_once) {
    int returned = 0;
    go_exec *e = run_first(zero_wait_main, &returned);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(returned, 2);
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "block") == NULL, "Wait blocked:\n%s", trace);
    free(trace);
    go_exec_free(e);
}

/* ---- a negative counter panics ------------------------------------------ */

static void extra_done_main(void *arg) {
    go_waitgroup *wg = go_waitgroup_new();
    go_waitgroup_add(wg, 1);
    go_waitgroup_done(wg);
    go_waitgroup_done(wg);
}

Test(waitgroup, a_negative_counter_panics) {
    go_exec *e = run_first(extra_done_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), "sync: negative WaitGroup counter");
    const go_goroutine_info *g = info_of(e, 1);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_FAILED);
    cr_expect_str_eq(g->wait_site->func, "extra_done_main");
    go_exec_free(e);
}

/* Go adds delta to the upper 32 bits of its state word: the counter is an
 * int32, and an Add that carries it past 2^31 - 1 makes it negative. */
static void overflow_main(void *arg) {
    go_waitgroup *wg = go_waitgroup_new();
    go_waitgroup_add(wg, INT32_MAX);
    go_waitgroup_add(wg, 1);
}

Test(waitgroup, the_counter_is_an_int32_that_panics_when_it_wraps_negative) {
    go_exec *e = run_first(overflow_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), "sync: negative WaitGroup counter");
    go_exec_free(e);
}

/* ---- Wait returns after every Done -------------------------------------- */

enum { WORKERS = 4 };

typedef struct {
    go_waitgroup *wg;
    int finished;             /* workers past their work */
    int seen_by_waiters[3];   /* `finished` as each waiter saw it */
    int waiters_returned;
} done_case;

static void worker(void *arg) {
    done_case *t = arg;
    go_yield();
    t->finished++;
    go_waitgroup_done(t->wg);
}

static void waiter(void *arg) {
    done_case *t = arg;
    go_waitgroup_wait(t->wg);
    t->seen_by_waiters[t->waiters_returned++] = t->finished;
}

static void done_main(void *arg) {
    done_case *t = arg;
    t->wg = go_waitgroup_new();
    go_waitgroup_add(t->wg, WORKERS);
    for (int i = 0; i < WORKERS; i++) go_go(worker, t);
    go_go(waiter, t);
    go_go(waiter, t);
    waiter(t);
}

Test(waitgroup, every_waiter_returns_only_after_all_done_calls) {
    for (uint64_t seed = 0; seed < 200; seed++) {
        done_case t = {0};
        go_exec *e = run_seeded(done_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu: %s",
                     (unsigned long long)seed, go_exec_message(e));
        cr_assert_eq(t.waiters_returned, 3, "seed %llu", (unsigned long long)seed);
        for (int i = 0; i < 3; i++)
            cr_assert_eq(t.seen_by_waiters[i], WORKERS, "seed %llu", (unsigned long long)seed);
        go_exec_free(e);
    }
}

/* ---- a Wait that nothing ends -------------------------------------------- */

static void forgotten_done_main(void *arg) {
    go_waitgroup *wg = go_waitgroup_new();
    go_waitgroup_add(wg, 1);           /* no Done ever */
    go_waitgroup_wait(wg);
}

Test(waitgroup, a_wait_nothing_ends_blocks_with_sync_waitgroup_wait) {
    go_exec *e = run_first(forgotten_done_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    const go_goroutine_info *g = info_of(e, 1);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_WAITGROUP_WAIT);
    cr_expect_str_eq(go_wait_reason_name(g->wait_reason), "sync.WaitGroup.Wait");
    cr_expect_eq(g->object_kind, GO_OBJ_WAITGROUP);
    cr_expect_eq(g->object_id, 1);
    char *dump = dump_text(e);
    cr_expect(strstr(dump, "Wait on waitgroup#1 (counter 1, 1 waiting") != NULL, "%s", dump);
    free(dump);
    go_exec_free(e);
}

/* ---- reuse ---------------------------------------------------------------- */

typedef struct {
    go_waitgroup *wg;
    int rounds_done;
} reuse_case;

static void round_worker(void *arg) { go_waitgroup_done(((reuse_case *)arg)->wg); }

static void reuse_main(void *arg) {
    reuse_case *t = arg;
    t->wg = go_waitgroup_new();
    for (int round = 0; round < 3; round++) {
        go_waitgroup_add(t->wg, 2);    /* after the previous Wait returned */
        go_go(round_worker, t);
        go_go(round_worker, t);
        go_waitgroup_wait(t->wg);
        t->rounds_done++;
    }
}

Test(waitgroup, reuse_after_wait_returned_works_under_any_seed) {
    for (uint64_t seed = 0; seed < 100; seed++) {
        reuse_case t = {0};
        go_exec *e = run_seeded(reuse_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu: %s",
                     (unsigned long long)seed, go_exec_message(e));
        cr_expect_eq(t.rounds_done, 3);
        go_exec_free(e);
    }
}

/* The goroutine from Go's own example of misuse: Done releases main's Wait,
 * then Add reuses the WaitGroup. Whether main's Wait has returned by then
 * is a race, and Go's check catches exactly the losing side. */
typedef struct {
    go_waitgroup *wg;
    int undo;                 /* Add(-1) after the reuse, before yielding */
    bool wait_returned;
} racy_case;

static void done_then_add(void *arg) {
    racy_case *t = arg;
    go_waitgroup_done(t->wg);
    go_waitgroup_add(t->wg, 1);
    if (t->undo) go_waitgroup_add(t->wg, -1);
}

static void racy_reuse_main(void *arg) {
    racy_case *t = arg;
    t->wg = go_waitgroup_new();
    go_waitgroup_add(t->wg, 1);
    go_go(done_then_add, t);
    go_waitgroup_wait(t->wg);
    t->wait_returned = true;
}

static const char reuse_panic[] = "sync: WaitGroup is reused before previous Wait has returned";

Test(waitgroup, add_before_the_released_waiter_ran_panics_in_that_waiter) {
    racy_case t = {0};
    go_exec *e = run_first(racy_reuse_main, &t);  /* goroutine 2 runs on */
    cr_assert_eq(go_exec_end(e), GO_END_PANIC, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), reuse_panic);
    cr_expect_eq(state_of(e, 1), GO_STATE_FAILED);
    cr_expect_not(t.wait_returned);
    go_exec_free(e);
}

Test(waitgroup, add_after_the_released_waiter_ran_does_not_panic) {
    racy_case t = {0};
    static const go_decision_kind kinds[] = {
        GO_DECIDE_PREEMPT, /* main at Wait: keep running (it blocks)    */
        GO_DECIDE_PREEMPT, /* goroutine 2 at Add, after Done: preempt   */
    };
    static const uint64_t answers[] = {0, 1};
    go_exec *e = run_answers(racy_reuse_main, &t, answers, 2);
    size_t made;
    const go_decision *log = go_exec_decisions(e, &made);
    cr_assert_geq(made, 2);
    for (size_t i = 0; i < 2; i++) cr_assert_eq(log[i].kind, kinds[i], "decision %zu", i + 1);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect(t.wait_returned);
    go_exec_free(e);
}

/* Go compares the whole state word with zero, nothing else: an Add undone
 * before the released waiter looks leaves no trace. */
Test(waitgroup, an_add_undone_before_the_released_waiter_ran_does_not_panic) {
    racy_case t = {.undo = 1};
    go_exec *e = run_first(racy_reuse_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect(t.wait_returned);
    go_exec_free(e);
}

/* Across seeds the race goes both ways; a third outcome is Go's too: when
 * goroutine 2 runs entirely before Wait, Wait sees the counter at 1 and
 * waits forever. */
Test(waitgroup, the_reuse_race_is_won_and_lost_across_seeds) {
    int panicked = 0, returned = 0, deadlocked = 0;
    for (uint64_t seed = 0; seed < 100; seed++) {
        racy_case t = {0};
        go_exec *e = run_seeded(racy_reuse_main, &t, seed);
        switch (go_exec_end(e)) {
        case GO_END_PANIC:
            cr_assert_str_eq(go_exec_message(e), reuse_panic);
            panicked++;
            break;
        case GO_END_RETURNED:
            cr_assert(t.wait_returned);
            returned++;
            break;
        case GO_END_DEADLOCK:
            cr_assert_eq(info_of(e, 1)->wait_reason, GO_WAIT_WAITGROUP_WAIT);
            deadlocked++;
            break;
        default:
            cr_assert_fail("seed %llu ended %s", (unsigned long long)seed,
                           go_end_name(go_exec_end(e)));
        }
        go_exec_free(e);
    }
    cr_expect_gt(panicked, 0);
    cr_expect_gt(returned, 0);
    cr_expect_gt(deadlocked, 0);
}

/* Go's semaphore does not hand the wake-up to the released waiter: a new
 * Wait that comes first takes it, finds the WaitGroup in use, and is the
 * one that panics. The released waiter (goroutine 2) is left waiting. */
typedef struct {
    go_waitgroup *wg;
} steal_case;

static void first_waiter(void *arg) { go_waitgroup_wait(((steal_case *)arg)->wg); }

static void steal_main(void *arg) {
    steal_case *t = arg;
    t->wg = go_waitgroup_new();
    go_waitgroup_add(t->wg, 1);
    go_go(first_waiter, t);
    go_yield();                        /* goroutine 2 blocks in Wait */
    go_waitgroup_done(t->wg);          /* releases goroutine 2 */
    go_waitgroup_add(t->wg, 1);        /* reuse, before 2 has run */
    go_waitgroup_wait(t->wg);          /* takes 2's wake-up */
}

Test(waitgroup, a_new_waiter_can_take_the_released_waiters_wakeup_and_panic) {
    steal_case t;
    go_exec *e = run_first(steal_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), reuse_panic);
    const go_goroutine_info *main_info = info_of(e, 1);
    cr_assert_not_null(main_info);
    cr_expect_eq(main_info->state, GO_STATE_FAILED);
    cr_expect_str_eq(main_info->wait_site->func, "steal_main");
    cr_expect_eq(state_of(e, 2), GO_STATE_RUNNABLE);
    go_exec_free(e);
}

/* ---- an Add that goes negative is two steps ----------------------------- */

/*  wg.Add(1)
 *  go func() { go func() { wg.Done() }(); wg.Done() }()
 *  wg.Wait()
 * The second Done makes the word negative, then panics. A released Wait
 * that runs in between finds the word non-zero and panics "reused" first,
 * as Go does (chanfuzz diff found it: corpus/diff/
 * waitgroup_negative_window.ops). Were the Add one step, main could only
 * return, or the second Done panic "negative". */
static go_waitgroup *window_wg;

static void second_done(void *arg) { go_waitgroup_done(window_wg); }

static void first_done(void *arg) {
    go_go(second_done, NULL);
    go_waitgroup_done(window_wg);
}

static void negative_window_main(void *arg) {
    window_wg = go_waitgroup_new();
    go_waitgroup_add(window_wg, 1);
    go_go(first_done, NULL);
    go_waitgroup_wait(window_wg);
}

Test(waitgroup, a_released_wait_can_see_the_negative_counter_before_its_panic) {
    int reused = 0, negative = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        go_exec *e = run_seeded(negative_window_main, NULL, seed);
        if (go_exec_end(e) == GO_END_PANIC && !strcmp(go_exec_message(e), reuse_panic)) {
            cr_expect_eq(state_of(e, 1), GO_STATE_FAILED, "main's Wait panics");
            reused++;
        } else if (go_exec_end(e) == GO_END_PANIC) {
            cr_expect_str_eq(go_exec_message(e), "sync: negative WaitGroup counter");
            negative++;
        }
        go_exec_free(e);
    }
    cr_expect_gt(reused, 0, "no schedule of 300 ran the Wait inside the window");
    cr_expect_gt(negative, 0, "no schedule of 300 let the second Done panic first");
}
