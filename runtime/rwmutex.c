/* rwmutex.c -- sync.RWMutex, as Go 1.23's sync/rwmutex.go builds it: a
 * Mutex `w` for writers, a reader count, and two semaphores.
 *
 * A writer first takes `w` (so writers queue there, "sync.Mutex.Lock"),
 * then announces itself by subtracting MAX_READERS from reader_count,
 * which makes every later RLock block on reader_sem ("sync.RWMutex.RLock")
 * -- writer preference, so a goroutine that RLocks twice deadlocks if a
 * writer queued in between -- and waits on writer_sem ("sync.RWMutex.Lock")
 * for the readers already inside, counted in reader_wait, to leave. Unlock
 * adds MAX_READERS back, releases reader_sem once per reader that blocked
 * meanwhile, then unlocks `w`.
 *
 * The model keeps Go's counters rather than a cleaner state machine on
 * purpose: Go's misuse checks read those counters, so only they give Go's
 * verdicts -- RUnlock of an RWMutex that no reader holds is fatal only
 * when the count shows it (an extra RUnlock while readers are blocked
 * behind a writer goes unnoticed, and strands one of them), and the
 * semaphores wake without hand-off, so a later reader can overtake a
 * released one. Each method is one step: Go's interleavings between its
 * atomics lead to the same states as orderings of whole calls.
 *
 * Under correct use: reader_count >= 0 with no writer (it is the number of
 * readers inside); with a writer announced, reader_count + MAX_READERS is
 * the readers still inside (reader_wait of them) plus those blocked. No
 * invariant beyond those of `w` and the semaphores holds for every program
 * (misuse breaks the rest, as in Go), so check() tests only those.
 */
#include <stdio.h>

#include "lock.h"

/* Go's rwmutexMaxReaders. */
#define MAX_READERS ((int64_t)1 << 30)

struct go_rwmutex {
    cf_object obj;
    cf_lock w;                 /* held by the writer from Lock to Unlock */
    cf_sema writer_sem;        /* the announced writer waits here for the
                                  readers inside to leave */
    cf_sema reader_sem;        /* RLock calls wait here behind a writer */
    int64_t reader_count;      /* Go's readerCount (an int32 that never
                                  leaves int32 range: a bigger type only
                                  keeps C's overflow out of the picture) */
    int64_t reader_wait;       /* Go's readerWait: readers the announced
                                  writer still waits for */
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_rwmutex *rw = (const go_rwmutex *)obj;
    size_t blocked_readers = rw->reader_sem.waiters.length;
    size_t queued_writers = rw->w.waiters.length;
    if (rw->reader_count >= 0)
        snprintf(out, size, "%lld readers, %zu writers queued", (long long)rw->reader_count,
                 queued_writers);
    else if (!cf_waitq_empty(&rw->writer_sem.waiters))
        snprintf(out, size, "writer waiting for %lld readers, %zu readers blocked, "
                 "%zu writers queued", (long long)rw->reader_wait, blocked_readers,
                 queued_writers);
    else
        snprintf(out, size, "write-locked, %zu readers blocked, %zu writers queued",
                 blocked_readers, queued_writers);
}

static void check(const cf_object *obj) {
    const go_rwmutex *rw = (const go_rwmutex *)obj;
    cf_lock_check(&rw->w);
    cf_sema_check(&rw->writer_sem);
    cf_sema_check(&rw->reader_sem);
}

static const cf_object_ops rwmutex_ops = {
    .describe = describe, .check = check, .trace = cf_trace_nothing};

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
    if (++rw->reader_count < 0) {
        /* A writer is announced: wait until its Unlock lets us in. */
        cf_sema_acquire(e, &rw->reader_sem, &rw->obj, site, GO_WAIT_RWMUTEX_RLOCK);
    }
    check_rw(rw);
}

void go_rwmutex_runlock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    int64_t r = --rw->reader_count;
    if (r < 0) {
        /* No reader was counted: with no writer (r + 1 == 0) or with an
         * announced writer and nobody else (r + 1 == -MAX_READERS). */
        if (r + 1 == 0 || r + 1 == -MAX_READERS)
            cf_fatal(e, site, "sync: RUnlock of unlocked RWMutex");
        /* A writer is announced: the last reader it waits for lets it in. */
        if (--rw->reader_wait == 0)
            cf_sema_release(e, &rw->writer_sem, &rw->obj, site, GO_MEET_LOCK);
    }
    check_rw(rw);
}

void go_rwmutex_lock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    cf_lock_acquire(e, &rw->w, &rw->obj, site, GO_WAIT_MUTEX_LOCK);
    /* Announce the writer; r readers are inside and must leave first. */
    int64_t r = (rw->reader_count -= MAX_READERS) + MAX_READERS;
    if (r != 0 && (rw->reader_wait += r) != 0)
        cf_sema_acquire(e, &rw->writer_sem, &rw->obj, site, GO_WAIT_RWMUTEX_LOCK);
    check_rw(rw);
}

void go_rwmutex_unlock_at(const go_site *site, go_rwmutex *rw) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    int64_t r = (rw->reader_count += MAX_READERS);
    if (r >= MAX_READERS) cf_fatal(e, site, "sync: Unlock of unlocked RWMutex");
    /* Let in the r readers that blocked behind us. */
    for (int64_t i = 0; i < r; i++)
        cf_sema_release(e, &rw->reader_sem, &rw->obj, site, GO_MEET_LOCK);
    cf_lock_release(e, &rw->w, &rw->obj, site, "sync: unlock of unlocked mutex");
    check_rw(rw);
}
