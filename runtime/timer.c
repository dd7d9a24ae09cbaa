/* timer.c -- the time package on the virtual clock: Sleep, After, Timer,
 * Ticker, AfterFunc (Go 1.23, and Go <= 1.22 behind go_config.semantics).
 *
 * Timer channels are buffered channels of capacity 1 that the firing timer
 * fills without blocking (a tick finding the buffer full is dropped, as
 * Go drops ticks for slow receivers). What the two semantics change:
 *  - 1.23: the channel is synchronous: len and cap read 0, and Stop and
 *    Reset discard a value not yet received, so no stale value is ever
 *    read after they return; Stop and Reset report true while the value
 *    is undelivered. (time/sleep.go, runtime/time.go since Go 1.23.)
 *  - 1.22: the value stays buffered across Stop and Reset (hence the old
 *    `if !t.Stop() { <-t.C }` idiom), which report only whether the timer
 *    was still pending.
 */
#include <stdio.h>

#include "graph.h"
#include "timer.h"

static bool sync_channels(const go_exec *e) { return e->config.semantics == GO_SEMANTICS_1_23; }

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_timer *t = (const go_timer *)obj;
    char when[32];
    cf_format_duration(t->timer.when, when, sizeof when);
    snprintf(out, size, "%s, %s%s", t->period ? "ticker" : t->c ? "timer" : "AfterFunc",
             cf_timer_pending(&t->timer) ? "fires at " : "not pending",
             cf_timer_pending(&t->timer) ? when : "");
}

/* The graph: its channel, and an AfterFunc's argument (its closure). */
static void trace(const cf_object *obj, cf_tracer *tracer) {
    const go_timer *t = (const go_timer *)obj;
    cf_trace_object(tracer, t->c ? &t->c->obj : NULL);
    cf_trace_word(tracer, (go_word)t->arg);
}

/* Freed by a collection: a Go 1.23 timer nothing references any more
 * stops, as the runtime drops it from its heap. */
static void release(go_exec *e, cf_object *obj) {
    if (e) cf_timer_disarm(e, &((go_timer *)obj)->timer);
}

static const cf_object_ops timer_ops = {
    .describe = describe, .trace = trace, .release = release};

bool cf_timer_holds_owner(const go_exec *e, const cf_timer *timer) {
    if (!timer->owner || timer->owner->kind != GO_OBJ_TIMER) return true;
    const go_timer *t = timer->context;
    if (!t->c || !sync_channels(e)) return true;
    return !cf_waitq_empty(&t->c->recvq);
}

/* ---- firing ----------------------------------------------------------------- */

/* Sends the current time into t.C unless its buffer is full. */
static void fill_channel(go_exec *e, go_timer *t) {
    go_chan *c = t->c;
    if (!cf_waitq_empty(&c->recvq) || c->count < c->capacity)
        cf_chan_send_now(e, c, (go_word)e->clock.now, t->obj.site);
}

static void fire_channel(go_exec *e, cf_timer *timer) {
    go_timer *t = timer->context;
    t->fired++;
    fill_channel(e, t);
    if (t->period) {
        /* Next tick; ticks missed during a long jump are dropped. */
        int64_t next = timer->when + t->period;
        if (next <= e->clock.horizon)
            next = e->clock.horizon + t->period - (e->clock.horizon - timer->when) % t->period;
        cf_timer_arm(e, timer, next);
    }
}

static void fire_func(go_exec *e, cf_timer *timer) {
    go_timer *t = timer->context;
    t->fired++;
    cf_goroutine *g = cf_spawn(e, t->obj.site, t->fn_name, t->fn, t->arg);
    g->creator_id = t->creator;
    cf_sched_make_runnable(e, g);
    cf_emit(e, GO_EVENT_SPAWN, g->id, &t->obj, t->obj.site, NULL, 0);
}

/* A channel timer wakes someone only if a receiver is waiting now. */
static bool channel_can_wake(const cf_timer *timer) {
    const go_timer *t = timer->context;
    return !cf_waitq_empty(&t->c->recvq);
}

