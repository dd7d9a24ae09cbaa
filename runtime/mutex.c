/* mutex.c -- sync.Mutex (Go 1.23), the lock core it shares with RWMutex
 * and Once, and Go's runtime semaphore under RWMutex and WaitGroup. The
 * rules and invariants of both cores are at the top of lock.h. */
#include <stdio.h>

#include "lock.h"

/* ---- the lock core ----------------------------------------------------- */

static bool lock_free(const cf_lock *l) { return !l->locked && l->handed_to == 0; }

static void take(go_exec *e, cf_lock *l, const go_site *site) {
    l->locked = true;
    l->holder = e->current->id;
    l->locked_at = site;
}

void cf_lock_acquire(go_exec *e, cf_lock *l, cf_object *obj, const go_site *site,
                     go_wait_reason reason) {
    if (lock_free(l)) {
        take(e, l, site);
        return;
    }
    cf_waiter w = {.g = e->current, .site = site, .object = obj};
    cf_waitq_push_back(&l->waiters, &w);
    for (;;) {
        cf_park(e, reason, obj, site, &w, 1);
        if (w.success) {
            /* Handed off: the lock is ours; set the locked bit, as Go's
             * waiter does when it wakes in starvation mode. */
            l->handed_to = 0;
            take(e, l, site);
            return;
        }
        /* Woken to compete: take it unless someone barged in first. */
        l->woken = false;
        if (lock_free(l)) {
            take(e, l, site);
            return;
        }
        cf_waitq_push_front(&l->waiters, &w);
    }
}

bool cf_lock_try(go_exec *e, cf_lock *l, const go_site *site) {
    if (!lock_free(l)) return false;
    take(e, l, site);
    return true;
}

void cf_lock_release(go_exec *e, cf_lock *l, cf_object *obj, const go_site *site,
                     const char *misuse) {
    /* Go checks only the locked bit: unlocking a free lock, or one handed
     * to a waiter that has not run yet, is the same fatal error. */
    if (!l->locked) cf_fatal(e, site, misuse);
    l->locked = false;
    l->holder = 0;
    l->locked_at = NULL;
    if (cf_waitq_empty(&l->waiters) || l->woken) return;
    bool hand_off = cf_decide(e, GO_DECIDE_MUTEX, 2) == 0;
    cf_waiter *w = cf_waitq_pop(&l->waiters);
    if (hand_off) {
        l->handed_to = w->g->id;
        w->success = true;
        cf_emit(e, GO_EVENT_MEET, w->g->id, obj, site, w->site, GO_MEET_LOCK);
    } else {
        l->woken = true;
        w->success = false;
    }
    cf_wake(e, w, obj);
}

void cf_lock_check(const cf_lock *l) {
    cf_check_waitq(&l->waiters);
    cf_require((l->holder != 0) == l->locked, "mutex: a holder exactly when locked");
    cf_require(l->handed_to == 0 || (!l->locked && !l->woken),
               "mutex: a hand-off leaves the lock neither locked nor woken");
    cf_require(cf_waitq_empty(&l->waiters) || l->locked || l->woken || l->handed_to != 0,
               "mutex: waiters only behind a held, woken or handed-off lock");
}

void cf_lock_describe(const cf_lock *l, char *out, size_t size) {
    if (l->locked && l->locked_at)
        snprintf(out, size, "locked by goroutine %llu at %s:%d, %zu waiting",
                 (unsigned long long)l->holder, l->locked_at->file, l->locked_at->line,
                 l->waiters.length);
    else if (l->handed_to)
        snprintf(out, size, "handed off to goroutine %llu, %zu waiting",
                 (unsigned long long)l->handed_to, l->waiters.length);
    else
        snprintf(out, size, "%s, %zu waiting", l->locked ? "locked" : "unlocked",
                 l->waiters.length);
}

/* ---- sync.Mutex ---------------------------------------------------------- */

struct go_mutex {
    cf_object obj;
    cf_lock lock;
};

static void mutex_describe(const cf_object *obj, char *out, size_t size) {
    cf_lock_describe(&((const go_mutex *)obj)->lock, out, size);
}

static void mutex_check(const cf_object *obj) { cf_lock_check(&((const go_mutex *)obj)->lock); }

static const cf_object_ops mutex_ops = {
    .describe = mutex_describe, .check = mutex_check, .trace = cf_trace_nothing};

#if CF_CHECKS
#define check_mutex(mu) cf_lock_check(&(mu)->lock)
#else
#define check_mutex(mu) ((void)0)
#endif

go_mutex *go_mutex_new_at(const go_site *site) {
    return cf_object_new(GO_OBJ_MUTEX, sizeof(go_mutex), site, &mutex_ops);
}

void go_mutex_lock_at(const go_site *site, go_mutex *mu) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_lock_acquire(e, &mu->lock, &mu->obj, site, GO_WAIT_MUTEX_LOCK);
    check_mutex(mu);
}

bool go_mutex_trylock_at(const go_site *site, go_mutex *mu) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    return cf_lock_try(e, &mu->lock, site);
}

void go_mutex_unlock_at(const go_site *site, go_mutex *mu) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_lock_release(e, &mu->lock, &mu->obj, site, "sync: unlock of unlocked mutex");
    check_mutex(mu);
}

/* For Cond, which unlocks and relocks its L (lock.h). */
void cf_mutex_lock(go_exec *e, go_mutex *mu, const go_site *site) {
    cf_sched_point(e, site);
    cf_lock_acquire(e, &mu->lock, &mu->obj, site, GO_WAIT_MUTEX_LOCK);
}

void cf_mutex_unlock(go_exec *e, go_mutex *mu, const go_site *site) {
    cf_sched_point(e, site);
    cf_lock_release(e, &mu->lock, &mu->obj, site, "sync: unlock of unlocked mutex");
}
