/* once.c -- sync.Once (Go 1.23): the first caller runs f while holding m;
 * concurrent callers wait on m ("sync.Mutex.Lock") until f has returned,
 * then see done and return. */
#include <stdio.h>

#include "lock.h"

struct go_once {
    cf_object obj;
    bool done;
    cf_lock m;
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_once *o = (const go_once *)obj;
    char lock[96];
    cf_lock_describe(&o->m, lock, sizeof lock);
    snprintf(out, size, "%s, %s", o->done ? "done" : "not done", lock);
}

static void check(const cf_object *obj) { cf_lock_check(&((const go_once *)obj)->m); }

static const cf_object_ops once_ops = {describe, check};

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
    cf_sched_point(e, site);
    cf_lock_release(e, &o->m, &o->obj, site, "sync: unlock of unlocked mutex");
}
