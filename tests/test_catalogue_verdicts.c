/* The catalogue's verdicts (issue 7, "Catalogue-wide tests"), over every
 * registered scenario tagged "pattern" or "stress":
 *   - each buggy variant is found by the default random mode within the
 *     scenario's execution budget on at least 29 of 30 seeds, and shows
 *     nothing its verdict does not allow;
 *   - each fixed variant stays clean under random, PCT (depth 3) and
 *     bounded exhaustive exploration (preemption bound 2, capped).
 *
 * The modes run as `chanfuzz run` runs them (harness/cli/run_variant.c):
 * random is go_decider_prng with preemption 1 in 3, execution i of a run
 * under base seed b using seed b + i. Run s (1 to 30) takes base seed
 * s * SEED_STRIDE, not s: runs from bases s and s + 1 would share all but
 * one execution, and 30 of them would measure one gap between two hits
 * thirty times over. Run s is `chanfuzz run NAME:buggy --seed s*1000000`.
 * A buggy variant is found once every kind it expects has shown (where
 * `chanfuzz run` stops).
 * PCT's k is the step count of the plain schedule, raised to the most any
 * execution took.
 *
 * Scenarios restricted to Go 1.22 timer semantics run under 1.22, the
 * others under 1.23 (the default). */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <chanfuzz/findings.h>
#include <chanfuzz/scenario.h>
#include <chanfuzz/sources.h>

#include "support.h"

/* The default build runs the full check: 30 seeds, and every fixed
 * variant over its whole budget (about 5 s of CPU for this catalogue).
 * Under ASan an execution costs 1-1.6 ms instead of 6-35 us (measured
 * here), and the same check took 2.5 minutes of CPU. So ASan runs 5
 * seeds, a tenth of each fixed budget and at most 200 exhaustive
 * schedules (about 22 s): it is there to catch memory errors on every
 * scenario's paths, which that still walks, while the default build
 * judges the verdicts in full. */
#define SEEDS (UNDER_ASAN ? 5u : 30u)
/* 29 of 30: one seed in thirty may miss (none of five under ASan). */
#define MISSES_ALLOWED (SEEDS / 30u)
#define FIXED_BUDGET_DIVISOR (UNDER_ASAN ? 10u : 1u)

#define SEED_STRIDE 1000000u /* more than any scenario's budget */
#define PREEMPT_ONE_IN 3u   /* as `chanfuzz run` (RUN_PREEMPT_ONE_IN) */
#define PCT_DEPTH 3u
#define EXHAUSTIVE_BOUND 2u
#define EXHAUSTIVE_CAP (UNDER_ASAN ? 200u : 2000u)

static bool in_catalogue(const chanfuzz_scenario *s) {
    return chanfuzz_scenario_has_tag(s, "pattern") || chanfuzz_scenario_has_tag(s, "stress");
}

static go_semantics semantics_of(const chanfuzz_scenario *s) {
    return chanfuzz_scenario_runs_under(s, GO_SEMANTICS_1_23) ? GO_SEMANTICS_1_23
                                                              : GO_SEMANTICS_1_22;
}

static uint64_t budget_of(const chanfuzz_scenario *s) {
    return s->executions ? s->executions : CHANFUZZ_DEFAULT_EXECUTIONS;
}

/* Executions each non-exhaustive mode gives a fixed variant. */
static uint64_t fixed_budget_of(const chanfuzz_scenario *s) {
    uint64_t budget = budget_of(s) / FIXED_BUDGET_DIVISOR;
    return budget ? budget : 1;
}

static const char *kind_list(chanfuzz_kind_set set, char *out, size_t size) {
    size_t used = 0;
    out[0] = '\0';
    for (int k = 0; k < CHANFUZZ_KIND_COUNT && used < size; k++)
        if (set & CHANFUZZ_KIND_BIT(k))
            used += (size_t)snprintf(out + used, size - used, "%s%s",
                                     used ? "," : "", chanfuzz_kind_id((chanfuzz_kind)k));
    return out;
}

/* Judges one execution into x. On the first finding outside the verdict,
 * prints its report under `how` so a failure shows what was flagged. */
static void note(const chanfuzz_target *t, const go_exec *e, chanfuzz_expectation *x,
                 const char *how, bool *reported) {
    chanfuzz_findings *f = chanfuzz_target_judge(t, e, NULL);
    cr_assert_not_null(f);
    chanfuzz_expect_note(x, f);
    chanfuzz_kind_set unexpected;
    if (!*reported &&
        chanfuzz_expect_verdict(x, NULL, &unexpected) == CHANFUZZ_UNEXPECTED_FINDING) {
        *reported = true;
        chanfuzz_report_info info = {.scenario = t->scenario->name,
                                     .variant = chanfuzz_variant_name(t->variant),
                                     .replay_command = how};
        chanfuzz_write_text(stderr, &info, f);
    }
    chanfuzz_findings_free(f);
}

