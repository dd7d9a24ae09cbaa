/* switch.h -- a suspended execution context, and the switch between two.
 *
 * The switch saves the callee-saved registers, MXCSR and the x87 control
 * word (AArch64: FPCR) on the outgoing stack and stores the stack pointer in
 * `from`; it then loads `to`'s stack pointer and restores the same set.
 * Saving the floating-point control state keeps one goroutine's rounding
 * mode from leaking into the others, which made traces differ between
 * builds before it was saved (DESIGN.md).
 *
 * Cost (x86-64, measured in bench/): two switches ~10 ns with the FP save.
 * The switch returns with `pop; jmp` instead of `ret`: `ret` mispredicts
 * against the return-stack buffer on every switch and cost 2.4x.
 */
#ifndef CF_SWITCH_H
#define CF_SWITCH_H

#include <stddef.h>

#if defined(CF_CONTEXT_UCONTEXT)
#include <ucontext.h>
typedef struct cf_context { ucontext_t uc; } cf_context;
#else
typedef struct cf_context {
    void *sp;   /* saved stack pointer; the registers sit just above it */
} cf_context;
#endif

/* Suspends the caller into `from` and resumes `to`. Returns when something
 * switches back to `from`. `to` must have been suspended by cf_switch or
 * made by cf_context_make. */
void cf_switch(cf_context *from, cf_context *to);

/* Prepares `ctx` so that the first switch to it calls entry(arg) on the
 * stack [stack_lo, stack_lo + size). entry must never return: it ends by
 * switching away for good. */
void cf_context_make(cf_context *ctx, void *stack_lo, size_t size,
                     void (*entry)(void *), void *arg);

/* Calls fn(arg) on the stack whose top is `top` (16-byte aligned) and
 * returns on the caller's stack (side_stack.c). The ucontext build calls
 * fn directly. */
void cf_call_on_stack(void (*fn)(void *), void *arg, void *top);

#endif
