/* test_portfolio.c -- the portfolio's schedule of strategies
 * (harness/sources/portfolio.c): every other execution random, the others
 * PCT at depths cycling through growing rounds, from the index alone. */
#include <criterion/criterion.h>

#include "sources_fixtures.h"

static chanfuzz_strategy random_walk(void) {
    return (chanfuzz_strategy){CHANFUZZ_STRATEGY_RANDOM, 0};
}
static chanfuzz_strategy pct_at(uint32_t depth) {
    return (chanfuzz_strategy){CHANFUZZ_STRATEGY_PCT, depth};
}

static bool same(chanfuzz_strategy a, chanfuzz_strategy b) {
    return a.kind == b.kind && a.depth == b.depth;
}

Test(portfolio, the_first_executions_alternate_random_and_pct_in_growing_rounds) {
    const chanfuzz_strategy expected[] = {
        random_walk(), pct_at(1), random_walk(), pct_at(2), random_walk(), pct_at(3),
        random_walk(), pct_at(1), random_walk(), pct_at(2), random_walk(), pct_at(3),
        random_walk(), pct_at(4), random_walk(), pct_at(1), random_walk(), pct_at(2),
    };
    for (uint64_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        chanfuzz_strategy got = chanfuzz_portfolio_strategy(i);
        char name[32];
        chanfuzz_strategy_name(got, name, sizeof name);
        cr_expect(same(got, expected[i]), "execution index %llu: got %s",
                  (unsigned long long)i, name);
    }
}

Test(portfolio, half_the_executions_are_random_and_every_depth_comes_back) {
    uint64_t random_runs = 0, at_depth[CHANFUZZ_PORTFOLIO_MAX_DEPTH + 1] = {0};
    const uint64_t n = 20000;
    for (uint64_t i = 0; i < n; i++) {
        chanfuzz_strategy s = chanfuzz_portfolio_strategy(i);
        if (s.kind == CHANFUZZ_STRATEGY_RANDOM) {
            random_runs++;
            continue;
        }
        cr_assert(s.depth >= 1 && s.depth <= CHANFUZZ_PORTFOLIO_MAX_DEPTH, "depth %u", s.depth);
        at_depth[s.depth]++;
    }
    cr_expect_eq(random_runs, n / 2);
    /* Once the rounds reach the cap, each is every depth once: the counts
     * differ by the early, shorter rounds only. */
    for (uint32_t d = 1; d <= CHANFUZZ_PORTFOLIO_MAX_DEPTH; d++)
        cr_expect_gt(at_depth[d], n / 2 / CHANFUZZ_PORTFOLIO_MAX_DEPTH - 10, "depth %u: %llu", d,
                     (unsigned long long)at_depth[d]);
    cr_expect_geq(at_depth[1], at_depth[CHANFUZZ_PORTFOLIO_MAX_DEPTH]);
}

/* The rounds as the header defines them, walked one by one. */
static uint32_t depth_by_rounds(uint64_t pct_index) {
    uint64_t round_length = 3;
    while (pct_index >= round_length) {
        pct_index -= round_length;
        if (round_length < CHANFUZZ_PORTFOLIO_MAX_DEPTH) round_length++;
    }
    return (uint32_t)pct_index + 1;
}

Test(portfolio, far_executions_follow_the_rounds) {
    const uint64_t starts[] = {0, 1000, 123457, 10000001};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++)
        for (uint64_t i = starts[k] * 2 + 1; i < starts[k] * 2 + 200; i += 2)
            cr_expect(same(chanfuzz_portfolio_strategy(i), pct_at(depth_by_rounds(i / 2))),
                      "execution index %llu", (unsigned long long)i);
}

Test(portfolio, the_strategy_is_a_function_of_the_index) {
    for (uint64_t i = 0; i < 5000; i += 7)
        cr_expect(same(chanfuzz_portfolio_strategy(i), chanfuzz_portfolio_strategy(i)));
    char name[32];
    chanfuzz_strategy_name(pct_at(2), name, sizeof name);
    cr_expect_str_eq(name, "pct depth 2");
    chanfuzz_strategy_name(random_walk(), name, sizeof name);
    cr_expect_str_eq(name, "random");
}
