/* once.c -- sync.Once (Go 1.23 sync/once.go): the first caller runs f
 * while holding m; concurrent callers wait on m ("sync.Mutex.Lock", on the
 * Once) until f has returned, then see done and return. f calling Do on
 * its own Once therefore deadlocks, as in Go. Like Go's doSlow, the slow
 * path is a Go function whose deferred calls set done and unlock m, so a
 * panicking f still leaves the Once done and m unlocked (for whoever
 * recovers), and f itself runs in a frame of its own (go_call).
 *
 * Invariants (check): those of m. */
#include <stdio.h>

#include "lock.h"

struct go_once {
    cf_object obj;
    bool done;
    cf_lock m;
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_once *o = (const go_once *)obj;
    char lock[160];
    cf_lock_describe(&o->m, lock, sizeof lock);
    snprintf(out, size, "%s, %s", o->done ? "done" : "not done", lock);
}

static void check(const cf_object *obj) { cf_lock_check(&((const go_once *)obj)->m); }

static const cf_object_ops once_ops = {
    .describe = describe, .check = check, .trace = cf_trace_nothing};

#if CF_CHECKS
#define check_once(o) check(&(o)->obj)
#else
#define check_once(o) ((void)0)
#endif

go_once *go_once_new_at(const go_site *site) {
    return cf_object_new(GO_OBJ_ONCE, sizeof(go_once), site, &once_ops);
}

/* One Do call on its slow path; lives in go_once_do_at's C frame, which
 * outlives every deferred call below. */
typedef struct once_call {
    go_once *once;
    const go_site *site;         /* the Do call */
    go_func *fn;
    void *arg;
} once_call;

/* defer o.m.Unlock() */
static void once_unlock(void *arg) {
    once_call *c = arg;
    go_exec *e = cf_exec();
    cf_sched_point(e, c->site);
    cf_lock_release(e, &c->once->m, &c->once->obj, c->site, "sync: unlock of unlocked mutex");
    check_once(c->once);
}

/* defer o.done.Store(1) */
static void once_mark_done(void *arg) { ((once_call *)arg)->once->done = true; }

/* Go's doSlow. */
static void once_do_slow(void *arg) {
    once_call *c = arg;
    cf_lock_acquire(cf_exec(), &c->once->m, &c->once->obj, c->site, GO_WAIT_MUTEX_LOCK);
    go_defer(once_unlock, c);
    if (!c->once->done) {
        go_defer(once_mark_done, c);
        go_call_at(c->site, c->fn, c->arg);
    }
}

void go_once_do_at(const go_site *site, go_once *o, go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (o->done) return;
    once_call call = {o, site, fn, arg};
    go_call_at(site, once_do_slow, &call);
}
