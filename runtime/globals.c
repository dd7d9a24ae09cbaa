/* globals.c -- named roots: Go's package-level variables.
 *
 * A C static holding a model object is a root already (the data segments
 * are scanned); a named global says what the root is, so holder chains
 * read `global "registry" -> map#1 -> ...`, and clearing it is how a
 * scenario models `registry = nil`. Few per execution: a linear search. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "sched.h"

static cf_global *find(cf_graph *graph, const char *name) {
    for (size_t i = 0; i < graph->global_count; i++)
        if (strcmp(graph->globals[i].name, name) == 0) return &graph->globals[i];
    return NULL;
}

void go_global_set_at(const go_site *site, const char *name, go_word value) {
    go_exec *e = cf_exec();
    if (!name) cf_fail(e, GO_END_PANIC, site, "chanfuzz: go_global_set without a name");
    cf_graph *graph = cf_graph_get(e);
    cf_global *global = find(graph, name);
    if (!global) {
        if (graph->global_count == graph->global_capacity) {
            size_t capacity = graph->global_capacity ? graph->global_capacity * 2 : 8;
            cf_global *globals = realloc(graph->globals, sizeof *globals * capacity);
            cf_require(globals != NULL, "global allocation");
            graph->globals = globals;
            graph->global_capacity = capacity;
        }
        global = &graph->globals[graph->global_count++];
        global->name = strdup(name);
        cf_require(global->name != NULL, "global allocation");
    }
    global->value = value;
    global->site = site;
}

void go_global_clear(const char *name) {
    go_exec *e = cf_exec();
    if (!e->graph || !name) return;
    cf_global *global = find(e->graph, name);
    if (!global) return;
    /* Keep the others in order: the order roots are marked in. */
    free(global->name);
    size_t index = (size_t)(global - e->graph->globals);
    memmove(global, global + 1, sizeof *global * (e->graph->global_count - index - 1));
    e->graph->global_count--;
}

go_word go_global_get(const char *name) {
    go_exec *e = cf_exec();
    cf_global *global = e->graph && name ? find(e->graph, name) : NULL;
    return global ? global->value : 0;
}
