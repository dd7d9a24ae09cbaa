/* bench_runtime.c -- the runtime's benchmark table: ns/op for the hot paths
 * and the ratios the project's targets are stated in.
 *
 * Machines here are noisy (two shared cores), so absolute figures move from
 * run to run; the ratios are taken between rows measured in the same run,
 * and each row is run several times and its fastest run kept: noise only
 * ever adds time, so the minimum is the best estimate of the cost itself.
 * The median is printed beside it to show the spread.
 *
 * Nothing here asserts a timing. The program fails only when a row did not
 * do what it measures (a wrong value, an execution that did not return).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

/* How long each timed run lasts, and how many runs a row gets: 7 timed
 * rows x (7 x 100 ms + calibration) plus the memory row (~3 s, most of it
 * mapping 100,000 stacks) took 10-12 s here, inside the 20 s budget. */
#define RUN_NS_DEFAULT (100u * 1000u * 1000u)
#define RUNS_DEFAULT 7
#define MEMORY_GOROUTINES_DEFAULT 100000u
/* --quick (CI smoke): proves every row runs, measures nothing useful. */
#define RUN_NS_QUICK (2u * 1000u * 1000u)
#define RUNS_QUICK 1
#define MEMORY_GOROUTINES_QUICK 1000u
#define MAX_RUNS 101

typedef enum row_id {
    ROW_SWITCH, ROW_SWAPCONTEXT, ROW_YIELD, ROW_PINGPONG, ROW_BUFFERED,
    ROW_SELECT, ROW_SPAWN, ROW_TIMED_COUNT
} row_id;

typedef struct timed_row {
    const char *name;            /* for --only */
    const char *label;           /* the table's first column */
    bench_timed_fn *run;
    const char *reference;       /* what to compare against, or "" */
} timed_row;

static const timed_row timed_rows[ROW_TIMED_COUNT] = {
    [ROW_SWITCH] = {"switch", "bare switch round trip (2x cf_switch)", bench_bare_switch,
                    "~10 ns (this machine kind)"},
    [ROW_SWAPCONTEXT] = {"swapcontext", "glibc swapcontext round trip", bench_swapcontext,
                         "2.2-2.5 us (this machine kind)"},
    [ROW_YIELD] = {"yield", "yield round trip (2x go_yield)", bench_yield, ""},
    [ROW_PINGPONG] = {"pingpong", "unbuffered ping-pong round trip", bench_pingpong,
                      "Go 1.19: 230-330 ns"},
    [ROW_BUFFERED] = {"buffered", "buffered send+receive pair (cap 128)", bench_buffered, ""},
    [ROW_SELECT] = {"select", "select over 4 cases, one ready", bench_select4,
                    "Go 1.19: 107-145 ns"},
    [ROW_SPAWN] = {"spawn", "spawn+exit (go_go + go_yield)", bench_spawn_exit,
                   "Go 1.19: 150-210 ns"},
};

typedef struct row_result {
    bool measured;
    double min_ns;               /* per op, fastest run */
    double median_ns;            /* per op */
    uint64_t ops;                /* per run */
} row_result;

typedef struct options {
    uint64_t run_ns;
    int runs;
    uint64_t memory_goroutines;
    const char *only;            /* a row name, or NULL for all */
    uint64_t fixed_ops;          /* --ops: no calibration, one run of this */
    bool quick;
} options;

static void usage(FILE *out) {
    fprintf(out,
            "usage: bench_runtime [--quick] [--only ROW] [--runs N] [--run-ms MS]\n"
            "                     [--goroutines N] [--ops N]\n"
            "  --quick         a short run that only proves every row works (CI)\n"
            "  --only ROW      one row: switch swapcontext yield pingpong buffered\n"
            "                  select spawn memory (e.g. under perf or callgrind)\n"
            "  --runs N        timed runs per row (default %d)\n"
            "  --run-ms MS     length of one timed run (default %u)\n"
            "  --goroutines N  blocked goroutines for the memory row (default %u)\n"
            "  --ops N         no calibration: one run of exactly N ops per row, so that\n"
            "                  a profiler's counts for two values of N differ by exactly\n"
            "                  the ops (callgrind: instructions per op)\n",
            RUNS_DEFAULT, RUN_NS_DEFAULT / 1000000u, MEMORY_GOROUTINES_DEFAULT);
}

static uint64_t parse_count(const char *flag, const char *text) {
    char *end = NULL;
    unsigned long long value = text ? strtoull(text, &end, 10) : 0;
    if (!text || *end != '\0' || value == 0) {
        fprintf(stderr, "bench_runtime: %s needs a positive number\n", flag);
        usage(stderr);
        exit(2);
    }
    return value;
}

