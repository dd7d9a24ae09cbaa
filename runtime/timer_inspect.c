/* timer_inspect.c -- the timers as the execution ended (exec.h, "Timers"):
 * what the "timer never stopped" detector judges.
 *
 * Recorded in two steps. At the end, before teardown (cf_timer_snapshot):
 * each timer's kind, state and counts, and the goroutines that still wait
 * on it -- their wait records live on their stacks, which teardown
 * releases. On first inspection: reachability, from the final collection,
 * whose view is built lazily too (most executions are never asked). */
#include <stdlib.h>

#include "context.h"
#include "graph.h"
#include "timer.h"

static const char *const kind_names[GO_TIMER_KIND_COUNT] = {
    [GO_TIMER_TIMER] = "time.NewTimer",     [GO_TIMER_TICKER] = "time.NewTicker",
    [GO_TIMER_AFTER_FUNC] = "time.AfterFunc", [GO_TIMER_AFTER] = "time.After",
    [GO_TIMER_CONTEXT_DEADLINE] = "context deadline",
};

const char *go_timer_kind_name(go_timer_kind kind) {
    return (unsigned)kind < GO_TIMER_KIND_COUNT ? kind_names[kind] : "unknown";
}

const char *go_timer_state_name(go_timer_state state) {
    switch (state) {
    case GO_TIMER_PENDING: return "pending";
    case GO_TIMER_FIRED: return "fired";
    case GO_TIMER_STOPPED: return "stopped";
    }
    return "unknown";
}

/* ---- at the end, before teardown ---------------------------------------------- */

static go_timer_kind kind_of(const go_timer *t) {
    if (!t->c) return GO_TIMER_AFTER_FUNC;
    if (t->period) return GO_TIMER_TICKER;
    return t->from_after ? GO_TIMER_AFTER : GO_TIMER_TIMER;
}

static go_timer_state state_of(const go_timer *t) {
    if (cf_timer_pending(&t->timer)) return GO_TIMER_PENDING;
    return t->stopped_since_armed ? GO_TIMER_STOPPED : GO_TIMER_FIRED;
}

/* The arguments of every pending deferred call, with the goroutine that
 * deferred it, sorted by argument: a timer found here has its Stop (or
 * something of it) deferred in a goroutine that never got to run it --
 * only goroutines that had not exited have pending deferred calls. Built
 * once, so the snapshot stays O((timers + defers) log defers). */
typedef struct deferred_arg {
    const void *arg;
    uint64_t goroutine;
} deferred_arg;

typedef struct deferred_args {
    deferred_arg *items;
    size_t count;
    size_t capacity;
} deferred_args;

static int by_arg(const void *x, const void *y) {
    const deferred_arg *a = x, *b = y;
    if (a->arg != b->arg) return (uintptr_t)a->arg < (uintptr_t)b->arg ? -1 : 1;
    return (a->goroutine > b->goroutine) - (a->goroutine < b->goroutine);
}

static void collect_deferred_args(const go_exec *e, deferred_args *out) {
    /* Frames live on the stacks: after an overflow, the overflowed stack
     * and those it ran over hold garbage, never to be followed (graph.c
     * skips them for the same reason). */
    const cf_stack *overflowed = NULL;
    for (const cf_goroutine *g = e->live_head; g; g = g->live_next)
        if (g->overflowed) overflowed = g->stack;
    for (const cf_goroutine *g = e->live_head; g; g = g->live_next) {
        if (g->state == CF_G_EXITED || g->overflowed) continue;
        if (overflowed && cf_stack_trampled_by(g->stack, overflowed)) continue;
        for (const cf_frame *f = g->unwind.frames; f; f = f->caller)
            for (const cf_defer *d = f->defers; d; d = d->next) {
                if (out->count == out->capacity) {
                    out->capacity = out->capacity ? 2 * out->capacity : 16;
                    out->items = realloc(out->items, out->capacity * sizeof *out->items);
                    cf_require(out->items != NULL, "timer snapshot allocation");
                }
                out->items[out->count++] = (deferred_arg){d->arg, g->id};
            }
    }
    if (out->count > 1) qsort(out->items, out->count, sizeof *out->items, by_arg);
}

