/* atomic.c -- sync/atomic.Int64. Each access is one scheduling point and
 * one indivisible step, which is what sequential consistency (Go's memory
 * model for atomics) allows on one thread. */
#include <stdio.h>

#include "sched.h"

struct go_atomic {
    cf_object obj;
    int64_t value;
};

static void describe(const cf_object *obj, char *out, size_t size) {
    snprintf(out, size, "value %lld", (long long)((const go_atomic *)obj)->value);
}

static const cf_object_ops atomic_ops = {.describe = describe, .trace = cf_trace_nothing};

go_atomic *go_atomic_new_at(const go_site *site, int64_t initial) {
    go_atomic *a = cf_object_new(GO_OBJ_ATOMIC, sizeof(go_atomic), site, &atomic_ops);
    a->value = initial;
    return a;
}

int64_t go_atomic_load_at(const go_site *site, go_atomic *a) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_sched_note_poll(e); /* a load loop is busy-waiting */
    return a->value;
}

void go_atomic_store_at(const go_site *site, go_atomic *a, int64_t v) {
    cf_sched_point(cf_exec(), site);
    a->value = v;
}

/* Wraps like Go's two's-complement Add. */
int64_t go_atomic_add_at(const go_site *site, go_atomic *a, int64_t delta) {
    cf_sched_point(cf_exec(), site);
    a->value = (int64_t)((uint64_t)a->value + (uint64_t)delta);
    return a->value;
}

bool go_atomic_cas_at(const go_site *site, go_atomic *a, int64_t old, int64_t new_) {
    cf_sched_point(cf_exec(), site);
    if (a->value != old) return false;
    a->value = new_;
    return true;
}
