/* chan.c -- channels, as Go 1.23's runtime/chan.go implements them.
 * The invariants are at the top of chan.h. */
#include "chan.h"

#include <stdio.h>

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_chan *c = (const go_chan *)obj;
    char shape[48];
    /* A timer's channel is not the program's buffer: Go 1.23 even reports
     * it as unbuffered (len and cap 0, reads_as_unbuffered below). What
     * matters is whether a tick waits in it. */
    if (c->timer_channel)
        snprintf(shape, sizeof shape, "timer channel, %s",
                 c->count ? "a tick pending" : "no tick pending");
    else if (c->capacity == 0)
        snprintf(shape, sizeof shape, "unbuffered");
    else
        snprintf(shape, sizeof shape, "buffered %zu/%zu", c->count, c->capacity);
    snprintf(out, size, "%s, %zu sender%s and %zu receiver%s waiting, %s", shape,
             c->sendq.length, c->sendq.length == 1 ? "" : "s", c->recvq.length,
             c->recvq.length == 1 ? "" : "s", c->closed ? "closed" : "not closed");
}

/* True when every record on both queues belongs to one goroutine. */
static bool one_selecting_goroutine(const go_chan *c) {
    const cf_goroutine *g = c->sendq.head->g;
    for (const cf_waiter *w = c->sendq.head; w; w = w->next)
        if (w->g != g) return false;
    for (const cf_waiter *w = c->recvq.head; w; w = w->next)
        if (w->g != g) return false;
    return true;
}

void cf_chan_check(const cf_object *obj) {
    const go_chan *c = (const go_chan *)obj;
    cf_check_waitq(&c->recvq);
    cf_check_waitq(&c->sendq);
    cf_require(c->count <= c->capacity, "chan: count <= capacity");
    cf_require(c->count == 0 || cf_waitq_empty(&c->recvq),
               "chan: a non-empty buffer has no waiting receivers");
    cf_require(c->count == c->capacity || cf_waitq_empty(&c->sendq),
               "chan: a non-full buffer has no waiting senders");
    cf_require(cf_waitq_empty(&c->sendq) || cf_waitq_empty(&c->recvq) ||
                   one_selecting_goroutine(c),
               "chan: send and receive queues are not both non-empty");
    cf_require(!c->closed || (cf_waitq_empty(&c->sendq) && cf_waitq_empty(&c->recvq)),
               "chan: a closed channel has no waiters");
}

/* The graph: buffered values are words the scenario sent (maybe
 * pointers), and a timer channel keeps its timer. A blocked sender's value
 * sits in its waiter, on its own stack: reached through the goroutine. */
static void trace(const cf_object *obj, cf_tracer *tracer) {
    const go_chan *c = (const go_chan *)obj;
    for (size_t i = 0; i < c->count; i++)
        cf_trace_word(tracer, c->buffer[(c->head + i) % c->capacity]);
    cf_trace_object(tracer, c->timer);
}

static const cf_object_ops chan_ops = {
    .describe = describe, .check = cf_chan_check, .trace = trace};

#if CF_CHECKS
#define check_chan(c) cf_chan_check(&(c)->obj)
#else
#define check_chan(c) ((void)0)
#endif

go_chan *go_make_chan_at(const go_site *site, size_t capacity) {
    go_exec *e = cf_exec();
    if (capacity > CF_CHAN_MAX_CAPACITY) {
        cf_fail(e, GO_END_PANIC, site, "makechan: size out of range");
    }
    go_chan *c = cf_object_new(GO_OBJ_CHAN, sizeof(go_chan) + capacity * sizeof(go_word),
                               site, &chan_ops);
    c->capacity = capacity;
    return c;
}

/* Go 1.23 reports 0 for both on timer channels (runtime/chan.go chanlen,
 * chancap): they behave as unbuffered. */
static bool reads_as_unbuffered(const go_chan *c) {
    return c->timer_channel && cf_exec_running &&
           cf_exec_running->config.semantics == GO_SEMANTICS_1_23;
}

size_t go_len(const go_chan *c) { return c && !reads_as_unbuffered(c) ? c->count : 0; }
size_t go_cap(const go_chan *c) { return c && !reads_as_unbuffered(c) ? c->capacity : 0; }

/* ---- the non-blocking halves, shared with select ------------------------ */

void cf_chan_send_now(go_exec *e, go_chan *c, go_word v, const go_site *site) {
    if (c->closed) cf_fail(e, GO_END_PANIC, site, "send on closed channel");
    cf_waiter *receiver = cf_waitq_pop(&c->recvq);
    if (receiver) {
        /* Straight into the waiting receiver; the buffer is empty (else it
         * would not be waiting), so FIFO order is kept. */
        receiver->value = v;
        receiver->success = true;
        cf_emit(e, GO_EVENT_MEET, receiver->g->id, &c->obj, site, receiver->site,
                GO_MEET_HANDOFF);
        cf_wake(e, receiver, &c->obj);
        return;
    }
    cf_require(c->count < c->capacity, "cf_chan_send_now on a full channel");
    c->buffer[(c->head + c->count) % c->capacity] = v;
    c->count++;
}

