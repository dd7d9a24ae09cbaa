/* sync_pool.c -- sync.Pool: Put, Get and the New field.
 *
 * Go keeps a pool per P: a private slot and a shared stack; Put fills the
 * private slot if it is empty, else pushes on the stack; Get takes the
 * private slot, else pops the stack, else (nothing pooled) calls New. With
 * the model's one P that is exactly what is modelled, so Put(a), Put(b),
 * Put(c) are got back as a, c, b, as from Go on one P.
 *
 * Go may drop everything pooled at any GC (after two, the victim cache is
 * gone too). So when something is pooled, Get first asks a DATA decision:
 * 0 the pool is as it was, 1 a GC emptied it (everything pooled is
 * dropped, and Get calls New). A program that assumes Get returns what it
 * Put is wrong in the schedules that decide 1.
 *
 * Get and Put are scheduling points (they touch state shared by every
 * goroutine; Go's per-P pinning is not a lock), as the model's atomics. */
#include "gort_internal.h"

typedef struct pool {
    gort_iface private_;       /* tab NULL: empty */
    gort_iface *shared;        /* go_alloc'ed stack */
    gort_int count, cap;
} pool;

static void *new_pool(const go_site *site) { return go_alloc_at(site, sizeof(pool)); }

void gort_sync_pool_put(const go_site *site, void *p, gort_iface x) {
    if (!x.tab) return; /* Go: if x == nil { return } */
    pool *pl = gort__lazy(site, p, new_pool);
    gort__sched_point(site, false);
    if (!pl->private_.tab) {
        pl->private_ = x;
        return;
    }
    if (pl->count == pl->cap) {
        gort_int cap = pl->cap ? pl->cap * 2 : 4;
        gort_iface *shared = go_alloc_at(site, (size_t)cap * sizeof *shared);
        if (pl->count) memcpy(shared, pl->shared, (size_t)pl->count * sizeof *shared);
        pl->shared = shared;
        pl->cap = cap;
    }
    pl->shared[pl->count++] = x;
}

gort_iface gort_sync_pool_get(const go_site *site, void *p, size_t new_offset) {
    pool *pl = gort__lazy(site, p, new_pool);
    gort__sched_point(site, false);
    gort_iface x = {0};
    bool pooled = pl->private_.tab || pl->count;
    if (pooled && go_fz_intn_at(site, 2) == 1) memset(pl, 0, sizeof *pl); /* a GC */
    if (pl->private_.tab) {
        x = pl->private_;
        pl->private_ = (gort_iface){0};
    } else if (pl->count) {
        x = pl->shared[--pl->count];
        pl->shared[pl->count] = (gort_iface){0}; /* no longer referenced */
    }
    if (x.tab) return x;
    gort_func new_fn;
    memcpy(&new_fn, (char *)p + new_offset, sizeof new_fn);
    if (!new_fn.fn) return x;
    return ((gort_iface (*)(void *))new_fn.fn)(new_fn.env);
}
