/* graph_inspect.c -- what the final collection found, frozen for the
 * detectors: live objects, partially deadlocked goroutines and what they
 * retain, holder chains (exec.h, "Object graph"). */
#define _GNU_SOURCE /* qsort_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goroutine.h"
#include "scan.h"
#include "sched.h"

static const char *const root_names[] = {
    [GO_ROOT_NONE] = "none",       [GO_ROOT_GLOBAL] = "global",
    [GO_ROOT_DATA] = "data",       [GO_ROOT_GOROUTINE] = "goroutine",
    [GO_ROOT_TIMER] = "timer",     [GO_ROOT_CLEANUP] = "cleanup",
    [GO_ROOT_LEAKED] = "leaked goroutine", [GO_ROOT_RUNTIME] = "runtime",
};

const char *go_root_kind_name(go_root_kind kind) {
    return (unsigned)kind <= GO_ROOT_RUNTIME ? root_names[kind] : "unknown";
}

static size_t bytes_of(const cf_object *obj) {
    return obj->size + (obj->ops && obj->ops->owned_bytes ? obj->ops->owned_bytes(obj) : 0);
}

/* ---- building ------------------------------------------------------------------- */

#if CF_CHECKS
static int by_kind_and_id(const void *a, const void *b, void *tracer) {
    const cf_tracer *t = tracer;
    const cf_object *x = t->by_address[*(const uint32_t *)a];
    const cf_object *y = t->by_address[*(const uint32_t *)b];
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}
#endif

static void *zalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size);
    cf_require(p != NULL, "graph result allocation");
    return p;
}

typedef struct retained_list {
    size_t *items, count, capacity;
} retained_list;

static void retain(const cf_tracer *t, uint32_t node, const size_t *position,
                   retained_list *list, go_goroutine_graph *out) {
    out->retained_objects++;
    out->retained_bytes += bytes_of(t->by_address[node]);
    if (list->count == list->capacity) {
        list->capacity = list->capacity ? 2 * list->capacity : 8;
        list->items = realloc(list->items, sizeof *list->items * list->capacity);
        cf_require(list->items != NULL, "graph result allocation");
    }
    list->items[list->count++] = position[node];
}

/* Breadth-first over the recorded edges out of leaked nodes: the objects
 * reachable from goroutine node `from` that the roots do not reach. It
 * runs in two rounds. The first stops at every other goroutine (reached
 * through an object it waits on): what it finds is what `from` holds
 * itself, listed first. The second goes on through those goroutines. A
 * wait cycle is made of the first kind only: a goroutine cannot act on
 * what only another blocked goroutine holds (detect_partial.c). Linear in
 * the nodes and edges it reaches. */
static void retained_by_goroutine(cf_graph_result *r, uint32_t from, go_goroutine_graph *out,
                                  retained_list *list) {
    const cf_tracer *t = r->tracer;
    size_t *stamp = r->stamp;
    uint32_t *queue = r->queue, *deferred = r->deferred;
    size_t head = 0, tail = 0, deferred_count = 0;
    queue[tail++] = from;
    stamp[from] = from + 1;
    for (int round = 0; round < 2; round++) {
        if (round == 1) {
            out->held_objects = out->retained_objects;
            for (size_t k = 0; k < deferred_count; k++) queue[tail++] = deferred[k];
        }
        while (head < tail) {
            uint32_t node = queue[head++];
            for (size_t k = 0; k < t->edge_length[node]; k++) {
                uint32_t next = t->edges[t->edge_begin[node] + k];
                if (stamp[next] == from + 1) continue;
                stamp[next] = from + 1;
                if (next >= t->object_count) {
                    if (round == 0) deferred[deferred_count++] = next;
                    else queue[tail++] = next;
                    continue;
                }
                queue[tail++] = next;
                retain(t, next, r->position, list, out);
            }
        }
    }
}

