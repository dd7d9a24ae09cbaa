/* lock.h -- the blocking cores under package sync: the state of a
 * sync.Mutex (shared by Mutex, RWMutex's writer lock `w` and Once's `m`, as
 * Go's own types embed a Mutex), and Go's runtime semaphore (under RWMutex
 * and WaitGroup, as in Go).
 *
 * ---- The Mutex (Go 1.23 sync/mutex.go) ----
 *
 * Go's Mutex is not FIFO. Unlock with waiters either hands ownership to the
 * first waiter (starvation mode) or releases the lock and wakes the first
 * waiter to compete with running goroutines, which may barge in ahead of it
 * (normal mode); a waiter that loses goes back to the front of the queue.
 * Which of the two happens is a MUTEX decision. While a woken waiter has
 * not yet retried, Unlock wakes no one else (Go's mutexWoken bit).
 *
 * A hand-off passes ownership without setting the locked bit: until the
 * new owner runs and sets it, the lock is neither free (Lock queues,
 * TryLock fails: Go's mutexStarving) nor locked (Unlock is the fatal
 * "unlock of unlocked mutex", as Go's check of the locked bit makes it).
 *
 * Invariants (cf_lock_check; they hold for every program, misuse too):
 *   holder != 0                <=> locked
 *   handed_to != 0              => !locked && !woken
 *   waiters non-empty           => locked || woken || handed_to != 0
 *
 */
#ifndef CF_LOCK_H
#define CF_LOCK_H

#include "sched.h"
#include "sema.h"

typedef struct cf_lock {
    bool locked;             /* Go's mutexLocked bit */
    bool woken;              /* a waiter was woken to compete, not yet run */
    uint64_t handed_to;      /* goroutine the lock was handed off to, which
                                has not run yet; 0: no hand-off in flight */
    uint64_t holder;         /* goroutine that locked it; 0 when unlocked */
    const go_site *locked_at;
    cf_waitq waiters;        /* blocked Lock calls, FIFO (a woken waiter
                                that lost re-enters at the front) */
} cf_lock;

/* Takes the lock, blocking with `reason` on `obj` while it is held or
 * handed off. The caller has passed its scheduling point. */
void cf_lock_acquire(go_exec *e, cf_lock *l, cf_object *obj, const go_site *site,
                     go_wait_reason reason);

/* Takes the lock if it is free; never blocks. */
bool cf_lock_try(go_exec *e, cf_lock *l, const go_site *site);

/* Releases the lock; `misuse` is the fatal error when the locked bit is
 * clear. With waiters (and none woken) asks the MUTEX decision. */
void cf_lock_release(go_exec *e, cf_lock *l, cf_object *obj, const go_site *site,
                     const char *misuse);

void cf_lock_check(const cf_lock *l);

/* "locked by goroutine 3 at x.c:12, 2 waiting" */
void cf_lock_describe(const cf_lock *l, char *out, size_t size);

/* L.Lock() and L.Unlock() for a Cond whose L is a sync.Mutex: the same
 * scheduling point and lock as go_mutex_lock / go_mutex_unlock. */
void cf_mutex_lock(go_exec *e, go_mutex *mu, const go_site *site);
void cf_mutex_unlock(go_exec *e, go_mutex *mu, const go_site *site);


#endif