/* The first goroutine (by id) with a deferred call taking t, or 0. */
static uint64_t stop_deferred_in(const deferred_args *args, const go_timer *t) {
    size_t lo = 0, hi = args->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)args->items[mid].arg < (uintptr_t)t) lo = mid + 1; else hi = mid;
    }
    return lo < args->count && args->items[lo].arg == (const void *)t ? args->items[lo].goroutine
                                                                      : 0;
}

static go_timer_info info_of_timer(const deferred_args *args, const go_timer *t) {
    go_timer_info info = {
        .kind = kind_of(t),
        .object_kind = GO_OBJ_TIMER,
        .id = t->obj.id,
        .site = t->obj.site,
        .state = state_of(t),
        .when = cf_timer_pending(&t->timer) ? t->timer.when : 0,
        .period = t->period,
        .fired = t->fired,
        .stop_called = t->stopped,
        .stop_site = t->stop_site,
        .chan_id = t->c ? t->c->obj.id : 0,
    };
    if (t->c && t->c->recvq.head) info.receiver = t->c->recvq.head->g->id;
    info.stop_deferred_in = stop_deferred_in(args, t);
    return info;
}

/* A context's own deadline timer (WithTimeout, WithDeadline). */
static go_timer_info info_of_deadline(const go_context *c) {
    go_timer_state state = cf_timer_pending(&c->timer)              ? GO_TIMER_PENDING
                           : c->cancelled_by == GO_CANCELLED_BY_DEADLINE ? GO_TIMER_FIRED
                                                                         : GO_TIMER_STOPPED;
    return (go_timer_info){
        .kind = GO_TIMER_CONTEXT_DEADLINE,
        .object_kind = GO_OBJ_CONTEXT,
        .id = c->obj.id,
        .site = c->obj.site,
        .state = state,
        .when = c->deadline,
        .fired = state == GO_TIMER_FIRED,
        .stop_called = state == GO_TIMER_STOPPED,
    };
}

static int by_id(const void *a, const void *b) {
    const go_timer_info *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

void cf_timer_snapshot(go_exec *e) {
    /* Most executions make no timer: they walk no object list here. */
    bool made_timers = e->next_object_id[GO_OBJ_TIMER] != 0;
    const cf_context_table *contexts = e->contexts;
    size_t n = 0;
    for (const cf_object *obj = made_timers ? e->objects : NULL; obj; obj = obj->next)
        n += obj->kind == GO_OBJ_TIMER;
    for (size_t i = 0; contexts && i < contexts->count; i++)
        n += contexts->by_id[i]->has_deadline;
    if (n == 0) return;
    e->timer_infos = calloc(n, sizeof *e->timer_infos);
    cf_require(e->timer_infos != NULL, "timer snapshot allocation");
    deferred_args args = {0};
    if (made_timers) collect_deferred_args(e, &args);
    for (const cf_object *obj = made_timers ? e->objects : NULL; obj; obj = obj->next)
        if (obj->kind == GO_OBJ_TIMER)
            e->timer_infos[e->timer_info_count++] = info_of_timer(&args, (const go_timer *)obj);
    free(args.items);
    /* The object list runs newest first: timers by id, as exec.h says. */
    qsort(e->timer_infos, e->timer_info_count, sizeof *e->timer_infos, by_id);
    for (size_t i = 0; contexts && i < contexts->count; i++)
        if (contexts->by_id[i]->has_deadline)
            e->timer_infos[e->timer_info_count++] = info_of_deadline(contexts->by_id[i]);
}

void cf_timer_snapshot_free(go_exec *e) {
    free(e->timer_infos);
    e->timer_infos = NULL;
    e->timer_info_count = 0;
}

/* ---- inspection -------------------------------------------------------------------- */

size_t go_exec_timer_count(const go_exec *e) { return e->timer_info_count; }

const go_timer_info *go_exec_timer(const go_exec *e, size_t index) {
    if (index >= e->timer_info_count) return NULL;
    if (!e->timer_infos_resolved) {
        /* Frozen once the execution ended: resolving once is no change an
         * inspector can see. */
        go_exec *mutable = (go_exec *)e;
        for (size_t i = 0; i < e->timer_info_count; i++) {
            go_timer_info *info = &mutable->timer_infos[i];
            const go_object_info *o = go_exec_find_object(e, info->object_kind, info->id);
            info->reachable = o && o->reachable;
        }
        mutable->timer_infos_resolved = true;
    }
    return &e->timer_infos[index];
}
