/* detect_goroutines.c -- goroutines that outlive main: leaked (blocked with
 * nothing to wake them, though something live still holds what they wait
 * on; the unreachable ones are partial deadlocks, detect_partial.c) and
 * never exiting (a loop still woken by timers when the settle budget ran
 * out).
 *
 * Judged only when main returned and the rest settled: then the runtime
 * has run everything that could run and fired every timer that could
 * wake anyone, so a blocked goroutine is blocked for good. In an
 * execution cut short (panic, fatal error, deadlock, step budget) a
 * blocked goroutine might have been woken a moment later: reporting it
 * would be a false alarm, and the cut itself is the finding. */
#include <stdio.h>

#include "detect.h"

/* What Go programmers call the goroutine: "blocked sender" for one stuck
 * in a send, and so on. */
void cf_leak_title(char *out, size_t size, go_wait_reason reason) {
    switch (reason) {
    case GO_WAIT_CHAN_SEND:
    case GO_WAIT_CHAN_SEND_NIL: snprintf(out, size, "blocked sender"); break;
    case GO_WAIT_CHAN_RECV:
    case GO_WAIT_CHAN_RECV_NIL: snprintf(out, size, "blocked receiver"); break;
    case GO_WAIT_SELECT:
    case GO_WAIT_SELECT_NO_CASES: snprintf(out, size, "blocked in select"); break;
    default: snprintf(out, size, "blocked in %s", go_wait_reason_name(reason)); break;
    }
}

/* "blocked sender on chan#1 (unbuffered, ...)", "blocked receiver on a
 * nil channel", "blocked in select: no case can proceed". */
void cf_blocked_summary(char *out, size_t size, const go_goroutine_info *g,
                        const char *object_state) {
    char title[64];
    cf_leak_title(title, sizeof title, g->wait_reason);
    switch (g->wait_reason) {
    case GO_WAIT_CHAN_SEND_NIL:
    case GO_WAIT_CHAN_RECV_NIL: snprintf(out, size, "%s on a nil channel", title); return;
    case GO_WAIT_SELECT_NO_CASES: snprintf(out, size, "%s with no cases", title); return;
    case GO_WAIT_SELECT:
        if (g->object_kind == GO_OBJ_NONE) {
            snprintf(out, size, "%s: no case can proceed", title);
            return;
        }
        break;
    default: break;
    }
    if (g->object_kind != GO_OBJ_NONE)
        snprintf(out, size, "%s on %s#%llu (%s)", title, go_object_kind_name(g->object_kind),
                 (unsigned long long)g->object_id, object_state);
    else
        snprintf(out, size, "%s", title);
}

/* "a loop still woken by timers when settling ended, now in chan receive
 * on chan#2 (...)": where the loop waits between ticks, which is only
 * for the moment, unlike a leak's. */
static void never_exits_summary(char *out, size_t size, const go_goroutine_info *g,
                                const char *object_state) {
    snprintf(out, size, "a loop still woken by timers when settling ended");
    if (g->wait_reason == GO_WAIT_NONE) return;
    cf_append(out, size, ", now in %s", go_wait_reason_name(g->wait_reason));
    if (g->object_kind != GO_OBJ_NONE)
        cf_append(out, size, " on %s#%llu (%s)", go_object_kind_name(g->object_kind),
                  (unsigned long long)g->object_id, object_state);
}

void cf_detect_leaks(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    for (size_t i = 0; i < go_exec_goroutine_count(d->exec); i++) {
        const go_goroutine_info *g = go_exec_goroutine(d->exec, i);
        chanfuzz_kind kind;
        if (g->state == GO_STATE_NEVER_EXITS)
            kind = CHANFUZZ_NEVER_EXITS;
        else if (g->state == GO_STATE_BLOCKED && !cf_partially_deadlocked(d->exec, g))
            kind = CHANFUZZ_LEAK;
        else
            continue; /* unreachable: detect_partial.c's; runnable: detect_end.c's */
        if (cf_ignore_goroutine(d->ignore, g)) {
            d->findings->ignored++;
            continue;
        }
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_goroutine(crash_state, sizeof crash_state, kind, g);
        chanfuzz_finding *f = cf_finding_for(d, kind, crash_state);
        if (!f) return;
        chanfuzz_goroutine *added = cf_finding_add_goroutine(d, f, g);
        if (!added) return;
        if (f->occurrences == 1) {
            f->site = g->wait_site;
            f->witness.kind = CHANFUZZ_WITNESS_BLOCKING_OBJECT;
            if (kind == CHANFUZZ_LEAK) {
                cf_leak_title(f->title, sizeof f->title, g->wait_reason);
                cf_blocked_summary(f->witness.summary, sizeof f->witness.summary, g,
                                added->object_state);
            } else {
                snprintf(f->title, sizeof f->title, "never exits");
                never_exits_summary(f->witness.summary, sizeof f->witness.summary, g,
                                    added->object_state);
            }
        }
        if (kind == CHANFUZZ_LEAK)
            cf_count_phrase(f->message, sizeof f->message, f->occurrences, "goroutine",
                            "goroutines", " blocked");
        else
            cf_count_phrase(f->message, sizeof f->message, f->occurrences, "goroutine never exits",
                            "goroutines never exit", "");
        if (g->object_kind != GO_OBJ_NONE)
            if (!cf_witness_add(d, f, "waited on", g->object_kind, g->object_id, NULL)) return;
    }
}
