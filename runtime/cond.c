/* cond.c -- sync.Cond, after Go 1.23's notify list (runtime/sema.go).
 *
 * Wait takes a ticket *before* unlocking L; Signal notifies the oldest
 * ticket not yet notified, Broadcast all of them. A waiter whose ticket was
 * notified before it parked does not park. So a Signal is lost only when
 * no ticket was outstanding -- sent before Wait began -- as in Go.
 *
 * Invariants (check): notify <= next_ticket; every parked waiter holds a
 * ticket in [notify, next_ticket).
 */
#include <stdio.h>

#include "lock.h"

struct go_cond {
    cf_object obj;
    go_mutex *L;
    unsigned long next_ticket;  /* handed to the next Wait */
    unsigned long notify;       /* tickets below this were notified */
    cf_waitq waiters;           /* parked waiters, in parking order */
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_cond *c = (const go_cond *)obj;
    /* Tickets not yet notified: Waits a Signal has still to reach (one
     * may not have parked yet), not Signals kept for later -- a Signal
     * with no Wait outstanding is lost. */
    unsigned long owed = c->next_ticket - c->notify;
    snprintf(out, size, "%zu parked, %lu Wait%s not yet signalled", c->waiters.length, owed,
             owed == 1 ? "" : "s");
}

static void check(const cf_object *obj) {
    const go_cond *c = (const go_cond *)obj;
    cf_check_waitq(&c->waiters);
    cf_require(c->notify <= c->next_ticket, "cond: notify <= next ticket");
    for (const cf_waiter *w = c->waiters.head; w; w = w->next)
        cf_require(w->ticket >= c->notify && w->ticket < c->next_ticket,
                   "cond: a parked waiter's ticket is not yet notified");
}

/* The graph: a Cond holds its Locker (sync.Cond.L). */
static void trace(const cf_object *obj, cf_tracer *tracer) {
    cf_trace_object(tracer, (const cf_object *)((const go_cond *)obj)->L);
}

static const cf_object_ops cond_ops = {.describe = describe, .check = check, .trace = trace};

#if CF_CHECKS
#define check_cond(c) check(&(c)->obj)
#else
#define check_cond(c) ((void)0)
#endif

go_cond *go_cond_new_at(const go_site *site, go_mutex *l) {
    go_cond *c = cf_object_new(GO_OBJ_COND, sizeof(go_cond), site, &cond_ops);
    c->L = l;
    return c;
}

void go_cond_wait_at(const go_site *site, go_cond *c) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    unsigned long ticket = c->next_ticket++;
    cf_mutex_unlock(e, c->L, site);
    /* Others may run between the unlock and the park; a Signal then finds
     * our ticket and is not lost. */
    cf_sched_point(e, site);
    if (ticket >= c->notify) {
        cf_waiter w = {.g = e->current, .site = site, .ticket = ticket, .object = &c->obj};
        cf_waitq_push_back(&c->waiters, &w);
        cf_park(e, GO_WAIT_COND_WAIT, &c->obj, site, &w, 1);
    }
    cf_mutex_lock(e, c->L, site);
}

void go_cond_wait_with_at(const go_site *site, go_cond *c, go_func *unlock, go_func *lock,
                          void *locker) {
    go_exec *e = cf_exec();
    cf_require(c->L == NULL, "go_cond_wait_with on a Cond made over a go_mutex");
    cf_sched_point(e, site);
    unsigned long ticket = c->next_ticket++;
    unlock(locker);
    cf_sched_point(e, site);
    if (ticket >= c->notify) {
        cf_waiter w = {.g = e->current, .site = site, .ticket = ticket, .object = &c->obj};
        cf_waitq_push_back(&c->waiters, &w);
        cf_park(e, GO_WAIT_COND_WAIT, &c->obj, site, &w, 1);
    }
    lock(locker);
}

static void release(go_exec *e, go_cond *c, cf_waiter *w, const go_site *site) {
    cf_waitq_remove(w);
    w->success = true;
    cf_emit(e, GO_EVENT_MEET, w->g->id, &c->obj, site, w->site, GO_MEET_RELEASE);
    cf_wake(e, w, &c->obj);
}

void go_cond_signal_at(const go_site *site, go_cond *c) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (c->notify == c->next_ticket) return; /* no ticket outstanding: lost */
    unsigned long ticket = c->notify++;
    for (cf_waiter *w = c->waiters.head; w; w = w->next)
        if (w->ticket == ticket) {
            release(e, c, w, site);
            break;
        }
    check_cond(c);
}

void go_cond_broadcast_at(const go_site *site, go_cond *c) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    c->notify = c->next_ticket;
    while (c->waiters.head) release(e, c, c->waiters.head, site);
    check_cond(c);
}
