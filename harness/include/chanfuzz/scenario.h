/* chanfuzz/scenario.h -- the scenario registry: every Go pattern the harness
 * can run, with its buggy and fixed variants and the verdict each must get.
 *
 * A scenario file registers itself; nothing else has to list it:
 *
 *     CHANFUZZ_SCENARIO(timeout_worker) = {
 *         .name = "timeout_worker",
 *         .description = "worker sends on an unbuffered channel after the caller timed out",
 *         .tags = "pattern channel timer",
 *         .file = CHANFUZZ_HERE,
 *         .buggy = {.main = leaky_timeout, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK)},
 *         .fixed = {.main = buffered_timeout},
 *     };
 *
 * The registration is a pointer in the ELF section "chanfuzz_scenarios",
 * which the linker gathers from every object it links; link scenario files
 * as objects (the CMake OBJECT library chanfuzz_scenarios), not from a
 * static archive, or the linker drops the ones nothing calls.
 *
 * Sections:
 *   1. Scenarios   the registration
 *   2. Lookup      by name, by reference ("NAME:buggy"), by selection
 *                  ("all", "tag:T", "NAME")
 *   3. Running     the go_config a scenario runs under, judging an
 *                  execution with the scenario's ignore rules, expectations
 */
#ifndef CHANFUZZ_SCENARIO_H
#define CHANFUZZ_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/exec.h"
#include "chanfuzz/findings.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Scenarios --------------------------------------------------------- */

typedef enum chanfuzz_variant_kind { CHANFUZZ_BUGGY = 0, CHANFUZZ_FIXED = 1 } chanfuzz_variant_kind;

/* "buggy", "fixed" */
const char *chanfuzz_variant_name(chanfuzz_variant_kind variant);
bool chanfuzz_variant_from_name(const char *name, size_t length, chanfuzz_variant_kind *variant);

typedef struct chanfuzz_variant {
    go_func *main;             /* goroutine 1's body; NULL: no such variant */
    /* The verdict: kinds that must appear (in at least one execution of a
     * run; for a buggy variant within the scenario's execution budget), and
     * kinds that may appear besides. A fixed variant expects nothing: any
     * finding not allowed is a false alarm or a bug in the fix. */
    chanfuzz_kind_set expect;
    chanfuzz_kind_set allow;
} chanfuzz_variant;

/* Which Go timer semantics a scenario is meant for: bits of go_semantics;
 * 0 means both. Run under another, a scenario is skipped, never judged. */
#define CHANFUZZ_SEMANTICS_BIT(s) (1u << (s))
#define CHANFUZZ_ONLY_GO122 CHANFUZZ_SEMANTICS_BIT(GO_SEMANTICS_1_22)
#define CHANFUZZ_ONLY_GO123 CHANFUZZ_SEMANTICS_BIT(GO_SEMANTICS_1_23)

typedef struct chanfuzz_scenario {
    const char *name;          /* [a-z0-9_]+ (C), PKG.TestName (Go); unique */
    const char *description;   /* one line: what the buggy variant gets wrong */
    const char *fix;           /* one line: what the fixed variant changes
                                  ("defer close(ch)"); NULL when none */
    /* Space-separated: the pattern's primitives ("channel select timer"),
     * its family ("pattern", "seed", "kernel", "stress"), and "rare" when
     * only a specific interleaving shows the bug (left out of the CI fuzz
     * smoke stage). */
    const char *tags;
    const char *file;          /* set by CHANFUZZ_SCENARIO: the source file */
    uint64_t step_budget;      /* per execution (0: CHANFUZZ_DEFAULT_STEP_BUDGET),
                                  plus CHANFUZZ_STEPS_PER_GOROUTINE for each
                                  goroutine started; `--steps N` overrides */
    uint64_t settle_steps;     /* the steps the others get after main returns
                                  (0: GO_DEFAULT_SETTLE_STEPS); `--settle N` */
    uint64_t executions;       /* a run's default budget of executions, in
                                  which the buggy variant must be found
                                  (0: CHANFUZZ_DEFAULT_EXECUTIONS) */
    unsigned semantics;        /* CHANFUZZ_ONLY_GO122 / _GO123, or 0 */
    /* Rules in chanfuzz_ignore_parse's text form ("top:FUNCTION",
     * "site:FILE[:LINE]", "created-by:FUNCTION"), NULL-terminated; NULL for
     * none. For goroutines the scenario starts on purpose and never stops. */
    const char *const *ignore;
    chanfuzz_variant buggy, fixed;
    /* What the scenario was built from, when that can change under a
     * reproducer: chanfuzz go test's "go HASH PACKAGES" (the hash of the
     * translated program). Written into trace files as "program TEXT"; a
     * trace whose program differs is refused. NULL for C scenarios. */
    const char *program;
} chanfuzz_scenario;