static options parse_options(int argc, char **argv) {
    options opt = {RUN_NS_DEFAULT, RUNS_DEFAULT, MEMORY_GOROUTINES_DEFAULT, NULL, 0, false};
    bool runs_set = false, run_ns_set = false, goroutines_set = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--quick") == 0) {
            opt.quick = true;
        } else if (strcmp(arg, "--only") == 0) {
            if (!next) {
                fprintf(stderr, "bench_runtime: --only needs a row name\n");
                usage(stderr);
                exit(2);
            }
            opt.only = argv[++i];
        } else if (strcmp(arg, "--runs") == 0) {
            uint64_t runs = parse_count(arg, next);
            opt.runs = runs > MAX_RUNS ? MAX_RUNS : (int)runs;
            runs_set = true, i++;
        } else if (strcmp(arg, "--run-ms") == 0) {
            opt.run_ns = parse_count(arg, next) * 1000000u;
            run_ns_set = true, i++;
        } else if (strcmp(arg, "--ops") == 0) {
            opt.fixed_ops = parse_count(arg, next);
            opt.runs = 1;
            runs_set = true, i++;
        } else if (strcmp(arg, "--goroutines") == 0) {
            opt.memory_goroutines = parse_count(arg, next);
            goroutines_set = true, i++;
        } else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else {
            fprintf(stderr, "bench_runtime: unknown argument '%s'\n", arg);
            usage(stderr);
            exit(2);
        }
    }
    /* --quick sets what was not given explicitly. */
    if (opt.quick) {
        if (!runs_set) opt.runs = RUNS_QUICK;
        if (!run_ns_set) opt.run_ns = RUN_NS_QUICK;
        if (!goroutines_set) opt.memory_goroutines = MEMORY_GOROUTINES_QUICK;
    }
    if (opt.only) {
        bool known = strcmp(opt.only, "memory") == 0;
        for (int r = 0; r < ROW_TIMED_COUNT; r++)
            known |= strcmp(opt.only, timed_rows[r].name) == 0;
        if (!known) {
            fprintf(stderr, "bench_runtime: no row named '%s'\n", opt.only);
            usage(stderr);
            exit(2);
        }
    }
    return opt;
}

static bool selected(const options *opt, const char *name) {
    return opt->only == NULL || strcmp(opt->only, name) == 0;
}

/* ---- timing ----------------------------------------------------------- */

/* How many ops make one run last about run_ns. Grows the count until a run
 * takes a tenth of that, so clock resolution and setup do not dominate,
 * then scales. These runs also warm the caches, pools and branch history. */
static uint64_t calibrate(bench_timed_fn *run, uint64_t run_ns) {
    uint64_t ops = 16;
    for (;;) {
        uint64_t ns = run(ops);
        if (ns >= run_ns / 10 || ops >= ((uint64_t)1 << 36)) {
            double per_op = (double)(ns ? ns : 1) / (double)ops;
            uint64_t scaled = (uint64_t)((double)run_ns / per_op);
            return scaled ? scaled : 1;
        }
        ops *= 8;
    }
}

static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static row_result measure(const timed_row *row, const options *opt) {
    row_result result = {.measured = true};
    result.ops = opt->fixed_ops ? opt->fixed_ops : calibrate(row->run, opt->run_ns);
    double per_op[MAX_RUNS];
    for (int i = 0; i < opt->runs; i++)
        per_op[i] = (double)row->run(result.ops) / (double)result.ops;
    qsort(per_op, (size_t)opt->runs, sizeof per_op[0], compare_double);
    result.min_ns = per_op[0];
    result.median_ns = opt->runs % 2 ? per_op[opt->runs / 2]
                                     : (per_op[opt->runs / 2 - 1] + per_op[opt->runs / 2]) / 2;
    return result;
}

/* ---- the table ----------------------------------------------------------- */

static void print_header(const options *opt) {
    char cpu[128] = "unknown cpu";
    char line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        while (fgets(line, sizeof line, f)) {
            char *colon = strchr(line, ':');
            if (strncmp(line, "model name", 10) == 0 && colon) {
                snprintf(cpu, sizeof cpu, "%s", colon + 2);
                cpu[strcspn(cpu, "\n")] = '\0';
                break;
            }
        }
        fclose(f);
    }
#ifdef __OPTIMIZE__
    const char *optimized = "optimized";
#else
    const char *optimized = "NOT optimized";
#endif
#if CF_CHECKS
    const char *checks = "invariant checks ON (not representative)";
#else
    const char *checks = "invariant checks off";
#endif
#ifdef __clang__
    const char *compiler = "clang";
#else
    const char *compiler = "gcc";
