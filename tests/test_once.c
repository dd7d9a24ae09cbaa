/* test_once.c -- sync.Once (Go 1.23 sync/once.go), one test per rule: f
 * runs once, and every caller returns only after that call of f returned
 * (callers that come while f runs wait on the Once's Mutex). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

enum { CALLERS = 4 };

typedef struct {
    go_once *once;
    int calls;               /* times f ran */
    bool f_returned;         /* f's side effect, completed at its end */
    int saw_f_returned;      /* callers that found it done on return */
    int returned;            /* callers that returned from Do */
} once_case;

static void slow_f(void *arg) {
    once_case *t = arg;
    t->calls++;
    go_yield();              /* the other callers arrive while f runs */
    go_yield();
    t->f_returned = true;
}

static void caller(void *arg) {
    once_case *t = arg;
    go_once_do(t->once, slow_f, t);
    t->saw_f_returned += t->f_returned;
    t->returned++;
}

static void callers_main(void *arg) {
    once_case *t = arg;
    t->once = go_once_new();
    for (int i = 0; i < CALLERS - 1; i++) go_go(caller, t);
    caller(t);
}

/* ---- f runs exactly once -------------------------------------------------- */

Test(once, f_runs_exactly_once_across_goroutines_and_seeds) {
    for (uint64_t seed = 0; seed < 200; seed++) {
        once_case t = {0};
        go_exec *e = run_seeded(callers_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.calls, 1, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.returned, CALLERS, "seed %llu", (unsigned long long)seed);
        go_exec_free(e);
    }
}

/* ---- concurrent callers wait for the first call to return ------------------ */

Test(once, every_caller_returns_only_after_f_has_returned) {
    int waited = 0;
    for (uint64_t seed = 0; seed < 200; seed++) {
        once_case t = {0};
        go_exec *e = run_seeded(callers_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.saw_f_returned, CALLERS, "seed %llu", (unsigned long long)seed);
        char *trace = trace_text(e);
        waited += strstr(trace, "once#1 [sync.Mutex.Lock]") != NULL;
        free(trace);
        go_exec_free(e);
    }
    /* The rule was exercised: some seeds had callers wait for f. */
    cr_expect_gt(waited, 0);
}

/* Under the first-ready source: main calls Do, f yields, and every other
 * caller blocks on the Once until f returns. */
Test(once, callers_that_arrive_while_f_runs_block_until_it_returns) {
    once_case t = {0};
    go_exec *e = run_first(callers_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.calls, 1);
    cr_expect_eq(t.saw_f_returned, CALLERS);
    char *trace = trace_text(e);
    for (int g = 2; g <= CALLERS; g++) {
        char blocked[64];
        snprintf(blocked, sizeof blocked, "event block g%d once#1 [sync.Mutex.Lock]", g);
        cr_expect(strstr(trace, blocked) != NULL, "%s missing:\n%s", blocked, trace);
    }
    free(trace);
    go_exec_free(e);
}

/* ---- a caller blocked on a Once whose f never returns -------------------- */

typedef struct {
    go_once *once;
    go_chan *never;
} stuck_case;

static void stuck_f(void *arg) { go_recv(((stuck_case *)arg)->never); }

static void stuck_caller(void *arg) {
    stuck_case *t = arg;
    go_once_do(t->once, stuck_f, t);
}

static void stuck_main(void *arg) {
    stuck_case *t = arg;
    t->once = go_once_new();
    t->never = go_make_chan(0);
    go_go(stuck_caller, t);    /* 2: runs f, which never returns */
    go_go(stuck_caller, t);    /* 3: waits for 2's call of f */
    go_yield();
}

Test(once, a_caller_blocked_behind_f_waits_with_sync_mutex_lock_on_the_once) {
    stuck_case t;
    go_exec *e = run_first(stuck_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *running_f = info_of(e, 2);
    const go_goroutine_info *waiting = info_of(e, 3);
    cr_assert_not_null(running_f);
    cr_assert_not_null(waiting);
    cr_expect_eq(running_f->wait_reason, GO_WAIT_CHAN_RECV);
    cr_expect_eq(waiting->state, GO_STATE_BLOCKED);
    cr_expect_eq(waiting->wait_reason, GO_WAIT_MUTEX_LOCK);
    cr_expect_str_eq(go_wait_reason_name(waiting->wait_reason), "sync.Mutex.Lock");
    cr_expect_eq(waiting->object_kind, GO_OBJ_ONCE);
    cr_expect_eq(waiting->object_id, 1);
    cr_expect_str_eq(waiting->wait_site->func, "stuck_caller");
    char *dump = dump_text(e);
    cr_expect(strstr(dump, "Lock on once#1 (not done, locked by goroutine 2") != NULL, "%s",
              dump);
    free(dump);
    go_exec_free(e);
}

/* ---- f calling Do on its own Once deadlocks ---------------------------------- */

static go_once *recursive_once;

static void recursive_f(void *arg) { go_once_do(recursive_once, recursive_f, arg); }

static void recursive_main(void *arg) {
    recursive_once = go_once_new();
    go_once_do(recursive_once, recursive_f, NULL);
}

Test(once, do_called_from_f_on_the_same_once_deadlocks) {
    go_exec *e = run_first(recursive_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    const go_goroutine_info *g = info_of(e, 1);
    cr_assert_not_null(g);
    cr_expect_eq(g->wait_reason, GO_WAIT_MUTEX_LOCK);
    cr_expect_eq(g->object_kind, GO_OBJ_ONCE);
    cr_expect_str_eq(g->wait_site->func, "recursive_f");
    go_exec_free(e);
}

/* ---- after the first call, Do never calls any f --------------------------- */

static void count_call(void *arg) { (*(int *)arg)++; }

static void later_calls_main(void *arg) {
    int *counts = arg;
    go_once *once = go_once_new();
    go_once_do(once, count_call, &counts[0]);
    go_once_do(once, count_call, &counts[0]);
    go_once_do(once, count_call, &counts[1]);  /* another f: still not run */
}

Test(once, a_later_do_calls_no_function_even_a_different_one) {
    int counts[2] = {0, 0};
    go_exec *e = run_first(later_calls_main, counts);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(counts[0], 1);
    cr_expect_eq(counts[1], 0);
    go_exec_free(e);
}
