/* weak.c -- weak pointers: Go 1.24's weak.Pointer.
 *
 * A handle is a model object of its own (Go's weak handle is a small heap
 * object too) that the graph does not trace through: it never keeps its
 * target alive. A collection that finds the target dead to the program
 * clears every handle to it, before the target is freed, so no handle
 * ever points at freed memory. Handles themselves die like any object. */
#include <stdio.h>

#include "graph.h"
#include "sched.h"

struct go_weak {
    cf_object obj;
    const cf_object *target;     /* NULL once cleared */
    void *pointer;               /* as given to go_weak_make; NULL once
                                    cleared */
    go_weak *prev;               /* the graph's list of live handles */
    go_weak *next;
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_weak *w = (const go_weak *)obj;
    char target[48] = "nil";
    if (w->target) cf_object_name(w->target, target, sizeof target);
    snprintf(out, size, "-> %s%s", target, w->target ? "" : " (cleared)");
}

/* Leaves the graph's list -- unless the execution is over (e NULL), when
 * the list goes as a whole. */
static void release(go_exec *e, cf_object *obj) {
    if (!e) return;
    go_weak *w = (go_weak *)obj;
    cf_graph *graph = e->graph;
    if (w->prev) w->prev->next = w->next; else graph->weak_head = w->next;
    if (w->next) w->next->prev = w->prev;
    graph->weak_count--;
}

static const cf_object_ops weak_ops = {
    .describe = describe, .trace = cf_trace_nothing, .release = release};

go_weak *go_weak_make_at(const go_site *site, const void *ptr) {
    if (!ptr) return NULL;
    go_exec *e = cf_exec();
    cf_graph *graph = cf_graph_get(e);
    /* Go: weak pointers made from equal pointers are equal. */
    for (go_weak *w = graph->weak_head; w; w = w->next)
        if (w->pointer == ptr) return w;
    /* The target is alive through ptr, which the caller still holds (on
     * its stack or in a register the collector spills). */
    cf_graph_allocation_point(e, site);
    const cf_object *target = cf_graph_object_at(e, ptr);
    if (!target)
        cf_fail(e, GO_END_PANIC, site, "chanfuzz: weak.Make of a pointer to no model object");
    go_weak *w = cf_object_new(GO_OBJ_WEAK, sizeof(go_weak), site, &weak_ops);
    w->target = target;
    w->pointer = (void *)ptr;
    w->next = graph->weak_head;
    if (w->next) w->next->prev = w;
    graph->weak_head = w;
    graph->weak_count++;
    return w;
}

void *go_weak_value(const go_weak *w) { return w ? w->pointer : NULL; }

void cf_weak_clear_dead(go_exec *e, bool (*dead)(void *self, const cf_object *target),
                        void *self) {
    if (!e->graph) return;
    for (go_weak *w = e->graph->weak_head; w; w = w->next) {
        if (!w->target || !dead(self, w->target)) continue;
        w->target = NULL;
        w->pointer = NULL;
    }
}
