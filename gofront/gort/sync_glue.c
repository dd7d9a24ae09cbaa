/* sync_glue.c -- sync.Mutex, RWMutex, WaitGroup, Once, Cond and the
 * sync/atomic functions on plain words, as the model's objects.
 *
 * The Go types keep their Go layout; the model object lives behind the
 * value's first word, made on first use at the site of that use, so the
 * zero value is ready as in Go and a struct embedding a Mutex by value
 * works. The Go value lies in go_alloc'ed memory, a stack or a static, all
 * scanned, so the model object stays alive as long as the Go value.
 *
 * sync.Cond keeps Go 1.19's layout {L Locker; notify notifyList; checker
 * copyChecker}: L (a gort_iface) at byte offset 0, and the go_cond goes in
 * the checker word at byte offset 48. L must hold a *sync.Mutex (the
 * model's Cond is over a go_mutex).
 *
 * Atomics on plain words are one scheduling point (taken on a scratch
 * go_atomic of the execution, so they meet the decision source exactly as
 * the model's atomics do), then the operation, indivisibly. */
#include <stdio.h>

#include "gort_internal.h"

static go_atomic *scratch;
static void forget_kept(void);

void gort__sync_reset(void) {
    scratch = NULL;
    forget_kept();
}

void gort__sched_point(const go_site *site, bool poll) {
    if (!scratch) scratch = go_atomic_new_at(site, 0);
    if (poll) (void)go_atomic_load_at(site, scratch); /* a load loop is a busy-wait */
    else go_atomic_store_at(site, scratch, 0);
}

/* The model object behind a Go value's first word, made on first use.
 * Go lays Mutex and Once out with 4-byte alignment, so the word may be
 * misaligned inside a struct: it is read and written with memcpy, and an
 * object stored at a misaligned address (which the conservative scanner,
 * reading aligned words, would miss) is also kept in a rooted list for
 * the rest of the execution. */
static struct {
    void **objects;            /* go_alloc'ed */
    size_t count, cap;
} kept;

static void keep(const go_site *site, void *object) {
    if (kept.count == kept.cap) {
        size_t cap = kept.cap ? kept.cap * 2 : 16;
        void **objects = go_alloc_at(site, cap * sizeof *objects);
        if (kept.count) memcpy(objects, kept.objects, kept.count * sizeof *objects);
        kept.objects = objects;
        kept.cap = cap;
    }
    kept.objects[kept.count++] = object;
}

static void forget_kept(void) { memset(&kept, 0, sizeof kept); }

void *gort__lazy(const go_site *site, void *word, void *(*make)(const go_site *)) {
    gort_check_nil(site, word);
    void *object;
    memcpy(&object, word, sizeof object);
    if (!object) {
        object = make(site);
        memcpy(word, &object, sizeof object);
        if ((uintptr_t)word % sizeof(void *)) keep(site, object);
    }
    return object;
}

static void *new_mutex(const go_site *site) { return go_mutex_new_at(site); }
static void *new_rwmutex(const go_site *site) { return go_rwmutex_new_at(site); }
static void *new_waitgroup(const go_site *site) { return go_waitgroup_new_at(site); }
static void *new_once(const go_site *site) { return go_once_new_at(site); }

go_mutex *gort_mutex(const go_site *site, void *mu) { return gort__lazy(site, mu, new_mutex); }
go_rwmutex *gort_rwmutex(const go_site *site, void *rw) { return gort__lazy(site, rw, new_rwmutex); }
go_waitgroup *gort_waitgroup(const go_site *site, void *wg) {
    return gort__lazy(site, wg, new_waitgroup);
}
go_once *gort_once(const go_site *site, void *once) { return gort__lazy(site, once, new_once); }

static void call_func(void *arg) {
    const gort_func *f = arg;
    ((void (*)(void *))f->fn)(f->env);
}

void gort_once_do(const go_site *site, void *once, gort_func f) {
    if (!f.fn) gort_panic_nil(site);
    go_once_do_at(site, gort_once(site, once), call_func, &f);
}

