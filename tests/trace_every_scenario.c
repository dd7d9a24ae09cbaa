/* trace_every_scenario -- prints the trace of every registered scenario
 * variant under a few seeded schedules, for cross_compiler_traces.sh,
 * which builds it from bare sources on each compiler and architecture and
 * compares the outputs byte for byte. No detectors (a static AArch64 build
 * has no cJSON): only the registry, the scenarios and the runtime.
 *
 *   trace_every_scenario SEEDS [NAME | -TAG]
 *
 * NAME: that scenario only; -TAG: all but the scenarios tagged TAG. The
 * script leaves out "stress": those collect while they run, and what a
 * conservative scan of a goroutine's stack finds in dead slots differs
 * between compilers (README, "How faithful is the model"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/scenario.h>

int main(int argc, char **argv) {
    int seeds = argc > 1 ? atoi(argv[1]) : 2;
    for (size_t i = 0; i < chanfuzz_scenario_count(); i++) {
        const chanfuzz_scenario *s = chanfuzz_scenario_at(i);
        if (argc > 2 && argv[2][0] == '-' && chanfuzz_scenario_has_tag(s, argv[2] + 1)) continue;
        if (argc > 2 && argv[2][0] != '-' && strcmp(s->name, argv[2]) != 0) continue;
        for (int v = CHANFUZZ_BUGGY; v <= CHANFUZZ_FIXED; v++) {
            chanfuzz_target t = {s, (chanfuzz_variant_kind)v};
            if (!chanfuzz_scenario_variant(s, t.variant)) continue;
            go_semantics semantics =
                chanfuzz_scenario_runs_under(s, GO_SEMANTICS_1_23) ? GO_SEMANTICS_1_23 : GO_SEMANTICS_1_22;
            for (int seed = 1; seed <= seeds; seed++) {
                go_prng_source src;
                go_config cfg = chanfuzz_target_config(&t, go_decider_prng(&src, (uint64_t)seed, 3),
                                                       semantics);
                cfg.record_trace = true;
                printf("== %s:%s seed %d\n", s->name, chanfuzz_variant_name(t.variant), seed);
                go_exec *e = chanfuzz_target_run(&t, &cfg);
                go_exec_write_trace(e, stdout);
                go_exec_free(e);
            }
        }
    }
    return 0;
}
