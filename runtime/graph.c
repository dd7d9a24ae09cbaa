/* graph.c -- collections: roots, marking to the fixed point, and what a
 * collection does with what it found (see graph.h for the graph, scan.h
 * for the working state and the scanners).
 */
#include "scan.h"

/* Architectures without arch/spill_<arch>.S. */
#if !defined(__x86_64__) && !defined(__aarch64__)
#define CF_SPILL_IN_C 1
#include <setjmp.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "goroutine.h"
#include "sanitizer.h"
#include "sched.h"

/* holder_now while a root has marked nothing yet. */
#define ROOT_PENDING (INT64_MIN + 1)

cf_graph *cf_graph_get(go_exec *e) {
    if (!e->graph) {
        e->graph = calloc(1, sizeof *e->graph);
        cf_require(e->graph != NULL, "graph allocation");
    }
    return e->graph;
}

/* ---- marking ------------------------------------------------------------------- */

static void *grow(void *array, size_t *capacity, size_t element, size_t minimum) {
    size_t n = *capacity ? *capacity * 2 : minimum;
    void *bigger = realloc(array, element * n);
    cf_require(bigger != NULL, "collection allocation");
    *capacity = n;
    return bigger;
}

static void record_root(cf_tracer *t) {
    if (t->root_count == t->root_capacity)
        t->roots = grow(t->roots, &t->root_capacity, sizeof *t->roots, 16);
    t->roots[t->root_count] = t->next_root;
    t->holder_now = -(int64_t)t->root_count - 1;
    t->root_count++;
}

/* The edge holder_now -> node, kept for retained sets (final, phase 2). */
static void record_edge(cf_tracer *t, uint32_t node) {
    if (t->holder_now < 0) return;
    if (t->edge_count == t->edge_capacity)
        t->edges = grow(t->edges, &t->edge_capacity, sizeof *t->edges, 256);
    t->edges[t->edge_count++] = node;
    t->edge_length[t->holder_now]++;
}

static void probe(cf_tracer *t, uint32_t node) {
    if (node >= t->object_count || t->probe_seen[node]) return;
    t->probe_seen[node] = 1;
    t->probe_queue[t->probe_tail++] = node;
}

/* Marks node in the current phase, held by holder_now, and queues it. */
static void mark(cf_tracer *t, uint32_t node) {
    if (t->probe_seen) {
        probe(t, node);
        return;
    }
    if (t->phase[node] != CF_UNMARKED) {
        if (t->recording && t->phase[node] != CF_REACHABLE) record_edge(t, node);
        return;
    }
    if (t->holder_now == ROOT_PENDING) record_root(t);
    if (t->recording) record_edge(t, node);
    t->phase[node] = t->marking;
    t->holder[node] = t->holder_now;
    t->queue[t->queue_tail++] = node;
}

static void drain(cf_tracer *t);

void cf_tracer_hit(cf_tracer *t, uint32_t node) {
    if (!t->scanning_data) {
        mark(t, node);
        return;
    }
    if (t->data_hit_count < CF_DATA_HITS) t->data_hits[t->data_hit_count] = t->data_slot;
    t->data_hit_count++;
    /* A word of C data is a root of its own: it names the chain. */
    t->next_root = (cf_root){.link = {.root = GO_ROOT_DATA}, .slot = t->data_slot};
    t->holder_now = ROOT_PENDING;
    mark(t, node);
    t->scanning_data = false;
    drain(t);
    t->scanning_data = true;
}

void cf_trace_object(cf_tracer *t, const cf_object *target) {
    if (!target) return;
    int64_t node = cf_index_find(t, (uintptr_t)target);
    if (node >= 0) mark(t, (uint32_t)node);
}

void cf_trace_word(cf_tracer *t, go_word word) {
    int64_t node = cf_index_find(t, word);
    if (node >= 0) mark(t, (uint32_t)node);
}

void cf_trace_words(cf_tracer *t, const void *from, size_t bytes) {
    cf_scan_range(t, from, (const char *)from + bytes);
}

void cf_trace_nothing(const cf_object *obj, cf_tracer *tracer) { (void)obj, (void)tracer; }

static void trace_references(cf_tracer *t, const cf_object *obj) {
    if (obj->ops && obj->ops->trace)
        obj->ops->trace(obj, t);
    else
        cf_scan_range(t, obj + 1, (const char *)obj + obj->size);
}

static void trace_object(cf_tracer *t, uint32_t node) {
    trace_references(t, t->by_address[node]);
    /* Whoever reaches an object can wake the goroutines blocked on it. */
    for (uint32_t w = t->first_waiting[node]; w != UINT32_MAX; w = t->waiting[w].next)
        mark(t, t->waiting[w].goroutine);
}

