/* detect_partial.c -- partial deadlocks: blocked goroutines that nothing
 * live can ever wake, as the runtime's final collection found them (exec.h,
 * "Object graph": Go's goroutine leak profile, a fixed point over
 * reachability from the roots).
 *
 * Unlike a leak, this verdict does not need the execution to have settled:
 * an object no root reaches stays unreached whatever runs next, so a
 * partially deadlocked goroutine is reported even in an execution a panic
 * or the step budget cut short. A global deadlock, where every goroutine
 * is blocked, is left to its own detector. After main returned, a blocked
 * goroutine gets exactly one verdict: partial deadlock when unreachable,
 * leak (detect_goroutines.c) when something live still holds what it
 * waits on -- a static, a global -- though nothing did wake it.
 *
 * The witness is the wait cycle when there is one (A waits on an object
 * B holds -- reaches, as the collector sees it --, B on one A holds, each holding it itself and not through
 * another blocked goroutine); else the wait chain when what it waits on
 * is held by another blocked goroutine (a pipeline: each stage waits on a
 * channel only the next, blocked, stage holds), ending at an object no
 * other goroutine holds; else the chain that holds the object it waits
 * on, which starts at a leaked goroutine -- often itself: the orphaned
 * object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

/* Cycles are searched among this many partially deadlocked goroutines at
 * most (each needs its retained set), and up to this length: enough for
 * the cycles people write, bounded for a fan-out of thousands. */
#define CYCLE_SEARCH_MAX 64
#define CYCLE_LENGTH_MAX 8

bool cf_partially_deadlocked(const go_exec *exec, const go_goroutine_info *g) {
    return g->state == GO_STATE_BLOCKED && go_exec_partially_deadlocked(exec, g->id);
}

typedef struct deadlocked {
    const go_goroutine_info *info;
    const go_object_info **retained; /* what only leaked goroutines hold,
                                        reachable from this one */
    size_t retained_count;
    size_t held_count;               /* the first of those: what it holds
                                        itself, not through another
                                        goroutine's wait */
} deadlocked;

/* Goroutine h could act on object (kind, id), were it not blocked: it
 * holds it itself, and is not blocked on that very object (two receivers
 * stuck on one channel hold it, and neither can wake the other). What h
 * reaches only through another blocked goroutine is not h's to act on. */
static bool holds(const deadlocked *h, go_object_kind kind, uint64_t id) {
    if (h->info->object_kind == kind && h->info->object_id == id) return false;
    for (size_t i = 0; i < h->held_count; i++)
        if (h->retained[i]->kind == kind && h->retained[i]->id == id) return true;
    return false;
}

/* Depth-first from path[0] along "waits on an object that goroutine h
 * holds" until it comes back. Returns the cycle's length (path holds
 * it), or 0. `explored` marks goroutines already searched from this start
 * without success, so the search is O(n^2) per start. */
static size_t find_cycle(const deadlocked *all, size_t n, size_t *path, size_t depth,
                         bool *explored) {
    const go_goroutine_info *u = all[path[depth - 1]].info;
    if (u->object_kind == GO_OBJ_NONE || depth >= CYCLE_LENGTH_MAX) return 0;
    for (size_t h = 0; h < n; h++) {
        if (h == path[depth - 1] || !holds(&all[h], u->object_kind, u->object_id)) continue;
        if (h == path[0]) return depth;
        if (explored[h]) continue;
        explored[h] = true;
        path[depth] = h;
        size_t length = find_cycle(all, n, path, depth + 1, explored);
        if (length) return length;
    }
    return 0;
}

/* The wait chain from path[0] when it has no cycle: at each goroutine the
 * first other one (in id order) that holds what it waits on, until none
 * does. Returns the chain's length in goroutines (1: an orphan). */
