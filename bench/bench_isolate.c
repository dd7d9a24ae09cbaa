/* bench_isolate.c -- what crash isolation (harness/isolate/isolate.c) costs per
 * execution: `chanfuzz run` of a clean variant for N executions, once in
 * child processes (the default) and once with --no-isolate, alternated
 * and timed from this process, at several N. The difference over N is the
 * cost per execution; at N = 1 it is the fork (one per variant) alone.
 *
 *     bench_isolate CHANFUZZ [--quick] [--runs K] [--scenario S:V]
 *
 * Prints min and median wall time per run and the ratio of the minima,
 * isolated over unisolated (noise only adds time: bench/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static const char *chanfuzz, *scenario = "first_result:fixed";

/* One `chanfuzz run`, its output discarded; ns of wall time. */
static uint64_t run_once(uint64_t executions, bool isolated) {
    char budget[32];
    snprintf(budget, sizeof budget, "%llu", (unsigned long long)executions);
    char out[] = "/tmp/chanfuzz-bench-isolate.XXXXXX";
    if (!mkdtemp(out)) {
        perror("bench_isolate: mkdtemp");
        exit(1);
    }
    fflush(stdout);
    uint64_t started = bench_now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        if (isolated)
            execl(chanfuzz, chanfuzz, "run", scenario, "--budget", budget, "--out", out,
                  (char *)NULL);
        else
            execl(chanfuzz, chanfuzz, "run", scenario, "--budget", budget, "--out", out,
                  "--no-isolate", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    uint64_t took = bench_now_ns() - started;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_isolate: %s run %s --budget %s%s exited %d\n", chanfuzz,
                scenario, budget, isolated ? "" : " --no-isolate",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        exit(1);
    }
    char remove[64];
    snprintf(remove, sizeof remove, "rm -rf %s", out);
    if (system(remove) != 0) exit(1);
    return took;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bench_isolate CHANFUZZ [--quick] [--runs K] [--scenario S:V]\n");
        return 2;
    }
    chanfuzz = argv[1];
    int runs = 7;
    bool quick = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = true, runs = 1;
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--scenario") && i + 1 < argc) scenario = argv[++i];
        else {
            fprintf(stderr, "bench_isolate: unknown argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (runs < 1) runs = 1;
    static const uint64_t full[] = {1, 1000, 10000, 50000}, short_list[] = {1, 100};
    const uint64_t *sizes = quick ? short_list : full;
    size_t size_count = quick ? 2 : 4;
    printf("chanfuzz run %s: isolated (a child per variant) vs --no-isolate, %d run%s each\n",
           scenario, runs, runs == 1 ? "" : "s");
    printf("%10s %14s %14s %14s %14s %8s %16s\n", "executions", "isolated min", "median",
           "unisolated min", "median", "ratio", "cost/execution");
    uint64_t *isolated = calloc((size_t)runs, sizeof *isolated);
    uint64_t *plain = calloc((size_t)runs, sizeof *plain);
    if (!isolated || !plain) return 1;
    uint64_t fork_cost = 0;
    for (size_t s = 0; s < size_count; s++) {
        for (int r = 0; r < runs; r++) {
            isolated[r] = run_once(sizes[s], true);
            plain[r] = run_once(sizes[s], false);
        }
        qsort(isolated, (size_t)runs, sizeof *isolated, by_value);
        qsort(plain, (size_t)runs, sizeof *plain, by_value);
        int64_t extra = (int64_t)isolated[0] - (int64_t)plain[0];
        if (s == 0) fork_cost = extra > 0 ? (uint64_t)extra : 0;
        /* Past the one fork, what is left is per execution. */
        double per_execution = sizes[s] > 1 ? (double)(extra - (int64_t)fork_cost) / (double)sizes[s]
                                            : (double)extra;
        printf("%10llu %12.2fms %12.2fms %12.2fms %12.2fms %8.3f %13.0f ns\n",
               (unsigned long long)sizes[s], isolated[0] / 1e6, isolated[runs / 2] / 1e6,
               plain[0] / 1e6, plain[runs / 2] / 1e6, (double)isolated[0] / (double)plain[0],
               per_execution);
    }
    printf("at 1 execution the cost is the fork and the wait; past it, per execution\n");
    free(isolated);
    free(plain);
    return 0;
}
