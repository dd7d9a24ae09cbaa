/* The scenario registry: lookup, selection by name, variant, tag and
 * "all", and running a registered variant to its verdict. Uses the demo
 * scenarios (scenarios/demo), which are always linked. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/scenario.h>

Test(registry, is_sorted_and_finds_by_name) {
    size_t count = chanfuzz_scenario_count();
    cr_assert_geq(count, 6);
    for (size_t i = 1; i < count; i++)
        cr_assert_lt(strcmp(chanfuzz_scenario_at(i - 1)->name, chanfuzz_scenario_at(i)->name), 0);
    cr_assert_null(chanfuzz_scenario_at(count));
    const chanfuzz_scenario *s = chanfuzz_scenario_find("first_result", strlen("first_result"));
    cr_assert_not_null(s);
    cr_assert_str_eq(s->name, "first_result");
    cr_assert(strstr(s->file, "scenarios/demo/patterns.c"));
    /* A prefix is not a name. */
    cr_assert_null(chanfuzz_scenario_find("first", 5));
    cr_assert_null(chanfuzz_scenario_find("first_result_x", 14));
}

Test(registry, tags_match_whole_words) {
    const chanfuzz_scenario *s = chanfuzz_scenario_find("unlock_early_return", 19);
    cr_assert(chanfuzz_scenario_has_tag(s, "mutex"));
    cr_assert(chanfuzz_scenario_has_tag(s, "demo"));
    cr_assert_not(chanfuzz_scenario_has_tag(s, "mute"));
    cr_assert_not(chanfuzz_scenario_has_tag(s, "rwmutex"));
    cr_assert_not(chanfuzz_scenario_has_tag(s, ""));
}

Test(registry, targets_parse_in_both_forms_and_format_as_trace_files_write_them) {
    chanfuzz_target t;
    cr_assert(chanfuzz_target_parse("range_unclosed:fixed", &t));
    cr_assert_eq(t.variant, CHANFUZZ_FIXED);
    cr_assert(chanfuzz_target_parse("range_unclosed/buggy", &t));
    cr_assert_eq(t.variant, CHANFUZZ_BUGGY);
    char text[64];
    cr_assert(chanfuzz_target_format(&t, text, sizeof text));
    cr_assert_str_eq(text, "range_unclosed/buggy");
    cr_assert_not(chanfuzz_target_format(&t, text, 8));
    cr_assert_not(chanfuzz_target_parse("range_unclosed", &t));
    cr_assert_not(chanfuzz_target_parse("range_unclosed:both", &t));
    cr_assert_not(chanfuzz_target_parse("nope:buggy", &t));
}

static size_t select_count(const char *spec, char *error) {
    chanfuzz_target *targets;
    size_t n = chanfuzz_select(spec, &targets, error, 128);
    free(targets);
    return n;
}

Test(registry, selection_names_variants_groups_and_everything) {
    char error[128] = "";
    cr_assert_eq(select_count("first_result", error), 2);
    cr_assert_eq(select_count("first_result:fixed", error), 1);
    cr_assert_eq(select_count("tag:demo", error), 12);
    size_t variants = 0;
    for (size_t i = 0; i < chanfuzz_scenario_count(); i++)
        variants += (chanfuzz_scenario_at(i)->buggy.main != NULL) +
                    (chanfuzz_scenario_at(i)->fixed.main != NULL);
    cr_assert_eq(select_count("all", error), variants);
    cr_assert_eq(select_count("no_such", error), 0);
    cr_assert_str_eq(error, "unknown scenario 'no_such' (chanfuzz list shows them)");
    cr_assert_eq(select_count("tag:no_such_tag", error), 0);
    cr_assert_str_eq(error, "no scenario has tag 'no_such_tag'");
    cr_assert_eq(select_count("first_result:both", error), 0);
    cr_assert(strstr(error, "buggy or fixed"));
}

/* Seeded random schedules: the buggy variant shows its expected kind
 * within the scenario's budget, the fixed one stays clean. */
static chanfuzz_verdict verdict_over_seeds(const chanfuzz_target *t, uint64_t seeds,
                                           chanfuzz_kind_set *missing,
                                           chanfuzz_kind_set *unexpected) {
    chanfuzz_expectation x;
    chanfuzz_target_expect_init(t, &x);
    for (uint64_t seed = 1; seed <= seeds; seed++) {
        go_prng_source src;
        go_config cfg = chanfuzz_target_config(t, go_decider_prng(&src, seed, 3), GO_SEMANTICS_1_23);
        go_exec *e = chanfuzz_target_run(t, &cfg);
        chanfuzz_findings *f = chanfuzz_target_judge(t, e, NULL);
        chanfuzz_expect_note(&x, f);
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
    return chanfuzz_expect_verdict(&x, missing, unexpected);
}

Test(registry, every_demo_variant_gets_its_verdict) {
    chanfuzz_target *targets;
    char error[128];
    size_t n = chanfuzz_select("tag:demo", &targets, error, sizeof error);
    for (size_t i = 0; i < n; i++) {
        chanfuzz_kind_set missing, unexpected;
        chanfuzz_verdict v = verdict_over_seeds(&targets[i], 200, &missing, &unexpected);
        cr_expect_eq(v, CHANFUZZ_AS_EXPECTED, "%s:%s: missing %#x, unexpected %#x",
                     targets[i].scenario->name, chanfuzz_variant_name(targets[i].variant),
                     missing, unexpected);
    }
    free(targets);
}
