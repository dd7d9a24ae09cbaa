/* test_execution_seed.c -- the seeds of a seeded run's executions
 * (harness/sources/execution_seed.c): runs with neighbouring --seed values
 * must explore unrelated schedules, not one stream shifted by one. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sources_fixtures.h"

/* The decisions execution `index` of a random run seeded `seed` makes. */
static go_exec *run_execution(uint64_t seed, uint64_t index) {
    go_prng_source prng;
    go_config cfg = {.decider = go_decider_prng(&prng, chanfuzz_execution_seed(seed, index), 3)};
    return go_exec_run(&cfg, mixed_main, NULL);
}

static bool same_decisions(const go_exec *a, const go_exec *b) {
    size_t na, nb;
    const go_decision *da = go_exec_decisions(a, &na), *db = go_exec_decisions(b, &nb);
    if (na != nb) return false;
    for (size_t i = 0; i < na; i++)
        if (da[i].kind != db[i].kind || da[i].options != db[i].options ||
            da[i].answer != db[i].answer)
            return false;
    return true;
}

/* The old rule seeded execution i of --seed S with S+i, so execution i+1
 * of seed S was execution i of seed S+1. */
Test(execution_seed, neighbouring_seeds_are_not_one_stream_shifted) {
    int same = 0, pairs = 0;
    for (uint64_t seed = 1; seed <= 20; seed++)
        for (uint64_t i = 0; i < 5; i++) {
            go_exec *later = run_execution(seed, i + 1), *next = run_execution(seed + 1, i);
            same += same_decisions(later, next);
            pairs++;
            go_exec_free(later);
            go_exec_free(next);
        }
    /* mixed_main has a few hundred schedules: a chance match or two is
     * possible; a shifted stream would match all 100. */
    cr_expect_lt(same, pairs / 10, "%d of %d pairs identical", same, pairs);
}

Test(execution_seed, first_executions_of_neighbouring_seeds_differ) {
    go_exec *runs[10];
    for (uint64_t seed = 1; seed <= 10; seed++) runs[seed - 1] = run_execution(seed, 0);
    int distinct_from_previous = 0;
    for (int i = 1; i < 10; i++) distinct_from_previous += !same_decisions(runs[i - 1], runs[i]);
    cr_expect_geq(distinct_from_previous, 8, "only %d of 9 neighbours differ",
                  distinct_from_previous);
    for (int i = 0; i < 10; i++) go_exec_free(runs[i]);
}

Test(execution_seed, is_a_function_of_seed_and_index) {
    cr_expect_eq(chanfuzz_execution_seed(7, 3), chanfuzz_execution_seed(7, 3));
    cr_expect_neq(chanfuzz_execution_seed(7, 3), chanfuzz_execution_seed(8, 2));
    cr_expect_neq(chanfuzz_execution_seed(7, 3), chanfuzz_execution_seed(7, 4));
    /* And replay stays exact: the same execution twice decides the same. */
    go_exec *a = run_execution(42, 17), *b = run_execution(42, 17);
    cr_expect(same_decisions(a, b));
    go_exec_free(a);
    go_exec_free(b);
}
