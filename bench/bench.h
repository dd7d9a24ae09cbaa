/* bench.h -- what the rows of bench_runtime share: the clock, the shape of
 * a timed row, and the execution settings every model row runs under.
 *
 * A timed row is one function that performs `ops` operations and returns
 * how long the steady-state loop took, in nanoseconds. Setup (spawning the
 * partner goroutine, making channels, the first round trip that brings both
 * sides into the loop) is outside the timed region, so ops can be scaled
 * freely by calibration.
 */
#ifndef CF_BENCH_H
#define CF_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <chanfuzz/exec.h>

/* Wall time from CLOCK_MONOTONIC, in ns. Only the benchmark reads clocks:
 * the runtime's time is virtual. */
static inline uint64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Performs `ops` operations; returns the ns the timed loop took. */
typedef uint64_t bench_timed_fn(uint64_t ops);

/* ---- rows (bench_switch.c, bench_model.c) ------------------------------ */

/* 1. Two raw contexts switching back and forth with cf_switch: the limit. */
uint64_t bench_bare_switch(uint64_t ops);
/* 2. The same with glibc's swapcontext: the baseline to beat. */
uint64_t bench_swapcontext(uint64_t ops);
/* 3. Two goroutines calling go_yield in turn; one op = two yields. */
uint64_t bench_yield(uint64_t ops);
/* 4. Unbuffered ping-pong between two goroutines; one op = a round trip. */
uint64_t bench_pingpong(uint64_t ops);
/* 5. One goroutine, one buffered channel: one op = a send and a receive. */
uint64_t bench_buffered(uint64_t ops);
/* 6. A select over 4 receive cases of which exactly one is ready. */
uint64_t bench_select4(uint64_t ops);
/* 7. go_go of an empty function, then go_yield so it runs and exits. */
uint64_t bench_spawn_exit(uint64_t ops);

/* ---- memory (bench_memory.c) ------------------------------------------- */

typedef struct bench_memory {
    uint64_t goroutines;         /* blocked at the moment of the sample */
    int64_t rss_bytes;           /* resident set growth while they block */
    int64_t page_table_bytes;    /* VmPTE growth: kernel memory, not in RSS */
    /* The same split at the guarded-stack limit (stack.h): stacks past it
     * come from canary slabs, which touch other pages. */
    uint64_t guarded_goroutines; /* the first phase: guarded stacks only */
    int64_t guarded_rss_bytes;
    uint64_t canary_goroutines;  /* the second phase: canary stacks */
    int64_t canary_rss_bytes;
    bool guarded_ok;             /* the first phase was measured */
    bool ok;                     /* all of it was, and all were blocked */
    char failure[200];           /* why not, when !ok */
} bench_memory;

/* 8. Spawns `goroutines` goroutines that block receiving on one channel
 * nobody sends on, and measures resident memory growth from inside the
 * execution. Runs in a forked child, so that the stack pool starts empty
 * (pooled stacks are already resident and would hide their cost) and the
 * parent does not keep the memory afterwards. When the execution fails
 * part-way, what was measured before the failure is kept. */
bench_memory bench_blocked_memory(uint64_t goroutines);

/* ---- shared by the model rows ------------------------------------------ */

/* The settings every model row runs under: the first-ready decision source
 * (never preempts, so the only switches are the ones the row asks for), no
 * trace, no event hook, and a step budget no row comes near. */
go_config bench_config(void);

/* Runs main_fn(arg) as an execution under bench_config() and frees it.
 * Exits the process when the execution did not end by main returning: a
 * row that deadlocked or panicked measured nothing. */
void bench_run_execution(const char *row, go_func *main_fn, void *arg);

#endif
