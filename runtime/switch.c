/* switch.c -- building the first frame of a new context (see switch.h).
 * The switch itself is in arch/switch_<arch>.S, or below for ucontext. */
#include "switch.h"

#include <stdint.h>
#include <string.h>

#if defined(CF_CONTEXT_UCONTEXT)

/* Fallback for architectures without an assembly switch. glibc's
 * swapcontext makes a sigprocmask system call (~1 us here), so this is
 * never the default where an assembly switch exists. */
void cf_switch(cf_context *from, cf_context *to) { swapcontext(&from->uc, &to->uc); }

/* No portable way to move the stack pointer: the harness's calls leave
 * their words on the goroutine's stack (side_stack.c says what that costs). */
void cf_call_on_stack(void (*fn)(void *), void *arg, void *top) {
    (void)top;
    fn(arg);
}

/* makecontext passes only int arguments: each pointer goes in two halves. */
static void ucontext_start(unsigned entry_hi, unsigned entry_lo, unsigned arg_hi,
                           unsigned arg_lo) {
    void (*entry)(void *) =
        (void (*)(void *))(((uintptr_t)entry_hi << 32) | (uintptr_t)entry_lo);
    entry((void *)(((uintptr_t)arg_hi << 32) | (uintptr_t)arg_lo));
}

void cf_context_make(cf_context *ctx, void *stack_lo, size_t size,
                     void (*entry)(void *), void *arg) {
    uint64_t e = (uint64_t)(uintptr_t)entry, a = (uint64_t)(uintptr_t)arg;
    getcontext(&ctx->uc);
    ctx->uc.uc_stack.ss_sp = stack_lo;
    ctx->uc.uc_stack.ss_size = size;
    ctx->uc.uc_link = NULL;
    makecontext(&ctx->uc, (void (*)(void))ucontext_start, 4, (unsigned)(e >> 32),
                (unsigned)e, (unsigned)(a >> 32), (unsigned)a);
}

#elif defined(__x86_64__)

void cf_start(void);

void cf_context_make(cf_context *ctx, void *stack_lo, size_t size,
                     void (*entry)(void *), void *arg) {
    uintptr_t top = ((uintptr_t)stack_lo + size) & ~(uintptr_t)15;
    /* 8 words, popped in this order: FP control, r15, r14, r13, r12, rbx,
     * rbp, return address.
     * The word above them keeps cf_start's stack 16-byte aligned. */
    uint64_t *frame = (uint64_t *)(top - 16 - 8 * 8);
    memset(frame, 0, 8 * 8);
    frame[0] = 0x1F80u | ((uint64_t)0x037Fu << 32); /* default MXCSR, x87 CW */
    frame[3] = (uint64_t)(uintptr_t)arg;            /* r13 */
    frame[4] = (uint64_t)(uintptr_t)entry;          /* r12 */
    frame[7] = (uint64_t)(uintptr_t)cf_start;       /* return address */
    ctx->sp = frame;
}

#elif defined(__aarch64__)

void cf_start(void);

void cf_context_make(cf_context *ctx, void *stack_lo, size_t size,
                     void (*entry)(void *), void *arg) {
    uintptr_t top = ((uintptr_t)stack_lo + size) & ~(uintptr_t)15;
    uint64_t *frame = (uint64_t *)(top - 176);
    memset(frame, 0, 176);
    frame[0] = (uint64_t)(uintptr_t)entry;     /* x19 */
    frame[1] = (uint64_t)(uintptr_t)arg;       /* x20 */
    frame[11] = (uint64_t)(uintptr_t)cf_start; /* x30 */
    ctx->sp = frame;                           /* FPCR 0: round to nearest */
}

#else
#error "no context switch for this architecture: configure with CHANFUZZ_UCONTEXT=ON"
#endif
