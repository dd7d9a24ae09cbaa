/* pool_scenarios.c -- the pool's two patterns as chanfuzz scenarios: the
 * buggy variant runs the code as first written (pool_*_v1), the fixed one
 * the fix. Whether a job fails comes from the fuzz input (go_fz_bool), so
 * chanfuzz explores the early return as well as every schedule. */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

#include "pool.h"

enum { JOBS = 4, WORKERS = 2 };

static bool job_fails(size_t n) { return go_fz_bool(); }

static void fan_out_buggy(void *arg) { pool_fan_out_v1(JOBS, job_fails); }
static void fan_out_fixed(void *arg) { pool_fan_out(JOBS, job_fails); }

CHANFUZZ_SCENARIO(fan_out_scenario) = {
    .name = "pool_fan_out",
    .description = "one goroutine per job on an unbuffered results channel; the first error returns",
    .fix = "make(chan error, jobs): every send has room",
    .tags = "example channel",
    .file = CHANFUZZ_HERE,
    .buggy = {fan_out_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {fan_out_fixed},
};

static void workers_buggy(void *arg) { pool_workers_v1(WORKERS, JOBS, job_fails); }
static void workers_fixed(void *arg) { pool_workers(WORKERS, JOBS, job_fails); }

CHANFUZZ_SCENARIO(workers_scenario) = {
    .name = "pool_workers",
    .description = "workers range over a jobs channel the dispatcher never closes on its early return",
    .fix = "defer close(jobs), and a done channel the workers select on",
    .tags = "example channel select",
    .file = CHANFUZZ_HERE,
    .buggy = {workers_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {workers_fixed},
};
