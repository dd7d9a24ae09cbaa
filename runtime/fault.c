/* fault.c -- turning a goroutine's guard-page fault into a finding.
 *
 * The handler runs on an alternate signal stack (the faulting stack is
 * unusable). When the fault is in the running goroutine's guard page it
 * unblocks the signal -- we leave the handler by switching away, never by
 * returning, so the kernel would otherwise keep it blocked and the next
 * overflow would kill the process -- and ends the execution as the fatal
 * error "stack overflow" (Go, too, ends the whole program on one). Any
 * other fault goes to the handler installed before ours (ASan's,
 * libFuzzer's, or the default), so their reports stay intact. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sanitizer.h"
#include "sched.h"

#define CF_ALTSTACK_BYTES (64u * 1024u)

static struct sigaction previous_segv, previous_bus;
static bool installed;
static void *altstack;
static size_t altstack_size;
bool cf_fault_overflow_pending; /* the native side unpoisons the altstack */

static void chain(int sig, siginfo_t *info, void *uctx) {
    struct sigaction *prev = sig == SIGBUS ? &previous_bus : &previous_segv;
    if (prev->sa_flags & SA_SIGINFO) {
        if (prev->sa_sigaction) {
            prev->sa_sigaction(sig, info, uctx);
            return;
        }
    } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
        prev->sa_handler(sig);
        return;
    }
    /* Default action: restore it and return; the fault repeats and kills. */
    sigaction(sig, prev, NULL);
}

static void on_fault(int sig, siginfo_t *info, void *uctx) {
    go_exec *e = cf_exec_running;
    cf_goroutine *g = e ? e->current : NULL;
    if (g && g->stack && cf_stack_guard_hit(g->stack, info->si_addr)) {
        sigset_t unblock;
        sigemptyset(&unblock);
        sigaddset(&unblock, SIGSEGV);
        sigaddset(&unblock, SIGBUS);
        sigprocmask(SIG_UNBLOCK, &unblock, NULL);
        cf_fault_overflow_pending = true;
        cf_stack_overflow(e);
    }
    chain(sig, info, uctx);
}

void cf_fault_install(void) {
    if (installed) return;
    installed = true;
    stack_t current;
    if (sigaltstack(NULL, &current) == 0 && !(current.ss_flags & SS_DISABLE) &&
        current.ss_size >= CF_ALTSTACK_BYTES) {
        altstack = current.ss_sp; /* ASan's or libFuzzer's: share it */
        altstack_size = current.ss_size;
    } else {
        altstack = malloc(CF_ALTSTACK_BYTES);
        cf_require(altstack != NULL, "alternate signal stack allocation");
        altstack_size = CF_ALTSTACK_BYTES;
        stack_t ss = {.ss_sp = altstack, .ss_size = altstack_size, .ss_flags = 0};
        cf_require(sigaltstack(&ss, NULL) == 0, "sigaltstack");
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    sigaction(SIGBUS, &sa, &previous_bus);
}

/* After an overflow the handler's frames were abandoned on the alternate
 * stack with their redzones poisoned; without this the next fault reports
 * a false stack-use-after-scope (seen with gcc's ASan). */
void cf_fault_after_overflow(void) {
    if (!cf_fault_overflow_pending) return;
    cf_fault_overflow_pending = false;
    cf_san_unpoison(altstack, altstack_size);
}
