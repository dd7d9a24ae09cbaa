/* waitq.h -- the records of blocked operations, and the FIFO queues of
 * them that every blocking object keeps.
 *
 * A goroutine that blocks puts one cf_waiter per clause (one for a send,
 * one per non-nil case for a select) on the queues of the objects it waits
 * on. The records live on the blocked goroutine's own stack, so blocking
 * never allocates; they stay valid exactly while it is parked.
 *
 * Waking protocol (cf_wake in sched.c): the waker dequeues the record that
 * fires, fills in its outcome (value, success), then dequeues every other
 * record of that goroutine -- the losing select cases -- before making it
 * runnable. So a runnable or running goroutine is on no wait queue: one of
 * the invariants checked after every step.
 */
#ifndef CF_WAITQ_H
#define CF_WAITQ_H

#include <stdbool.h>
#include <stddef.h>

#include "chanfuzz/go.h"

typedef struct cf_goroutine cf_goroutine;
typedef struct cf_waitq cf_waitq;
struct cf_object;

typedef struct cf_waiter {
    cf_goroutine *g;           /* the blocked goroutine */
    struct cf_waiter *prev;    /* neighbours on `queue` */
    struct cf_waiter *next;
    cf_waitq *queue;           /* the queue it is on; NULL once dequeued */
    struct cf_object *object;  /* the object owning that queue */
    const go_site *site;       /* the blocking call */
    go_word value;             /* send: the value offered; receive: the
                                  value delivered by the waker */
    bool success;              /* set by the waker: the operation completed
                                  (false: woken by close; for a Mutex
                                  waiter: woken to compete, not handed the
                                  lock; for a semaphore waiter: woken, but
                                  it must still take a count when it runs) */
    int case_index;            /* select: which case; else 0 */
    unsigned long ticket;      /* Cond: the notify-list ticket */
} cf_waiter;

struct cf_waitq {
    cf_waiter *head;           /* first to be served */
    cf_waiter *tail;
    size_t length;
};

static inline bool cf_waitq_empty(const cf_waitq *q) { return q->head == NULL; }

static inline void cf_waitq_push_back(cf_waitq *q, cf_waiter *w) {
    w->queue = q;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail) q->tail->next = w; else q->head = w;
    q->tail = w;
    q->length++;
}

/* For a woken Mutex waiter that lost the race: Go requeues it at the front
 * (it has waited longest). */
static inline void cf_waitq_push_front(cf_waitq *q, cf_waiter *w) {
    w->queue = q;
    w->prev = NULL;
    w->next = q->head;
    if (q->head) q->head->prev = w; else q->tail = w;
    q->head = w;
    q->length++;
}

/* Puts w just before `before`, which is on q. */
static inline void cf_waitq_insert_before(cf_waitq *q, cf_waiter *before, cf_waiter *w) {
    w->queue = q;
    w->next = before;
    w->prev = before->prev;
    if (before->prev) before->prev->next = w; else q->head = w;
    before->prev = w;
    q->length++;
}

static inline void cf_waitq_remove(cf_waiter *w) {
    cf_waitq *q = w->queue;
    if (w->prev) w->prev->next = w->next; else q->head = w->next;
    if (w->next) w->next->prev = w->prev; else q->tail = w->prev;
    w->queue = NULL;
    w->prev = w->next = NULL;
    q->length--;
}

static inline cf_waiter *cf_waitq_pop(cf_waitq *q) {
    cf_waiter *w = q->head;
    if (w) cf_waitq_remove(w);
    return w;
}

#endif
