/* detect_end.c -- findings made by how the execution ended: a panic, a
 * fatal error or a stack overflow (the goroutine that failed), a global
 * deadlock (every goroutine, main first), and a step or settle budget that
 * ran out with goroutines still runnable (livelock). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

/* The runtime's text for an overflow (runtime/sched.c): the fatal error
 * Go prints as "fatal error: stack overflow". */
#define STACK_OVERFLOW_MESSAGE "stack overflow"

static const go_goroutine_info *failed_goroutine(const go_exec *exec) {
    for (size_t i = 0; i < go_exec_goroutine_count(exec); i++)
        if (go_exec_goroutine(exec, i)->state == GO_STATE_FAILED) return go_exec_goroutine(exec, i);
    return NULL;
}

void cf_detect_failure(cf_detection *d) {
    go_end end = go_exec_end(d->exec);
    if (end != GO_END_PANIC && end != GO_END_FATAL) return;
    const char *message = go_exec_message(d->exec);
    chanfuzz_kind kind = end == GO_END_PANIC ? CHANFUZZ_PANIC
                         : strcmp(message, STACK_OVERFLOW_MESSAGE) == 0 ? CHANFUZZ_STACK_OVERFLOW
                                                                         : CHANFUZZ_FATAL_ERROR;
    const go_goroutine_info *failed = failed_goroutine(d->exec);
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_state_failure(crash_state, sizeof crash_state, kind, message, failed);
    chanfuzz_finding *f = cf_finding_for(d, kind, crash_state);
    if (!f) return;
    snprintf(f->title, sizeof f->title, "%s", chanfuzz_kind_name(kind));
    snprintf(f->message, sizeof f->message, "%s", message);
    snprintf(f->witness.summary, sizeof f->witness.summary, "%s: %s",
             end == GO_END_PANIC ? "panic" : "fatal error", message);
    if (!failed) return;
    chanfuzz_goroutine *g = cf_finding_add_goroutine(d, f, failed);
    if (!g) return;
    if (kind == CHANFUZZ_STACK_OVERFLOW) {
        /* The runtime keeps the site where the goroutine last blocked, not
         * where it overflowed: showing it would point at the wrong line.
         * The go statement is the best location there is. */
        g->info.wait_site = NULL;
        f->site = failed->creator_site;
    } else {
        f->site = failed->wait_site;
    }
}

void cf_detect_deadlock(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_DEADLOCK) return;
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_state_deadlock(crash_state, sizeof crash_state, d->exec);
    chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_GLOBAL_DEADLOCK, crash_state);
    if (!f) return;
    snprintf(f->title, sizeof f->title, "global deadlock");
    /* The runtime words the Goexit case itself ("no goroutines (main
     * called runtime.Goexit) - deadlock!"); the usual one is Go's. */
    const char *message = go_exec_message(d->exec);
    snprintf(f->message, sizeof f->message, "%s",
             message[0] ? message : "all goroutines are asleep - deadlock!");
    snprintf(f->witness.summary, sizeof f->witness.summary, "%s", f->message);
    f->witness.kind = CHANFUZZ_WITNESS_BLOCKING_OBJECT;
    /* Main first: it is the goroutine whose wait makes this a deadlock
     * rather than a leak, and the one Go's report is about. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < go_exec_goroutine_count(d->exec); i++) {
            const go_goroutine_info *g = go_exec_goroutine(d->exec, i);
            if ((g->id == 1) != (pass == 0)) continue;
            chanfuzz_goroutine *added = cf_finding_add_goroutine(d, f, g);
            if (!added) return;
            if (g->id == 1) {
                f->site = g->wait_site;
                char blocked[sizeof f->witness.summary - 8];
                cf_blocked_summary(blocked, sizeof blocked, g, added->object_state);
                snprintf(f->witness.summary, sizeof f->witness.summary, "main %s", blocked);
            }
            if (g->object_kind != GO_OBJ_NONE &&
                !cf_witness_add(d, f, "waited on", g->object_kind, g->object_id, NULL))
                return;
        }
    }
}

void cf_detect_step_budget(cf_detection *d) {
    go_end end = go_exec_end(d->exec);
    bool settled_too_long = end == GO_END_RETURNED && go_exec_settle_exhausted(d->exec);
    if (end != GO_END_STEP_BUDGET && !settled_too_long) return;
    size_t total = go_exec_goroutine_count(d->exec), n = 0;
    const go_goroutine_info **runnable = calloc(total ? total : 1, sizeof *runnable);
    if (!runnable) {
        d->failed = true;
        return;
    }
    for (size_t i = 0; i < total; i++) {
        const go_goroutine_info *g = go_exec_goroutine(d->exec, i);
        if (g->state != GO_STATE_RUNNABLE) continue;
        if (cf_ignore_goroutine(d->ignore, g))
            d->findings->ignored++;
        else
            runnable[n++] = g;
    }
    if (n > 0) {
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_runnable(crash_state, sizeof crash_state, runnable, n);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_STEP_BUDGET, crash_state);
        for (size_t i = 0; f && i < n; i++)
            if (!cf_finding_add_goroutine(d, f, runnable[i])) f = NULL;
        if (f) {
            /* Runnable goroutines have no wait site; where they were
             * started is the location that stays put. */
            f->site = runnable[0]->creator_site;
            snprintf(f->title, sizeof f->title, "livelock");
            char count[64];
            cf_count_phrase(count, sizeof count, n, "goroutine", "goroutines", " runnable");
            if (settled_too_long)
                snprintf(f->message, sizeof f->message, "%s when settling ran out of steps",
                         count);
            else
                snprintf(f->message, sizeof f->message, "after %llu steps, %s",
                         (unsigned long long)go_exec_steps(d->exec), count);
            snprintf(f->witness.summary, sizeof f->witness.summary,
                     "%s when the budget ran out: still busy, or spinning without blocking "
                     "(more steps: --%s N, or the scenario's %s)",
                     count, settled_too_long ? "settle" : "steps",
                     settled_too_long ? ".settle_steps / //chanfuzz:settle N"
                                      : ".step_budget / //chanfuzz:steps N");
        }
    }
    free(runnable);
}
