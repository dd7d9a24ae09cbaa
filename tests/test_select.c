/* test_select.c -- the select statement, one test per rule. */
#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

/* ---- which ready case wins is a decision, and every one is reachable -- */

typedef struct {
    int chosen;
    go_word value;
} select_result;

static void two_ready_main(void *arg) {
    select_result *r = arg;
    go_chan *a = go_make_chan(1), *b = go_make_chan(1);
    go_send(a, 1);
    go_send(b, 2);
    r->chosen = go_select(go_case_recv(a, &r->value), go_case_recv(b, &r->value));
}

Test(select, among_ready_cases_the_winner_is_a_decision_and_each_is_reachable) {
    for (uint64_t answer = 0; answer < 2; answer++) {
        select_result r;
        go_exec *e = run_answers(two_ready_main, &r, &answer, 1);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
        cr_expect_eq(r.chosen, (int)answer);
        cr_expect_eq(r.value, answer + 1);
        size_t n;
        const go_decision *d = go_exec_decisions(e, &n);
        cr_assert_eq(n, 1);
        cr_expect_eq(d[0].kind, GO_DECIDE_SELECT);
        cr_expect_eq(d[0].options, 2);
        go_exec_free(e);
    }
}

static void one_ready_main(void *arg) {
    select_result *r = arg;
    go_chan *idle = go_make_chan(0), *ready = go_make_chan(1);
    go_send(ready, 9);
    r->chosen = go_select(go_case_recv(idle, NULL), go_case_recv(ready, &r->value),
                          go_case_send(idle, 3));
}

Test(select, a_single_ready_case_runs_without_a_decision) {
    select_result r;
    go_exec *e = run_first(one_ready_main, &r);
    cr_expect_eq(r.chosen, 1);
    cr_expect_eq(r.value, 9);
    size_t n;
    go_exec_decisions(e, &n);
    cr_expect_eq(n, 0);
    go_exec_free(e);
}

/* ---- default ------------------------------------------------------------ */

static void default_main(void *arg) {
    int *chosen = arg;
    go_chan *empty = go_make_chan(1), *full = go_make_chan(1);
    go_send(full, 1);
    chosen[0] = go_select_default(go_case_recv(empty, NULL), go_case_send(full, 2));
    chosen[1] = go_select_default(go_case_recv(empty, NULL), go_case_recv(full, NULL));
}

Test(select, default_runs_only_when_no_case_is_ready) {
    int chosen[2];
    go_exec *e = run_first(default_main, chosen);
    cr_expect_eq(chosen[0], -1);
    cr_expect_eq(chosen[1], 1);
    go_exec_free(e);
}

/* ---- nil cases ------------------------------------------------------------ */

static void nil_case_main(void *arg) {
    int *chosen = arg;
    go_chan *ready = go_make_chan(1);
    go_send(ready, 1);
    chosen[0] = go_select(go_case_send(NULL, 1), go_case_recv(NULL, NULL),
                          go_case_recv(ready, NULL));
    chosen[1] = go_select_default(go_case_recv(NULL, NULL), go_case_send(NULL, 1));
}

Test(select, a_nil_channel_case_is_never_ready) {
    int chosen[2];
    go_exec *e = run_first(nil_case_main, chosen);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(chosen[0], 2);
    cr_expect_eq(chosen[1], -1);
    go_exec_free(e);
}

static void all_nil_worker(void *arg) {
    go_chan *done = NULL; /* set to nil after close, never reset */
    go_select(go_case_recv(done, NULL), go_case_send(NULL, 1));
}

static void empty_select_worker(void *arg) { go_select_none(); }

static void forever_main(void *arg) {
    go_go(all_nil_worker, NULL);
    go_go(empty_select_worker, NULL);
}

