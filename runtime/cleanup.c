/* cleanup.c -- runtime.AddCleanup (Go 1.24).
 *
 * A pending cleanup holds its target weakly and its argument strongly:
 * the argument is a root (Go keeps it in the runtime's special record),
 * which is why an argument that reaches the target keeps the cleanup from
 * ever running. When a collection finds the target dead to the program,
 * fn(arg) starts in a goroutine of its own -- Go runs cleanups on one
 * runtime goroutine, one after another; separate goroutines let the
 * decision source order them, which covers every order Go could show. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "sched.h"

go_cleanup go_add_cleanup_at(const go_site *site, const void *ptr, const char *fn_name,
                             go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    if (!ptr) cf_fail(e, GO_END_PANIC, site, "runtime.AddCleanup: ptr is nil");
    if (ptr == arg)
        cf_fail(e, GO_END_PANIC, site,
                "runtime.AddCleanup: ptr is equal to arg, cleanup will never run");
    cf_graph_allocation_point(e, site);
    const cf_object *target = cf_graph_object_at(e, ptr);
    if (!target)
        cf_fail(e, GO_END_PANIC, site,
                "chanfuzz: runtime.AddCleanup of a pointer to no model object");
    cf_graph *graph = cf_graph_get(e);
    if (graph->cleanup_count == graph->cleanup_capacity) {
        size_t capacity = graph->cleanup_capacity ? graph->cleanup_capacity * 2 : 8;
        cf_cleanup *cleanups = realloc(graph->cleanups, sizeof *cleanups * capacity);
        cf_require(cleanups != NULL, "cleanup allocation");
        graph->cleanups = cleanups;
        graph->cleanup_capacity = capacity;
    }
    cf_cleanup *c = &graph->cleanups[graph->cleanup_count++];
    *c = (cf_cleanup){.id = ++graph->next_cleanup_id, .target = target, .fn = fn, .arg = arg,
                      .fn_name = fn_name, .site = site, .creator = e->current->id};
    return (go_cleanup){c->id};
}

static void forget(cf_graph *graph, size_t index) {
    memmove(&graph->cleanups[index], &graph->cleanups[index + 1],
            sizeof *graph->cleanups * (graph->cleanup_count - index - 1));
    graph->cleanup_count--;
}

void go_cleanup_stop(go_cleanup c) {
    go_exec *e = cf_exec();
    if (!e->graph) return;
    for (size_t i = 0; i < e->graph->cleanup_count; i++)
        if (e->graph->cleanups[i].id == c.id) {
            forget(e->graph, i);
            return;
        }
}

void cf_cleanup_run_dead(go_exec *e, bool (*dead)(void *self, const cf_object *target),
                         void *self) {
    cf_graph *graph = e->graph;
    for (size_t i = 0; graph && i < graph->cleanup_count;) {
        cf_cleanup c = graph->cleanups[i];
        if (!dead(self, c.target)) {
            i++;
            continue;
        }
        forget(graph, i);
        cf_goroutine *g = cf_spawn(e, c.site, c.fn_name, c.fn, c.arg);
        g->creator_id = c.creator;
        cf_sched_make_runnable(e, g);
        cf_emit(e, GO_EVENT_SPAWN, g->id, NULL, c.site, NULL, 0);
    }
}
