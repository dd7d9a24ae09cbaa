/* bench_memory.c -- row 8: resident memory per blocked goroutine.
 *
 *  ch := make(chan int)
 *  for i := 0; i < n; i++ { go func() { <-ch }() }
 *  runtime.Gosched()   // every one of them runs and blocks
 *  // sample RSS here
 *
 * RSS is sampled from inside the execution, by main, before the spawns and
 * after the yield that lets every goroutine run into its receive. The
 * growth counts what the runtime really pays per blocked goroutine: the
 * stack pages it touched, its struct, its run-queue slot and decisions
 * logged on the way. Page tables (VmPTE) are kernel memory outside RSS and
 * are reported on their own.
 *
 * Stacks are guarded up to cf_stack_guarded_limit() and come from canary
 * slabs past it (stack.h), so the goroutines are spawned in two phases split
 * at that limit and each phase's growth is reported too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "stack.h"

typedef struct memory_run {
    uint64_t goroutines;
    uint64_t guarded_phase;      /* how many the first phase spawns */
    go_chan *never;              /* the channel nobody sends on */
    bench_memory result;
} memory_run;

/* Resident bytes, from the second field of /proc/self/statm (pages). */
static int64_t resident_bytes(void) {
    long pages_total = 0, pages_resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return -1;
    int fields = fscanf(f, "%ld %ld", &pages_total, &pages_resident);
    fclose(f);
    if (fields != 2) return -1;
    return (int64_t)pages_resident * sysconf(_SC_PAGESIZE);
}

/* Page-table bytes, from the VmPTE line of /proc/self/status. */
static int64_t page_table_bytes(void) {
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmPTE: %ld kB", &kib) == 1) break;
    fclose(f);
    return kib < 0 ? -1 : (int64_t)kib * 1024;
}

static void blocked_goroutine(void *arg) { go_recv((go_chan *)arg); }

/* Spawns `count` blocked goroutines, then yields so that every one runs
 * into its receive before main (queued behind them) runs again. */
static void spawn_blocked(memory_run *run, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) go_go(blocked_goroutine, run->never);
    go_yield();
}

/* Each phase's figures are stored as soon as they are sampled, so that a
 * failure in the second phase still leaves the first one's. */
static void memory_main(void *arg) {
    memory_run *run = arg;
    bench_memory *m = &run->result;
    run->never = go_make_chan(0);

    int64_t rss_start = resident_bytes();
    int64_t pte_start = page_table_bytes();
    spawn_blocked(run, run->guarded_phase);
    int64_t rss_guarded = resident_bytes();
    m->guarded_goroutines = run->guarded_phase;
    m->guarded_rss_bytes = rss_guarded - rss_start;
    m->guarded_ok = rss_start >= 0 && rss_guarded >= 0;

    spawn_blocked(run, run->goroutines - run->guarded_phase);
    int64_t rss_end = resident_bytes();
    int64_t pte_end = page_table_bytes();
    m->goroutines = run->goroutines;
    m->rss_bytes = rss_end - rss_start;
    m->page_table_bytes = pte_end - pte_start;
    m->canary_goroutines = run->goroutines - run->guarded_phase;
    m->canary_rss_bytes = rss_end - rss_guarded;
    m->ok = m->guarded_ok && rss_end >= 0 && pte_start >= 0 && pte_end >= 0;
    if (!m->ok) snprintf(m->failure, sizeof m->failure, "cannot read /proc/self");
}

/* The child's side: measure, check that every goroutine was left blocked,
 * and write the result to `out`. */
static void measure_in_child(uint64_t goroutines, int out) {
    memory_run run = {.goroutines = goroutines};
    /* Main's own stack is the first guarded one. */
    uint64_t guarded_room = cf_stack_guarded_limit() - 1;
    run.guarded_phase = goroutines < guarded_room ? goroutines : guarded_room;

    go_config config = bench_config();
    go_exec *exec = go_exec_run(&config, memory_main, &run);
    uint64_t blocked = 0;
    for (size_t i = 0; i < go_exec_goroutine_count(exec); i++)
        blocked += go_exec_goroutine(exec, i)->state == GO_STATE_BLOCKED;
    if (go_exec_end(exec) != GO_END_RETURNED || blocked != goroutines) {
        run.result.ok = false;
        snprintf(run.result.failure, sizeof run.result.failure,
                 "execution ended by %s (%s) with %llu of %llu goroutines blocked",
                 go_end_name(go_exec_end(exec)), go_exec_message(exec),
                 (unsigned long long)blocked, (unsigned long long)goroutines);
    }
    go_exec_free(exec);
    ssize_t written = write(out, &run.result, sizeof run.result);
    _exit(written == (ssize_t)sizeof run.result ? 0 : 1);
}

bench_memory bench_blocked_memory(uint64_t goroutines) {
    bench_memory result = {.ok = false, .failure = "cannot fork the measuring child"};
    int fds[2];
    if (pipe(fds) != 0) {
        perror("bench_runtime: pipe");
        return result;
    }
    fflush(NULL); /* or the child would print the parent's buffered output again */
    pid_t child = fork();
    if (child < 0) {
        perror("bench_runtime: fork");
        close(fds[0]);
        close(fds[1]);
        return result;
    }
    if (child == 0) {
        close(fds[0]);
        measure_in_child(goroutines, fds[1]);
    }
    close(fds[1]);
    ssize_t got;
    do {
        got = read(fds[0], &result, sizeof result);
    } while (got < 0 && errno == EINTR);
    close(fds[0]);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (got != (ssize_t)sizeof result || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        result = (bench_memory){.ok = false};
        snprintf(result.failure, sizeof result.failure, "the measuring child died (status %d)",
                 status);
    }
    return result;
}