static size_t follow_chain(const deadlocked *all, size_t n, size_t *path) {
    size_t length = 1;
    while (length < CYCLE_LENGTH_MAX) {
        const go_goroutine_info *u = all[path[length - 1]].info;
        if (u->object_kind == GO_OBJ_NONE) break;
        size_t next = n;
        for (size_t h = 0; h < n && next == n; h++) {
            bool on_path = false;
            for (size_t k = 0; k < length; k++) on_path |= path[k] == h;
            if (!on_path && holds(&all[h], u->object_kind, u->object_id)) next = h;
        }
        if (next == n) break;
        path[length++] = next;
    }
    return length;
}

/* Cycle: "wait cycle: goroutine 3 waits on chan#1, reachable from
 * goroutine 2; goroutine 2 waits on chan#2, reachable from goroutine 3".
 * Chain: "wait chain: goroutine 2 waits on chan#1, reachable from
 * goroutine 3; goroutine 3 waits on chan#2, reachable from no other
 * goroutine that could act on it". Reachable, not held: the collector
 * saw a reference (holds() above), not a lock or an ownership; of the
 * goroutines that reach it the lowest id is named (follow_chain,
 * find_cycle), so one schedule names one goroutine. */
static void wait_witness(cf_detection *d, chanfuzz_finding *f, const deadlocked *all,
                         const size_t *path, size_t length, bool cycle) {
    chanfuzz_witness *w = &f->witness;
    w->kind = cycle ? CHANFUZZ_WITNESS_CYCLE : CHANFUZZ_WITNESS_WAIT_CHAIN;
    snprintf(w->summary, sizeof w->summary, cycle ? "wait cycle:" : "wait chain:");
    for (size_t i = 0; i < length; i++) {
        const go_goroutine_info *u = all[path[i]].info;
        if (u->object_kind == GO_OBJ_NONE) {
            /* A select or a nil channel ends a chain: no one object. */
            char blocked[CHANFUZZ_STATE_MAX];
            cf_blocked_summary(blocked, sizeof blocked, u, "");
            cf_append(w->summary, sizeof w->summary, "%s goroutine %llu is %s", i ? ";" : "",
                      (unsigned long long)u->id, blocked);
            continue;
        }
        cf_append(w->summary, sizeof w->summary, "%s goroutine %llu waits on %s#%llu, reachable from ",
                  i ? ";" : "", (unsigned long long)u->id, go_object_kind_name(u->object_kind),
                  (unsigned long long)u->object_id);
        if (cycle || i + 1 < length)
            cf_append(w->summary, sizeof w->summary, "goroutine %llu",
                      (unsigned long long)all[path[(i + 1) % length]].info->id);
        else
            cf_append(w->summary, sizeof w->summary, "no other goroutine that could act on it");
        const go_object_info *object = go_exec_find_object(d->exec, u->object_kind, u->object_id);
        cf_witness_add(d, f, "waited on", u->object_kind, u->object_id,
                       object ? object->site : NULL);
    }
}

/* "chan#1 is held only by leaked goroutines: leaked goroutine 2 ->
 * closure#1 -> chan#1" */
static void chain_witness(cf_detection *d, chanfuzz_finding *f, const deadlocked *g) {
    chanfuzz_witness *w = &f->witness;
    const go_goroutine_info *info = g->info;
    w->kind = CHANFUZZ_WITNESS_HOLDER_CHAIN;
    if (info->object_kind == GO_OBJ_NONE) {
        /* A nil channel or a select: nothing single to follow. What it
         * keeps alive shows there is no way in. */
        char blocked[CHANFUZZ_STATE_MAX];
        cf_blocked_summary(blocked, sizeof blocked, info, "");
        snprintf(w->summary, sizeof w->summary, "%s; nothing live reaches what it retains",
                 blocked);
        for (size_t i = 0; i < g->retained_count && i < CYCLE_LENGTH_MAX; i++)
            cf_witness_add(d, f, "retained", g->retained[i]->kind, g->retained[i]->id,
                           g->retained[i]->site);
        return;
    }
    size_t length = cf_witness_add_holder_chain(d, f, info->object_kind, info->object_id, NULL);
    snprintf(w->summary, sizeof w->summary, "%s#%llu is held only by leaked goroutines: ",
             go_object_kind_name(info->object_kind), (unsigned long long)info->object_id);
    if (length == 0)
        cf_append(w->summary, sizeof w->summary, "nothing holds it any more");
    cf_append_chain(w->summary, sizeof w->summary, w);
}

