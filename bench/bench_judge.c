/* bench_judge.c -- a leak of N goroutines on one channel, run and judged,
 * from 10^3 to 10^5 goroutines: the cost per goroutine at each size as a
 * ratio to the smallest size's, measured in the same run. Linear work
 * shows ratios near 1; the partial-deadlock result used to walk the
 * shared channel's waiters once per goroutine, and at 10^5 was never
 * done (README.md, "Judging at scale").
 *
 *  ch := make(chan int)
 *  for i := 0; i < n; i++ { go func() { ch <- 1 }() }   // nobody receives
 *  // main returns: n goroutines partially deadlocked on ch
 *
 * Each size runs in a forked child, so that its stack pool starts empty
 * and its peak resident set (VmHWM) is its own. CPU seconds (user+sys of
 * the child) are the measure: the machines are shared, and wall time
 * there mostly counts other processes. Nothing is asserted of a time; the
 * program fails only when the verdict is not one partial deadlock of all
 * N goroutines.
 *
 *   bench_judge              10^3 (baseline), 10^4, 10^5
 *   bench_judge --quick      10^2 (baseline), 10^3: proves it runs
 *   bench_judge --max N      10^3, ..., up to N by factors of 10
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chanfuzz/exec.h>
#include <chanfuzz/findings.h>
#include <chanfuzz/go.h>

typedef struct measured {
    double run_cpu, judge_cpu;   /* seconds of CPU: the execution (spawns,
                                    blocks, teardown), then chanfuzz_detect */
    double wall;                 /* both, wall clock */
    long peak_rss_kib;           /* VmHWM of the child */
    size_t occurrences;          /* goroutines in the one finding */
    int findings;
    int ok;                      /* the verdict was right */
} measured;

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) sscanf(line + 6, "%ld", &kib);
    if (f) fclose(f);
    return kib;
}

static void blocked_sender(void *arg) { go_send((go_chan *)arg, 1); }

static void leak_on_one_channel(void *arg) {
    uint64_t n = *(const uint64_t *)arg;
    go_chan *shared = go_make_chan(0);
    for (uint64_t i = 0; i < n; i++) go_go(blocked_sender, shared);
}

static measured measure_here(uint64_t n) {
    measured m = {0};
    /* Spawns and blocks take two scheduling points per goroutine. */
    go_config config = {.decider = go_decider_first(), .step_budget = 10 * n + 1000};
    double wall = wall_now(), cpu = cpu_now();
    go_exec *e = go_exec_run(&config, leak_on_one_channel, &n);
    double after_run = cpu_now();
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    m.judge_cpu = cpu_now() - after_run;
    m.run_cpu = after_run - cpu;
    m.wall = wall_now() - wall;
    if (f) {
        m.findings = (int)f->count;
        if (f->count == 1 && f->items[0].kind == CHANFUZZ_PARTIAL_DEADLOCK)
            m.occurrences = f->items[0].occurrences;
    }
    m.ok = go_exec_end(e) == GO_END_RETURNED && m.findings == 1 && m.occurrences == n;
    chanfuzz_findings_free(f);
    go_exec_free(e);
    m.peak_rss_kib = peak_rss_kib();
    return m;
}

/* measure_here(n) in a fresh child; ok = 0 when the child failed. */
static measured measure(uint64_t n) {
    int fds[2];
    measured m = {0};
    if (pipe(fds) != 0) return m;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        measured here = measure_here(n);
        ssize_t written = write(fds[1], &here, sizeof here);
        _exit(written == (ssize_t)sizeof here ? 0 : 1);
    }
    close(fds[1]);
    if (child < 0 || read(fds[0], &m, sizeof m) != (ssize_t)sizeof m) m.ok = 0;
    close(fds[0]);
    int status;
    if (child > 0) waitpid(child, &status, 0);
    return m;
}

int main(int argc, char **argv) {
    uint64_t first = 1000, last = 100000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            first = 100;
            last = 1000;
        } else if (!strcmp(argv[i], "--max") && i + 1 < argc) {
            last = strtoull(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "usage: bench_judge [--quick] [--max N]\n");
            return 2;
        }
    }
#ifdef CF_CHECKS
    printf("note: invariant checks are on (CF_CHECKS): the figures include them\n");
#endif
    printf("a leak of N goroutines on one channel, run and judged; CPU seconds, and per\n"
           "goroutine as a ratio to N = %" PRIu64 " (1.00: linear)\n\n", first);
    printf("%9s %9s %9s %10s %8s %9s %8s %10s %9s\n", "N", "run s", "judge s", "us/gor",
           "ratio", "judge us", "ratio", "peak MiB", "KiB/gor");
    double base_total = 0, base_judge = 0;
    int failed = 0;
    for (uint64_t n = first; n <= last; n *= 10) {
        measured m = measure(n);
        if (!m.ok) {
            printf("%9" PRIu64 "  FAILED: %d finding(s), %zu goroutines in it\n", n, m.findings,
                   m.occurrences);
            failed = 1;
            continue;
        }
        double per = (m.run_cpu + m.judge_cpu) / (double)n * 1e6;
        double judge_per = m.judge_cpu / (double)n * 1e6;
        if (n == first) base_total = per, base_judge = judge_per;
        printf("%9" PRIu64 " %9.2f %9.2f %10.2f %8.2f %9.2f %8.2f %10.1f %9.2f\n", n, m.run_cpu,
               m.judge_cpu, per, base_total > 0 ? per / base_total : 0, judge_per,
               base_judge > 0 ? judge_per / base_judge : 0, (double)m.peak_rss_kib / 1024,
               (double)m.peak_rss_kib / (double)n);
        fflush(stdout);
    }
    return failed;
}
