/* once.c -- sync.Once (Go 1.23 sync/once.go): the first caller runs f
 * while holding m; concurrent callers wait on m ("sync.Mutex.Lock", on the
 * Once) until f has returned, then see done and return. f calling Do on
 * its own Once therefore deadlocks, as in Go. (Go also sets done when f
 * panics; here a panic ends the execution, so that cannot be observed.)
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

static const cf_object_ops once_ops = {describe, check};

#if CF_CHECKS
#define check_once(o) check(&(o)->obj)
#else
#define check_once(o) ((void)0)
#endif

go_once *go_once_new_at(const go_site *site) {
    return cf_object_new(GO_OBJ_ONCE, sizeof(go_once), site, &once_ops);
}

void go_once_do_at(const go_site *site, go_once *o, go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (o->done) return;
    cf_lock_acquire(e, &o->m, &o->obj, site, GO_WAIT_MUTEX_LOCK);
    if (!o->done) {
        fn(arg);
        o->done = true;
    }
    cf_sched_point(e, site);    /* Go's deferred m.Unlock */
    cf_lock_release(e, &o->m, &o->obj, site, "sync: unlock of unlocked mutex");
    check_once(o);
}
