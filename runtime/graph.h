/* graph.h -- the object graph: what keeps what alive, and collections.
 *
 * Nodes are the execution's model objects and its goroutines that have not
 * exited. Edges:
 *   object    -> what its trace op reports (a channel's buffered words, a
 *                closure's captured words, a timer's channel and AfterFunc
 *                argument, a map's keys and values; kinds without a trace
 *                op have their payload scanned conservatively)
 *   object    -> every goroutine blocked on it (Go's wait queues hold the
 *                goroutine: whoever can reach the object can wake it)
 *   goroutine -> its stack (conservatively, from its saved stack pointer to
 *                its top), its closure argument, what it waits on, and the
 *                arguments of its pending deferred calls
 * Roots, in marking order (graph.c): named globals (globals.c); runnable,
 * running and sleeping goroutines; pending timers that the runtime's timer
 * heap holds (clock.h; Go 1.23 holds a channel timer only while a receiver
 * waits on its channel); cleanup arguments; the program's writable data
 * segments, conservatively (scan.c).
 *
 * A collection marks in phases, each breadth-first, so that every marked
 * node remembers its holder (a node, or a root) and holder chains come out
 * shortest from the first root that reaches them:
 *   1 reachable   from the roots. A blocked goroutine is marked when an
 *                 object it waits on is: the fixed point of Saioc et al.'s
 *                 partial deadlock detection, reached in one pass.
 *   2 leaked      from the blocked goroutines phase 1 left unmarked (they
 *                 are partially deadlocked): their memory is kept, as Go's
 *                 leak profile keeps it -- they are never resumed.
 *   3 runtime     from objects of kinds kept_until_end (object.h).
 * What is left unmarked is garbage and is freed -- except by the final
 * collection, which only records what it found. Weak pointers to objects
 * in neither phase 1 nor 2 are cleared and their cleanups started.
 */
#ifndef CF_GRAPH_H
#define CF_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/exec.h"
#include "object.h"

typedef struct cf_goroutine cf_goroutine;
typedef struct cf_timer cf_timer;
typedef struct cf_graph_result cf_graph_result;

/* A named root: a Go package-level variable (globals.c). */
typedef struct cf_global {
    char *name;                  /* copied */
    go_word value;
    const go_site *site;         /* where it was last set */
} cf_global;

/* A pending runtime.AddCleanup (cleanup.c). */
typedef struct cf_cleanup {
    uint64_t id;                 /* go_cleanup.id */
    const cf_object *target;     /* not traced: it must be able to die */
    go_func *fn;
    void *arg;                   /* a root while the cleanup is pending */
    const char *fn_name;
    const go_site *site;         /* the AddCleanup call */
    uint64_t creator;            /* goroutine that called AddCleanup */
} cf_cleanup;

typedef struct go_weak go_weak;

/* Everything the graph keeps per execution (go_exec.graph): made on first
 * use, freed by go_exec_free. */
typedef struct cf_graph {
    cf_global *globals;          /* in order of first setting */
    size_t global_count;
    size_t global_capacity;
    cf_cleanup *cleanups;        /* pending, in order of registration */
    size_t cleanup_count;
    size_t cleanup_capacity;
    uint64_t next_cleanup_id;
    go_weak *weak_head;          /* every live weak handle (weak.c) */
    size_t weak_count;
    uint64_t collections;        /* run so far, the final one excepted
                                    (go_exec.graph_final holds that one) */
} cf_graph;

/* The execution's graph state, made on first use. */
cf_graph *cf_graph_get(go_exec *e);

/* ---- collections (graph.c) ------------------------------------------------ */

/* An allocation through the graph API (go_alloc, go_closure, ...): while a
 * collection could change what the program sees -- weak handles or
 * cleanups exist, or a Go 1.23 channel timer is pending that nothing but
 * its channel holds -- asks a COLLECT decision and collects on 1. Else
 * free: no decision is asked, so scenarios that use none of this see the
 * same decisions as before. */
void cf_graph_allocation_point(go_exec *e, const go_site *site);