static void trace_goroutine(cf_tracer *t, cf_goroutine *g) {
    cf_scan_stack(t, g);
    cf_trace_word(t, (go_word)g->arg);
    if (g->state == CF_G_WAITING) {
        cf_trace_object(t, g->wait_object);
        for (int i = 0; i < g->waiter_count; i++) cf_trace_object(t, g->waiters[i].object);
    }
    /* Deferred calls' records live in the execution's defer pool, not on
     * the stack: their arguments are references of the goroutine. The
     * frames that list them are on the stack, though: after a stack
     * overflow, the overflowed stack and those it ran over hold garbage,
     * which is only ever compared (above), never followed. */
    if (g->overflowed || (t->overflowed && cf_stack_trampled_by(g->stack, t->overflowed)))
        return;
    for (const cf_frame *f = g->unwind.frames; f; f = f->caller)
        for (const cf_defer *d = f->defers; d; d = d->next) cf_trace_word(t, (go_word)d->arg);
}

static void drain(cf_tracer *t) {
    while (t->queue_head < t->queue_tail) {
        uint32_t node = t->queue[t->queue_head++];
        t->holder_now = node;
        if (t->recording) t->edge_begin[node] = t->edge_count;
        if (node < t->object_count)
            trace_object(t, node);
        else
            trace_goroutine(t, t->goroutines[node - t->object_count]);
    }
}

static void begin_root(cf_tracer *t, go_root_kind kind, const char *name, uint64_t goroutine) {
    t->next_root = (cf_root){.link = {.root = kind, .name = name, .goroutine = goroutine}};
    t->holder_now = ROOT_PENDING;
}

size_t cf_graph_reach(cf_tracer *t, uint32_t from, uint32_t *out) {
    uint8_t *seen = calloc(t->object_count ? t->object_count : 1, 1);
    cf_require(seen != NULL, "reach allocation");
    t->probe_seen = seen;
    t->probe_queue = out;
    t->probe_tail = 0;
    seen[from] = 1;
    trace_references(t, t->by_address[from]);
    for (size_t head = 0; head < t->probe_tail; head++)
        trace_references(t, t->by_address[t->probe_queue[head]]);
    size_t count = t->probe_tail;
    t->probe_seen = NULL;
    t->probe_queue = NULL;
    free(seen);
    return count;
}

/* ---- the collection ---------------------------------------------------------------- */

static int64_t node_of_object(const cf_tracer *t, const cf_object *obj) {
    return obj ? cf_index_find(t, (uintptr_t)obj) : -1;
}

/* Counts the nodes, lays the arrays out, sorts the objects, and lists for
 * each object the goroutines blocked on it. */
static void build_nodes(cf_tracer *t) {
    go_exec *e = t->e;
    size_t n = 0, g = 0, records = 0;
    for (const cf_object *obj = e->objects; obj; obj = obj->next) n++;
    for (cf_goroutine *q = e->live_head; q; q = q->live_next)
        if (q->state != CF_G_EXITED) g++, records += (size_t)q->waiter_count + 1;
    cf_tracer_lay_out(t, n, g, records);
    /* Until marking starts, the holder array (a word per node, and there
     * are at least as many nodes as objects) is the sort's spare buffer. */
    _Static_assert(sizeof *t->holder == sizeof(cf_object *), "a holder is a word");
    cf_index_build(t, (cf_object **)t->holder);
    for (size_t i = 0; i < t->node_count; i++) t->holder[i] = CF_NO_HOLDER;
    g = 0;
    for (cf_goroutine *q = e->live_head; q; q = q->live_next) {
        if (q->state == CF_G_EXITED) continue;
        uint32_t node = (uint32_t)(t->object_count + g);
        t->goroutine_ids[g] = q->id;
        t->goroutines[g++] = q;
        if (q->overflowed) t->overflowed = q->stack;
        if (q->state != CF_G_WAITING) continue;
        for (int i = -1; i < q->waiter_count; i++) {
            int64_t obj = node_of_object(t, i < 0 ? q->wait_object : q->waiters[i].object);
            if (obj < 0) continue;
            t->waiting[t->waiting_count] = (cf_waiting){node, t->first_waiting[obj]};
            t->first_waiting[obj] = (uint32_t)t->waiting_count++;
        }
    }
}

