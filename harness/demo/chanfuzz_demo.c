/* chanfuzz_demo.c -- explores the demo patterns under seeded random
 * schedules, judges every execution with the detectors, and prints what
 * each variant ended with and which distinct findings (crash states) it
 * produced.
 *
 * This is the main job until the chanfuzz CLI and the libFuzzer targets
 * exist: a real run of the model and the detectors, not a mock-up.
 *
 *   chanfuzz-demo [--executions N] [--seed S]
 *   chanfuzz-demo --trace PATTERN:buggy|fixed SEED
 *
 * Exit status: 0 when every buggy variant was caught and every fixed one
 * stayed clean, 1 otherwise, 2 on a usage error. */
#include <chanfuzz/exec.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../scenarios/demo/patterns.h"

/* tests/cross_compiler_traces.sh builds the demo from bare sources on
 * every compiler and architecture (a static AArch64 build has no cJSON):
 * there it only lists and traces, without the detectors. */
#ifndef CHANFUZZ_DEMO_TRACE_ONLY
#include <chanfuzz/findings.h>
#endif

enum outcome { CLEAN, LEAKED, DEADLOCK, PANIC, FATAL, BUDGET, OUTCOME_COUNT };

/* Distinct crash states remembered per variant. */
#define DISTINCT_MAX 16

static enum outcome classify(const go_exec *e) {
    switch (go_exec_end(e)) {
    case GO_END_RETURNED: return go_exec_goroutine_count(e) ? LEAKED : CLEAN;
    case GO_END_DEADLOCK: return DEADLOCK;
    case GO_END_PANIC: return PANIC;
    case GO_END_FATAL: return FATAL;
    default: return BUDGET;
    }
}

static go_exec *run_once(go_func *fn, uint64_t seed, bool trace) {
    go_prng_source src;
    go_config cfg = {.decider = go_decider_prng(&src, seed, 3),
                     .step_budget = 100000,
                     .record_trace = trace};
    return go_exec_run(&cfg, fn, NULL);
}

static bool parse_u64(const char *flag, const char *text, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-') {
        fprintf(stderr, "chanfuzz-demo: %s: '%s' is not a non-negative integer\n", flag, text);
        return false;
    }
    *out = v;
    return true;
}

static const demo_pattern *find_pattern(const char *name, size_t length) {
    for (int i = 0; i < demo_pattern_count; i++)
        if (strlen(demo_patterns[i].name) == length &&
            strncmp(demo_patterns[i].name, name, length) == 0)
            return &demo_patterns[i];
    return NULL;
}

static int trace_one(const char *spec, const char *seed_text) {
    const char *colon = strchr(spec, ':');
    const demo_pattern *p = colon ? find_pattern(spec, (size_t)(colon - spec)) : NULL;
    bool buggy = colon && strcmp(colon + 1, "buggy") == 0;
    if (!p || (!buggy && strcmp(colon + 1, "fixed") != 0)) {
        fprintf(stderr, "chanfuzz-demo: --trace: unknown pattern '%s' (want NAME:buggy or "
                        "NAME:fixed; --list shows the names)\n", spec);
        return 2;
    }
    uint64_t seed;
    if (!parse_u64("--trace", seed_text, &seed)) return 2;
    go_exec *e = run_once(buggy ? p->buggy : p->fixed, seed, true);
    go_exec_write_trace(e, stdout);
#ifndef CHANFUZZ_DEMO_TRACE_ONLY
    chanfuzz_findings *findings = chanfuzz_detect(e, NULL);
    if (findings && findings->count) {
        char replay[160];
        snprintf(replay, sizeof replay, "chanfuzz-demo --trace %s %s", spec, seed_text);
        chanfuzz_report_info info = {p->name, buggy ? "buggy" : "fixed", NULL, replay};
        printf("\n");
        chanfuzz_write_text(stdout, &info, findings);
    }
    chanfuzz_findings_free(findings);
#endif
    go_exec_free(e);
    return 0;
}