/* Discards an undelivered value (1.23). Returns whether there was one. */
static bool drain(go_exec *e, go_timer *t) {
    if (!t->c || !sync_channels(e) || t->c->count == 0) return false;
    t->c->count = 0;
    t->c->head = 0;
    return true;
}

/* ---- constructors -------------------------------------------------------------- */

static go_timer *new_timer(go_exec *e, const go_site *site) {
    go_timer *t = cf_object_new(GO_OBJ_TIMER, sizeof(go_timer), site, &timer_ops);
    return t;
}

static go_timer *new_channel_timer(go_exec *e, const go_site *site, go_duration d,
                                   go_duration period) {
    go_timer *t = new_timer(e, site);
    t->c = go_make_chan_at(site, 1);
    t->c->timer_channel = true;
    t->c->timer = &t->obj;
    t->period = period;
    cf_timer_init(&t->timer, fire_channel, channel_can_wake, &t->obj, t);
    cf_timer_arm(e, &t->timer, e->clock.now + d);
    return t;
}

go_timer *go_timer_new_at(const go_site *site, go_duration d) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    return new_channel_timer(e, site, d, 0);
}

go_chan *go_after_at(const go_site *site, go_duration d) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    go_timer *t = new_channel_timer(e, site, d, 0);
    t->from_after = true;
    return t->c;
}

go_timer *go_ticker_new_at(const go_site *site, go_duration d) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (d <= 0) cf_fail(e, GO_END_PANIC, site, "non-positive interval for NewTicker");
    return new_channel_timer(e, site, d, d);
}

go_timer *go_after_func_at(const go_site *site, go_duration d, const char *fn_name,
                           go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    go_timer *t = new_timer(e, site);
    t->fn = fn;
    t->arg = arg;
    t->fn_name = fn_name;
    t->creator = e->current->id;
    cf_timer_init(&t->timer, fire_func, NULL, &t->obj, t);
    cf_timer_arm(e, &t->timer, e->clock.now + d);
    return t;
}

go_chan *go_timer_chan(const go_timer *t) { return t->c; }

/* ---- Stop and Reset --------------------------------------------------------------- */

bool go_timer_stop_at(const go_site *site, go_timer *t) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    t->stopped = true;
    t->stopped_since_armed = true;
    t->stop_site = site;
    bool pending = cf_timer_disarm(e, &t->timer);
    bool discarded = drain(e, t);
    /* Tickers' Stop returns nothing in Go; the answer is harmless. */
    return pending || discarded;
}

bool go_timer_reset_at(const go_site *site, go_timer *t, go_duration d) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (t->period && d <= 0) cf_fail(e, GO_END_PANIC, site, "non-positive interval for Ticker.Reset");
    bool pending = cf_timer_disarm(e, &t->timer);
    bool discarded = drain(e, t);
    if (t->period) t->period = d;
    t->stopped_since_armed = false;
    cf_timer_arm(e, &t->timer, e->clock.now + d);
    return pending || discarded;
}

/* ---- Sleep ---------------------------------------------------------------------------- */

static void wake_sleeper(go_exec *e, cf_timer *timer) {
    cf_waiter *w = timer->context;
    w->success = true;
    cf_wake(e, w, NULL);
}

void go_sleep_at(const go_site *site, go_duration d) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (d <= 0) return;
    /* The waiter and the timer live on the sleeper's stack, like every
     * other blocking record: sleeping allocates nothing. */
    cf_waiter w = {.g = e->current, .site = site};
    cf_timer timer;
    cf_timer_init(&timer, wake_sleeper, NULL, NULL, &w);
    cf_timer_arm(e, &timer, e->clock.now + d);
    cf_park(e, GO_WAIT_SLEEP, NULL, site, NULL, 0);
}

go_duration go_now(void) { return cf_exec()->clock.now; }

go_duration go_fz_duration_at(const go_site *site, go_duration max) {
    if (max <= 0) return 0;
    return (go_duration)go_fz_intn_at(site, (uint64_t)max + 1);
}

bool cf_timer_object_stopped(const cf_object *obj) { return ((const go_timer *)obj)->stopped; }