/* Goroutine i's retained set, worked out on first use. */
static void retained_ensure(cf_graph_result *r, size_t i) {
    if (r->retained_known[i]) return;
    r->retained_known[i] = true;
    go_goroutine_graph *out = &r->goroutines[i];
    if (!out->partially_deadlocked) return;
    const cf_tracer *t = r->tracer;
    if (!r->stamp) {
        r->stamp = zalloc(t->node_count, sizeof *r->stamp);
        r->queue = zalloc(t->node_count, sizeof *r->queue);
        r->deferred = zalloc(t->node_count, sizeof *r->deferred);
    }
    retained_list list = {0};
    retained_by_goroutine(r, (uint32_t)(r->object_count + i), out, &list);
    r->retained_of[i] = list.items;
}

/* The view of the final collection's marking that inspection reads. Built
 * on first use: most executions are never asked. */
static cf_graph_result *result_build(const cf_tracer *t) {
    cf_graph_result *r = zalloc(1, sizeof *r);
    size_t n = t->object_count, g = t->goroutine_count;

    /* Objects by (kind, id); position[node] is the result's numbering.
     * No sort: the execution's list holds its objects newest first and
     * ids grow with allocation within a kind, so a count per kind and one
     * walk of the list place each (a comparison sort of a Go twin's few
     * dozen objects was a tenth of its executions' time). */
    uint32_t *order = zalloc(n, sizeof *order);
    size_t *position = zalloc(t->node_count, sizeof *position);
    size_t end_of_kind[GO_OBJ_KIND_COUNT] = {0};
    for (size_t i = 0; i < n; i++) end_of_kind[t->by_address[i]->kind]++;
    for (size_t k = 1; k < GO_OBJ_KIND_COUNT; k++) end_of_kind[k] += end_of_kind[k - 1];
    for (const cf_object *obj = t->e->objects; obj; obj = obj->next) {
        int64_t node = cf_index_find(t, (uintptr_t)obj);
        cf_require(node >= 0, "final graph: an object outside its index");
        size_t at = --end_of_kind[obj->kind];
        order[at] = (uint32_t)node;
        position[node] = at;
    }
#if CF_CHECKS
    for (size_t i = 1; i < n; i++)
        cf_require(by_kind_and_id(&order[i - 1], &order[i], (void *)t) < 0,
                   "final graph: objects out of (kind, id) order");
#endif
    for (size_t i = 0; i < g; i++) position[n + i] = n + i;

    /* Who leaked it: the root of each node's chain, in marking order (a
     * holder is always marked before what it holds). */
    int64_t *root_of = zalloc(t->node_count, sizeof *root_of);
    for (size_t i = 0; i < t->queue_tail; i++) {
        uint32_t node = t->queue[i];
        int64_t h = t->holder[node];
        root_of[node] = h >= 0 ? root_of[h] : -h - 1;
    }

    r->object_count = n;
    r->objects = zalloc(n, sizeof *r->objects);
    for (size_t i = 0; i < n; i++) {
        uint32_t node = order[i];
        const cf_object *obj = t->by_address[node];
        go_object_info *info = &r->objects[i];
        *info = (go_object_info){.kind = obj->kind, .id = obj->id, .size = bytes_of(obj),
                                 .site = obj->site, .reachable = t->phase[node] == CF_REACHABLE};
        if (t->phase[node] == CF_LEAKED) info->retained_by = t->roots[root_of[node]].link.goroutine;
    }

    r->holder = zalloc(t->node_count, sizeof *r->holder);
    for (size_t node = 0; node < t->node_count; node++) {
        int64_t h = t->holder[node];
        r->holder[position[node]] = h >= 0 ? (int64_t)position[h] : h;
    }

    r->root_count = t->root_count;
    r->roots = zalloc(t->root_count, sizeof *r->roots);
    r->root_names = zalloc(t->root_count, sizeof *r->root_names);
    for (size_t i = 0; i < t->root_count; i++) {
        r->roots[i] = t->roots[i].link;
        char name[128];
        if (r->roots[i].root == GO_ROOT_DATA)
            cf_data_root_name(t->roots[i].slot, name, sizeof name);
        else if (r->roots[i].name)
            snprintf(name, sizeof name, "%s", r->roots[i].name);
        else
            continue;
        r->root_names[i] = strdup(name);
        cf_require(r->root_names[i] != NULL, "graph result allocation");
        r->roots[i].name = r->root_names[i];
    }

    r->goroutine_count = g;
    r->goroutines = zalloc(g, sizeof *r->goroutines);
    r->retained_of = zalloc(g, sizeof *r->retained_of);
    r->retained_known = zalloc(g, sizeof *r->retained_known);
    for (size_t i = 0; i < g; i++) {
        go_goroutine_graph *out = &r->goroutines[i];
        out->id = t->goroutine_ids[i];
        out->partially_deadlocked = t->phase[n + i] == CF_LEAKED;
    }
    r->tracer = t;
    r->position = position;
    free(root_of);
    free(order);
    return r;
}