/* Collects now, from the running goroutine: frees garbage, clears weak
 * pointers, starts cleanups, records a COLLECT event at site. In assembly
 * (arch/spill_<arch>.S, as is go_gc_at): it pushes every callee-saved
 * register first, so that the scan of the running goroutine sees values
 * its callers keep only in registers. */
void cf_graph_collect_now(go_exec *e, const go_site *site);

/* The end of an execution (exec.c), on the thread's own stack after the
 * last switch back and before teardown, while every goroutine's stack is
 * intact: marks only, and keeps the result for inspection. */
void cf_graph_collect_final(go_exec *e);

/* Releases what the graph keeps (go_exec_free), objects excepted: the
 * graph state and the final collection's marking. */
void cf_graph_free(go_exec *e);

/* The object whose allocation holds address p, or NULL. Walks every
 * object: for API calls (go_weak_make, go_add_cleanup), not for marking. */
cf_object *cf_graph_object_at(go_exec *e, const void *p);

/* ---- what other files provide ----------------------------------------------- */

/* timer.c: does pending timer t keep its owner alive? Go 1.22: every
 * pending timer sits in the runtime's heap, a root. Go 1.23: a channel
 * timer (Timer, Ticker, After) is in the heap only while a goroutine
 * waits to receive from its channel; otherwise only its channel holds
 * it. AfterFunc and context deadlines are always held; so are Sleeps,
 * whose goroutine graph.c roots by its wait reason. */
bool cf_timer_holds_owner(const go_exec *e, const cf_timer *t);

/* weak.c: clears the handles whose target `dead` says is dead. */
void cf_weak_clear_dead(go_exec *e, bool (*dead)(void *self, const cf_object *target),
                        void *self);

/* cleanup.c: starts the cleanups whose target `dead` says is dead, each
 * in a goroutine of its own, and forgets them. */
void cf_cleanup_run_dead(go_exec *e, bool (*dead)(void *self, const cf_object *target),
                         void *self);

/* checkpoint.c: records go_checkpoint's sample from collection t, after
 * its garbage was freed (graph.c); and frees the samples (go_exec_free). */
void cf_checkpoint_record(go_exec *e, const cf_tracer *t);
void cf_checkpoints_free(go_exec *e);

/* ---- results (graph_inspect.c) ------------------------------------------------ */

/* The final collection's view, frozen for inspection: objects by kind and
 * id, goroutines by id, and for each marked node its holder. */
struct cf_graph_result {
    go_object_info *objects;     /* live objects, by (kind, id) */
    size_t object_count;
    go_goroutine_graph *goroutines; /* non-exited goroutines, by id */
    size_t goroutine_count;
    /* Per node -- objects first, in object order, then goroutines in
     * goroutine order: */
    int64_t *holder;             /* >= 0 the holding node; < 0: root
                                    -holder - 1; unmarked: INT64_MIN */
    /* Roots that marked something, by index: */
    go_holder *roots;
    size_t root_count;
    char **root_names;           /* owned copies (GLOBAL, DATA) */
    /* Retained objects of each partially deadlocked goroutine, as object
     * indexes, worked out the first time someone asks for that goroutine
     * (go_exec_goroutine_graph, go_exec_retained): one walk is linear in
     * the graph, and 100,000 goroutines leaked on one channel each reach
     * all the others through it, so walking for every goroutine up front
     * was quadratic. retained_of[i] is goroutine i's list
     * (goroutines[i].retained_objects long) once retained_known[i]. */
    size_t **retained_of;
    bool *retained_known;
    /* The walks' scratch, kept from result_build to the last walk: */
    const cf_tracer *tracer;     /* the final collection (it outlives r) */
    size_t *position;            /* node -> its index in objects/goroutines */
    size_t *stamp;               /* node -> 1 + the goroutine node whose walk
                                    last reached it */
    uint32_t *queue, *deferred;
};

void cf_graph_result_free(cf_graph_result *r);

/* Returns a collection's memory for the next one (graph.c). */
void cf_tracer_give_back(cf_tracer *t);

#endif