/* ---- buggy variants: found by the random mode ---------------------------- */

/* Executions until every expected kind was seen in the run from base
 * seed `seed`, or 0 when the budget ran out first. */
static uint64_t executions_to_find(const chanfuzz_target *t, uint64_t seed, uint64_t budget,
                                   chanfuzz_kind_set *unexpected) {
    chanfuzz_expectation x;
    chanfuzz_target_expect_init(t, &x);
    bool reported = false;
    for (uint64_t i = 0; i < budget; i++) {
        go_prng_source src;
        go_config cfg = chanfuzz_target_config(
            t, go_decider_prng(&src, seed + i, PREEMPT_ONE_IN), semantics_of(t->scenario));
        go_exec *e = chanfuzz_target_run(t, &cfg);
        char how[160];
        snprintf(how, sizeof how, "random, seed %" PRIu64, seed + i);
        note(t, e, &x, how, &reported);
        go_exec_free(e);
        chanfuzz_kind_set missing;
        chanfuzz_verdict v = chanfuzz_expect_verdict(&x, &missing, unexpected);
        if (v == CHANFUZZ_UNEXPECTED_FINDING) return 0;
        if (v == CHANFUZZ_AS_EXPECTED) return i + 1;
    }
    return 0;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The nearest-rank percentile of sorted[0..count). */
static uint64_t percentile(const uint64_t *sorted, size_t count, unsigned pct) {
    size_t rank = (count * pct + 99) / 100;
    return sorted[rank ? rank - 1 : 0];
}

Test(catalogue_verdicts, buggy_variants_are_found_by_random_on_29_of_30_seeds, .timeout = 900) {
    printf("%-30s %7s %7s %7s %7s %7s\n", "buggy variant", "found", "median", "p95", "worst",
           "budget");
    size_t checked = 0;
    for (size_t i = 0; i < chanfuzz_scenario_count(); i++) {
        const chanfuzz_scenario *s = chanfuzz_scenario_at(i);
        if (!in_catalogue(s) || !chanfuzz_scenario_variant(s, CHANFUZZ_BUGGY)) continue;
        chanfuzz_target t = {s, CHANFUZZ_BUGGY};
        uint64_t found_at[SEEDS], budget = budget_of(s);
        size_t found = 0;
        chanfuzz_kind_set unexpected_all = 0;
        cr_assert_lt(budget, SEED_STRIDE, "%s: runs of different seeds would overlap", s->name);
        for (uint64_t run = 1; run <= SEEDS; run++) {
            chanfuzz_kind_set unexpected = 0;
            uint64_t n = executions_to_find(&t, run * SEED_STRIDE, budget, &unexpected);
            unexpected_all |= unexpected;
            if (n) found_at[found++] = n;
        }
        qsort(found_at, found, sizeof found_at[0], by_value);
        char found_text[16];
        snprintf(found_text, sizeof found_text, "%zu/%u", found, SEEDS);
        if (found)
            printf("%-30s %7s %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %7" PRIu64 "\n", s->name,
                   found_text, percentile(found_at, found, 50), percentile(found_at, found, 95),
                   found_at[found - 1], budget);
        else
            printf("%-30s %7s %7s %7s %7s %7" PRIu64 "\n", s->name, found_text, "-", "-", "-",
                   budget);
        char kinds[256];
        cr_expect_eq(unexpected_all, 0, "%s:buggy: unexpected kinds %s", s->name,
                     kind_list(unexpected_all, kinds, sizeof kinds));
        cr_expect_geq(found + MISSES_ALLOWED, SEEDS,
                      "%s:buggy found on %zu of %u seeds within %" PRIu64 " executions", s->name,
                      found, SEEDS, budget);
        checked++;
    }
    fflush(stdout);
    cr_assert_gt(checked, 0, "no buggy variant tagged pattern or stress");
}

/* ---- fixed variants: clean in every mode ----------------------------------- */

typedef void fixed_check(const chanfuzz_target *t, chanfuzz_expectation *x);

static void random_mode(const chanfuzz_target *t, chanfuzz_expectation *x) {
    bool reported = false;
    for (uint64_t i = 0; i < fixed_budget_of(t->scenario); i++) {
        go_prng_source src;
        go_config cfg = chanfuzz_target_config(
            t, go_decider_prng(&src, 1 + i, PREEMPT_ONE_IN), semantics_of(t->scenario));
        go_exec *e = chanfuzz_target_run(t, &cfg);
        char how[160];
        snprintf(how, sizeof how, "random, seed %" PRIu64, 1 + i);
        note(t, e, x, how, &reported);
        go_exec_free(e);
    }
}

static void pct_mode(const chanfuzz_target *t, chanfuzz_expectation *x) {
    go_semantics semantics = semantics_of(t->scenario);
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, PCT_DEPTH, chanfuzz_target_pct_steps(t, semantics));
    bool reported = false;
    for (uint64_t i = 0; i < fixed_budget_of(t->scenario); i++) {
        go_config cfg = chanfuzz_target_config(t, chanfuzz_pct_decider(&pct, 1 + i), semantics);
        go_exec *e = chanfuzz_target_run(t, &cfg);
        char how[160];
        snprintf(how, sizeof how, "pct depth %u, seed %" PRIu64, PCT_DEPTH, 1 + i);
        note(t, e, x, how, &reported);
        go_exec_free(e);
        if (pct.steps > pct.steps_estimate) pct.steps_estimate = pct.steps;
    }
    chanfuzz_pct_free(&pct);
}

