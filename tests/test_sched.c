/* test_sched.c -- the scheduler, decisions and the trace. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* ---- scheduling: no preemption unless decided ---------------------------- */

typedef struct {
    go_atomic *log;   /* order in which goroutines passed their points */
    int64_t order[8];
    int n;
} order_case;

static order_case *order_now;

static void note(int64_t who) {
    go_atomic_add(order_now->log, 1);
    order_now->order[order_now->n++] = who;
}

static void second(void *arg) { note(2); }

static void preempt_main(void *arg) {
    order_now = arg;
    order_now->log = go_atomic_new(0);
    go_go(second, NULL);
    note(1);
    note(1);
}

Test(sched, a_goroutine_keeps_running_until_it_blocks_unless_preempted) {
    order_case t = {0};
    go_exec *e = run_first(preempt_main, &t);
    cr_assert_eq(t.n, 3);
    cr_expect_eq(t.order[0], 1);
    cr_expect_eq(t.order[1], 1);
    cr_expect_eq(t.order[2], 2);
    go_exec_free(e);
}

Test(sched, a_preempt_decision_lets_another_runnable_goroutine_run) {
    /* Decisions: go_go's point (only main runnable: none), the first
     * note's atomic: preempt over 2 -> 1, and g2 runs first. */
    order_case t = {0};
    uint64_t answers[] = {1};
    go_exec *e = run_answers(preempt_main, &t, answers, 1);
    cr_assert_eq(t.n, 3);
    cr_expect_eq(t.order[0], 2);
    cr_expect_eq(t.order[1], 1);
    size_t n;
    const go_decision *d = go_exec_decisions(e, &n);
    cr_assert_geq(n, 1);
    cr_expect_eq(d[0].kind, GO_DECIDE_PREEMPT);
    cr_expect_eq(d[0].options, 2);
    go_exec_free(e);
}

/* ---- which runnable goroutine runs is a decision ------------------------- */

static void id_noter(void *arg) { note((int64_t)go_goroutine_id()); }

static void pick_main(void *arg) {
    order_now = arg;
    order_now->log = go_atomic_new(0);
    go_chan *block = go_make_chan(0);
    for (int i = 0; i < 3; i++) go_go(id_noter, NULL);
    go_recv(block); /* main blocks: who runs next is a SCHEDULE over 3 */
}

Test(sched, the_next_goroutine_after_a_block_is_a_decision_over_the_run_queue) {
    for (uint64_t pick = 0; pick < 3; pick++) {
        order_case t = {0};
        go_exec *e = run_answers(pick_main, &t, (uint64_t[]){0, 0, 0, pick}, 4);
        cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
        cr_assert_eq(t.n, 3);
        cr_expect_eq(t.order[0], (int64_t)(2 + pick), "pick %llu", (unsigned long long)pick);
        go_exec_free(e);
    }
}

/* ---- goroutine ids and creators ------------------------------------------ */

static void blocker(void *arg) { go_recv((go_chan *)arg); }

static void spawner(void *arg) { go_go(blocker, arg); }

static void ids_main(void *arg) {
    go_chan *never = go_make_chan(0);
    go_go(spawner, never);
    go_go(blocker, never);
    go_yield();
}

Test(sched, goroutines_are_numbered_in_creation_order_and_remember_their_creator) {
    go_exec *e = run_first(ids_main, NULL);
    cr_expect_eq(go_exec_goroutines_started(e), 4);
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    const go_goroutine_info *g3 = info_of(e, 3), *g4 = info_of(e, 4);
    cr_assert(g3 && g4);
    cr_expect_eq(g3->creator_id, 1);
    cr_expect_eq(g4->creator_id, 2);
    cr_expect_str_eq(g4->creator_site->func, "spawner");
    go_exec_free(e);
}

/* ---- step budget ------------------------------------------------------------ */

static void spinner(void *arg) {
    for (;;) go_yield();
}

static void spin_main(void *arg) {
    go_go(spinner, NULL);
    spinner(NULL);
}

Test(sched, an_execution_that_never_ends_is_cut_at_the_step_budget) {
    go_config cfg = {.decider = go_decider_first(), .step_budget = 1000};
    go_exec *e = go_exec_run(&cfg, spin_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_STEP_BUDGET);
    cr_expect_eq(go_exec_steps(e), 1000);
    cr_expect_eq(info_of(e, 1)->state, GO_STATE_RUNNABLE);
    cr_expect_eq(info_of(e, 2)->state, GO_STATE_RUNNABLE);
    go_exec_free(e);
}

/* ---- determinism ---------------------------------------------------------------- */

typedef struct {
    go_chan *jobs, *results;
    go_mutex *mu;
    go_waitgroup *wg;
    int64_t total;
} busy_case;

static void busy_worker(void *arg) {
    busy_case *t = arg;
    go_word job;
    while (go_range(t->jobs, &job)) {
        go_mutex_lock(t->mu);
        t->total += (int64_t)job;
        go_mutex_unlock(t->mu);
        go_select_default(go_case_send(t->results, job));
    }
    go_waitgroup_done(t->wg);
}

static void busy_main(void *arg) {
    static busy_case t;
    t = (busy_case){go_make_chan(2), go_make_chan(3), go_mutex_new(), go_waitgroup_new(), 0};
    go_waitgroup_add(t.wg, 3);
    for (int i = 0; i < 3; i++) go_go(busy_worker, &t);
    for (go_word j = 1; j <= 20; j++) go_send(t.jobs, j + go_fz_intn(3));
    go_close(t.jobs);
    go_waitgroup_wait(t.wg);
}

