/* budgets.c -- --steps N and --settle N: the step budget of every
 * execution and the steps the other goroutines get after main returns,
 * over the scenario's own (.step_budget, .settle_steps; //chanfuzz:steps
 * and //chanfuzz:settle in a Go test). A reproducer of a step-budget
 * finding replays under the same flags (its "found by" line says them). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static uint64_t steps, settle_steps;

bool cli_is_budget_flag(const char *arg) {
    return !strcmp(arg, "--steps") || !strcmp(arg, "--settle");
}

bool cli_parse_budget_flag(const char *command, const char *flag, const char *value) {
    uint64_t n;
    if (!cli_parse_u64(command, flag, value, &n)) return false;
    if (!n) {
        cli_fail(command, "%s: must be at least 1", flag);
        return false;
    }
    if (!strcmp(flag, "--steps"))
        steps = n;
    else
        settle_steps = n;
    chanfuzz_target_override_budgets(steps, settle_steps);
    return true;
}

void cli_budget_flags(char *out, size_t size) {
    int n = 0;
    out[0] = 0;
    if (steps) n = snprintf(out, size, " --steps %" PRIu64, steps);
    if (settle_steps && n >= 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, " --settle %" PRIu64, settle_steps);
}
