/* fuzz_empty_scenario.c -- a scenario whose main does nothing, registered
 * only in the fuzz_rates benchmark binary (harness/fuzz/CMakeLists.txt):
 * run against the same binary's empty target (-chanfuzz_empty=1, which
 * returns before the harness), it gives the harness's fixed cost per
 * execution -- config, a runtime execution with one goroutine, judging,
 * feedback, freeing -- with no model work (bench/fuzz_rates.sh). */
#include <chanfuzz/scenario.h>

static void empty_main(void *arg) { (void)arg; }

CHANFUZZ_SCENARIO(bench_empty) = {
    .name = "bench_empty",
    .description = "benchmark only: a main that returns at once",
    .tags = "bench",
    .file = CHANFUZZ_HERE,
    .fixed = {empty_main},
};