static char *seeded_trace(uint64_t seed) {
    go_exec *e = run_seeded(busy_main, NULL, seed);
    char *text = trace_text(e);
    go_exec_free(e);
    return text;
}

Test(sched, the_same_decisions_give_a_byte_identical_trace_over_100_runs) {
    char *first = seeded_trace(12345);
    cr_assert_gt(strlen(first), 1000);
    for (int run = 0; run < 100; run++) {
        char *again = seeded_trace(12345);
        cr_assert_str_eq(again, first, "run %d differs", run);
        free(again);
    }
    char *other = seeded_trace(54321);
    cr_expect_str_neq(other, first, "another seed should schedule differently");
    free(other);
    free(first);
}

Test(sched, replaying_the_recorded_decisions_reproduces_the_trace) {
    for (uint64_t seed = 1; seed <= 20; seed++) {
        go_exec *original = run_seeded(busy_main, NULL, seed);
        size_t n;
        const go_decision *log = go_exec_decisions(original, &n);
        go_replay_source replay;
        go_config cfg = {.decider = go_decider_replay(&replay, log, n), .record_trace = true};
        go_exec *again = go_exec_run(&cfg, busy_main, NULL);
        char *a = trace_text(original), *b = trace_text(again);
        cr_assert_str_eq(a, b, "seed %llu", (unsigned long long)seed);
        cr_expect_eq(replay.position, n);
        free(a);
        free(b);
        go_exec_free(again);
        go_exec_free(original);
    }
}

/* ---- divergence ---------------------------------------------------------------- */

static bool extra_point; /* "a change that adds a scheduling point" */

static void changed_worker(void *arg) {
    busy_case *t = arg;
    go_word job;
    while (go_range(t->jobs, &job)) {
        if (extra_point) go_yield();
        go_select_default(go_case_send(t->results, job));
    }
    go_waitgroup_done(t->wg);
}

static void changed_main(void *arg) {
    static busy_case t;
    t = (busy_case){go_make_chan(1), go_make_chan(1), NULL, go_waitgroup_new(), 0};
    go_waitgroup_add(t.wg, 2);
    for (int i = 0; i < 2; i++) go_go(changed_worker, &t);
    for (go_word j = 1; j <= 10; j++) go_send(t.jobs, j);
    go_close(t.jobs);
    go_waitgroup_wait(t.wg);
}

Test(sched, replay_after_a_change_adding_a_scheduling_point_reports_divergence) {
    extra_point = false;
    go_exec *original = run_seeded(changed_main, NULL, 7);
    cr_assert_eq(go_exec_end(original), GO_END_RETURNED);
    size_t n;
    const go_decision *log = go_exec_decisions(original, &n);
    extra_point = true;
    go_replay_source replay;
    go_config cfg = {.decider = go_decider_replay(&replay, log, n)};
    go_exec *again = go_exec_run(&cfg, changed_main, NULL);
    cr_expect_eq(go_exec_end(again), GO_END_STOPPED);
    const char *message = go_exec_message(again);
    cr_expect(strncmp(message, "diverged at decision ", 21) == 0, "%s", message);
    cr_expect(strstr(message, "(expected ") && strstr(message, ", got "), "%s", message);
    go_exec_free(again);
    go_exec_free(original);
}

Test(sched, a_replay_shorter_than_the_execution_continues_without_preemption) {
    go_replay_source replay;
    go_config cfg = {.decider = go_decider_replay(&replay, NULL, 0)};
    go_exec *e = go_exec_run(&cfg, busy_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED);
    size_t n;
    const go_decision *d = go_exec_decisions(e, &n);
    for (size_t i = 0; i < n; i++) cr_expect_eq(d[i].answer, 0);
    go_exec_free(e);
}

/* ---- a decision source must answer within range ------------------------ */

static uint64_t decide_too_big(void *self, go_decision_kind kind, uint64_t options) {
    return options;
}

static void two_runnable_main(void *arg) {
    go_go(spinner, NULL);
    go_atomic_load(go_atomic_new(0)); /* PREEMPT over 2 */
}

Test(sched, an_answer_out_of_range_is_a_broken_invariant_not_a_finding, .signal = SIGABRT) {
    go_config cfg = {.decider = {decide_too_big, NULL}};
    go_exec_run(&cfg, two_runnable_main, NULL);
}

/* ---- scenario data --------------------------------------------------------- */

static void data_main(void *arg) {
    uint64_t *got = arg;
    got[0] = go_fz_intn(10);
    got[1] = go_fz_bool();
    got[2] = go_fz_intn(1); /* one option: no decision */
}

Test(sched, scenario_data_comes_from_the_decision_source) {
    uint64_t got[3];
    go_exec *e = run_answers(data_main, got, (uint64_t[]){7, 1}, 2);
    cr_expect_eq(got[0], 7);
    cr_expect_eq(got[1], 1);
    cr_expect_eq(got[2], 0);
    size_t n;
    const go_decision *d = go_exec_decisions(e, &n);
    cr_assert_eq(n, 2);
    cr_expect_eq(d[0].kind, GO_DECIDE_DATA);
    cr_expect_eq(d[0].options, 10);
    go_exec_free(e);
}

/* ---- executions do not leak state into each other ------------------------ */

Test(sched, ids_restart_in_every_execution) {
    for (int i = 0; i < 3; i++) {
        go_exec *e = run_first(ids_main, NULL);
        cr_expect_eq(go_exec_goroutines_started(e), 4);
        char *dump = dump_text(e);
        cr_expect(strstr(dump, "chan#1") != NULL, "%s", dump);
        cr_expect(strstr(dump, "chan#2") == NULL, "%s", dump);
        free(dump);
        go_exec_free(e);
    }
}
