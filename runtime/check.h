/* check.h -- broken runtime invariants (Go's `throw`), as opposed to panics
 * of the modelled program (findings).
 *
 * A violated invariant is a bug in chanfuzz, never in the scenario: it
 * aborts the process with the invariant's name and the file:line that
 * detected it, so no fuzzer can mistake it for a leak or a Go panic.
 *
 * CF_CHECKS builds (the default, asan and fuzz presets) verify after each
 * operation the invariants of the objects it touched, and all of them every
 * CF_CHECK_ALL_EVERY steps and at the end of every execution, so a run with
 * 100,000 goroutines does not become quadratic.
 *
 * DESIGN.md's "reference counts match the graph" has nothing to hold on
 * here: nothing is reference-counted, the collector traces, as Go's does.
 * The counts the runtime does keep are each checked against what they
 * count (tests/test_invariants.c): a wait queue's length against its
 * records, the run queue against the runnable goroutines, a pending
 * timer's heap slot, a context's children against their registrations, a
 * WaitGroup's waiters against its counter. */
#ifndef CF_CHECK_H
#define CF_CHECK_H

#ifndef CF_CHECKS
#define CF_CHECKS 0
#endif

#define CF_CHECK_ALL_EVERY 4096u

_Noreturn void cf_throw_at(const char *invariant, const char *file, int line);

#define cf_throw(invariant) cf_throw_at((invariant), __FILE__, __LINE__)

typedef struct cf_waitq cf_waitq;
/* Throws unless q's links, length and records are consistent. */
void cf_check_waitq(const cf_waitq *q);

/* Always checked: cheap, and guards against silent corruption. */
#define cf_require(cond, invariant) \
    do { if (__builtin_expect(!(cond), 0)) cf_throw(invariant); } while (0)

/* Checked only in CF_CHECKS builds. */
#if CF_CHECKS
#define cf_invariant(cond, invariant) cf_require(cond, invariant)
#else
#define cf_invariant(cond, invariant) ((void)0)
#endif

#endif
