/* stack.h -- goroutine stacks: mmap'ed, pooled across executions, and
 * guarded so that no overflow is ever silent.
 *
 * Two kinds, chosen at acquire time:
 *  - guarded: a mapping of its own with a PROT_NONE guard page below the
 *    stack. Each costs two kernel mappings, and the kernel allows ~65,530
 *    per process, so at most cf_stack_guarded_limit() exist at once.
 *  - canary: past that limit, stacks come from slabs (one mapping holds
 *    CF_STACK_SLAB stacks) with a canary word at the low end, checked at
 *    every switch away from the goroutine. A frame larger than the canary's
 *    distance could skip it; the build's -fstack-clash-protection makes
 *    large frames probe page by page, so in practice they hit it.
 * A fresh mapping costs 20-28 us here, a pool hit a few ns: stacks are
 * never unmapped between executions unless the pool grows past
 * CF_STACK_POOL_KEEP.
 *
 * Layout of one stack (addresses grow upwards):
 *   [guard page (guarded) | canary (canary)] [usable stack ...] [cf_stack]
 * The descriptor sits at the top, above the usable region.
 */
#ifndef CF_STACK_H
#define CF_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_STACK_SLAB 32          /* canary stacks per slab mapping */
#define CF_STACK_POOL_KEEP 4096   /* free stacks kept mapped after trim */

typedef struct cf_slab cf_slab;

typedef struct cf_stack {
    void *lo;                 /* lowest usable byte */
    size_t size;              /* usable bytes, from lo up to this struct */
    bool guarded;             /* guard page below lo; else canary at lo */
    bool registered;          /* registered as an LSan root region */
    cf_slab *slab;            /* canary stacks: the slab it belongs to */
    struct cf_stack *next_free; /* pool link while free */
} cf_stack;

/* A stack from the pool, or a new one. NULL only when the kernel refuses
 * memory. The stack is registered as an LSan root until released. */
cf_stack *cf_stack_acquire(void);

/* Returns a stack to the pool. `abandoned`: its goroutine did not return
 * normally, so its shadow memory is unpoisoned first. */
void cf_stack_release(cf_stack *stack, bool abandoned);

/* Unmaps pooled stacks beyond CF_STACK_POOL_KEEP. */
void cf_stack_trim_pool(void);

/* Is `addr` in this stack's guard page? */
bool cf_stack_guard_hit(const cf_stack *stack, const void *addr);

/* False when a canary stack's canary has been overwritten. Guarded stacks
 * always pass. */
static inline bool cf_stack_intact(const cf_stack *stack) {
    extern const uint64_t cf_stack_canary;
    return stack->guarded || *(const volatile uint64_t *)stack->lo == cf_stack_canary;
}

/* How many guarded stacks may exist at once (from vm.max_map_count). */
size_t cf_stack_guarded_limit(void);
/* Test hook: lower the limit so that canary stacks can be tested without
 * 30,000 goroutines. 0 restores the default. */
void cf_stack_set_guarded_limit(size_t limit);

/* Usable bytes per stack. */
size_t cf_stack_usable_size(void);

#endif
