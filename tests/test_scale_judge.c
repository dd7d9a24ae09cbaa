/* test_scale_judge.c -- a crowd leaked on one channel is judged, and its
 * teardown gives its memory back, in work linear in the crowd.
 *
 * Every one of N senders blocked on one channel reaches all the others
 * through it, so working out each one's retained set up front was N^2
 * (runtime/graph_inspect.c), and under ASan tearing each one down
 * unpoisoned its whole 512 KiB stack, 64 KiB of shadow apiece
 * (runtime/stack.c). bench_judge measures the cost per goroutine from
 * 10^3 to 10^5; this test holds the verdict at 2x10^4 and puts a ceiling
 * on the CPU and memory that takes, well above the linear cost (1.2 s of
 * CPU and 110 MB on the default build) and well below the quadratic one
 * (14 s of CPU measured on the old code; 1.3 GB of shadow under ASan). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <chanfuzz/findings.h>

#include "support.h"

#define CROWD 20000

/* A CPU ceiling, not a timing: SIGXCPU ends the test process when the
 * work is of the wrong order, whatever the load on the machine. */
#if UNDER_ASAN
#define CPU_SECONDS 30
#define RSS_MAX_MIB 1500 /* seen: 218 MiB alone, 991 MiB under ctest -j2 (unexplained) */
#else
#define CPU_SECONDS 5
#define RSS_MAX_MIB 300
#endif

static void blocked_sender(void *arg) { go_send((go_chan *)arg, 1); }

static void crowd_on_one_channel(void *arg) {
    (void)arg;
    go_chan *shared = go_make_chan(0); /* nobody receives */
    for (int i = 0; i < CROWD; i++) go_go(blocked_sender, shared);
}

/* Peak resident set of this process, from /proc/self/status (VmHWM). */
static long peak_rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) sscanf(line + 6, "%ld", &kib);
    if (f) fclose(f);
    return kib;
}

Test(scale_judge, twenty_thousand_senders_leaked_on_one_channel_are_one_partial_deadlock) {
    struct rlimit cpu = {.rlim_cur = CPU_SECONDS, .rlim_max = CPU_SECONDS + 5};
    cr_assert_eq(setrlimit(RLIMIT_CPU, &cpu), 0);
    go_exec *e = run_first(crowd_on_one_channel, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "ended by %s: %s", go_end_name(go_exec_end(e)),
                 go_exec_message(e));
    cr_assert_eq(go_exec_goroutine_count(e), (size_t)CROWD);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_not_null(f);
    cr_assert_eq(f->count, 1, "one finding, not %zu", f->count);
    const chanfuzz_finding *only = &f->items[0];
    cr_expect_eq(only->kind, CHANFUZZ_PARTIAL_DEADLOCK, "kind %s",
                 chanfuzz_kind_id(only->kind));
    cr_expect_eq(only->occurrences, (size_t)CROWD);
    cr_expect_eq(only->goroutine_count, (size_t)CROWD);
    cr_expect(strstr(only->message, "20000 goroutines partially deadlocked"), "%s",
              only->message);
    /* The witness still names the channel only leaked goroutines hold. */
    cr_expect(strstr(only->witness.summary, "is held only by leaked goroutines"), "%s",
              only->witness.summary);
    chanfuzz_findings_free(f);
    go_exec_free(e);
    long peak = peak_rss_kib();
    cr_expect(peak > 0 && peak < RSS_MAX_MIB * 1024L, "peak RSS %ld KiB, above %d MiB", peak,
              RSS_MAX_MIB);
}
