/* judge.c -- judging an execution of a scenario variant with the
 * scenario's own ignore rules, and its expected verdict. */
#include <stdio.h>
#include <stdlib.h>

#include "chanfuzz/scenario.h"

chanfuzz_findings *chanfuzz_target_judge(const chanfuzz_target *target, const go_exec *exec,
                                         const chanfuzz_ignore *extra) {
    const char *const *rules = target->scenario->ignore;
    if (!rules || !*rules) return chanfuzz_detect(exec, extra);
    /* A rule only ever drops a finding: an execution with none under the
     * caller's rules has none under more of them, and most executions
     * have none. So the scenario's rules are parsed only when there is
     * something to drop (every execution of a Go test paid for it). */
    chanfuzz_findings *unfiltered = chanfuzz_detect(exec, extra);
    if (!unfiltered || unfiltered->count == 0) return unfiltered;
    chanfuzz_findings_free(unfiltered);
    chanfuzz_ignore *ignore = chanfuzz_ignore_copy(extra);
    if (!ignore) return NULL;
    for (; *rules; rules++)
        if (!chanfuzz_ignore_parse(ignore, *rules)) {
            /* A scenario's own rule is code, not input: fail loudly. */
            fprintf(stderr, "chanfuzz: %s: scenario '%s' has a bad ignore rule '%s'\n",
                    target->scenario->file ? target->scenario->file : "?",
                    target->scenario->name, *rules);
            abort();
        }
    chanfuzz_findings *findings = chanfuzz_detect(exec, ignore);
    chanfuzz_ignore_free(ignore);
    return findings;
}

void chanfuzz_target_expect_init(const chanfuzz_target *target, chanfuzz_expectation *x) {
    const chanfuzz_variant *v = chanfuzz_scenario_variant(target->scenario, target->variant);
    chanfuzz_expect_init(x, v->expect, v->allow);
}
