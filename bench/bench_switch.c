/* bench_switch.c -- rows 1 and 2: the bare context switch, and glibc's
 * swapcontext, with no runtime around them.
 *
 * Both rows bounce between the benchmark's own (thread) context and one
 * coroutine whose body does nothing but switch straight back, so one op is
 * exactly two switches: the floor every runtime row is compared against.
 */
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "bench.h"
#include "switch.h"
#include "sanitizer.h"

#define BOUNCER_STACK_BYTES (64u * 1024u)

/* ---- 1. cf_switch ------------------------------------------------------ */

/* The two contexts of the bare-switch row. Under ASan every switch is
 * announced as the runtime does (sanitizer.h), or ASan would take the
 * coroutine's frames for a corrupted thread stack; in other builds the
 * announcements compile to nothing. */
typedef struct bouncer {
    cf_context home;             /* the benchmark's thread context */
    cf_context coroutine;
    void *stack;
    bool done;                   /* set by home: leave for good */
    const void *home_bottom;     /* the thread's stack, learned from ASan */
    size_t home_size;
    void *home_fake_stack;       /* ASan's fake-stack saves */
    void *coroutine_fake_stack;
} bouncer;

static void switch_to_coroutine(bouncer *b) {
    cf_san_start_switch(&b->home_fake_stack, b->stack, BOUNCER_STACK_BYTES);
    cf_switch(&b->home, &b->coroutine);
    cf_san_finish_switch(b->home_fake_stack, NULL, NULL);
}

/* The coroutine: switches back at once, until told to finish. Its last
 * switch passes a NULL fake-stack save so ASan frees its fake stack. */
static void bounce(void *arg) {
    bouncer *b = arg;
    cf_san_finish_switch(NULL, &b->home_bottom, &b->home_size);
    while (!b->done) {
        cf_san_start_switch(&b->coroutine_fake_stack, b->home_bottom, b->home_size);
        cf_switch(&b->coroutine, &b->home);
        cf_san_finish_switch(b->coroutine_fake_stack, NULL, NULL);
    }
    cf_san_start_switch(NULL, b->home_bottom, b->home_size);
    cf_switch(&b->coroutine, &b->home);
    abort(); /* nothing resumes a finished bouncer */
}

uint64_t bench_bare_switch(uint64_t ops) {
    bouncer b = {.stack = aligned_alloc(16, BOUNCER_STACK_BYTES)};
    if (!b.stack) {
        fprintf(stderr, "bench_runtime: out of memory\n");
        exit(1);
    }
    cf_context_make(&b.coroutine, b.stack, BOUNCER_STACK_BYTES, bounce, &b);
    switch_to_coroutine(&b); /* the first entry runs bounce's prologue */

    uint64_t start = bench_now_ns();
    for (uint64_t i = 0; i < ops; i++) switch_to_coroutine(&b);
    uint64_t elapsed = bench_now_ns() - start;

    b.done = true;
    switch_to_coroutine(&b);
    free(b.stack);
    return elapsed;
}

/* ---- 2. swapcontext ------------------------------------------------------ */

/* makecontext passes int arguments only, so the coroutine finds its state
 * through this pointer instead of an argument. */
static struct {
    ucontext_t home;
    ucontext_t coroutine;
    bool done;                   /* set by home: return for good */
} *swap_state;

static void swap_bounce(void) {
    while (!swap_state->done) swapcontext(&swap_state->coroutine, &swap_state->home);
    /* returning ends the coroutine into uc_link: home */
}

uint64_t bench_swapcontext(uint64_t ops) {
    void *stack = aligned_alloc(16, BOUNCER_STACK_BYTES);
    swap_state = calloc(1, sizeof *swap_state);
    if (!stack || !swap_state) {
        fprintf(stderr, "bench_runtime: out of memory\n");
        exit(1);
    }
    getcontext(&swap_state->coroutine);
    swap_state->coroutine.uc_stack.ss_sp = stack;
    swap_state->coroutine.uc_stack.ss_size = BOUNCER_STACK_BYTES;
    swap_state->coroutine.uc_link = &swap_state->home;
    makecontext(&swap_state->coroutine, swap_bounce, 0);
    swapcontext(&swap_state->home, &swap_state->coroutine);

    uint64_t start = bench_now_ns();
    for (uint64_t i = 0; i < ops; i++) swapcontext(&swap_state->home, &swap_state->coroutine);
    uint64_t elapsed = bench_now_ns() - start;

    swap_state->done = true;
    swapcontext(&swap_state->home, &swap_state->coroutine);
    free(swap_state);
    swap_state = NULL;
    free(stack);
    return elapsed;
}
