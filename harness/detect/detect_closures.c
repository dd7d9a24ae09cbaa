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

/* Objects a closure reaches named in its witness; the count and bytes
 * cover them all. */
#define KEPT_LISTED 4

/* The root that holds a closure, when it is one that should be gone. */
static bool held_by_a_root_that_should_be_gone(const go_exec *exec, const go_object_info *o,
                                               go_holder *root) {
    if (!o->reachable) return false;
    if (go_exec_holder_chain(exec, o->kind, o->id, root, 1) == 0) return false;
    return root->root == GO_ROOT_GLOBAL || root->root == GO_ROOT_TIMER;
}

/* "; it reaches 3 objects (1104 bytes): heap#4, chan#2, ..." and a
 * "retained" link for each of the nearest: what stays alive while it is
 * held. Everything it reaches counts, so "reaches", not "keeps alive":
 * an object something else holds too is kept by both. */
static void add_what_it_keeps(cf_detection *d, chanfuzz_finding *f, const go_object_info *o) {
    const go_object_info *kept[KEPT_LISTED];
    size_t bytes, count = go_exec_reached_from(d->exec, o->kind, o->id, kept, KEPT_LISTED, &bytes);
    char *summary = f->witness.summary;
    size_t size = sizeof f->witness.summary;
    if (count == 0) {
        cf_append(summary, size, "; it reaches no other object");
        return;
    }
    cf_append(summary, size, "; it reaches %zu object%s (%zu bytes):", count,
              count == 1 ? "" : "s", bytes);
    for (size_t i = 0; i < count && i < KEPT_LISTED; i++) {
        cf_append(summary, size, "%s %s#%llu", i ? "," : "", go_object_kind_name(kept[i]->kind),
                  (unsigned long long)kept[i]->id);
        cf_witness_add(d, f, "retained", kept[i]->kind, kept[i]->id, kept[i]->site);
    }
    if (count > KEPT_LISTED) cf_append(summary, size, ", ...");
}

void cf_detect_unreleased_closures(cf_detection *d) {
    if (go_exec_end(d->exec) != GO_END_RETURNED) return;
    /* Most executions make no closure object: they need not build the
     * graph's view (half the judging of an empty scenario, bench/fuzz_rates.sh). */
    if (!go_exec_objects_made(d->exec, GO_OBJ_CLOSURE)) return;
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
        add_what_it_keeps(d, f, o);
        if (d->failed) return;
    }
}
