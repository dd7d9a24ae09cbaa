/* goroutine.c -- starting, running and ending goroutines (go statement). */
#include <stdlib.h>
#include <string.h>

#include "sanitizer.h"
#include "sched.h"

/* Free goroutine structs, process-wide. A struct is recycled the moment its
 * goroutine exits: a long execution spawning millions of short goroutines
 * keeps only the live ones. */
static cf_goroutine *struct_pool;

static cf_goroutine *struct_acquire(void) {
    cf_goroutine *g = struct_pool;
    if (g) {
        struct_pool = g->pool_next;
    } else {
        g = malloc(sizeof *g);
        cf_require(g != NULL, "goroutine allocation");
    }
    memset(g, 0, sizeof *g);
    return g;
}

static void struct_release(cf_goroutine *g) {
    g->pool_next = struct_pool;
    struct_pool = g;
}

static void live_append(go_exec *e, cf_goroutine *g) {
    g->live_prev = e->live_tail;
    g->live_next = NULL;
    if (e->live_tail) e->live_tail->live_next = g; else e->live_head = g;
    e->live_tail = g;
}

static void live_remove(go_exec *e, cf_goroutine *g) {
    if (g->live_prev) g->live_prev->live_next = g->live_next; else e->live_head = g->live_next;
    if (g->live_next) g->live_next->live_prev = g->live_prev; else e->live_tail = g->live_prev;
}

/* Returns g's stack and struct to the pools. */
void cf_goroutine_release(go_exec *e, cf_goroutine *g, bool abandoned) {
    live_remove(e, g);
    cf_stack_release(g->stack, abandoned);
    struct_release(g);
}

static void CF_NO_ASAN goroutine_exit(go_exec *e, cf_goroutine *g);

/* First code every goroutine runs, on its own stack. */
static void CF_NO_ASAN goroutine_start(void *arg) {
    cf_goroutine *g = arg;
    go_exec *e = cf_exec_running;
    g->started = true;
    const void *from_bottom = NULL;
    size_t from_size = 0;
    cf_san_finish_switch(CF_ASAN ? cf_san_fake_stack_take() : NULL, &from_bottom, &from_size);
    if (g == e->main && e->native_stack_bottom == NULL) {
        /* Main is the only goroutine entered from the native context: ASan
         * has just told us where the thread's own stack is. */
        e->native_stack_bottom = from_bottom;
        e->native_stack_size = from_size;
    }
    cf_run_entry(e, g); /* g->entry(g->arg) as its outermost Go frame */
    goroutine_exit(e, g);
}

cf_goroutine *cf_spawn(go_exec *e, const go_site *site, const char *name, go_func *fn,
                       void *arg) {
    cf_goroutine *g = struct_acquire();
    g->stack = cf_stack_acquire();
    cf_require(g->stack != NULL, "goroutine stack: mmap failed");
    g->id = e->next_goroutine_id++;
    g->entry = fn;
    g->arg = arg;
    g->entry_name = name;
    g->creator_site = site;
    g->creator_id = e->current ? e->current->id : 0;
    g->last_site = NULL;
    g->state = CF_G_RUNNABLE;
    g->started = false;
    cf_context_make(&g->context, g->stack->lo, g->stack->size, goroutine_start, g);
    live_append(e, g);
    e->goroutines_started++;
    if (!e->settling) e->step_budget += e->config.steps_per_goroutine;
    return g;
}

/* The goroutine has returned: it leaves the live list, its stack and struct
 * go back to the pools (nothing reuses them until we have switched away:
 * there is one thread), and the processor passes on for good. */
static void CF_NO_ASAN goroutine_exit(go_exec *e, cf_goroutine *g) {
    /* The last look at a canary stack before it goes back to the pool: an
     * overflow by the frames that just returned is caught here, as it
     * would be at a switch. */
    if (!cf_stack_intact(g->stack)) cf_stack_overflow(e);
    g->state = CF_G_EXITED;
    cf_emit(e, GO_EVENT_EXIT, 0, NULL, NULL, NULL, 0);
    /* Main ended by Goexit has not returned: the others run on unsettled,
     * as in Go, until none is left (panic.c). */
    if (g == e->main && g->unwind.goexited)
        e->main_goexited = true;
    else if (g == e->main)
        cf_settle_begin(e);
    bool keep_fake_stack = !g->unwind.unwound;
    cf_goroutine *next = cf_sched_pick_next(e);
    cf_emit(e, GO_EVENT_SWITCH, next->id, NULL, NULL, NULL, 0);
    cf_goroutine_release(e, g, false);
    cf_sched_exit_switch(e, next, keep_fake_stack);
}

void go_go_at(const go_site *site, const char *fn_name, go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_goroutine *g = cf_spawn(e, site, fn_name, fn, arg);
    cf_sched_make_runnable(e, g);
    cf_emit(e, GO_EVENT_SPAWN, g->id, NULL, site, NULL, 0);
}

uint64_t go_goroutine_id(void) { return cf_exec()->current->id; }

size_t go_num_goroutine(void) {
    size_t n = 0;
    for (const cf_goroutine *g = cf_exec()->live_head; g; g = g->live_next) n++;
    return n;
}