#endif
    printf("chanfuzz bench_runtime%s: %s %s, %s, %s\n", opt->quick ? " --quick" : "",
           compiler, __VERSION__, optimized, checks);
    printf("%s, %ld cores online; %d run%s of ~%llu ms per row, ns per op\n\n", cpu,
           sysconf(_SC_NPROCESSORS_ONLN), opt->runs, opt->runs == 1 ? "" : "s",
           (unsigned long long)(opt->run_ns / 1000000u));
    printf(" #  %-40s %10s %10s %11s  %s\n", "row", "min", "median", "ops/run", "reference");
}

static void print_row(int number, const timed_row *row, const row_result *r) {
    if (!r->measured) return;
    printf("%2d  %-40s %10.1f %10.1f %11llu  %s\n", number, row->label, r->min_ns,
           r->median_ns, (unsigned long long)r->ops, row->reference);
}

static void print_memory(const bench_memory *m) {
    if (m->ok) {
        double per = (double)m->rss_bytes / (double)m->goroutines;
        printf("%2d  %-40s %7.2f KiB per goroutine (RSS +%.1f MiB)  Go 1.19: ~2.7 KiB\n", 8,
               "memory per blocked goroutine", per / 1024, (double)m->rss_bytes / (1 << 20));
        printf("    %llu goroutines blocked on one channel; page tables +%.1f MiB more "
               "(%.0f B each, outside RSS)\n",
               (unsigned long long)m->goroutines, (double)m->page_table_bytes / (1 << 20),
               (double)m->page_table_bytes / (double)m->goroutines);
    } else {
        printf("%2d  %-40s FAILED: %s\n", 8, "memory per blocked goroutine", m->failure);
    }
    if (m->guarded_ok && m->guarded_goroutines)
        printf("    first %llu (guarded stacks): %.2f KiB each\n",
               (unsigned long long)m->guarded_goroutines,
               (double)m->guarded_rss_bytes / (double)m->guarded_goroutines / 1024);
    if (m->ok && m->canary_goroutines)
        printf("    next %llu (canary-slab stacks): %.2f KiB each\n",
               (unsigned long long)m->canary_goroutines,
               (double)m->canary_rss_bytes / (double)m->canary_goroutines / 1024);
}

/* One line of the ratio table: "n/a" when a row it needs was not run. */
static void print_ratio(const char *label, const row_result *num, const row_result *den,
                        double target) {
    if (!num->measured || !den->measured) {
        printf("    %-40s %10s\n", label, "n/a");
        return;
    }
    double ratio = num->min_ns / den->min_ns;
    if (target > 0)
        printf("    %-40s %9.2fx   <= %.0fx   %s\n", label, ratio, target,
               ratio <= target ? "meets target" : "OVER target");
    else
        printf("    %-40s %9.2fx   (for reference)\n", label, ratio);
}

int main(int argc, char **argv) {
    options opt = parse_options(argc, argv);
    row_result results[ROW_TIMED_COUNT] = {{0}};
    bench_memory memory = {.ok = false};
    bool memory_measured = false;

    /* Memory first: its child process must start with an empty stack pool,
     * and the timed rows fill it. */
    if (selected(&opt, "memory")) {
        memory = bench_blocked_memory(opt.memory_goroutines);
        memory_measured = true;
    }
    for (int r = 0; r < ROW_TIMED_COUNT; r++)
        if (selected(&opt, timed_rows[r].name)) results[r] = measure(&timed_rows[r], &opt);

    print_header(&opt);
    for (int r = 0; r < ROW_TIMED_COUNT; r++) print_row(r + 1, &timed_rows[r], &results[r]);
    if (memory_measured) print_memory(&memory);

    printf("\nratios (of min ns/op)                         measured   target\n");
    print_ratio("yield round trip / bare switch", &results[ROW_YIELD], &results[ROW_SWITCH], 2);
    print_ratio("ping-pong / yield round trip", &results[ROW_PINGPONG], &results[ROW_YIELD], 3);
    print_ratio("spawn+exit / yield round trip", &results[ROW_SPAWN], &results[ROW_YIELD], 5);
    if (memory_measured && memory.ok) {
        double kib = (double)memory.rss_bytes / (double)memory.goroutines / 1024;
        printf("    %-40s %6.2f KiB   <= 8 KiB  %s\n", "bytes per blocked goroutine", kib,
               kib <= 8 ? "meets target" : "OVER target");
    } else {
        printf("    %-40s %10s\n", "bytes per blocked goroutine", "n/a");
    }
    print_ratio("swapcontext / bare switch", &results[ROW_SWAPCONTEXT], &results[ROW_SWITCH],
                0);
    print_ratio("swapcontext / yield round trip", &results[ROW_SWAPCONTEXT],
                &results[ROW_YIELD], 0);
    if (opt.quick) printf("\n(--quick: too short to mean anything; it proves the rows run)\n");
    if (memory_measured && !memory.ok) {
        fprintf(stderr, "bench_runtime: the memory row failed: %s\n", memory.failure);
        return 1;
    }
    return 0;
}
