/* sema.c -- Go's runtime semaphore (see sema.h). */
#include "sema.h"

void cf_sema_acquire(go_exec *e, cf_sema *s, cf_object *obj, const go_site *site,
                     go_wait_reason reason) {
    if (s->count > 0) {
        s->count--;
        return;
    }
    cf_waiter w = {.g = e->current, .site = site, .object = obj};
    for (;;) {
        cf_waitq_push_back(&s->waiters, &w);
        cf_park(e, reason, obj, site, &w, 1);
        s->woken--;
        if (s->count > 0) {
            s->count--;
            return;
        }
        /* An acquirer that ran before us took the count (no hand-off in
         * Go's semrelease here): wait again, at the back. */
    }
}

void cf_sema_release(go_exec *e, cf_sema *s, cf_object *obj, const go_site *site,
                     go_meet meet) {
    s->count++;
    cf_waiter *w = cf_waitq_pop(&s->waiters);
    if (!w) return;
    s->woken++;
    w->success = true;
    cf_emit(e, GO_EVENT_MEET, w->g->id, obj, site, w->site, meet);
    cf_wake(e, w, obj);
}

void cf_sema_check(const cf_sema *s) {
    cf_check_waitq(&s->waiters);
    cf_require(cf_waitq_empty(&s->waiters) || s->count <= s->woken,
               "sema: no count to spare while acquirers sleep");
}
