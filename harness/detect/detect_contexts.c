/* detect_contexts.c -- contexts at the end of an execution: a cancel
 * function never called (go vet's lostcancel, seen at run time), and a
 * context still registered in a cancellable ancestor, pinning its timer,
 * its children and its Done waiters until that ancestor is cancelled.
 *
 * Two kinds, because they part ways: a WithTimeout whose deadline fired
 * during settling has left its parent's list (not registered) while its
 * cancel is still lost; and an AfterFunc never stopped stays registered
 * though it has no cancel function at all.
 *
 * Judged only after main returned and the rest settled, for the reason
 * detect_goroutines.c gives: in an execution cut short, the deferred
 * cancel might simply not have run yet. */
#include <stdio.h>

#include "detect.h"

static void add_context_witness(cf_detection *d, chanfuzz_finding *f, const char *role,
                                const go_context_info *c) {
    f->witness.kind = CHANFUZZ_WITNESS_CONTEXT;
    cf_witness_add(d, f, role, GO_OBJ_CONTEXT, c->id, c->site);
}

void cf_detect_lost_cancel(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    for (size_t i = 0; i < go_exec_context_count(d->exec); i++) {
        const go_context_info *c = go_exec_context(d->exec, i);
        if (!c || c->cancel_func_id == 0 || c->cancel_called) continue;
        if (cf_ignore_made_at(d->ignore, c->site)) {
            d->findings->ignored++;
            continue;
        }
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_context(crash_state, sizeof crash_state, CHANFUZZ_LOST_CANCEL, d->exec, c);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_LOST_CANCEL, crash_state);
        if (!f) return;
        f->occurrences++;
        if (f->occurrences == 1) {
            f->site = c->site;
            snprintf(f->title, sizeof f->title, "cancel never called");
            snprintf(f->witness.summary, sizeof f->witness.summary,
                     "the CancelFunc of %s (context#%llu) is never called; it ended %s%s",
                     cf_context_constructor(c->kind), (unsigned long long)c->id,
                     c->cancelled_by == GO_CANCELLED_NOT ? "" : "cancelled by ",
                     c->cancelled_by == GO_CANCELLED_NOT ? "live"
                                                         : go_cancelled_by_name(c->cancelled_by));
        }
        cf_count_phrase(f->message, sizeof f->message, f->occurrences, "cancel function",
                        "cancel functions", " never called");
        add_context_witness(d, f, "context", c);
        cf_witness_add(d, f, "cancel function", GO_OBJ_CANCEL_FUNC, c->cancel_func_id, NULL);
        if (d->failed) return;
    }
}

/* "deadline timer, 2 children, 1 Done waiter": what the registration
 * keeps alive, or "nothing else" when it is only the entry itself. */
static void pins(char *out, size_t size, const go_context_info *c) {
    out[0] = '\0';
    if (c->timer_pending) cf_append(out, size, "deadline timer");
    if (c->children)
        cf_append(out, size, "%s%zu %s", out[0] ? ", " : "", c->children,
                  c->children == 1 ? "child" : "children");
    if (c->done_waiters)
        cf_append(out, size, "%s%zu Done %s", out[0] ? ", " : "", c->done_waiters,
                  c->done_waiters == 1 ? "waiter" : "waiters");
    if (c->kind == GO_CONTEXT_AFTER_FUNC && !c->func_started)
        cf_append(out, size, "%sits function, never started", out[0] ? ", " : "");
    if (!out[0]) snprintf(out, size, "nothing else");
}

void cf_detect_registered(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    for (size_t i = 0; i < go_exec_context_count(d->exec); i++) {
        const go_context_info *c = go_exec_context(d->exec, i);
        if (!c || !c->registered) continue;
        if (cf_ignore_made_at(d->ignore, c->site)) {
            d->findings->ignored++;
            continue;
        }
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_context(crash_state, sizeof crash_state, CHANFUZZ_CONTEXT_REGISTERED,
                               d->exec, c);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_CONTEXT_REGISTERED, crash_state);
        if (!f) return;
        f->occurrences++;
        if (f->occurrences == 1) {
            f->site = c->site;
            snprintf(f->title, sizeof f->title, "still registered");
            char pinned[128];
            pins(pinned, sizeof pinned, c);
            snprintf(f->witness.summary, sizeof f->witness.summary,
                     "%s (context#%llu) is still registered in context#%llu; it pins %s",
                     cf_context_constructor(c->kind), (unsigned long long)c->id,
                     (unsigned long long)c->registered_in_id, pinned);
        }
        cf_count_phrase(f->message, sizeof f->message, f->occurrences, "context", "contexts",
                        " still registered at the end");
        add_context_witness(d, f, "context", c);
        const go_context_info *in =
            c->registered_in_id ? go_exec_context(d->exec, (size_t)(c->registered_in_id - 1))
                                : NULL;
        if (in) add_context_witness(d, f, "registered in", in);
        if (d->failed) return;
    }
}
