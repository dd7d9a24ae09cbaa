/* scan.h -- a collection's working state (struct cf_tracer), and the
 * conservative scanning that feeds it: goroutine stacks, ASan's fake
 * stacks, the program's data segments, object payloads.
 *
 * Node numbering, for the length of one collection: objects 0..n-1 in
 * address order (the index conservative lookups binary-search), then the
 * goroutines that have not exited, n.., in creation order. */
#ifndef CF_SCAN_H
#define CF_SCAN_H

#include "graph.h"
#include "stack.h"

/* A node's phase (graph.h): 0 is unmarked. */
enum { CF_UNMARKED = 0, CF_REACHABLE = 1, CF_LEAKED = 2, CF_RUNTIME_KEPT = 3 };

/* No holder yet (a node marked by a root holds the root's index as
 * -index - 1). */
#define CF_NO_HOLDER INT64_MIN

/* A root as marking records it; a GO_ROOT_DATA root is named from its
 * slot only if the result is kept. */
typedef struct cf_root {
    go_holder link;
    const void *slot;            /* GO_ROOT_DATA: the word that held it */
} cf_root;

/* One goroutine waiting on an object: a list per object. */
typedef struct cf_waiting {
    uint32_t goroutine;          /* node */
    uint32_t next;               /* next record for the same object, or
                                    UINT32_MAX */
} cf_waiting;

#define CF_DATA_HITS 16

struct cf_tracer {
    go_exec *e;
    bool final;                  /* the end-of-execution collection */

    /* Every per-node array below is carved from one arena, sized when the
     * collection starts; the arena and the growable arrays (roots, fake
     * frames, edges) keep their capacity when the tracer is recycled
     * (graph.c). */
    char *arena;
    size_t arena_capacity;

    /* The address index: every object, sorted by address. */
    cf_object **by_address;
    size_t object_count;
    uintptr_t lowest;            /* first object's address */
    uintptr_t highest;           /* one past the end of the last object */

    cf_goroutine **goroutines;   /* not exited, creation order; valid
                                    during the collection only */
    uint64_t *goroutine_ids;     /* theirs, for inspection after teardown */
    const cf_stack *overflowed;  /* the stack whose overflow ended the
                                    execution, or NULL */
    size_t goroutine_count;
    size_t node_count;

    /* Marking. */
    uint8_t *phase;              /* per node */
    int64_t *holder;             /* per node: see CF_NO_HOLDER */
    uint32_t *queue;             /* breadth-first: each node enters once */
    size_t queue_head;
    size_t queue_tail;
    uint8_t marking;             /* the phase being marked */
    int64_t holder_now;          /* what nodes marked now are held by */

    uint32_t *first_waiting;     /* per object: head of its cf_waiting list */
    cf_waiting *waiting;
    size_t waiting_count;

    /* Roots that marked something (the others are never recorded). */
    cf_root *roots;
    size_t root_count;
    size_t root_capacity;
    cf_root next_root;           /* the root being marked from: recorded
                                    when it marks its first node */
    bool scanning_data;          /* each word of C data is a root */
    const void *data_slot;       /* the word the scanners just read */
    /* The words of C data that pointed into an object: all that
     * go_exec_free must look at again (stale_data.c), when the data was
     * scanned and they fit here. */
    bool data_scanned;
    size_t data_hit_count;
    const void *data_hits[CF_DATA_HITS];

    /* The goroutine being scanned. */
    void *fake_stack;            /* its ASan fake stack, or NULL */
    const void **fake_frames;    /* fake frames scanned already */
    size_t fake_frame_count;
    size_t fake_frame_capacity;
    const void *running_from;    /* the running goroutine's lowest live
                                  stack address (registers spilled above
                                  it); NULL at the final collection */

    /* Edges out of phase-2 nodes into unreachable ones (final only): what
     * each partially deadlocked goroutine retains is a walk over these. */
    bool recording;
    uint32_t *edges;
    size_t edge_count;
    size_t edge_capacity;
    size_t *edge_begin;          /* per node */
    uint32_t *edge_length;       /* per node */