void cf_graph_result_free(cf_graph_result *r) {
    if (!r) return;
    for (size_t i = 0; i < r->root_count; i++) free(r->root_names[i]);
    free(r->root_names);
    free(r->roots);
    free(r->objects);
    free(r->goroutines);
    free(r->holder);
    for (size_t i = 0; i < r->goroutine_count; i++) free(r->retained_of[i]);
    free(r->retained_of);
    free(r->retained_known);
    free(r->position);
    free(r->stamp);
    free(r->queue);
    free(r->deferred);
    free(r);
}

/* ---- inspection ------------------------------------------------------------------- */

static const cf_graph_result *result_of(const go_exec *e) {
    cf_tracer *t = e->graph_final;
    if (!t) return NULL;
    /* The execution is const to its inspectors; building the view once is
     * not a change they can see. */
    if (!t->result) t->result = result_build(t);
    return t->result;
}

size_t go_exec_object_count(const go_exec *e) {
    const cf_graph_result *r = result_of(e);
    return r ? r->object_count : 0;
}

uint64_t go_exec_objects_made(const go_exec *e, go_object_kind kind) {
    return (unsigned)kind < GO_OBJ_KIND_COUNT ? e->next_object_id[kind] : 0;
}

const go_object_info *go_exec_object(const go_exec *e, size_t index) {
    const cf_graph_result *r = result_of(e);
    return r && index < r->object_count ? &r->objects[index] : NULL;
}

const go_object_info *go_exec_find_object(const go_exec *e, go_object_kind kind, uint64_t id) {
    const cf_graph_result *r = result_of(e);
    size_t lo = 0, hi = r ? r->object_count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const go_object_info *o = &r->objects[mid];
        if (o->kind == kind && o->id == id) return o;
        if (o->kind < kind || (o->kind == kind && o->id < id)) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

static size_t goroutine_index(const cf_graph_result *r, uint64_t id) {
    size_t lo = 0, hi = r ? r->goroutine_count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->goroutines[mid].id == id) return mid;
        if (r->goroutines[mid].id < id) lo = mid + 1; else hi = mid;
    }
    return SIZE_MAX;
}

bool go_exec_partially_deadlocked(const go_exec *e, uint64_t id) {
    const cf_graph_result *r = result_of(e);
    size_t i = goroutine_index(r, id);
    return i != SIZE_MAX && r->goroutines[i].partially_deadlocked;
}

const go_goroutine_graph *go_exec_goroutine_graph(const go_exec *e, uint64_t id) {
    cf_graph_result *r = (cf_graph_result *)result_of(e);
    size_t i = goroutine_index(r, id);
    if (i == SIZE_MAX) return NULL;
    retained_ensure(r, i);
    return &r->goroutines[i];
}

size_t go_exec_retained(const go_exec *e, uint64_t goroutine, const go_object_info **out,
                        size_t max) {
    cf_graph_result *r = (cf_graph_result *)result_of(e);
    size_t i = goroutine_index(r, goroutine);
    if (i == SIZE_MAX) return 0;
    retained_ensure(r, i);
    size_t count = r->goroutines[i].retained_objects;
    for (size_t k = 0; k < count && k < max; k++) out[k] = &r->objects[r->retained_of[i][k]];
    return count;
}

