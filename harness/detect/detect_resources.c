/* detect_resources.c -- resources opened and never closed: the `defer
 * f.Close()` missing on some path. The runtime keeps every resource until
 * the end, reachable or not (a file nobody can close any more is exactly
 * the finding), with its open and close sites.
 *
 * Judged after main returned and the rest settled, for the reason
 * detect_goroutines.c gives: in an execution cut short, the deferred Close
 * may simply not have run yet. */
#include <stdio.h>

#include "detect.h"

void cf_detect_resources(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    for (size_t i = 0; i < go_exec_resource_count(d->exec); i++) {
        const go_resource_info *r = go_exec_resource(d->exec, i);
        if (!r || r->closed) continue;
        if (cf_ignore_made_at(d->ignore, r->open_site)) {
            d->findings->ignored++;
            continue;
        }
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_resource(crash_state, sizeof crash_state, r);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_RESOURCE_NOT_CLOSED, crash_state);
        if (!f) return;
        f->occurrences++;
        cf_count_phrase(f->message, sizeof f->message, f->occurrences, "resource", "resources",
                        " never closed");
        if (f->occurrences > 1) continue;
        f->site = r->open_site;
        snprintf(f->title, sizeof f->title, "never closed");
        f->witness.kind = CHANFUZZ_WITNESS_HOLDER_CHAIN;
        go_holder root = {0};
        size_t held = cf_witness_add_holder_chain(d, f, r->kind, r->id, &root);
        if (held == 0) cf_witness_add(d, f, "resource", r->kind, r->id, r->open_site);
        /* Only the runtime's table keeping it means the program has lost
         * every way to close it: the case worth saying. */
        bool lost = held == 0 || root.root == GO_ROOT_RUNTIME;
        snprintf(f->witness.summary, sizeof f->witness.summary,
                 "resource#%llu \"%s\", opened by goroutine %llu, is still open at the end%s",
                 (unsigned long long)r->id, r->name, (unsigned long long)r->opened_by,
                 lost ? "; nothing in the program holds it, so nothing can close it" : "");
        if (d->failed) return;
    }
}