static void free_all(deadlocked *all, size_t n) {
    for (size_t i = 0; i < n; i++) free(all[i].retained);
    free(all);
}

void cf_detect_partial_deadlocks(cf_detection *d) {
    go_end end = go_exec_end(d->exec);
    if (end == GO_END_DEADLOCK || end == GO_END_STOPPED) return;
    size_t total = go_exec_goroutine_count(d->exec), n = 0;
    /* Most executions leave none: they allocate nothing here. */
    size_t first = 0;
    while (first < total && !cf_partially_deadlocked(d->exec, go_exec_goroutine(d->exec, first)))
        first++;
    if (first == total) return;
    deadlocked *all = calloc(total, sizeof *all);
    if (!all) {
        d->failed = true;
        return;
    }
    for (size_t i = first; i < total; i++) {
        const go_goroutine_info *g = go_exec_goroutine(d->exec, i);
        if (!cf_partially_deadlocked(d->exec, g)) continue;
        if (cf_ignore_goroutine(d->ignore, g)) {
            d->findings->ignored++;
            continue;
        }
        deadlocked *x = &all[n++];
        x->info = g;
        /* Past the ones searched for cycles, a goroutine's retained set is
         * not needed: working it out for each of N goroutines that reach
         * one another through a shared channel would cost N^2. */
        if (n > CYCLE_SEARCH_MAX) continue;
        const go_goroutine_graph *graph = go_exec_goroutine_graph(d->exec, g->id);
        size_t count = graph->retained_objects;
        if (count == 0) continue;
        x->retained = calloc(count, sizeof *x->retained);
        if (!x->retained) {
            d->failed = true;
            break;
        }
        x->retained_count = go_exec_retained(d->exec, g->id, x->retained, count);
        x->held_count = graph->held_objects;
    }
    size_t searched = n < CYCLE_SEARCH_MAX ? n : CYCLE_SEARCH_MAX;
    size_t path[CYCLE_LENGTH_MAX];
    bool *explored = calloc(searched ? searched : 1, sizeof *explored);
    if (!explored) d->failed = true;
    for (size_t i = 0; i < n && !d->failed; i++) {
        const go_goroutine_info *g = all[i].info;
        char crash_state[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_state_goroutine(crash_state, sizeof crash_state, CHANFUZZ_PARTIAL_DEADLOCK, g);
        chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_PARTIAL_DEADLOCK, crash_state);
        if (!f || !cf_finding_add_goroutine(d, f, g)) break;
        cf_count_phrase(f->message, sizeof f->message, f->occurrences, "goroutine",
                        "goroutines", " partially deadlocked");
        if (f->occurrences > 1) continue;
        /* The first goroutine of a finding gives its witness; the others
         * share its sites, and so, as a rule, its shape. */
        f->site = g->wait_site;
        cf_leak_title(f->title, sizeof f->title, g->wait_reason);
        size_t length = 0;
        if (i < searched) {
            memset(explored, 0, searched * sizeof *explored);
            path[0] = i;
            explored[i] = true;
            length = find_cycle(all, searched, path, 1, explored);
        }
        if (length > 1) {
            wait_witness(d, f, all, path, length, true);
            continue;
        }
        if (i < searched) length = follow_chain(all, searched, path);
        if (length > 1)
            wait_witness(d, f, all, path, length, false);
        else
            chain_witness(d, f, &all[i]);
    }
    free(explored);
    free_all(all, n);
}
