/* execution.h -- everything one execution owns (struct go_exec).
 *
 * Exactly one execution runs at a time on the thread (cf_exec_running).
 * Everything it allocates hangs off this struct and is released by
 * go_exec_free, so no state survives from one execution to the next except
 * the pools of free stacks and goroutine structs.
 */
#ifndef CF_EXECUTION_H
#define CF_EXECUTION_H

#include <stdbool.h>
#include <stdint.h>

#include "chanfuzz/exec.h"
#include "clock.h"
#include "goroutine.h"
#include "object.h"

/* Runnable goroutines in queue order: a ring, so the scheduler can take
 * any position (the SCHEDULE decision) and push at the tail cheaply. */
typedef struct cf_runq {
    cf_goroutine **ring;
    uint32_t head;
    uint32_t length;
    uint32_t capacity;           /* a power of two */
} cf_runq;

/* One trace line: a decision (by index into the log) or an event. */
typedef struct cf_trace_entry {
    bool is_decision;
    size_t decision_index;
    go_event event;
} cf_trace_entry;

struct go_exec {
    go_config config;
    go_decider decider;          /* copied out of config for the hot path */
    uint64_t step_budget;
    bool emitting;               /* event hook or trace recording on */

    cf_goroutine native;         /* the thread's own context: where the
                                    execution starts and ends */
    const void *native_stack_bottom; /* learned from ASan on first switch */
    size_t native_stack_size;
    cf_context graveyard;        /* where dying goroutines save their last
                                    registers: nobody resumes them */

    cf_goroutine *current;       /* running goroutine */
    cf_goroutine *main;
    cf_runq runq;
    cf_goroutine *live_head;     /* goroutines holding a stack */
    cf_goroutine *live_tail;
    uint64_t next_goroutine_id;
    bool main_returned;

    uint64_t steps;
    cf_clock clock;
    bool settling;               /* main has returned: the rest settle */
    bool settle_exhausted;       /* ...and ran out of budget doing so */
    int64_t settle_deadline;     /* virtual time settling may reach */
    int64_t end_time;            /* the clock when the execution ended */
    uint64_t next_object_id[GO_OBJ_KIND_COUNT];
    cf_object *objects;          /* every object, newest first */

    go_decision *decisions;      /* the log, always kept */
    size_t decision_count;
    size_t decision_capacity;
    cf_trace_entry *trace;       /* with config.record_trace */
    size_t trace_count;
    size_t trace_capacity;

    bool ending;                 /* the end has been decided */
    bool stop_requested;         /* go_exec_stop from the decider */
    go_end end;
    char message[256];           /* panic / fatal / stop text */
    const go_site *failure_site;
    uint64_t failure_goroutine;

    go_goroutine_info *infos;    /* end-of-execution snapshot: goroutines */
    size_t info_count;           /* that did not exit, by id */
    uint64_t goroutines_started;

    struct cf_context_table *contexts; /* Go's context package
                                          (context.h); NULL until used */

    cf_defer_pool defer_pool;    /* deferred-call records (defer.h) */
    go_deferred_call *panic_defers; /* the unrecovered panic's deferred */
    size_t panic_defer_count;       /* calls, in the order they ran */
    bool main_goexited;          /* main ended by runtime.Goexit */
    struct cf_resource_table *resources; /* modelled files and connections
                                            (resource.c); NULL until used */
    struct cf_graph *graph;      /* globals, weak pointers, cleanups
                                    (graph.h); NULL until used */
    struct cf_tracer *graph_final; /* the final collection's marking, for
                                      inspection (graph.h) */

    /* Timers as the execution ended (timer_inspect.c): recorded before
     * teardown, while the goroutines waiting on timer channels are still
     * queued; `reachable` is filled on first inspection. */
    go_timer_info *timer_infos;
    size_t timer_info_count;
    bool timer_infos_resolved;
    /* go_checkpoint's samples (checkpoint.c); NULL until the first. */
    struct cf_checkpoints *checkpoints;
    /* Set by go_checkpoint for the one collection it runs, so that
     * collection records a sample: its call site and the round. */
    const go_site *checkpoint_site;
    uint64_t checkpoint_round;
};

/* The running execution, or NULL. */
extern go_exec *cf_exec_running;

#endif
