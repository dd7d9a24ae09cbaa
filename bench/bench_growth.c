/* bench_growth.c -- what an execution costs as its scenario grows.
 *
 * The scenario: main spawns G workers; each sends K values on one
 * unbuffered channel, and main receives all G x K of them. Every send and
 * every receive is a scheduling point, so the execution makes about
 * 2 x G x K decisions, with up to G goroutines runnable or blocked on the
 * channel at once. The decisions come from the seeded PRNG source that
 * `chanfuzz run --mode random` uses (go_decider_prng, preemption 1 in 2),
 * a fresh seed per execution, no trace recorded.
 *
 * For each G in 2, 8, 64, 512 and K in 10, 100, 1000 it runs executions
 * for about --ms milliseconds of the process's CPU time (at least one)
 * and prints
 *   G<TAB>K<TAB>executions<TAB>executions per second<TAB>ns per operation
 * where an operation is one send or one receive. Linear cost is a flat
 * ns-per-operation column; a column that grows with G points at a
 * per-decision cost proportional to the number of goroutines.
 *
 * The clock is CPU time, not wall time: the process is single-threaded, and
 * on a shared machine the wall clock also counts the time other processes
 * held the CPU (a load average of 20 on 2 cores made wall time 5x the CPU
 * time here). Page faults and cache misses are CPU time and stay in.
 *
 *   bench_growth [--ms MS] [--only G:K]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <chanfuzz/go.h>

#include "bench.h"

#define MS_DEFAULT 400u
#define SEED_STRIDE 1000003u

typedef struct growth_scenario {
    uint64_t goroutines;
    uint64_t ops_per_goroutine;
    go_chan *results;
    uint64_t received;
} growth_scenario;

static void growth_worker(void *arg) {
    growth_scenario *s = arg;
    for (uint64_t i = 0; i < s->ops_per_goroutine; i++) go_send(s->results, i + 1);
}

static void growth_main(void *arg) {
    growth_scenario *s = arg;
    s->results = go_make_chan(0);
    for (uint64_t g = 0; g < s->goroutines; g++) go_go(growth_worker, s);
    for (uint64_t n = s->goroutines * s->ops_per_goroutine; n > 0; n--) {
        go_recv(s->results);
        s->received++;
    }
}

/* One execution under seed `seed`; exits when it did not do all its work,
 * since its timing would then mean nothing. */
static void run_one(growth_scenario *s, uint64_t seed) {
    go_prng_source source;
    go_config config = {
        .decider = go_decider_prng(&source, seed, 2),
        .record_trace = false,
        .step_budget = 1000000000u,
    };
    s->received = 0;
    go_exec *exec = go_exec_run(&config, growth_main, s);
    uint64_t want = s->goroutines * s->ops_per_goroutine;
    if (go_exec_end(exec) != GO_END_RETURNED || s->received != want) {
        fprintf(stderr, "bench_growth: G=%llu K=%llu ended by %s after %llu of %llu receives\n",
                (unsigned long long)s->goroutines, (unsigned long long)s->ops_per_goroutine,
                go_end_name(go_exec_end(exec)), (unsigned long long)s->received,
                (unsigned long long)want);
        exit(1);
    }
    go_exec_free(exec);
}

static uint64_t cpu_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void measure(uint64_t goroutines, uint64_t ops, uint64_t budget_ns) {
    growth_scenario s = {.goroutines = goroutines, .ops_per_goroutine = ops};
    run_one(&s, 1); /* warm the stack pool and the allocator */
    uint64_t executions = 0;
    uint64_t start = cpu_now_ns(), elapsed = 0;
    do {
        run_one(&s, (executions + 2) * SEED_STRIDE);
        executions++;
        elapsed = cpu_now_ns() - start;
    } while (elapsed < budget_ns);
    double seconds = (double)elapsed / 1e9;
    double operations = 2.0 * (double)goroutines * (double)ops * (double)executions;
    printf("%llu\t%llu\t%llu\t%.1f\t%.1f\n", (unsigned long long)goroutines,
           (unsigned long long)ops, (unsigned long long)executions,
           (double)executions / seconds, (double)elapsed / operations);
    fflush(stdout);
}

static void usage(void) {
    fprintf(stderr, "usage: bench_growth [--ms MS] [--only G:K]\n");
    exit(2);
}

int main(int argc, char **argv) {
    uint64_t ms = MS_DEFAULT;
    unsigned long long only_g = 0, only_k = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--ms") == 0 && i + 1 < argc) {
            char *end;
            ms = strtoull(argv[++i], &end, 10);
            if (*end != '\0' || ms == 0) {
                fprintf(stderr, "bench_growth: --ms: expected a positive integer, got '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            if (sscanf(argv[++i], "%llu:%llu", &only_g, &only_k) != 2 || only_g == 0 || only_k == 0) {
                fprintf(stderr, "bench_growth: --only: expected G:K, got '%s'\n", argv[i]);
                return 2;
            }
        } else {
            usage();
        }
    }
    if (only_g != 0) {
        measure(only_g, only_k, ms * 1000000u);
        return 0;
    }
    static const uint64_t goroutines[] = {2, 8, 64, 512};
    static const uint64_t ops[] = {10, 100, 1000};
    printf("goroutines\tops\texecutions\texec_per_s\tns_per_op\n");
    for (size_t g = 0; g < sizeof goroutines / sizeof *goroutines; g++)
        for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
            measure(goroutines[g], ops[k], ms * 1000000u);
    return 0;
}
