/* rwmutex.c -- sync.RWMutex, after Go 1.23's sync/rwmutex.go.
 *
 * A writer first takes `w` (a Mutex: writers queue there with
 * "sync.Mutex.Lock"), then announces itself, which makes every new RLock
 * block ("sync.RWMutex.RLock") -- writer preference, so a goroutine that
 * RLocks twice deadlocks if a writer queued in between -- and waits for the
 * readers already inside to leave ("sync.RWMutex.Lock"). Unlock admits
 * every reader that queued behind it, then releases `w`.
 *
 * Invariants (check):
 *   writer == ACTIVE          => readers_active == 0
 *   blocked readers           => writer != NONE
 *   a writer waiting (queued) => writer == WAITING_FOR_READERS, readers > 0
 *   w.locked                 <=> writer != NONE
 */
#include <stdio.h>

#include "lock.h"

typedef enum { WRITER_NONE, WRITER_WAITING_FOR_READERS, WRITER_ACTIVE } writer_state;

struct go_rwmutex {
    cf_object obj;
    cf_lock w;                 /* held by the writer from Lock to Unlock */
    writer_state writer;
    uint64_t readers_active;   /* goroutines holding a read lock */
    cf_waitq readers;          /* RLock calls blocked behind a writer */
    cf_waitq writer_queue;     /* the announced writer, waiting for readers
                                  to depart (at most one) */
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_rwmutex *rw = (const go_rwmutex *)obj;
    static const char *const writer_words[] = {"no writer", "writer waiting for readers",
                                               "write-locked"};
    snprintf(out, size, "%s, %llu readers, %zu readers blocked, %zu writers queued",
             writer_words[rw->writer], (unsigned long long)rw->readers_active,
             rw->readers.length, rw->w.waiters.length + rw->writer_queue.length);
}

static void check(const cf_object *obj) {
    const go_rwmutex *rw = (const go_rwmutex *)obj;
    cf_lock_check(&rw->w);
    cf_check_waitq(&rw->readers);
    cf_check_waitq(&rw->writer_queue);
    cf_require(rw->writer != WRITER_ACTIVE || rw->readers_active == 0,
               "rwmutex: no readers while write-locked");
    cf_require(cf_waitq_empty(&rw->readers) || rw->writer != WRITER_NONE,
               "rwmutex: readers block only behind a writer");
    cf_require(cf_waitq_empty(&rw->writer_queue) ||
                   (rw->writer == WRITER_WAITING_FOR_READERS && rw->readers_active > 0),
               "rwmutex: a queued writer waits for active readers");
    cf_require(rw->w.locked == (rw->writer != WRITER_NONE),
               "rwmutex: w is held exactly while a writer is announced");
}

static const cf_object_ops rwmutex_ops = {describe, check};

#if CF_CHECKS
#define check_rw(rw) check(&(rw)->obj)
#else
#define check_rw(rw) ((void)0)
#endif

go_rwmutex *go_rwmutex_new_at(const go_site *site) {
    return cf_object_new(GO_OBJ_RWMUTEX, sizeof(go_rwmutex), site, &rwmutex_ops);
}

void go_rwmutex_rlock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (rw->writer == WRITER_NONE) {
        rw->readers_active++;
        check_rw(rw);
        return;
    }
    cf_waiter w = {.g = e->current, .site = site, .object = &rw->obj};
    cf_waitq_push_back(&rw->readers, &w);
    cf_park(e, GO_WAIT_RWMUTEX_RLOCK, &rw->obj, site, &w, 1);
    /* Unlock counted us in readers_active when it let us through. */
}

void go_rwmutex_runlock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (rw->readers_active == 0) cf_fatal(e, site, "sync: RUnlock of unlocked RWMutex");
    rw->readers_active--;
    if (rw->readers_active == 0 && rw->writer == WRITER_WAITING_FOR_READERS) {
        cf_waiter *writer = cf_waitq_pop(&rw->writer_queue);
        rw->writer = WRITER_ACTIVE;
        writer->success = true;
        cf_emit(e, GO_EVENT_MEET, writer->g->id, &rw->obj, site, writer->site,
                GO_MEET_LOCK);
        cf_wake(e, writer, &rw->obj);
    }
    check_rw(rw);
}

void go_rwmutex_lock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_lock_acquire(e, &rw->w, &rw->obj, site, GO_WAIT_MUTEX_LOCK);
    if (rw->readers_active == 0) {
        rw->writer = WRITER_ACTIVE;
        check_rw(rw);
        return;
    }
    rw->writer = WRITER_WAITING_FOR_READERS;
    cf_waiter w = {.g = e->current, .site = site, .object = &rw->obj};
    cf_waitq_push_back(&rw->writer_queue, &w);
    cf_park(e, GO_WAIT_RWMUTEX_LOCK, &rw->obj, site, &w, 1);
}

void go_rwmutex_unlock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (rw->writer != WRITER_ACTIVE) cf_fatal(e, site, "sync: Unlock of unlocked RWMutex");
    rw->writer = WRITER_NONE;
    cf_waiter *reader;
    while ((reader = cf_waitq_pop(&rw->readers))) {
        rw->readers_active++;
        reader->success = true;
        cf_emit(e, GO_EVENT_MEET, reader->g->id, &rw->obj, site, reader->site,
                GO_MEET_LOCK);
        cf_wake(e, reader, &rw->obj);
    }
    cf_lock_release(e, &rw->w, &rw->obj, site, "sync: Unlock of unlocked RWMutex");
    check_rw(rw);
}