typedef struct exhaustive_visit {
    const chanfuzz_target *target;
    chanfuzz_expectation *expectation;
    bool reported;
    uint64_t schedules;
} exhaustive_visit;

static bool visit(void *self, const go_exec *e) {
    exhaustive_visit *v = self;
    char how[160];
    snprintf(how, sizeof how, "exhaustive, bound %u, schedule %" PRIu64, EXHAUSTIVE_BOUND,
             ++v->schedules);
    note(v->target, e, v->expectation, how, &v->reported);
    return true;
}

static void exhaustive_mode(const chanfuzz_target *t, chanfuzz_expectation *x) {
    uint64_t budget = fixed_budget_of(t->scenario);
    chanfuzz_explore_options options = {
        .config = chanfuzz_target_config(t, go_decider_first(), semantics_of(t->scenario)),
        .preemption_bound = EXHAUSTIVE_BOUND,
        .max_schedules = budget < EXHAUSTIVE_CAP ? budget : EXHAUSTIVE_CAP,
    };
    exhaustive_visit v = {.target = t, .expectation = x};
    chanfuzz_explore_result r = chanfuzz_explore(
        &options, chanfuzz_scenario_variant(t->scenario, t->variant)->main, NULL, visit, &v);
    /* A re-run that leaves its prefix means the scenario depends on
     * something besides its decisions (a static not reset per execution). */
    cr_expect_not(r.nondeterministic, "%s:fixed is not deterministic: %s", t->scenario->name,
                  r.message);
    printf("%-30s %7" PRIu64 " schedules%s%s\n", t->scenario->name, r.schedules,
           r.exhausted ? ", exhausted" : ", capped", r.data_restricted ? " (data restricted)" : "");
}

static void every_fixed_variant(const char *mode, fixed_check *check) {
    size_t checked = 0;
    for (size_t i = 0; i < chanfuzz_scenario_count(); i++) {
        const chanfuzz_scenario *s = chanfuzz_scenario_at(i);
        if (!in_catalogue(s) || !chanfuzz_scenario_variant(s, CHANFUZZ_FIXED)) continue;
        chanfuzz_target t = {s, CHANFUZZ_FIXED};
        chanfuzz_expectation x;
        chanfuzz_target_expect_init(&t, &x);
        check(&t, &x);
        chanfuzz_kind_set unexpected;
        char kinds[256];
        cr_expect_eq(chanfuzz_expect_verdict(&x, NULL, &unexpected), CHANFUZZ_AS_EXPECTED,
                     "%s:fixed flagged under %s: %s (a false alarm: the scenario or a "
                     "detector is wrong)",
                     s->name, mode, kind_list(unexpected, kinds, sizeof kinds));
        checked++;
    }
    fflush(stdout);
    cr_assert_gt(checked, 0, "no fixed variant tagged pattern or stress");
}

Test(catalogue_verdicts, fixed_variants_are_clean_under_random, .timeout = 900) {
    every_fixed_variant("random", random_mode);
}

Test(catalogue_verdicts, fixed_variants_are_clean_under_pct, .timeout = 900) {
    every_fixed_variant("pct", pct_mode);
}

Test(catalogue_verdicts, fixed_variants_are_clean_under_bounded_exhaustive, .timeout = 900) {
    every_fixed_variant("exhaustive", exhaustive_mode);
}
