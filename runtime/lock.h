/* lock.h -- the state of a sync.Mutex, shared by Mutex, RWMutex (its
 * writer lock `w`) and Once (its `m`), as Go's own types embed a Mutex.
 *
 * Go's Mutex is not FIFO. Unlock with waiters either hands the lock to the
 * first waiter (starvation mode) or releases it and wakes the first waiter
 * to compete with running goroutines, which may barge in ahead of it
 * (normal mode); a waiter that loses goes back to the front of the queue.
 * Which of the two happens is a MUTEX decision. While a woken waiter has
 * not yet retried, Unlock wakes no one else (Go's mutexWoken bit).
 *
 * Invariants (cf_lock_check):
 *   holder != 0           <=> locked
 *   waiters non-empty      => locked || woken
 */
#ifndef CF_LOCK_H
#define CF_LOCK_H

#include "sched.h"

typedef struct cf_lock {
    bool locked;
    bool woken;              /* a waiter was woken to compete, not yet run */
    uint64_t holder;         /* goroutine that locked it; 0 when unlocked */
    const go_site *locked_at;
    cf_waitq waiters;        /* blocked Lock calls, FIFO */
} cf_lock;

/* Takes the lock, blocking with `reason` on `obj` while it is held. The
 * caller has passed its scheduling point. */
void cf_lock_acquire(go_exec *e, cf_lock *l, cf_object *obj, const go_site *site,
                     go_wait_reason reason);

/* Takes the lock if free; never blocks. */
bool cf_lock_try(go_exec *e, cf_lock *l, const go_site *site);

/* Releases the lock; `misuse` is the fatal error for an unlocked lock. */
void cf_lock_release(go_exec *e, cf_lock *l, cf_object *obj, const go_site *site,
                     const char *misuse);

void cf_lock_check(const cf_lock *l);

/* "locked by goroutine 3 at x.c:12, 2 waiting" */
void cf_lock_describe(const cf_lock *l, char *out, size_t size);

#endif
