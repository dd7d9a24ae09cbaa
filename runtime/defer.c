/* defer.c -- frames, deferred calls and their records (see defer.h): the
 * function call (go_call), the defer statement (go_defer), and running
 * deferred calls at a normal return (Go 1.23's deferreturn).
 */
#include <stdlib.h>

#include "sanitizer.h"
#include "sched.h"

/* ---- records ------------------------------------------------------------ */

/* Records come 64 to a chunk: one malloc serves a typical execution, and a
 * loop that defers in every iteration reuses freed records. */
#define CF_DEFER_CHUNK 64

struct cf_defer_chunk {
    cf_defer_chunk *next;
    cf_defer records[CF_DEFER_CHUNK];
};

/* The first chunk of the last execution, kept for the next: one malloc and
 * free of 2.5 KiB per execution that defers was a large-bin request, which
 * glibc serves only after consolidating its fast bins. Not under ASan,
 * which must see a record of a freed execution used. */
static cf_defer_chunk *spare_chunk;

static cf_defer *record_take(cf_defer_pool *pool) {
    cf_defer *d = pool->free;
    if (__builtin_expect(d != NULL, 1)) {
        pool->free = d->next;
        return d;
    }
    if (__builtin_expect(pool->unused == pool->unused_end, 0)) {
        cf_defer_chunk *chunk = spare_chunk;
        spare_chunk = NULL;
        if (!chunk) chunk = malloc(sizeof *chunk);
        cf_require(chunk != NULL, "deferred-call record allocation");
        chunk->next = pool->chunks;
        pool->chunks = chunk;
        pool->unused = chunk->records;
        pool->unused_end = chunk->records + CF_DEFER_CHUNK;
    }
    return pool->unused++;
}

static void record_give_back(cf_defer_pool *pool, cf_defer *d) {
    d->next = pool->free;
    pool->free = d;
}

void cf_defer_forget_trampled(go_exec *e, const cf_stack *overflowed) {
    for (cf_goroutine *g = e->live_head; g; g = g->live_next) {
        if (g->stack != overflowed && !cf_stack_trampled_by(g->stack, overflowed)) continue;
        g->unwind.frames = NULL;
        g->unwind.panics = NULL;
    }
}

void cf_defer_pool_free(cf_defer_pool *pool) {
    cf_defer_chunk *chunk = pool->chunks;
    while (chunk) {
        cf_defer_chunk *next = chunk->next;
        if (!CF_ASAN && !spare_chunk) spare_chunk = chunk;
        else free(chunk);
        chunk = next;
    }
    *pool = (cf_defer_pool){0};
}

void cf_defer_forget_ran(go_exec *e, cf_goroutine *g) {
    cf_unwind *u = &g->unwind;
    if (u->ran_head) {
        u->ran_tail->next = e->defer_pool.free;
        e->defer_pool.free = u->ran_head;
    }
    u->ran_head = u->ran_tail = NULL;
    u->ran_count = 0;
}

/* ---- frames ------------------------------------------------------------- */

static void run_at_return(go_exec *e, cf_goroutine *g, cf_frame *frame) {
    cf_defer *d;
    while ((d = frame->defers) != NULL) {
        frame->defers = d->next;
        cf_defer_run(e, g, d, NULL);
    }
}

/* The body of a frame and then its deferred calls. The setjmp lives here,
 * in a function that stays active until the last deferred call of the
 * frame has returned: a panic raised by one of them and recovered by a
 * later one lands back here, with that later one already popped. Nothing
 * local is changed after the setjmp (the frame record belongs to the
 * caller), so nothing is stale after a long jump -- the rule C11 7.13.2.1
 * sets for setjmp, kept here although __builtin_setjmp is stricter still
 * (every register is clobbered at the landing). noinline: the landing
 * must stay in this function, never merge into the caller's. */
static __attribute__((noinline)) void frame_run(go_exec *e, cf_goroutine *g,
                                                cf_frame *frame, go_func *fn, void *arg) {
    if (cf_frame_setjmp(frame->resume) == 0) fn(arg);
    run_at_return(e, g, frame);
}

/* Out of line: GCC forbids __builtin_longjmp in the function that holds
 * the __builtin_setjmp (goexit_run does both, to different buffers). */
__attribute__((noinline)) void cf_frame_longjmp(cf_jmp_buf buf) {
#if CF_ASAN
    __asan_handle_no_return();
#endif
    __builtin_longjmp(buf, 1);
}

static void frame_call(go_exec *e, cf_goroutine *g, const go_site *site, cf_panic *run_by,
                       go_func *fn, void *arg) {
    cf_frame frame;
    frame.caller = g->unwind.frames;
    frame.defers = NULL;
    frame.run_by = run_by;
    frame.site = site;
    frame.depth = frame.caller ? frame.caller->depth + 1 : 1;
    g->unwind.frames = &frame;
    frame_run(e, g, &frame, fn, arg);
    cf_invariant(g->unwind.frames == &frame, "a returning frame is the innermost");
    g->unwind.frames = frame.caller;
}

void cf_run_entry(go_exec *e, cf_goroutine *g) {
    frame_call(e, g, NULL, NULL, g->entry, g->arg);
}

void cf_defer_run(go_exec *e, cf_goroutine *g, cf_defer *d, cf_panic *run_by) {
    cf_unwind *u = &g->unwind;
    go_func *fn = d->fn;
    void *arg = d->arg;
    const go_site *site = d->site;
    go_defer_how how = run_by == NULL ? GO_DEFER_AT_RETURN
                       : run_by->goexit ? GO_DEFER_BY_GOEXIT
                                        : GO_DEFER_BY_PANIC;
    cf_emit(e, GO_EVENT_DEFER, 0, NULL, site, NULL, how);
    if (u->panicking) {
        /* Kept for the report, should this panic never be recovered. */
        d->next = NULL;
        if (u->ran_tail) u->ran_tail->next = d; else u->ran_head = d;
        u->ran_tail = d;
        u->ran_count++;
    } else {
        record_give_back(&e->defer_pool, d);
    }
    frame_call(e, g, site, run_by, fn, arg);
}

/* ---- the API ------------------------------------------------------------ */

void go_call_at(const go_site *site, go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    frame_call(e, e->current, site, NULL, fn, arg);
}

void go_run_defers_at(const go_site *site) {
    go_exec *e = cf_exec();
    cf_frame *frame = e->current->unwind.frames;
    cf_require(frame != NULL, "go_run_defers outside a Go frame");
    (void)site;
    run_at_return(e, e->current, frame);
}

void go_defer_at(const go_site *site, const char *fn_name, go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    cf_frame *frame = e->current->unwind.frames;
    cf_require(frame != NULL, "go_defer outside a Go frame");
    cf_defer *d = record_take(&e->defer_pool);
    d->fn = fn;
    d->arg = arg;
    d->fn_name = fn_name;
    d->site = site;
    d->next = frame->defers;
    frame->defers = d;
}
