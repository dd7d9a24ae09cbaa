/* stack.h -- goroutine stacks: mmap'ed, pooled across executions, and
 * guarded so that no overflow is ever silent.
 *
 * Two kinds, chosen at acquire time:
 *  - guarded: a mapping of its own with a PROT_NONE guard page below the
 *    stack. Each costs two kernel mappings, and the kernel allows ~65,530
 *    per process, so at most cf_stack_guarded_limit() exist at once.
 *  - canary: past that limit, stacks come from slabs (one mapping holds
 *    CF_STACK_SLAB stacks, with one guard page below them all) and carry a
 *    canary word just below the usable region, checked at every switch away
 *    from the goroutine and when it exits. Below the canary lies a page of
 *    slack (the canary zone), so an overflow of up to a page is caught
 *    before it reaches the stack below. A runaway recursion runs down
 *    through the stacks below it in its slab and faults in the slab's
 *    guard page: still reported as a stack overflow, but those stacks'
 *    contents are lost (cf_stack_trampled_by).
 * Free guarded stacks are always handed out before canary ones, so an
 * execution with few goroutines runs on guarded stacks even after a large
 * one filled the pool with canary stacks.
 *
 * A fresh mapping costs 20-28 us here, a pool hit a few ns: stacks are
 * never unmapped between executions unless the pool grows past
 * CF_STACK_POOL_KEEP.
 *
 * Layout of one stack (addresses grow upwards):
 *   guarded: [guard page] [usable stack ...] [cf_stack descriptor]
 *   canary:  [canary zone page, canary in its top word] [usable stack ...]
 *            [unused, so both kinds have the same usable size]
 * A canary stack's descriptor lives in its slab's bookkeeping (malloc'ed),
 * never in stack memory, so an overflow cannot corrupt the pool.
 */
#ifndef CF_STACK_H
#define CF_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sanitizer.h"

/* Canary stacks per slab. Each slab costs two mappings (its guard page and
 * its stacks), so 64 per slab keep 100,000 goroutines (~2,200 slab
 * mappings) well inside the mappings the guarded limit leaves over. */
#define CF_STACK_SLAB 64
#define CF_STACK_POOL_KEEP 4096   /* free stacks kept mapped after trim */

typedef struct cf_slab cf_slab;

typedef struct cf_stack {
    void *lo;                 /* lowest usable byte */
    size_t size;              /* usable bytes from lo */
    bool guarded;             /* guard page below lo; else canary below lo */
    bool registered;          /* registered as an LSan root region */
    bool overflowed;          /* its goroutine overflowed: see release */
    cf_slab *slab;            /* canary stacks: the slab it belongs to */
    struct cf_stack *next_free; /* pool link while free */
    uint64_t generation;      /* the pool's generation when it was mapped
                                 or last scrubbed (stack.c) */
    void *dirty_low;          /* since then: NULL while unused, else the
                                 lowest frame a switch away from it saw
                                 (sched.c), or its top */
} cf_stack;

/* A stack from the pool, or a new one. NULL only when the kernel refuses
 * memory. The stack is registered as an LSan root until released. */
cf_stack *cf_stack_acquire(void);

/* Returns a stack to the pool. `abandoned`: its goroutine did not return
 * normally, so its shadow memory is unpoisoned first. */
void cf_stack_release(cf_stack *stack, bool abandoned);

/* Unmaps pooled stacks beyond CF_STACK_POOL_KEEP: canary slabs first (they
 * go only whole), then guarded stacks. Call only between executions. */
void cf_stack_trim_pool(void);

/* Is `addr` in the guard page that stops this stack's overflow (its own,
 * or its slab's)? */
bool cf_stack_guard_hit(const cf_stack *stack, const void *addr);

/* Records that the goroutine on `stack` overflowed it. Its release then
 * unpoisons all the memory the overflow may have touched (its slab, or its
 * guard page), not just the stack. */
void cf_stack_note_overflow(cf_stack *stack);

/* May an overflow of `overflowed` have written over `stack`? True for a
 * canary stack below it in the same slab: a goroutine suspended there
 * must not be resumed. */
bool cf_stack_trampled_by(const cf_stack *stack, const cf_stack *overflowed);

/* False when a canary stack's canary has been overwritten. Guarded stacks
 * always pass. */
static inline bool cf_stack_intact(const cf_stack *stack) {
    extern const uint64_t cf_stack_canary;
    return stack->guarded ||
           ((const volatile uint64_t *)stack->lo)[-1] == cf_stack_canary;
}

/* Stack a goroutine must have left when it enters the runtime, as Go's
 * stack guard: the runtime's own deepest path (a decision, an event hook,
 * a trace append that reallocs) must never meet the guard page half-way,
 * which would leave the scheduler's state half-updated, or malloc's lock
 * held for good. ASan's frames are ~3x larger. */
#if CF_ASAN
#define CF_STACK_HEADROOM (48u * 1024u)
#else
#define CF_STACK_HEADROOM (16u * 1024u)
#endif

/* True when the goroutine running at `frame` on `stack` has overflowed it
 * (its canary is overwritten) or is about to (less than
 * CF_STACK_HEADROOM left below `frame`). */
static inline bool cf_stack_exhausted(const cf_stack *stack, const void *frame) {
    return (size_t)((const char *)frame - (const char *)stack->lo) < CF_STACK_HEADROOM ||
           !cf_stack_intact(stack);
}

/* How many guarded stacks may exist at once (from vm.max_map_count). */
size_t cf_stack_guarded_limit(void);
/* Test hook: lower the limit so that canary stacks can be tested without
 * 30,000 goroutines. 0 restores the default. */
void cf_stack_set_guarded_limit(size_t limit);

/* Usable bytes per stack, the same for both kinds. */
size_t cf_stack_usable_size(void);

/* Test hook: the canary word of the canary stack that holds `addr`, or
 * NULL when `addr` is on no canary stack. Walks every slab: not for hot
 * paths. */
uint64_t *cf_stack_canary_at(const void *addr);

#endif
