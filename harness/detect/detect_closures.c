/* detect_closures.c -- closures that outlive their use: still held, after
 * main returned, the rest settled and the final collection ran, by a root
 * that should have let go of them.
 *
 * Which roots count, precision first:
 *   - a named global (go_global_set): a registry the closure was added to
 *     and never removed from;
 *   - a pending timer: an AfterFunc never stopped, whose deadline lies
 *     beyond everything settling ran through.
 * And which do not:
 *   - C globals and statics (GO_ROOT_DATA): scenarios keep their shared
 *     objects there as a modelling convenience (README, "Writing a
 *     scenario"), so holding something there says nothing about Go;
 *   - goroutines, runnable or leaked, and the runtime's context table:
 *     what they hold is already a never-exits, livelock, leak, partial
 *     deadlock or context finding of its own;
 *   - cleanup arguments: held on purpose until the cleanup runs. */
#include <stdio.h>

#include "detect.h"

/* The root that holds a closure, when it is one that should be gone. */
static bool held_by_a_root_that_should_be_gone(const go_exec *exec, const go_object_info *o,
                                               go_holder *root) {
    if (!o->reachable) return false;
    if (go_exec_holder_chain(exec, o->kind, o->id, root, 1) == 0) return false;
    return root->root == GO_ROOT_GLOBAL || root->root == GO_ROOT_TIMER;
}

void cf_detect_unreleased_closures(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    for (size_t i = 0; i < go_exec_object_count(d->exec); i++) {
        const go_object_info *o = go_exec_object(d->exec, i);
        go_holder root;
        if (!o || o->kind != GO_OBJ_CLOSURE) continue;
        if (!held_by_a_root_that_should_be_gone(d->exec, o, &root)) continue;
        if (cf_ignore_made_at(d->ignore, o->site)) {
            d->findings->ignored++;
            continue;
        }
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_closure(crash_state, sizeof crash_state, o, &root);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_UNRELEASED_CLOSURE, crash_state);
        if (!f) return;
        f->occurrences++;
        cf_count_phrase(f->message, sizeof f->message, f->occurrences, "closure", "closures",
                        " still held at the end");
        if (f->occurrences > 1) continue;
        f->site = o->site;
        snprintf(f->title, sizeof f->title, "outlives its use");
        f->witness.kind = CHANFUZZ_WITNESS_HOLDER_CHAIN;
        cf_witness_add_holder_chain(d, f, o->kind, o->id, NULL);
        snprintf(f->witness.summary, sizeof f->witness.summary,
                 "closure#%llu (%zu bytes) is still held at the end by ", (unsigned long long)o->id,
                 o->size);
        cf_append_chain(f->witness.summary, sizeof f->witness.summary, &f->witness);
        if (d->failed) return;
    }
}