Test(select, all_nil_select_blocks_forever_with_select_and_empty_select_with_no_cases) {
    go_exec *e = run_first(forever_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *nil_select = info_of(e, 2), *empty = info_of(e, 3);
    cr_assert(nil_select && empty);
    cr_expect_eq(nil_select->state, GO_STATE_BLOCKED);
    cr_expect_str_eq(go_wait_reason_name(nil_select->wait_reason), "select");
    cr_expect_eq(empty->state, GO_STATE_BLOCKED);
    cr_expect_str_eq(go_wait_reason_name(empty->wait_reason), "select (no cases)");
    go_exec_free(e);
}

/* ---- blocking: the first partner fires one case; the losers are gone --- */

typedef struct {
    go_chan *a, *b;
    int chosen;
    go_word value;
} blocked_case;

static void blocked_selector(void *arg) {
    blocked_case *t = arg;
    t->chosen = go_select(go_case_recv(t->a, &t->value), go_case_recv(t->b, &t->value));
}

static void late_sender_b(void *arg) { go_send(((blocked_case *)arg)->b, 20); }

static void blocked_main(void *arg) {
    blocked_case *t = arg;
    t->a = go_make_chan(0);
    t->b = go_make_chan(0);
    go_go(blocked_selector, t);
    go_yield(); /* the select blocks on both */
    go_go(late_sender_b, t);
    go_yield();
    /* The select was woken through b: its record on a must be gone, so
     * this send finds no receiver and main would block -- use a default. */
    cr_assert_eq(go_select_default(go_case_send(t->a, 1)), -1);
}

Test(select, a_blocked_select_is_woken_by_one_case_and_dequeued_from_the_others) {
    blocked_case t;
    go_exec *e = run_first(blocked_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(t.chosen, 1);
    cr_expect_eq(t.value, 20);
    cr_expect_eq(go_exec_goroutine_count(e), 0);
    go_exec_free(e);
}

static void blocked_sel_leak_main(void *arg) {
    blocked_case *t = arg;
    t->a = go_make_chan(0);
    t->b = go_make_chan(0);
    go_go(blocked_selector, t);
}

Test(select, a_select_nobody_answers_is_left_blocked_with_select) {
    blocked_case t;
    go_exec *e = run_first(blocked_sel_leak_main, &t);
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_SELECT);
    cr_expect_str_eq(g->wait_site->func, "blocked_selector");
    go_exec_free(e);
}

/* ---- closed channels in select ---------------------------------------- */

static void closed_recv_main(void *arg) {
    select_result *r = arg;
    go_chan *c = go_make_chan(0), *never = go_make_chan(0);
    go_close(c);
    bool ok = true;
    r->chosen = go_select(go_case_recv(never, NULL), go_case_recv2(c, &r->value, &ok));
    r->value = ok;
}

Test(select, a_receive_case_on_a_closed_channel_is_ready_with_not_ok) {
    select_result r;
    go_exec *e = run_first(closed_recv_main, &r);
    cr_expect_eq(r.chosen, 1);
    cr_expect_eq(r.value, 0);
    go_exec_free(e);
}

static void closed_send_main(void *arg) {
    go_chan *c = go_make_chan(0);
    go_close(c);
    go_select_default(go_case_send(c, 1));
}

Test(select, a_send_case_on_a_closed_channel_panics_when_chosen) {
    go_exec *e = run_first(closed_send_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "send on closed channel");
    go_exec_free(e);
}

static void closer(void *arg) { go_close((go_chan *)arg); }

static void blocked_send_closed_main(void *arg) {
    go_chan *c = go_make_chan(0);
    go_go(closer, c);
    go_select(go_case_send(c, 1)); /* blocks, then close wakes it */
}

Test(select, a_blocked_send_case_woken_by_close_panics) {
    go_exec *e = run_first(blocked_send_closed_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "send on closed channel");
    go_exec_free(e);
}

/* ---- send and receive on the same channel in one select --------------- */

static void partner(void *arg) { go_send((go_chan *)arg, 5); }

static void both_ways_main(void *arg) {
    select_result *r = arg;
    go_chan *c = go_make_chan(0);
    go_go(partner, c);
    r->chosen = go_select(go_case_send(c, 1), go_case_recv(c, &r->value));
}

Test(select, a_select_may_wait_to_send_and_receive_on_one_channel) {
    select_result r;
    go_exec *e = run_first(both_ways_main, &r);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(r.chosen, 1);
    cr_expect_eq(r.value, 5);
    go_exec_free(e);
}

/* ---- a timeout-style race: both outcomes reachable ---------------------- */

typedef struct {
    go_chan *result, *timeout;
} race_case;

static void racer_result(void *arg) { go_send(((race_case *)arg)->result, 1); }
static void racer_timeout(void *arg) { go_close(((race_case *)arg)->timeout); }

static void race_main(void *arg) {
    int *chosen = arg;
    /* Shared with goroutines that outlive main: not on main's stack (in Go
     * it would escape to the heap). */
    static race_case t;
    t = (race_case){go_make_chan(0), go_make_chan(0)};
    go_go(racer_result, &t);
    go_go(racer_timeout, &t);
    *chosen = go_select(go_case_recv(t.result, NULL), go_case_recv(t.timeout, NULL));
}

Test(select, both_sides_of_a_race_are_reached_under_different_seeds) {
    int seen[2] = {0, 0};
    for (uint64_t seed = 0; seed < 64; seed++) {
        int chosen = -1;
        go_exec *e = run_seeded(race_main, &chosen, seed);
        cr_assert(chosen == 0 || chosen == 1);
        seen[chosen]++;
        /* When the timeout wins, the worker is the blocked sender. */
        if (chosen == 1 && go_exec_goroutine_count(e) == 1)
            cr_expect_eq(info_of(e, 2)->wait_reason, GO_WAIT_CHAN_SEND);
        go_exec_free(e);
    }
    cr_expect_gt(seen[0], 0);
    cr_expect_gt(seen[1], 0);
}