static bool is_root_goroutine(const cf_goroutine *g) {
    /* A sleeper's timer is pending and will wake it (its timer has no
     * owner object: the goroutine itself is what it holds). */
    return g->state == CF_G_RUNNING || g->state == CF_G_RUNNABLE ||
           (g->state == CF_G_WAITING && g->wait_reason == GO_WAIT_SLEEP);
}

/* Phase 1: everything the roots reach, blocked goroutines included once
 * what they wait on is reached. Each root is drained before the next, so
 * a node's holder chain leads to the first root (in this order) that
 * reaches it. */
static bool every_object_marked(const cf_tracer *t) {
    for (size_t i = 0; i < t->object_count; i++)
        if (t->phase[i] == CF_UNMARKED) return false;
    return true;
}

static void mark_reachable(cf_tracer *t) {
    go_exec *e = t->e;
    t->marking = CF_REACHABLE;
    const cf_graph *graph = e->graph;
    for (size_t i = 0; graph && i < graph->global_count; i++) {
        begin_root(t, GO_ROOT_GLOBAL, graph->globals[i].name, 0);
        cf_trace_word(t, graph->globals[i].value);
        drain(t);
    }
    for (size_t i = 0; i < t->goroutine_count; i++) {
        if (!is_root_goroutine(t->goroutines[i])) continue;
        begin_root(t, GO_ROOT_GOROUTINE, NULL, t->goroutines[i]->id);
        mark(t, (uint32_t)(t->object_count + i));
        drain(t);
    }
    for (uint32_t i = 0; i < e->clock.count; i++) {
        const cf_timer *timer = e->clock.heap[i];
        if (!timer->owner || !cf_timer_holds_owner(e, timer)) continue;
        begin_root(t, GO_ROOT_TIMER, NULL, 0);
        cf_trace_object(t, timer->owner);
        drain(t);
    }
    for (size_t i = 0; graph && i < graph->cleanup_count; i++) {
        begin_root(t, GO_ROOT_CLEANUP, NULL, 0);
        cf_trace_word(t, (go_word)graph->cleanups[i].arg);
        drain(t);
    }
    /* The data segments are the largest root (a fuzz binary links the
     * whole catalogue: scanning them was 40% of an empty scenario's
     * execution under libFuzzer). Once every object is marked, no word
     * there can mark or record anything: skip them. */
    if (every_object_marked(t)) return;
    t->scanning_data = true;
    cf_scan_data_segments(t);
    t->scanning_data = false;
    t->data_scanned = true;
}

/* Phase 2: what the partially deadlocked goroutines hold. Go's leak
 * profile keeps their memory too: they are reported, never resumed, so
 * nothing they reference may be freed under them. */
static void mark_leaked(cf_tracer *t) {
    t->marking = CF_LEAKED;
    t->recording = t->final;
    for (size_t i = 0; i < t->goroutine_count; i++) {
        uint32_t node = (uint32_t)(t->object_count + i);
        if (t->phase[node] != CF_UNMARKED) continue;
        cf_invariant(t->goroutines[i]->state == CF_G_WAITING,
                     "only blocked goroutines can be unreachable");
        begin_root(t, GO_ROOT_LEAKED, NULL, t->goroutines[i]->id);
        mark(t, node);
        drain(t);
    }
    t->recording = false;
}

/* Phase 3: objects a runtime table indexes stay, and so must everything
 * they point to. */
static void mark_runtime_kept(cf_tracer *t) {
    t->marking = CF_RUNTIME_KEPT;
    for (const cf_object *obj = t->e->objects; obj; obj = obj->next) {
        if (!obj->ops || !obj->ops->kept_until_end) continue;
        int64_t node = node_of_object(t, obj);
        if (t->phase[node] != CF_UNMARKED) continue;
        begin_root(t, GO_ROOT_RUNTIME, NULL, 0);
        mark(t, (uint32_t)node);
        drain(t);
    }
}

/* Dead to the program: neither reachable nor held by a leaked goroutine
 * (weak pointers to it are cleared, its cleanups run). */
static bool program_lost(void *self, const cf_object *target) {
    const cf_tracer *t = self;
    int64_t node = node_of_object(t, target);
    return node < 0 || t->phase[node] == CF_UNMARKED || t->phase[node] == CF_RUNTIME_KEPT;
}

static size_t free_garbage(cf_tracer *t) {
    go_exec *e = t->e;
    size_t freed = 0;
    for (size_t i = 0; i < t->object_count; i++) {
        if (t->phase[i] != CF_UNMARKED) continue;
        cf_object *obj = t->by_address[i];
        if (obj->ops && obj->ops->release) obj->ops->release(e, obj);
        if (obj->prev) obj->prev->next = obj->next; else e->objects = obj->next;
        if (obj->next) obj->next->prev = obj->prev;
        cf_object_free(obj);
        freed++;
    }
    return freed;
}

