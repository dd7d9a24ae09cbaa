/* run.c -- running one variant of a scenario. Judging is judge.c's: this
 * half needs no detector, so trace-only builds (cross_compiler_traces.sh)
 * link it alone. */

#include "chanfuzz/scenario.h"

static uint64_t steps_override, settle_override;

void chanfuzz_target_override_budgets(uint64_t steps, uint64_t settle_steps) {
    steps_override = steps;
    settle_override = settle_steps;
}

go_config chanfuzz_target_config(const chanfuzz_target *target, go_decider decider,
                                 go_semantics semantics) {
    const chanfuzz_scenario *s = target->scenario;
    uint64_t budget = steps_override ? steps_override
                      : s->step_budget ? s->step_budget
                                       : CHANFUZZ_DEFAULT_STEP_BUDGET;
    return (go_config){.decider = decider,
                       .semantics = semantics,
                       .step_budget = budget,
                       .steps_per_goroutine = CHANFUZZ_STEPS_PER_GOROUTINE,
                       .settle_steps = settle_override ? settle_override : s->settle_steps};
}

go_exec *chanfuzz_target_run(const chanfuzz_target *target, const go_config *config) {
    return go_exec_run(config, chanfuzz_scenario_variant(target->scenario, target->variant)->main,
                       NULL);
}

uint64_t chanfuzz_target_pct_steps(const chanfuzz_target *target, go_semantics semantics) {
    go_config plain = chanfuzz_target_config(target, go_decider_first(), semantics);
    go_exec *probe = chanfuzz_target_run(target, &plain);
    size_t count;
    uint64_t steps = 0;
    const go_decision *log = go_exec_decisions(probe, &count);
    for (size_t i = 0; i < count; i++)
        steps += log[i].kind == GO_DECIDE_PREEMPT || log[i].kind == GO_DECIDE_SCHEDULE;
    go_exec_free(probe);
    return steps ? steps : 1;
}
