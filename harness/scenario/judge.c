/* judge.c -- judging an execution of a scenario variant with the
 * scenario's own ignore rules, and its expected verdict. */
#include <stdio.h>
#include <stdlib.h>

#include "chanfuzz/scenario.h"

/* A scenario's own rules, parsed on first use and kept for the process
 * (scenarios are static): every execution of a Go test used to copy the
 * caller's rules and parse its own. */
static chanfuzz_ignore *own_rules(const chanfuzz_scenario *scenario) {
    static struct parsed {
        const chanfuzz_scenario *scenario;
        chanfuzz_ignore *rules;
    } *parsed;
    static size_t count, capacity, last;
    if (last < count && parsed[last].scenario == scenario) return parsed[last].rules;
    for (size_t i = 0; i < count; i++)
        if (parsed[i].scenario == scenario) return parsed[last = i].rules;
    if (count == capacity) {
        size_t grown = capacity ? 2 * capacity : 16;
        struct parsed *more = realloc(parsed, grown * sizeof *more);
        if (!more) return NULL;
        parsed = more;
        capacity = grown;
    }
    chanfuzz_ignore *rules = chanfuzz_ignore_new();
    if (!rules) return NULL;
    for (const char *const *rule = scenario->ignore; *rule; rule++)
        if (!chanfuzz_ignore_parse(rules, *rule)) {
            /* A scenario's own rule is code, not input: fail loudly. */
            fprintf(stderr, "chanfuzz: %s: scenario '%s' has a bad ignore rule '%s'\n",
                    scenario->file ? scenario->file : "?", scenario->name, *rule);
            abort();
        }
    parsed[count] = (struct parsed){scenario, rules};
    last = count++;
    return rules;
}

chanfuzz_findings *chanfuzz_target_judge(const chanfuzz_target *target, const go_exec *exec,
                                         const chanfuzz_ignore *extra) {
    const char *const *rules = target->scenario->ignore;
    if (!rules || !*rules) return chanfuzz_detect(exec, extra);
    chanfuzz_ignore *own = own_rules(target->scenario);
    if (!own) return NULL;
    chanfuzz_ignore_also(own, extra);
    chanfuzz_findings *findings = chanfuzz_detect(exec, own);
    chanfuzz_ignore_also(own, NULL);
    return findings;
}

void chanfuzz_target_expect_init(const chanfuzz_target *target, chanfuzz_expectation *x) {
    const chanfuzz_variant *v = chanfuzz_scenario_variant(target->scenario, target->variant);
    chanfuzz_expect_init(x, v->expect, v->allow);
}
