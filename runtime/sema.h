/* sema.h -- Go's runtime semaphore, under RWMutex and WaitGroup.
 *
 * After Go 1.23 runtime/sema.go (semacquire, semrelease without hand-off).
 * A count of releases not yet consumed and a FIFO of blocked acquirers.
 * Release without hand-off adds one to the count and wakes the oldest
 * acquirer, which must still win the count when it runs: an acquirer that
 * arrives in between takes it ("easy case"), and the woken one queues again
 * at the back. Every sema in package sync releases that way.
 *
 * Invariant (cf_sema_check): acquirers queue only while the count is zero,
 * and a release with a queued acquirer wakes it, so
 *   waiters non-empty           => count <= woken
 */
#ifndef CF_SEMA_H
#define CF_SEMA_H

#include "sched.h"

typedef struct cf_sema {
    uint64_t count;          /* releases not yet consumed */
    uint64_t woken;          /* acquirers a release woke that have not run
                                yet (each will try to take a count) */
    cf_waitq waiters;        /* blocked acquirers, FIFO */
} cf_sema;

/* semacquire: takes one count, blocking with `reason` on `obj` while there
 * is none. The caller has passed its scheduling point. */
void cf_sema_acquire(go_exec *e, cf_sema *s, cf_object *obj, const go_site *site,
                     go_wait_reason reason);

/* semrelease(handoff=false): adds one count and wakes the oldest blocked
 * acquirer, if any; `meet` says what met through obj, for the event. */
void cf_sema_release(go_exec *e, cf_sema *s, cf_object *obj, const go_site *site,
                     go_meet meet);

void cf_sema_check(const cf_sema *s);

#endif