#ifndef CHANFUZZ_DEMO_TRACE_ONLY
static int explore(uint64_t executions, uint64_t base_seed) {
    printf("chanfuzz demo: %d patterns x 2 variants, %" PRIu64
           " schedules each (seeded PRNG from seed %" PRIu64 ")\n\n",
           demo_pattern_count, executions, base_seed);
    printf("%-22s %-7s %9s %7s %7s %8s %6s %8s  %s\n", "pattern", "variant", "schedules",
           "clean", "leaked", "deadlock", "panic", "distinct", "first finding (crash state)");
    bool as_expected = true;
    for (int i = 0; i < demo_pattern_count; i++) {
        const demo_pattern *p = &demo_patterns[i];
        for (int variant = 0; variant < 2; variant++) {
            uint64_t counts[OUTCOME_COUNT] = {0};
            char first[CHANFUZZ_CRASH_STATE_MAX] = "-";
            char seen[DISTINCT_MAX][CHANFUZZ_CRASH_STATE_MAX];
            size_t distinct = 0;
            uint64_t first_seed = 0;
            bool found = false;
            for (uint64_t n = 0; n < executions; n++) {
                uint64_t seed = base_seed + n;
                go_exec *e = run_once(variant == 0 ? p->buggy : p->fixed, seed, false);
                chanfuzz_findings *findings = chanfuzz_detect(e, NULL);
                enum outcome o = classify(e);
                if (!findings || findings->count == 0) o = CLEAN;
                counts[o]++;
                for (size_t k = 0; findings && k < findings->count; k++) {
                    const char *state = findings->items[k].crash_state;
                    bool known = false;
                    for (size_t d = 0; d < distinct && !known; d++) known = !strcmp(seen[d], state);
                    if (!known && distinct < DISTINCT_MAX) snprintf(seen[distinct++], sizeof seen[0], "%s", state);
                    if (!found) {
                        found = true;
                        first_seed = seed;
                        snprintf(first, sizeof first, "%s", state);
                    }
                }
                chanfuzz_findings_free(findings);
                go_exec_free(e);
            }
            char where[CHANFUZZ_CRASH_STATE_MAX + 32] = "-";
            if (found) snprintf(where, sizeof where, "seed %" PRIu64 ": %s", first_seed, first);
            printf("%-22s %-7s %9" PRIu64 " %7" PRIu64 " %7" PRIu64 " %8" PRIu64 " %6" PRIu64
                   " %8zu  %s\n",
                   variant == 0 ? p->name : "", variant == 0 ? "buggy" : "fixed", executions,
                   counts[CLEAN], counts[LEAKED], counts[DEADLOCK], counts[PANIC] + counts[FATAL],
                   distinct, where);
            if ((variant == 0) != found) as_expected = false;
        }
    }
    printf("\n%s\n", as_expected ? "every buggy variant was caught; every fixed variant stayed clean"
                                 : "UNEXPECTED: a buggy variant was missed or a fixed one flagged");
    printf("replay one: chanfuzz-demo --trace PATTERN:buggy SEED\n");
    return as_expected ? 0 : 1;
}

#else
static int explore(uint64_t executions, uint64_t base_seed) {
    (void)executions, (void)base_seed;
    fprintf(stderr, "chanfuzz-demo: built for traces only (no detectors)\n");
    return 2;
}
#endif

int main(int argc, char **argv) {
    uint64_t executions = 2000, seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--list") == 0) {
            for (int k = 0; k < demo_pattern_count; k++)
                printf("%-22s %s\n", demo_patterns[k].name, demo_patterns[k].summary);
            return 0;
        } else if (strcmp(arg, "--trace") == 0 && i + 2 < argc) {
            return trace_one(argv[i + 1], argv[i + 2]);
        } else if (strcmp(arg, "--executions") == 0 && i + 1 < argc) {
            if (!parse_u64(arg, argv[++i], &executions)) return 2;
        } else if (strcmp(arg, "--seed") == 0 && i + 1 < argc) {
            if (!parse_u64(arg, argv[++i], &seed)) return 2;
        } else {
            fprintf(stderr, "chanfuzz-demo: unknown or incomplete argument '%s' (usage: "
                            "chanfuzz-demo [--executions N] [--seed S] | --list | --trace "
                            "PATTERN:buggy|fixed SEED)\n", arg);
            return 2;
        }
    }
    return explore(executions, seed);
}
