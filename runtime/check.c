/* check.c -- invariant checks over the scheduler and every object (see
 * check.h). Each object kind checks its own invariants through its ops;
 * what is common to all wait queues is checked here. */
#include <stdio.h>
#include <stdlib.h>

#include "sched.h"

void cf_throw_at(const char *invariant, const char *file, int line) {
    fflush(stdout);
    fprintf(stderr, "chanfuzz: runtime invariant violated: %s (%s:%d)\n", invariant, file,
            line);
    abort();
}

/* Per-step checks look at this many records at each end of a queue; only
 * cf_check_all walks whole queues. Walking all of them after every block
 * made 40,000 goroutines on one channel take 17 s in check builds. */
#define CF_CHECK_QUEUE_WINDOW 32
static bool checking_everything;

static void check_waiter(const cf_waitq *q, const cf_waiter *w, const cf_waiter *prev) {
    cf_require(w->prev == prev, "wait queue links are consistent");
    cf_require(w->queue == q, "a waiter knows the queue it is on");
    cf_require(w->g->state == CF_G_WAITING, "a queued waiter's goroutine is waiting");
    cf_require(w >= w->g->waiters && w < w->g->waiters + w->g->waiter_count,
               "a queued waiter is one of its goroutine's records");
}

/* A queue's links agree with its length, and every record on it belongs to
 * a goroutine that is waiting, sits in that goroutine's own records, and
 * knows which queue it is on. */
void cf_check_waitq(const cf_waitq *q) {
    if (!checking_everything && q->length > 2 * CF_CHECK_QUEUE_WINDOW) {
        const cf_waiter *w = q->head, *prev = NULL;
        for (int i = 0; i < CF_CHECK_QUEUE_WINDOW; i++, prev = w, w = w->next)
            check_waiter(q, w, prev);
        w = q->tail;
        cf_require(w->next == NULL, "wait queue tail is its last record");
        for (int i = 0; i < CF_CHECK_QUEUE_WINDOW; i++, w = w->prev)
            check_waiter(q, w, w->prev);
        return;
    }
    size_t n = 0;
    const cf_waiter *prev = NULL;
    for (const cf_waiter *w = q->head; w; w = w->next) {
        check_waiter(q, w, prev);
        prev = w;
        n++;
    }
    cf_require(q->tail == prev, "wait queue tail is its last record");
    cf_require(q->length == n, "wait queue length matches its records");
}

#if CF_CHECKS
void cf_check_goroutines(go_exec *e) {
    size_t runnable = 0;
    for (cf_goroutine *g = e->live_head; g; g = g->live_next) {
        switch (g->state) {
        case CF_G_RUNNING:
            cf_require(g == e->current, "only the current goroutine is running");
            break;
        case CF_G_RUNNABLE:
            runnable++;
            break;
        case CF_G_WAITING:
            for (int i = 0; i < g->waiter_count; i++)
                cf_require(g->waiters[i].queue != NULL,
                           "a waiting goroutine is on every queue it blocked on");
            continue;
        case CF_G_EXITED:
            continue;
        }
        for (int i = 0; i < g->waiter_count; i++)
            cf_require(g->waiters[i].queue == NULL,
                       "a woken goroutine sits in no wait queue");
    }
    cf_require(runnable == e->runq.length, "every runnable goroutine is queued once");
    for (uint32_t i = 0; i < e->runq.length; i++) {
        const cf_goroutine *g = e->runq.ring[(e->runq.head + i) & (e->runq.capacity - 1)];
        cf_require(g->state == CF_G_RUNNABLE, "the run queue holds runnable goroutines");
    }
}

void cf_check_all(go_exec *e) {
    checking_everything = true;
    cf_check_goroutines(e);
    cf_clock_check(e);
    for (const cf_object *obj = e->objects; obj; obj = obj->next)
        if (obj->ops && obj->ops->check) obj->ops->check(obj);
    checking_everything = false;
}
#endif