/* running_from: the running goroutine's lowest stack address to scan, or
 * NULL at the final collection (every goroutine is suspended). */
static void collect(go_exec *e, const go_site *site, bool final, const void *running_from) {
    cf_tracer *t = cf_tracer_take(e, final, running_from);
    build_nodes(t);
    mark_reachable(t);
    mark_leaked(t);
    mark_runtime_kept(t);
    if (final) {
        /* Kept for inspection, which builds its view on first use. */
        e->graph_final = t;
        return;
    }
    cf_graph_get(e)->collections++;
    cf_weak_clear_dead(e, program_lost, t);
    cf_cleanup_run_dead(e, program_lost, t);
    size_t freed = free_garbage(t);
    /* go_checkpoint's collection: what stayed is the sample. */
    if (e->checkpoint_site) cf_checkpoint_record(e, t);
    cf_emit(e, GO_EVENT_COLLECT, 0, NULL, site, NULL, (int64_t)freed);
    cf_tracer_give_back(t);
}

/* Entered from arch/spill_<arch>.S with every callee-saved register pushed
 * at `spilled`: the running goroutine is scanned from there up. go_gc_at
 * is that assembly itself, so for runtime.GC() nothing but the scenario's
 * own frames (and its registers) is scanned. */
void cf_graph_gc_spilled(const go_site *site, const void *spilled);
void cf_graph_collect_spilled(go_exec *e, const go_site *site, const void *spilled);

void cf_graph_gc_spilled(const go_site *site, const void *spilled) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    collect(e, site, false, spilled);
}

void cf_graph_collect_spilled(go_exec *e, const go_site *site, const void *spilled) {
    collect(e, site, false, spilled);
}

void cf_graph_collect_final(go_exec *e) { collect(e, NULL, true, NULL); }

#if CF_SPILL_IN_C
/* Without the assembly: __builtin_unwind_init makes this frame save every
 * callee-saved register, and the scan starts below it. Less precise --
 * the frames in between may hold stale words -- never unsafe. */
static __attribute__((noinline)) void collect_below(go_exec *e, const go_site *site) {
    collect(e, site, false, __builtin_frame_address(0));
    __asm__ volatile("" ::: "memory"); /* not a tail call */
}

__attribute__((noinline)) CF_NO_ASAN void cf_graph_collect_now(go_exec *e, const go_site *site) {
    jmp_buf registers;
    memset(&registers, 0, sizeof registers);
    __builtin_unwind_init();
    setjmp(registers);
    collect_below(e, site);
    __asm__ volatile("" : : "r"(&registers) : "memory");
}

void go_gc_at(const go_site *site) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_graph_collect_now(e, site);
}
#endif

/* Could a collection now change anything the program sees? Only through a
 * weak pointer, a cleanup, or a timer only its channel holds (Go 1.23: a
 * collected timer stops firing). Walks the pending timers: allocation
 * points are not the hot path, scheduling points are. */
static bool collection_observable(const go_exec *e) {
    const cf_graph *graph = e->graph;
    if (graph && (graph->weak_count || graph->cleanup_count)) return true;
    for (uint32_t i = 0; i < e->clock.count; i++) {
        const cf_timer *timer = e->clock.heap[i];
        if (timer->owner && !cf_timer_holds_owner(e, timer)) return true;
    }
    return false;
}

void cf_graph_allocation_point(go_exec *e, const go_site *site) {
    if (e->clock.firing || !collection_observable(e)) return;
    if (cf_decide(e, GO_DECIDE_COLLECT, 2) == 1) cf_graph_collect_now(e, site);
}

cf_object *cf_graph_object_at(go_exec *e, const void *p) {
    for (cf_object *obj = e->objects; obj; obj = obj->next)
        if ((uintptr_t)p - (uintptr_t)obj < obj->size) return obj;
    return NULL;
}

uint64_t go_exec_collections(const go_exec *e) {
    return (e->graph ? e->graph->collections : 0) + (e->graph_final != NULL);
}

void cf_graph_free(go_exec *e) {
    if (e->graph_final) cf_tracer_give_back(e->graph_final);
    e->graph_final = NULL;
    cf_graph *graph = e->graph;
    if (!graph) return;
    for (size_t i = 0; i < graph->global_count; i++) free(graph->globals[i].name);
    free(graph->globals);
    free(graph->cleanups);
    free(graph);
    e->graph = NULL;
}