size_t go_exec_reached_from(const go_exec *e, go_object_kind kind, uint64_t id,
                            const go_object_info **out, size_t max, size_t *bytes) {
    *bytes = 0;
    cf_tracer *t = e->graph_final;
    if (!result_of(e)) return 0;
    size_t from = t->object_count;
    for (size_t i = 0; i < t->object_count && from == t->object_count; i++)
        if (t->by_address[i]->kind == kind && t->by_address[i]->id == id) from = i;
    if (from == t->object_count) return 0;
    uint32_t *reached = zalloc(t->object_count, sizeof *reached);
    size_t count = cf_graph_reach(t, (uint32_t)from, reached);
    for (size_t i = 0; i < count; i++) {
        const cf_object *obj = t->by_address[reached[i]];
        *bytes += bytes_of(obj);
        if (i < max) out[i] = go_exec_find_object(e, obj->kind, obj->id);
    }
    free(reached);
    return count;
}

/* A goroutine that is a root is its root link: it is not repeated. */
static bool goroutine_root(const cf_graph_result *r, int64_t node) {
    int64_t h = r->holder[node];
    if ((size_t)node < r->object_count || h >= 0) return false;
    go_root_kind kind = r->roots[-h - 1].root;
    return kind == GO_ROOT_GOROUTINE || kind == GO_ROOT_LEAKED;
}

size_t go_exec_holder_chain(const go_exec *e, go_object_kind kind, uint64_t id, go_holder *out,
                            size_t max) {
    const cf_graph_result *r = result_of(e);
    const go_object_info *target = go_exec_find_object(e, kind, id);
    if (!target || r->holder[target - r->objects] == CF_NO_HOLDER) return 0;
    /* Count the links first, then fill them from the object back. */
    int64_t node = target - r->objects;
    size_t length = 1; /* the root */
    for (int64_t h = node; h >= 0; h = r->holder[h]) length += !goroutine_root(r, h);
    size_t k = length;
    for (int64_t h = node;; h = r->holder[h]) {
        if (h >= 0 && goroutine_root(r, h)) continue;
        go_holder link = {0};
        if (h < 0) {
            link = r->roots[-h - 1];
        } else if ((size_t)h < r->object_count) {
            link.object_kind = r->objects[h].kind;
            link.object_id = r->objects[h].id;
        } else {
            link.goroutine = r->goroutines[(size_t)h - r->object_count].id;
        }
        if (--k < max) out[k] = link;
        if (h < 0) break;
    }
    return length;
}

static void write_link(FILE *out, const go_holder *link) {
    switch (link->root) {
    case GO_ROOT_GLOBAL: fprintf(out, "global \"%s\"", link->name); return;
    case GO_ROOT_DATA: fprintf(out, "data \"%s\"", link->name); return;
    case GO_ROOT_GOROUTINE:
        fprintf(out, "goroutine %llu", (unsigned long long)link->goroutine);
        return;
    case GO_ROOT_TIMER: fputs("pending timer", out); return;
    case GO_ROOT_CLEANUP: fputs("cleanup argument", out); return;
    case GO_ROOT_LEAKED:
        fprintf(out, "leaked goroutine %llu", (unsigned long long)link->goroutine);
        return;
    case GO_ROOT_RUNTIME: fputs("runtime table", out); return;
    case GO_ROOT_NONE: break;
    }
    if (link->object_kind != GO_OBJ_NONE)
        fprintf(out, "%s#%llu", go_object_kind_name(link->object_kind),
                (unsigned long long)link->object_id);
    else
        fprintf(out, "goroutine %llu", (unsigned long long)link->goroutine);
}

void go_exec_write_holder_chain(const go_exec *e, go_object_kind kind, uint64_t id, FILE *out) {
    size_t length = go_exec_holder_chain(e, kind, id, NULL, 0);
    if (!length) {
        fputs("unreachable", out);
        return;
    }
    go_holder *links = zalloc(length, sizeof *links);
    go_exec_holder_chain(e, kind, id, links, length);
    for (size_t i = 0; i < length; i++) {
        if (i) fputs(" -> ", out);
        write_link(out, &links[i]);
    }
    free(links);
}