#define CHANFUZZ_DEFAULT_STEP_BUDGET 100000u
/* The budget grows with the work: a goroutine that is spawned, runs into
 * its first operation and blocks takes a few steps, so 100,000 of them
 * must not exhaust a budget meant for livelocks. */
#define CHANFUZZ_STEPS_PER_GOROUTINE 16u
#define CHANFUZZ_DEFAULT_EXECUTIONS 1000u

#define CHANFUZZ_SCENARIO(ident)                                                         \
    static const chanfuzz_scenario ident;                                                \
    __attribute__((used, section("chanfuzz_scenarios"))) static const chanfuzz_scenario  \
        *const ident##_registration = &ident;                                            \
    static const chanfuzz_scenario ident

/* The file a scenario was registered in: put `.file = CHANFUZZ_HERE` in
 * the initializer so reports and `chanfuzz list` can point at it. */
#define CHANFUZZ_HERE __FILE__

/* ---- 2. Lookup ------------------------------------------------------------ */

/* The registered scenarios, sorted by name. The first call checks the
 * registry (names valid and unique, a main in some variant, a buggy
 * variant that expects something) and aborts with the offending file when
 * it is broken: a broken registry is a build error, not an input error. */
size_t chanfuzz_scenario_count(void);
const chanfuzz_scenario *chanfuzz_scenario_at(size_t index);
const chanfuzz_scenario *chanfuzz_scenario_find(const char *name, size_t length);

const chanfuzz_variant *chanfuzz_scenario_variant(const chanfuzz_scenario *scenario,
                                                  chanfuzz_variant_kind variant);
/* Is `tag` one of the scenario's space-separated tags? */
bool chanfuzz_scenario_has_tag(const chanfuzz_scenario *scenario, const char *tag);
/* Does the scenario run under `semantics`? */
bool chanfuzz_scenario_runs_under(const chanfuzz_scenario *scenario, go_semantics semantics);

/* One variant of one scenario. */
typedef struct chanfuzz_target {
    const chanfuzz_scenario *scenario;
    chanfuzz_variant_kind variant;
} chanfuzz_target;

/* "NAME:buggy", "NAME:fixed", or as trace files write it, "NAME/buggy".
 * False when the name is unknown, the variant word is not one, or the
 * scenario lacks that variant. */
bool chanfuzz_target_parse(const char *text, chanfuzz_target *target);
/* "NAME/buggy" (the trace-file form) into out; false when it does not fit. */
bool chanfuzz_target_format(const chanfuzz_target *target, char *out, size_t size);

/* What a command line names: "NAME" (both variants), "NAME:buggy",
 * "NAME:fixed", "all" (every scenario), "tag:TAG" (a group). Fills
 * *targets with a malloc'ed array (caller frees), in registry order, buggy
 * before fixed, only variants that exist. Returns the count, or 0 with a
 * one-line reason in error[] when the spec names nothing ("unknown
 * scenario 'x'", "no scenario has tag 'y'"). */
size_t chanfuzz_select(const char *spec, chanfuzz_target **targets, char *error,
                       size_t error_size);

/* ---- 3. Running ----------------------------------------------------------- */

/* The config `target` runs under: the decider and semantics given, the
 * scenario's step budget. Other fields zero (set record_trace, the event
 * hook and settle limits afterwards as needed). */
/* The command line's --steps N and --settle N (0: the scenario's own),
 * for every chanfuzz_target_config after it. */
void chanfuzz_target_override_budgets(uint64_t steps, uint64_t settle_steps);
go_config chanfuzz_target_config(const chanfuzz_target *target, go_decider decider,
                                 go_semantics semantics);

/* Runs `target` once under `config` (made by chanfuzz_target_config). */
go_exec *chanfuzz_target_run(const chanfuzz_target *target, const go_config *config);

/* PCT's k for `target` (chanfuzz_pct_init's steps_estimate): the steps
 * (PREEMPT and SCHEDULE decisions) of one run on the plain schedule; at
 * least 1. */
uint64_t chanfuzz_target_pct_steps(const chanfuzz_target *target, go_semantics semantics);

/* chanfuzz_detect with the scenario's ignore rules plus `extra` (may be
 * NULL). Returns NULL only when out of memory. */
chanfuzz_findings *chanfuzz_target_judge(const chanfuzz_target *target, const go_exec *exec,
                                         const chanfuzz_ignore *extra);

/* An expectation primed with the variant's verdict (expect, allow). */
void chanfuzz_target_expect_init(const chanfuzz_target *target, chanfuzz_expectation *x);

#ifdef __cplusplus
}
#endif
#endif
