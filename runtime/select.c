/* select.c -- select, in the passes of Go's runtime/select.go:
 *
 *   1. poll:    find the ready cases; if several, which one wins is a
 *               SELECT decision (Go picks uniformly at random: any of them
 *               can win, so each must be explorable);
 *   2. default: none ready and a default arm: take it;
 *   3. enqueue: one record per non-nil case, on the records' own stack;
 *   4. park;    the first partner to arrive fires one record, and the
 *               waker dequeues the losing records before we resume (Go
 *               does that after the winner wakes; one thread lets us do it
 *               first, so no woken goroutine ever sits in a wait queue).
 *
 * Nil channels are never ready and never enqueued. `select {}` blocks
 * forever with "select (no cases)"; a select whose cases are all nil
 * blocks forever with "select".
 *
 * When a select has several cases on the same channel and direction and
 * blocks, Go enqueues them in lock order, a heap sort by channel address
 * of the random poll order: among cases on one channel the order is
 * random, and a partner arriving later may fire any of them. Here where
 * each such case goes among its group is a SELECT decision (0: after the
 * others, case order). Case order only had been the model's until
 * chanfuzz diff saw Go give a later peer the second of two sends. */
#include "chan.h"

/* Go's compiler rejects more; the runtime assumes it (select.go). */
#define CF_SELECT_MAX_CASES 65536

/* Appends w to q, or, when q's tail already holds records of this same
 * select (its cases on one channel, pushed just before), puts it at the
 * position among them a SELECT decision picks. */
static void enqueue_among_own(go_exec *e, cf_waitq *q, cf_waiter *w) {
    uint64_t own = 0;
    for (cf_waiter *t = q->tail; t && t->g == w->g; t = t->prev) own++;
    uint64_t from_end = own ? cf_decide(e, GO_DECIDE_SELECT, own + 1) : 0;
    if (from_end == 0) {
        cf_waitq_push_back(q, w);
        return;
    }
    cf_waiter *before = q->tail;
    for (uint64_t i = 1; i < from_end; i++) before = before->prev;
    cf_waitq_insert_before(q, before, w);
}

static bool case_ready(const go_case *k) {
    if (!k->chan) return false;
    return k->dir == GO_CASE_SEND ? cf_chan_send_ready(k->chan) : cf_chan_recv_ready(k->chan);
}

static void run_case(go_exec *e, go_case *k, const go_site *site) {
    if (k->dir == GO_CASE_SEND) {
        cf_chan_send_now(e, k->chan, k->send_value, site);
    } else {
        bool ok;
        go_word v = cf_chan_recv_now(e, k->chan, &ok, site);
        if (k->recv_value) *k->recv_value = v;
        if (k->recv_ok) *k->recv_ok = ok;
    }
#if CF_CHECKS
    cf_chan_check(&k->chan->obj);
#endif
}

int go_select_at(const go_site *site, go_case *cases, int ncases, bool has_default) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (ncases < 0 || ncases > CF_SELECT_MAX_CASES)
        cf_fail(e, GO_END_PANIC, site, "select: too many cases");
    if (ncases == 0 && !has_default) {
        cf_park(e, GO_WAIT_SELECT_NO_CASES, NULL, site, NULL, 0);
        cf_throw("select {} was woken");
    }

    /* Pass 1: poll. */
    int nready = 0;
    for (int i = 0; i < ncases; i++) nready += case_ready(&cases[i]);
    if (nready > 0) {
        int winner = nready > 1 ? (int)cf_decide(e, GO_DECIDE_SELECT, (uint64_t)nready) : 0;
        int chosen = -1;
        for (int i = 0; i < ncases; i++)
            if (case_ready(&cases[i]) && winner-- == 0) {
                chosen = i;
                break;
            }
        cf_emit(e, GO_EVENT_SELECT, 0, &cases[chosen].chan->obj, site, NULL, chosen);
        run_case(e, &cases[chosen], site);
        return chosen;
    }

    /* Pass 2: default. */
    if (has_default) {
        cf_emit(e, GO_EVENT_SELECT, 0, NULL, site, NULL, -1);
        cf_sched_note_poll(e);
        return -1;
    }

    /* Pass 3: enqueue on every non-nil case. */
    int nlive = 0;
    for (int i = 0; i < ncases; i++) nlive += cases[i].chan != NULL;
    cf_waiter waiters[nlive > 0 ? nlive : 1];
    int n = 0;
    for (int i = 0; i < ncases; i++) {
        go_case *k = &cases[i];
        if (!k->chan) continue;
        cf_waiter *w = &waiters[n++];
        *w = (cf_waiter){.g = e->current, .site = site, .case_index = i,
                         .object = &k->chan->obj};
        if (k->dir == GO_CASE_SEND) w->value = k->send_value;
        enqueue_among_own(e, k->dir == GO_CASE_SEND ? &k->chan->sendq : &k->chan->recvq, w);
    }
    /* Pass 4: park until one record fires. All-nil: forever. */
    cf_park(e, GO_WAIT_SELECT, NULL, site, waiters, n);
    cf_require(n > 0, "an all-nil select was woken");
    cf_waiter *fired = e->current->fired;
    go_case *k = &cases[fired->case_index];
    if (k->dir == GO_CASE_SEND) {
        if (!fired->success) cf_fail(e, GO_END_PANIC, site, "send on closed channel");
    } else {
        if (k->recv_value) *k->recv_value = fired->success ? fired->value : 0;
        if (k->recv_ok) *k->recv_ok = fired->success;
    }
    cf_emit(e, GO_EVENT_SELECT, 0, &k->chan->obj, site, NULL, fired->case_index);
    return fired->case_index;
}
