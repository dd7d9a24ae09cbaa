/* chan.h -- the channel object, shared by chan.c and select.c.
 *
 * Invariants (Go's chan.go states the same; cf_chan_check tests exactly
 * these after every operation in check builds):
 *   count <= capacity
 *   count > 0         => recvq is empty   (a receiver would have taken it)
 *   count < capacity  => sendq is empty   (a sender would have room)
 *   sendq and recvq are not both non-empty -- except when every record on
 *     both belongs to one goroutine's select, which waits to send and to
 *     receive on the same channel
 *   closed            => sendq and recvq are empty (close woke them all)
 */
#ifndef CF_CHAN_H
#define CF_CHAN_H

#include "object.h"
#include "sched.h"
#include "waitq.h"

/* Go's limit is memory; this keeps `capacity * sizeof(go_word)` sane. */
#define CF_CHAN_MAX_CAPACITY ((size_t)1 << 24)

struct go_chan {
    cf_object obj;
    size_t capacity;          /* 0: unbuffered */
    size_t count;             /* values in the buffer */
    size_t head;              /* buffer index of the oldest value */
    bool closed;
    cf_object *timer;         /* the Timer or Ticker filling it (t.C), or
                                 NULL: kept alive by it, as Go 1.23's
                                 hchan.timer is (graph.h) */
    bool timer_channel;       /* t.C of a Timer or Ticker: len and cap read
                                 0 under Go 1.23's synchronous channels */
    cf_waitq recvq;           /* blocked receivers, FIFO */
    cf_waitq sendq;           /* blocked senders, FIFO; each record's value
                                 is what it offers */
    go_word buffer[];         /* capacity slots, a ring */
};

/* Would a send complete now (possibly by panicking: closed)? */
static inline bool cf_chan_send_ready(const go_chan *c) {
    return c->closed || !cf_waitq_empty(&c->recvq) || c->count < c->capacity;
}

/* Would a receive complete now? */
static inline bool cf_chan_recv_ready(const go_chan *c) {
    return c->closed || c->count > 0 || !cf_waitq_empty(&c->sendq);
}

/* Completes a send that cf_chan_send_ready said can complete: hands v to
 * the first waiting receiver or buffers it. Panics on a closed channel.
 * The caller has passed its scheduling point. */
void cf_chan_send_now(go_exec *e, go_chan *c, go_word v, const go_site *site);

/* Completes a receive that cf_chan_recv_ready said can complete. Returns
 * the value; *ok is false when the channel was closed and drained. */
go_word cf_chan_recv_now(go_exec *e, go_chan *c, bool *ok, const go_site *site);

/* close(c) without the scheduling point, for the runtime's own closes (a
 * context's Done, possibly from a firing timer): wakes every waiting
 * receiver and sender as go_close does. c must not be closed. Never blocks
 * or switches. */
void cf_chan_close_now(go_exec *e, go_chan *c, const go_site *site);

void cf_chan_check(const cf_object *obj);

#endif
