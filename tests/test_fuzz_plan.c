/* test_fuzz_plan.c -- how `chanfuzz fuzz --time T` divides T
 * (harness/fuzz/fuzz_plan.c): every deadline within T, the order
 * start-up < fuzzing < merging < T, shares that never overrun what is left,
 * and the multi-variant input prefix (fuzz_multi.h) round-tripping. The
 * budget is tested as arithmetic, never by timing a run. */
#include <criterion/criterion.h>

#include "fuzz_multi.h"
#include "fuzz_plan.h"

Test(fuzz_plan, deadlines_are_ordered_and_within_the_budget) {
    const double totals[] = {1, 2, 4, 10, 30, 60, 600, 3600};
    const double startups[] = {0, 0.05, 0.4, 2.5};
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++)
        for (size_t j = 0; j < sizeof startups / sizeof startups[0]; j++) {
            double total = totals[i], started = startups[j];
            chanfuzz_fuzz_plan p = chanfuzz_fuzz_make_plan(total, started);
            cr_assert_eq(p.total, total);
            cr_assert(p.fuzz_end >= started, "T=%g started=%g: fuzzing ends before it starts",
                      total, started);
            /* Start-up past T leaves every deadline at its end: nothing runs. */
            double end = started > total ? started : total;
            cr_assert(p.fuzz_end <= p.merge_end && p.merge_end <= end,
                      "T=%g started=%g: fuzz %g merge %g", total, started, p.fuzz_end,
                      p.merge_end);
            /* Fuzzing gets at least half of what start-up left. */
            cr_assert(started > total || p.fuzz_end - started >= (total - started) / 2 - 1e-9,
                      "T=%g started=%g: fuzzing only %g s", total, started, p.fuzz_end - started);
        }
}

Test(fuzz_plan, sixty_seconds_fuzz_for_most_of_them) {
    chanfuzz_fuzz_plan p = chanfuzz_fuzz_make_plan(60, 0.5);
    /* 15% of what is left goes to the tail: 8.925 s. */
    cr_assert_float_eq(p.fuzz_end, 60 - 8.925, 1e-9);
    cr_assert_float_eq(p.merge_end, p.fuzz_end + 8.925 * 0.6, 1e-9);
    /* A short budget: the 2 s minimum, never more than half. */
    cr_assert_float_eq(chanfuzz_fuzz_make_plan(6, 0).fuzz_end, 4, 1e-9);
    cr_assert_float_eq(chanfuzz_fuzz_make_plan(3, 0).fuzz_end, 1.5, 1e-9);
    /* The tail is capped: an hour's run does not merge for six minutes. */
    chanfuzz_fuzz_plan hour = chanfuzz_fuzz_make_plan(3600, 1);
    cr_assert_float_eq(hour.fuzz_end, 3600 - 15, 1e-9);
}

Test(fuzz_plan, start_up_that_used_the_budget_leaves_nothing) {
    chanfuzz_fuzz_plan p = chanfuzz_fuzz_make_plan(2, 3);
    cr_assert_eq(p.fuzz_end, 3);
    cr_assert_eq(p.merge_end, 3);
    cr_assert_eq(chanfuzz_fuzz_process_seconds(p.fuzz_end - 3), 0);
}

Test(fuzz_plan, variant_shares_never_overrun_and_skip_what_does_not_fit) {
    /* 76 variants in 54 s at two seconds of overhead each: the shares handed
     * out one by one (each variant using exactly its share and overhead)
     * stay within the 54 s, and the variants left over are skipped. */
    double remaining = 54;
    size_t fuzzed = 0, skipped = 0;
    for (size_t left = 76; left > 0; left--) {
        unsigned share = chanfuzz_fuzz_variant_share(remaining, left, 2.0);
        if (!share) {
            skipped = left;
            break;
        }
        remaining -= share + 2.0;
        fuzzed++;
    }
    cr_assert(remaining >= 0, "overran by %g s", -remaining);
    cr_assert_eq(fuzzed + skipped, 76);
    cr_assert_eq(fuzzed, 18, "fuzzed %zu", fuzzed);   /* 54 s / (1 s + 2 s) */
    /* Plenty of time: the fair share, overhead taken off. */
    cr_assert_eq(chanfuzz_fuzz_variant_share(100, 4, 1.0), 24);
    cr_assert_eq(chanfuzz_fuzz_variant_share(1.5, 1, 1.0), 0);
    cr_assert_eq(chanfuzz_fuzz_variant_share(10, 0, 1.0), 0);
}

Test(fuzz_plan, process_seconds_are_whole_and_under_what_is_left) {
    /* libFuzzer runs up to N + 1 s on -max_total_time=N. */
    cr_assert_eq(chanfuzz_fuzz_process_seconds(0.99), 0);
    cr_assert_eq(chanfuzz_fuzz_process_seconds(1.0), 1);
    cr_assert_eq(chanfuzz_fuzz_process_seconds(2.5), 1);
    cr_assert_eq(chanfuzz_fuzz_process_seconds(53.7), 52);
    cr_assert_eq(chanfuzz_fuzz_process_seconds(-4), 0);
}

Test(fuzz_plan, minimize_shares_sum_to_at_most_what_is_left) {
    double remaining = 2.4, spent = 0;
    for (size_t left = 60; left > 0; left--) {
        double share = chanfuzz_fuzz_minimize_share(remaining - spent, left, 10);
        cr_assert(share >= 0);
        spent += share;   /* the worst case: every bucket uses all of it */
    }
    cr_assert(spent <= remaining + 1e-9, "spent %g of %g", spent, remaining);
    cr_assert_float_eq(chanfuzz_fuzz_minimize_share(100, 2, 10), 10, 1e-9);
    cr_assert_eq(chanfuzz_fuzz_minimize_share(0, 3, 10), 0);
}

Test(fuzz_multi, prefix_round_trips_and_every_input_is_valid) {
    for (size_t count = 1; count <= 300; count += 37)
        for (size_t index = 0; index < count; index++) {
            uint8_t input[5];
            chanfuzz_multi_prefix(index, input);
            input[2] = 7, input[3] = 8, input[4] = 9;
            cr_assert_eq(chanfuzz_multi_index(input, sizeof input, count), index);
            size_t size = sizeof input;
            const uint8_t *payload = chanfuzz_multi_payload(input, &size);
            cr_assert_eq(size, 3);
            cr_assert_eq(payload[0], 7);
        }
    /* Too short for a prefix: the first variant, no bytes. */
    uint8_t one = 200;
    size_t size = 1;
    cr_assert_eq(chanfuzz_multi_index(&one, 1, 5), 0);
    chanfuzz_multi_payload(&one, &size);
    cr_assert_eq(size, 0);
    /* Any prefix chooses some variant (modulo). */
    uint8_t any[2] = {0xff, 0xff};
    cr_assert_lt(chanfuzz_multi_index(any, 2, 76), 76);
}