/* ---- Cond ---------------------------------------------------------------- */

/* A Cond over a *sync.Mutex waits on the model's own lock; over any other
 * Locker (an RLocker, a type of the program's) the model calls its Lock
 * and Unlock methods (the interface's itab: Lock, then Unlock). */
static bool holds_mutex(gort_iface l) {
    const gort_type *t = gort_iface_type(l);
    return t && strcmp(t->name, "*sync.Mutex") == 0;
}

static go_cond *cond_over(const go_site *site, gort_iface l) {
    const gort_type *t = gort_iface_type(l);
    if (!t) gort_panic_nil(site);
    if (!holds_mutex(l)) return go_cond_new_at(site, NULL);
    if (!l.data) gort_panic_nil(site);
    return go_cond_new_at(site, gort_mutex(site, l.data));
}

#define COND_L 0
#define COND_MODEL 48

void gort_cond_init(const go_site *site, void *cond, gort_iface l) {
    gort_check_nil(site, cond);
    memcpy((char *)cond + COND_L, &l, sizeof l);
    go_cond *c = cond_over(site, l);
    memcpy((char *)cond + COND_MODEL, &c, sizeof c);
}

go_cond *gort_cond(const go_site *site, void *cond) {
    gort_check_nil(site, cond);
    go_cond *c;
    memcpy(&c, (char *)cond + COND_MODEL, sizeof c);
    if (!c) { /* &sync.Cond{L: &mu} */
        gort_iface l;
        memcpy(&l, (char *)cond + COND_L, sizeof l);
        c = cond_over(site, l);
        memcpy((char *)cond + COND_MODEL, &c, sizeof c);
    }
    return c;
}

/* ---- atomics on plain words ------------------------------------------------- */

static int64_t read_word(const void *addr, int size) {
    if (size == 4) return *(const int32_t *)addr;
    return *(const int64_t *)addr;
}

static void write_word(void *addr, int size, int64_t v) {
    if (size == 4) *(int32_t *)addr = (int32_t)v;
    else *(int64_t *)addr = v;
}

static void check(const go_site *site, const void *addr) { gort_check_nil(site, addr); }

int64_t gort_atomic_add(const go_site *site, void *addr, int size, int64_t delta) {
    check(site, addr);
    gort__sched_point(site, false);
    int64_t v = (int64_t)((uint64_t)read_word(addr, size) + (uint64_t)delta);
    write_word(addr, size, v);
    return read_word(addr, size);
}

int64_t gort_atomic_load(const go_site *site, const void *addr, int size) {
    check(site, addr);
    gort__sched_point(site, true);
    return read_word(addr, size);
}

void gort_atomic_store(const go_site *site, void *addr, int size, int64_t v) {
    check(site, addr);
    gort__sched_point(site, false);
    write_word(addr, size, v);
}

int64_t gort_atomic_swap(const go_site *site, void *addr, int size, int64_t v) {
    check(site, addr);
    gort__sched_point(site, false);
    int64_t old = read_word(addr, size);
    write_word(addr, size, v);
    return old;
}

bool gort_atomic_cas(const go_site *site, void *addr, int size, int64_t old, int64_t new_) {
    check(site, addr);
    gort__sched_point(site, false);
    if (read_word(addr, size) != (size == 4 ? (int32_t)old : old)) return false;
    write_word(addr, size, new_);
    return true;
}

static void locker_lock(void *arg) {
    const gort_iface *l = arg;
    ((void (*)(void *))l->tab->fns[0])(l->data);
}

static void locker_unlock(void *arg) {
    const gort_iface *l = arg;
    ((void (*)(void *))l->tab->fns[1])(l->data);
}

void gort_cond_wait(const go_site *site, void *cond) {
    go_cond *c = gort_cond(site, cond);
    gort_iface l;
    memcpy(&l, (char *)cond + COND_L, sizeof l);
    if (holds_mutex(l)) {
        go_cond_wait_at(site, c);
        return;
    }
    go_cond_wait_with_at(site, c, locker_unlock, locker_lock, &l);
}