    cf_graph_result *result;     /* the final collection's view for
                                    inspection, built on first use */
    /* A walk after the final collection (cf_graph_reach): marks go to
     * these instead of the phases. */
    uint8_t *probe_seen;         /* per node */
    uint32_t *probe_queue;       /* object nodes, in the order reached */
    size_t probe_tail;
};

/* ---- the tracer's memory (tracer.c) ---------------------------------------- */

/* A tracer for a collection of e, recycled when one was given back
 * (cf_tracer_give_back, graph.h). */
cf_tracer *cf_tracer_take(go_exec *e, bool final, const void *running_from);

/* Sizes the arena for n objects, g goroutines and `records` wait records,
 * carves the per-node arrays from it and clears them (nothing marked, no
 * waiting lists; the holders are left to the caller). */
void cf_tracer_lay_out(cf_tracer *t, size_t n, size_t g, size_t records);

/* ---- the address index -------------------------------------------------- */

/* Lists and sorts every object of t->e into t->by_address, which has
 * room for t->object_count of them, as has `spare`. */
void cf_index_build(cf_tracer *t, cf_object **spare);

/* The node of the object whose allocation [obj, obj + size) holds
 * address w, or -1. */
static inline int64_t cf_index_find(const cf_tracer *t, uintptr_t w) {
    if (w < t->lowest || w >= t->highest) return -1;
    /* The last object starting at or below w. Branch-free halving: the
     * compiler makes the step a conditional move, so a lookup costs no
     * mispredictions (twice as fast as the branchy search here). */
    cf_object *const *base = t->by_address;
    for (size_t n = t->object_count; n > 1;) {
        size_t half = n / 2;
        base = (uintptr_t)base[half] <= w ? base + half : base;
        n -= half;
    }
    const cf_object *obj = *base;
    return w - (uintptr_t)obj < obj->size ? (int64_t)(base - t->by_address) : -1;
}

/* ---- walks after the final collection (graph.c) ---------------------------- */

/* The objects reachable from object node `from` through object
 * references alone (not through goroutines waiting on them), from
 * itself excluded, breadth-first: written to out (room for
 * t->object_count), their count returned. t is the final collection. */
size_t cf_graph_reach(cf_tracer *t, uint32_t from, uint32_t *out);

/* ---- scanning (scan.c) ------------------------------------------------------ */

/* graph.c: the scanners found a word pointing into object node `node`. */
void cf_tracer_hit(cf_tracer *t, uint32_t node);

/* Every aligned word in [from, to) that points into an object is a hit;
 * with t->fake_stack set, one pointing into a live ASan fake frame has
 * that frame scanned too. Reads memory ASan may have poisoned (stack
 * redzones, globals' redzones): uninstrumented. */
void cf_scan_range(cf_tracer *t, const void *from, const void *to);

/* Scans goroutine g's stack: from its saved stack pointer (the switch
 * pushed its callee-saved registers just above it) to the top, or from
 * t->running_from for the running goroutine; then the ASan fake frames
 * those words point to. */
void cf_scan_stack(cf_tracer *t, cf_goroutine *g);

/* Scans the program's own data (cf_program_data), where scenarios keep
 * model objects in C globals and statics. Each slot that marks something
 * becomes a GO_ROOT_DATA root (via t->data_slot). */
void cf_scan_data_segments(cf_tracer *t);

/* ---- the program's data (symbols.c) ------------------------------------------ */

typedef struct cf_data_range {
    uintptr_t start, end;
} cf_data_range;

/* The main program's writable PT_LOAD segments (.data, .bss, ...) without
 * the objects of the sanitizer runtimes and libFuzzer linked into it.
 * Computed once per process. */
const cf_data_range *cf_program_data(size_t *count);

/* Clears every word of the program's data that holds a handle to an
 * object of the final collection `final` (stale_data.c): called as its
 * execution is freed, so no C static dangles into the next one. */
void cf_forget_program_data(const cf_tracer *final);

/* The address go_alloc handed out for heap object obj (heap.c). */
const void *cf_heap_payload(const cf_object *obj);

/* The name of a data root: the symbol holding `slot` ("registry",
 * "registry+0x8"; statics too, from the symbol table), else
 * "data+0x<offset from the load address>". Writes at most size bytes. */
void cf_data_root_name(const void *slot, char *out, size_t size);

#endif