go_word cf_chan_recv_now(go_exec *e, go_chan *c, bool *ok, const go_site *site) {
    if (c->closed && c->count == 0) {
        /* Closed and drained: the zero value, at once. */
        cf_emit(e, GO_EVENT_MEET, 0, &c->obj, site, NULL, GO_MEET_CLOSED);
        *ok = false;
        return 0;
    }
    cf_waiter *sender = cf_waitq_pop(&c->sendq);
    go_word v;
    if (sender && c->capacity == 0) {
        v = sender->value; /* unbuffered: the hand-off completes the send */
    } else if (sender) {
        /* Full buffer: take its oldest value and let the first waiting
         * sender's value into the slot it frees, as Go does. */
        v = c->buffer[c->head];
        c->buffer[c->head] = sender->value;
        c->head = (c->head + 1) % c->capacity;
    } else {
        cf_require(c->count > 0, "cf_chan_recv_now on an empty channel");
        v = c->buffer[c->head];
        c->buffer[c->head] = 0;
        c->head = (c->head + 1) % c->capacity;
        c->count--;
        cf_emit(e, GO_EVENT_MEET, 0, &c->obj, site, NULL, GO_MEET_BUFFER);
    }
    if (sender) {
        sender->success = true;
        cf_emit(e, GO_EVENT_MEET, sender->g->id, &c->obj, site, sender->site,
                c->capacity == 0 ? GO_MEET_HANDOFF : GO_MEET_BUFFER);
        cf_wake(e, sender, &c->obj);
    }
    *ok = true;
    return v;
}

/* ---- the blocking operations -------------------------------------------- */

/* Blocks forever: a nil channel, or an all-nil select. Nothing holds a
 * record of it, so nothing can wake it. */
static void park_forever(go_exec *e, go_wait_reason reason, const go_site *site) {
    cf_park(e, reason, NULL, site, NULL, 0);
    cf_throw("a goroutine blocked forever was woken");
}

void go_send_at(const go_site *site, go_chan *c, go_word v) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!c) park_forever(e, GO_WAIT_CHAN_SEND_NIL, site);
    if (cf_chan_send_ready(c)) {
        cf_chan_send_now(e, c, v, site);
        check_chan(c);
        return;
    }
    cf_waiter w = {.g = e->current, .site = site, .value = v, .object = &c->obj};
    cf_waitq_push_back(&c->sendq, &w);
    cf_park(e, GO_WAIT_CHAN_SEND, &c->obj, site, &w, 1);
    /* Woken by a receiver (success) or by close (the send panics). */
    if (!w.success) cf_fail(e, GO_END_PANIC, site, "send on closed channel");
}

go_word go_recv_at(const go_site *site, go_chan *c, bool *ok) {
    go_exec *e = cf_exec();
    bool ok_local;
    if (!ok) ok = &ok_local;
    cf_sched_point(e, site);
    if (!c) park_forever(e, GO_WAIT_CHAN_RECV_NIL, site);
    if (cf_chan_recv_ready(c)) {
        go_word v = cf_chan_recv_now(e, c, ok, site);
        check_chan(c);
        return v;
    }
    cf_waiter w = {.g = e->current, .site = site, .object = &c->obj};
    cf_waitq_push_back(&c->recvq, &w);
    cf_park(e, GO_WAIT_CHAN_RECV, &c->obj, site, &w, 1);
    *ok = w.success; /* false: woken by close, with the zero value */
    return w.success ? w.value : 0;
}

bool go_range_at(const go_site *site, go_chan *c, go_word *v) {
    bool ok;
    go_word value = go_recv_at(site, c, &ok);
    if (v) *v = value;
    return ok;
}

void go_close_at(const go_site *site, go_chan *c) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!c) cf_fail(e, GO_END_PANIC, site, "close of nil channel");
    if (c->closed) cf_fail(e, GO_END_PANIC, site, "close of closed channel");
    cf_chan_close_now(e, c, site);
}

void cf_chan_close_now(go_exec *e, go_chan *c, const go_site *site) {
    cf_require(!c->closed, "cf_chan_close_now on a closed channel");
    c->closed = true;
    cf_emit(e, GO_EVENT_CLOSE, 0, &c->obj, site, NULL, 0);
    /* Go releases every receiver (zero value, ok false), then every sender
     * (which panics when it runs). */
    cf_waiter *w;
    while ((w = cf_waitq_pop(&c->recvq))) {
        w->value = 0;
        w->success = false;
        cf_emit(e, GO_EVENT_MEET, w->g->id, &c->obj, site, w->site, GO_MEET_CLOSED);
        cf_wake(e, w, &c->obj);
    }
    while ((w = cf_waitq_pop(&c->sendq))) {
        w->success = false;
        cf_emit(e, GO_EVENT_MEET, w->g->id, &c->obj, site, w->site, GO_MEET_CLOSED);
        cf_wake(e, w, &c->obj);
    }
    check_chan(c);
}
