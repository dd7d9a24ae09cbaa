/* portfolio.c -- which strategy runs execution i of a portfolio run.
 *
 * Neither strategy alone is the best default. Seeded random finds most
 * races of the catalogue in a few executions, but a bug that needs a
 * goroutine held back for long (a Cond wait under an RWMutex read lock,
 * a writer queued behind it) may need thousands; PCT finds such bugs in
 * the first executions at the right depth d, and is weaker on bugs that
 * need many small interleavings. The portfolio gives every other
 * execution to each: even indices run random, odd ones PCT, at depths
 * that cycle through rounds that grow by one (1 2 3, 1 2 3 4, 1 2 3 4 5,
 * ...) up to CHANFUZZ_PORTFOLIO_MAX_DEPTH. The low depths come back in
 * every round because a shallow bug is found far more often at its own
 * depth (PCT's bound 1/(n k^(d-1)) drops by a factor k per extra level);
 * deeper rounds only come once a budget has gone by without a finding.
 *
 * The strategy is a function of the execution index alone, and each
 * execution's seed of (seed, index) as in the other modes
 * (execution_seed.c): a run's `found by` line names its seed and
 * execution, and running it again reaches the same execution. */
#include <stdio.h>

#include <chanfuzz/sources.h>

chanfuzz_strategy chanfuzz_portfolio_strategy(uint64_t index) {
    if (index % 2 == 0) return (chanfuzz_strategy){CHANFUZZ_STRATEGY_RANDOM, 0};
    uint64_t pct_index = index / 2;
    /* Round r holds depths 1..r+3 until the cap, then every round is the
     * cap long: past the growing rounds, a remainder. (Walking round by
     * round cost index/16 steps per execution: about 5% of a 50,000-
     * execution run of a Go twin.) */
    uint64_t round_length = 3;
    while (pct_index >= round_length && round_length < CHANFUZZ_PORTFOLIO_MAX_DEPTH) {
        pct_index -= round_length;
        round_length++;
    }
    return (chanfuzz_strategy){CHANFUZZ_STRATEGY_PCT,
                               (uint32_t)(pct_index % round_length) + 1};
}

void chanfuzz_strategy_name(chanfuzz_strategy s, char *out, size_t size) {
    if (s.kind == CHANFUZZ_STRATEGY_PCT)
        snprintf(out, size, "pct depth %u", s.depth);
    else
        snprintf(out, size, "random");
}
