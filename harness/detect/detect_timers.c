/* detect_timers.c -- timers and tickers never stopped.
 *
 * What Go itself calls a leak, by timer semantics (time package docs;
 * runtime/time.go; the Go 1.23 release notes):
 *   - Go <= 1.22: "Stop the ticker to release associated resources" -- the
 *     runtime's timer heap holds an unstopped Ticker for ever, referenced
 *     or not. A Timer (NewTimer, After) stays in the heap only "until the
 *     timer fires", then is collected like anything else.
 *   - Go 1.23: "Timers and Tickers that are no longer referred to by the
 *     program become eligible for garbage collection immediately, even if
 *     their Stop methods have not been called." Missing Stop leaks nothing
 *     by itself; a ticker stays only while something holds it.
 *
 * So, precision first, a finding is a Ticker still running at the end of
 * a settled execution (GO_END_RETURNED) that
 *   - under 1.22: is running at all (the heap is what holds it);
 *   - under 1.23: is held by a named global (go_global_set), a root that
 *     outlives the code that made it -- as unreleased closures count only
 *     globals and pending timers. Unreferenced, it was collected (clean);
 *     held by a leaked or never-exiting goroutine, that goroutine's
 *     finding is the bug (once it exits, the ticker is garbage); held by a
 *     C static, that is the scenarios' modelling convenience (README).
 * Never reported, under either semantics:
 *   - a one-shot Timer or time.After that fired, was stopped, or is still
 *     pending: Go collects it once it fires, so a pending one is delayed
 *     memory, not a leak (piled up in a hot loop it is a plateau, which
 *     the growth detector sees and does not call growth);
 *   - an AfterFunc: a scheduled call, kept by every Go until it runs; what
 *     it keeps alive meanwhile is its closure, which unreleased_closure
 *     reports ("held by a pending timer") -- one bug, one finding;
 *   - a context's deadline timer: lost_cancel and context_registered
 *     report it (the fix is calling cancel, not stopping a timer);
 *   - a ticker a goroutine still waits on at the end (a `for range t.C`
 *     loop, a select on t.C): the goroutine is a never-exits or leak
 *     finding, and stopping the ticker would not end its loop (Stop does
 *     not close t.C);
 *   - a ticker whose Stop is deferred in a goroutine that never returned
 *     (`defer t.Stop()`): that goroutine's finding is the bug. */
#include <stdio.h>

#include "detect.h"

/* Should this timer's end state be reported? *root gets what holds it. */
static bool left_running(const go_exec *exec, const go_timer_info *t, go_holder *root) {
    *root = (go_holder){0};
    if (t->kind != GO_TIMER_TICKER || t->state != GO_TIMER_PENDING) return false;
    if (t->receiver || t->stop_deferred_in) return false;
    bool held = t->reachable && go_exec_holder_chain(exec, GO_OBJ_TIMER, t->id, root, 1) > 0;
    if (go_exec_semantics(exec) == GO_SEMANTICS_1_22) return true;
    return held && root->root == GO_ROOT_GLOBAL;
}

static void summarize(cf_detection *d, chanfuzz_finding *f, const go_timer_info *t,
                      const go_holder *root) {
    char every[32] = "";
    if (t->period) {
        /* Go's Duration.String for the common cases; the exact text is
         * in the witness, not the crash state. */
        if (t->period % GO_S == 0) snprintf(every, sizeof every, "%llds", (long long)(t->period / GO_S));
        else if (t->period % GO_MS == 0) snprintf(every, sizeof every, "%lldms", (long long)(t->period / GO_MS));
        else snprintf(every, sizeof every, "%lldns", (long long)t->period);
    }
    snprintf(f->witness.summary, sizeof f->witness.summary, "ticker timer#%llu (every %s, %llu tick%s) ",
             (unsigned long long)t->id, every, (unsigned long long)t->fired, t->fired == 1 ? "" : "s");
    if (t->stop_called && t->stop_site)
        cf_append(f->witness.summary, sizeof f->witness.summary,
                  "was Reset after its last Stop at %s and ",
                  chanfuzz_site_position(t->stop_site).text);
    else
        cf_append(f->witness.summary, sizeof f->witness.summary, "was never stopped and ");
    if (go_exec_semantics(d->exec) == GO_SEMANTICS_1_22 && root->root != GO_ROOT_GLOBAL) {
        cf_append(f->witness.summary, sizeof f->witness.summary,
                  "is still running at the end: Go 1.22 and earlier never collect an "
                  "unstopped Ticker");
        return;
    }
    cf_append(f->witness.summary, sizeof f->witness.summary, "is still running, held by ");
    cf_append_chain(f->witness.summary, sizeof f->witness.summary, &f->witness);
}

void cf_detect_timers(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    for (size_t i = 0; i < go_exec_timer_count(d->exec); i++) {
        const go_timer_info *t = go_exec_timer(d->exec, i);
        go_holder root;
        if (!t || !left_running(d->exec, t, &root)) continue;
        if (cf_ignore_made_at(d->ignore, t->site)) {
            d->findings->ignored++;
            continue;
        }
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_timer(crash_state, sizeof crash_state, t);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_TIMER_NOT_STOPPED, crash_state);
        if (!f) return;
        f->occurrences++;
        cf_count_phrase(f->message, sizeof f->message, f->occurrences, "ticker", "tickers",
                        " still running at the end");
        if (f->occurrences > 1) continue;
        f->site = t->site;
        snprintf(f->title, sizeof f->title, "ticker never stopped");
        f->witness.kind = CHANFUZZ_WITNESS_HOLDER_CHAIN;
        if (cf_witness_add_holder_chain(d, f, GO_OBJ_TIMER, t->id, NULL) == 0)
            cf_witness_add(d, f, "held", GO_OBJ_TIMER, t->id, t->site);
        summarize(d, f, t, &root);
        if (d->failed) return;
    }
}
