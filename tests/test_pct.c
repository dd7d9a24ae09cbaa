/* test_pct.c -- the PCT decision source. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources_fixtures.h"

/* ---- PCT ---------------------------------------------------------------------- */

static go_exec *run_pct(chanfuzz_pct *pct, go_func *fn, uint64_t seed) {
    go_config cfg = {.decider = chanfuzz_pct_decider(pct, seed), .record_trace = true};
    return go_exec_run(&cfg, fn, NULL);
}

Test(pct, makes_at_most_depth_minus_one_priority_changes) {
    int runs_longer_than_k = 0;
    for (uint32_t depth = 1; depth <= 5; depth++) {
        for (uint64_t k = 1; k <= 200; k *= 5) {
            chanfuzz_pct pct;
            chanfuzz_pct_init(&pct, depth, k);
            for (uint64_t seed = 1; seed <= 40; seed++) {
                go_exec *e = run_pct(&pct, mixed_main, seed);
                cr_assert_leq(pct.changes, depth - 1, "d=%u k=%llu seed %llu", depth,
                              (unsigned long long)k, (unsigned long long)seed);
                /* When the run is at least k steps long, every change
                 * point is reached: min(d-1, k) distinct points in [1, k]. */
                uint64_t points = depth - 1 < k ? depth - 1 : k;
                if (k <= pct.steps) {
                    cr_expect_eq(pct.changes, points, "d=%u k=%llu seed %llu", depth,
                                 (unsigned long long)k, (unsigned long long)seed);
                    runs_longer_than_k++;
                }
                go_exec_free(e);
            }
            chanfuzz_pct_free(&pct);
        }
    }
    cr_expect_gt(runs_longer_than_k, 100);
}

Test(pct, with_depth_2_finds_a_bug_needing_one_preemption_within_300_runs) {
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, 1, 1);
    go_exec_free(run_pct(&pct, lost_update_main, 1));
    uint64_t k = pct.steps; /* a first run measures the steps */
    chanfuzz_pct_free(&pct);
    cr_assert_gt(k, 3);
    chanfuzz_pct_init(&pct, 2, k);
    int found_at = 0;
    for (int run = 1; run <= 300 && !found_at; run++) {
        go_exec *e = run_pct(&pct, lost_update_main, (uint64_t)run);
        if (go_exec_end(e) == GO_END_PANIC) {
            cr_expect_str_eq(go_exec_message(e), "lost update");
            found_at = run;
        }
        go_exec_free(e);
    }
    chanfuzz_pct_free(&pct);
    cr_expect_gt(found_at, 0, "not found in 300 runs (k=%llu)", (unsigned long long)k);
}

Test(pct, with_depth_1_the_highest_priority_goroutine_is_never_preempted) {
    /* Without change points nobody is ever preempted for a lower-priority
     * goroutine, so the lost update, which needs one, never happens. */
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, 1, 20);
    int switched = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        go_exec *e = run_pct(&pct, lost_update_main, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu: %s",
                     (unsigned long long)seed, go_exec_message(e));
        cr_assert_eq(pct.changes, 0);
        switched += preemptions_in(e) > 0;
        go_exec_free(e);
    }
    chanfuzz_pct_free(&pct);
    cr_expect_gt(switched, 0, "a newer goroutine with a higher priority should preempt");
}

Test(pct, the_same_seed_gives_the_same_trace) {
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, 3, 50);
    for (uint64_t seed = 1; seed <= 20; seed++) {
        go_exec *a = run_pct(&pct, mixed_main, seed);
        go_exec *b = run_pct(&pct, mixed_main, seed);
        char *ta = trace_text(a), *tb = trace_text(b);
        cr_assert_str_eq(ta, tb, "seed %llu", (unsigned long long)seed);
        free(ta);
        free(tb);
        go_exec_free(b);
        go_exec_free(a);
    }
    chanfuzz_pct_free(&pct);
}

/* ---- fairness ---------------------------------------------------------------- */

/* GoKer's grpc_660, fixed: a loop that starts a call goroutine per round
 * and waits for its result or for stop, and a goroutine that closes stop.
 * Nothing polls in the busy sense, yet with the loop and its calls ranked
 * above the closer, priority scheduling never runs the closer. */
static void send_result(void *arg) {
    go_chan **round = arg;
    go_select(go_case_send(round[0], 1), go_case_recv(round[1], NULL));
}

static void closed_loop(void *arg) {
    go_chan *stop = arg;
    for (;;) {
        go_chan **round = go_alloc(2 * sizeof *round);
        round[0] = go_make_chan(0);
        round[1] = stop;
        go_go(send_result, round);
        if (go_select(go_case_recv(stop, NULL), go_case_recv(round[0], NULL)) == 0) return;
    }
}

static void close_stop(void *arg) { go_close((go_chan *)arg); }

static void rounds_main(void *arg) {
    (void)arg;
    go_chan *stop = go_make_chan(0);
    go_go(closed_loop, stop);
    go_go(close_stop, stop);
}

static int starved_executions(bool fair, int *went_fair) {
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, 3, 50);
    if (!fair) pct.fair_after = UINT64_MAX;
    int starved = 0;
    *went_fair = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        go_config cfg = {.decider = chanfuzz_pct_decider(&pct, seed), .step_budget = 20000};
        go_exec *e = go_exec_run(&cfg, rounds_main, NULL);
        starved += go_exec_end(e) == GO_END_STEP_BUDGET;
        *went_fair += pct.fair;
        go_exec_free(e);
    }
    chanfuzz_pct_free(&pct);
    return starved;
}

Test(pct, a_loop_ranked_above_the_goroutine_that_stops_it_does_not_starve_it) {
    int went_fair;
    /* Pure priority scheduling: some seeds starve the closer. */
    cr_expect_gt(starved_executions(false, &went_fair), 0);
    cr_expect_eq(went_fair, 0);
    /* Fair past fair_after: none does, and those seeds are the fair ones. */
    cr_expect_eq(starved_executions(true, &went_fair), 0);
    cr_expect_gt(went_fair, 0);
}
