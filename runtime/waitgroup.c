/* waitgroup.c -- sync.WaitGroup, after Go 1.23's sync/waitgroup.go.
 *
 * The counter reaching zero releases every waiter at once and forgets
 * them. A released waiter that finds the WaitGroup in use again when it
 * runs (a new Add, or a new waiter) panics as Go's does: "WaitGroup is
 * reused before previous Wait has returned".
 *
 * Invariants (check): counter >= 0; waiters only while counter > 0.
 */
#include <stdio.h>

#include "sched.h"

struct go_waitgroup {
    cf_object obj;
    int64_t counter;
    cf_waitq waiters;        /* blocked Wait calls */
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_waitgroup *wg = (const go_waitgroup *)obj;
    snprintf(out, size, "counter %lld, %zu waiting", (long long)wg->counter,
             wg->waiters.length);
}

static void check(const cf_object *obj) {
    const go_waitgroup *wg = (const go_waitgroup *)obj;
    cf_check_waitq(&wg->waiters);
    cf_require(wg->counter >= 0, "waitgroup: counter >= 0");
    cf_require(cf_waitq_empty(&wg->waiters) || wg->counter > 0,
               "waitgroup: waiters only while the counter is positive");
}

static const cf_object_ops waitgroup_ops = {describe, check};

#if CF_CHECKS
#define check_wg(wg) check(&(wg)->obj)
#else
#define check_wg(wg) ((void)0)
#endif

go_waitgroup *go_waitgroup_new_at(const go_site *site) {
    return cf_object_new(GO_OBJ_WAITGROUP, sizeof(go_waitgroup), site, &waitgroup_ops);
}

void go_waitgroup_add_at(const go_site *site, go_waitgroup *wg, int64_t delta) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    wg->counter += delta;
    if (wg->counter < 0) cf_fail(e, GO_END_PANIC, site, "sync: negative WaitGroup counter");
    if (wg->counter == 0) {
        cf_waiter *w;
        while ((w = cf_waitq_pop(&wg->waiters))) {
            w->success = true;
            cf_emit(e, GO_EVENT_MEET, w->g->id, &wg->obj, site, w->site, GO_MEET_RELEASE);
            cf_wake(e, w, &wg->obj);
        }
    }
    check_wg(wg);
}

void go_waitgroup_wait_at(const go_site *site, go_waitgroup *wg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (wg->counter == 0) return;
    cf_waiter w = {.g = e->current, .site = site, .object = &wg->obj};
    cf_waitq_push_back(&wg->waiters, &w);
    cf_park(e, GO_WAIT_WAITGROUP_WAIT, &wg->obj, site, &w, 1);
    if (wg->counter != 0 || !cf_waitq_empty(&wg->waiters))
        cf_fail(e, GO_END_PANIC, site,
                "sync: WaitGroup is reused before previous Wait has returned");
}
