/* test_exhaustive.c -- bounded exhaustive exploration. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources_fixtures.h"

/* ---- exhaustive ------------------------------------------------------------------ */

typedef struct {
    char *seen[64];         /* each schedule's decisions, as text */
    size_t count;
    size_t most_preemptions;
    size_t panics;
} visit_log;

static bool note_schedule(void *self, const go_exec *exec) {
    visit_log *log = self;
    size_t n;
    const go_decision *d = go_exec_decisions(exec, &n);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s/%llu=%llu ", go_decision_kind_name((go_decision_kind)d[i].kind),
                (unsigned long long)d[i].options, (unsigned long long)d[i].answer);
    fclose(out);
    for (size_t i = 0; i < log->count && i < 64; i++)
        cr_assert_str_neq(log->seen[i], text, "a schedule ran twice: %s", text);
    if (log->count < 64) log->seen[log->count] = text; else free(text);
    log->count++;
    size_t p = preemptions_in(exec);
    if (p > log->most_preemptions) log->most_preemptions = p;
    log->panics += go_exec_end(exec) == GO_END_PANIC;
    return true;
}

static void visit_log_free(visit_log *log) {
    for (size_t i = 0; i < log->count && i < 64; i++) free(log->seen[i]);
}

static chanfuzz_explore_result explore(go_func *fn, uint32_t bound, uint64_t cap,
                                       visit_log *log) {
    chanfuzz_explore_options options = {.preemption_bound = bound, .max_schedules = cap};
    return chanfuzz_explore(&options, fn, NULL, note_schedule, log);
}

Test(exhaustive, two_goroutines_with_one_atomic_each_have_2_5_9_10_schedules_by_bound) {
    /* By hand. main's second go statement is the only point where main
     * could be preempted (g2 runnable); each add is a point where the
     * adder could be, when the other goroutine is runnable.
     *  main not preempted (g2, g3 queued; main exits: schedule over 2):
     *    g2 first: g2 adds | g2 preempted, g3 adds | both preempted: 3
     *    g3 first: the same: 3
     *  main preempted at go(g3) (g2 runs, main queued):
     *    g2 adds, then main, then g3 alone: 1
     *    g2 preempted: main spawns g3 and exits, schedule over {g2, g3}:
     *      g2 goes on (adds), then g3 alone: 1
     *      g3 first: g3 adds | g3 preempted, g2 adds: 2
     *  Preemptions per schedule: 0,1,2, 0,1,2, 1, 2, 2,3: by bound 2, 5, 9, 10. */
    const uint64_t expected[] = {2, 5, 9, 10, 10};
    for (uint32_t bound = 0; bound < 5; bound++) {
        visit_log log = {0};
        chanfuzz_explore_result r = explore(two_adds_main, bound, 0, &log);
        cr_expect_eq(r.schedules, expected[bound], "bound %u: %llu schedules", bound,
                     (unsigned long long)r.schedules);
        cr_expect(r.exhausted, "bound %u", bound);
        cr_expect_eq(log.count, r.schedules, "every schedule visited");
        cr_expect_leq(log.most_preemptions, bound);
        cr_expect_not(r.data_restricted);
        cr_expect_not(r.nondeterministic);
        visit_log_free(&log);
    }
}

Test(exhaustive, a_select_between_two_ready_channels_has_two_schedules) {
    visit_log log = {0};
    chanfuzz_explore_result r = explore(two_ready_main, 3, 0, &log);
    cr_expect_eq(r.schedules, 2);
    cr_expect(r.exhausted);
    cr_expect_eq(r.longest, 1);
    visit_log_free(&log);
}

Test(exhaustive, small_data_is_enumerated_in_full) {
    visit_log log = {0};
    chanfuzz_explore_result r = explore(two_data_main, 0, 0, &log);
    cr_expect_eq(r.schedules, 9, "3 x 3 data");
    cr_expect(r.exhausted);
    cr_expect_not(r.data_restricted);
    visit_log_free(&log);
}

Test(exhaustive, large_data_is_restricted_to_smallest_middle_and_largest) {
    visit_log log = {0};
    chanfuzz_explore_result r = explore(large_data_main, 0, 0, &log);
    cr_expect_eq(r.schedules, 3);
    cr_expect(r.exhausted);
    cr_expect(r.data_restricted);
    cr_assert_eq(log.count, 3);
    cr_expect_str_eq(log.seen[0], "data/10000000001=0 ");
    cr_expect_str_eq(log.seen[1], "data/10000000001=5000000000 ");
    cr_expect_str_eq(log.seen[2], "data/10000000001=10000000000 ");
    visit_log_free(&log);
}

Test(exhaustive, the_schedule_cap_stops_exploration_and_says_it_was_not_exhausted) {
    visit_log log = {0};
    chanfuzz_explore_result r = explore(two_adds_main, 3, 4, &log);
    cr_expect_eq(r.schedules, 4);
    cr_expect_not(r.exhausted);
    visit_log_free(&log);
    log = (visit_log){0};
    r = explore(two_adds_main, 3, 10, &log);
    cr_expect_eq(r.schedules, 10);
    cr_expect(r.exhausted, "a cap equal to the space still exhausts it");
    visit_log_free(&log);
}

Test(exhaustive, a_bug_needing_one_preemption_is_missed_at_bound_0_and_found_at_bound_1) {
    visit_log log0 = {0}, log1 = {0};
    chanfuzz_explore_result r0 = explore(lost_update_main, 0, 0, &log0);
    chanfuzz_explore_result r1 = explore(lost_update_main, 1, 0, &log1);
    cr_expect(r0.exhausted);
    cr_expect(r1.exhausted);
    cr_expect_eq(log0.panics, 0);
    cr_expect_gt(log1.panics, 0);
    cr_expect_gt(r1.schedules, r0.schedules);
    visit_log_free(&log0);
    visit_log_free(&log1);
}

static bool stop_at_panic(void *self, const go_exec *exec) {
    return go_exec_end(exec) != GO_END_PANIC;
}

Test(exhaustive, the_visitor_can_stop_exploration_at_a_finding) {
    chanfuzz_explore_options options = {.preemption_bound = 2};
    chanfuzz_explore_result all = chanfuzz_explore(&options, lost_update_main, NULL, NULL, NULL);
    chanfuzz_explore_result r =
        chanfuzz_explore(&options, lost_update_main, NULL, stop_at_panic, NULL);
    cr_expect(r.stopped);
    cr_expect_not(r.exhausted);
    cr_expect_lt(r.schedules, all.schedules);
}

static int flaky_calls;

static void flaky_main(void *arg) {
    if (++flaky_calls % 2) go_fz_intn(2);
    go_fz_intn(3);
}

Test(exhaustive, a_scenario_that_is_not_deterministic_is_reported) {
    flaky_calls = 0;
    chanfuzz_explore_options options = {0};
    chanfuzz_explore_result r = chanfuzz_explore(&options, flaky_main, NULL, NULL, NULL);
    cr_expect(r.nondeterministic);
    cr_expect_not(r.exhausted);
    cr_expect_eq(r.schedules, 1);
    cr_expect_str_eq(r.message, "scenario is not deterministic: decision 1 was data over 2, "
                                "then data over 3");
}
