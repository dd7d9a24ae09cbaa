/* run.c -- running one variant of a scenario. Judging is judge.c's: this
 * half needs no detector, so trace-only builds (cross_compiler_traces.sh)
 * link it alone. */

#include "chanfuzz/scenario.h"

go_config chanfuzz_target_config(const chanfuzz_target *target, go_decider decider,
                                 go_semantics semantics) {
    uint64_t budget = target->scenario->step_budget;
    return (go_config){.decider = decider,
                       .semantics = semantics,
                       .step_budget = budget ? budget : CHANFUZZ_DEFAULT_STEP_BUDGET};
}

go_exec *chanfuzz_target_run(const chanfuzz_target *target, const go_config *config) {
    return go_exec_run(config, chanfuzz_scenario_variant(target->scenario, target->variant)->main,
                       NULL);
}
