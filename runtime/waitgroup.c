/* waitgroup.c -- sync.WaitGroup, as Go 1.23's sync/waitgroup.go builds it:
 * one state word (an int32 counter over a uint32 waiter count) and a
 * semaphore.
 *
 * Wait with a zero counter returns at once; otherwise it counts itself a
 * waiter and sleeps on the semaphore. The Add that brings the counter to
 * zero resets the whole word to zero and releases the semaphore once per
 * waiter. A released waiter checks the word when it runs: non-zero means
 * the WaitGroup was reused (a new Add or Wait) before this Wait returned,
 * and it panics, as Go's does. The semaphore does not hand the wake-up to
 * a particular waiter: a new Wait that runs first takes it, and is then
 * the one that finds the word in use.
 *
 * An Add that makes the counter negative is two steps, as in Go: the
 * word changes, then the panic. Go's other misuse check, "Add called
 * concurrently with Wait", needs a second Add between the zeroing Add's
 * atomic add and its reset of the word; here that Add is one step, so it
 * cannot fire and is left out: a scheduling point there would branch
 * every WaitGroup's last Done, for a check Go itself calls best-effort.
 *
 * The wait reason is Go 1.24's "sync.WaitGroup.Wait" (Go 1.23 reports a
 * blocked Wait as "semacquire"), as the design's table of Go's words says.
 *
 * Invariant (check): besides the semaphore's own, a counter of zero
 * leaves no waiter counted (the zeroing Add reset them).
 */
#include <stdio.h>

#include "lock.h"

struct go_waitgroup {
    cf_object obj;
    uint32_t counter;        /* Go's upper half: an int32, kept as its bits
                                so that an Add wraps as Go's does */
    uint32_t waiters;        /* Go's lower half: Wait calls asleep or
                                released-but-not-yet-returned since the
                                counter last reached zero */
    cf_sema sema;
};

static int32_t counter_value(const go_waitgroup *wg) { return (int32_t)wg->counter; }

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_waitgroup *wg = (const go_waitgroup *)obj;
    snprintf(out, size, "counter %d, %zu waiting", (int)counter_value(wg),
             wg->sema.waiters.length);
}

static void check(const cf_object *obj) {
    const go_waitgroup *wg = (const go_waitgroup *)obj;
    cf_sema_check(&wg->sema);
    cf_require(wg->counter != 0 || wg->waiters == 0,
               "waitgroup: no waiters counted at a zero counter");
}

static const cf_object_ops waitgroup_ops = {
    .describe = describe, .check = check, .trace = cf_trace_nothing};

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
    /* Go adds uint64(delta) << 32: only delta's low 32 bits reach the
     * counter, modulo 2^32. */
    wg->counter += (uint32_t)(uint64_t)delta;
    if (counter_value(wg) < 0) {
        /* Go panics on the value its atomic add returned, and until it
         * does the word holds the negative counter for everyone else: a
         * released Wait that runs first panics "reused" instead, and main
         * may even return (found by chanfuzz diff: corpus/diff/
         * waitgroup_negative_window.ops). So others may run here. */
        cf_sched_point(e, site);
        cf_fail(e, GO_END_PANIC, site, "sync: negative WaitGroup counter");
    }
    if (wg->counter != 0 || wg->waiters == 0) {
        check_wg(wg);
        return;
    }
    /* The counter reached zero with waiters: reset the word, wake them. */
    uint32_t released = wg->waiters;
    wg->waiters = 0;
    for (uint32_t i = 0; i < released; i++)
        cf_sema_release(e, &wg->sema, &wg->obj, site, GO_MEET_RELEASE);
    check_wg(wg);
}

void go_waitgroup_wait_at(const go_site *site, go_waitgroup *wg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (wg->counter == 0) return;
    wg->waiters++;
    cf_sema_acquire(e, &wg->sema, &wg->obj, site, GO_WAIT_WAITGROUP_WAIT);
    if (wg->counter != 0 || wg->waiters != 0)
        cf_fail(e, GO_END_PANIC, site,
                "sync: WaitGroup is reused before previous Wait has returned");
    check_wg(wg);
}
