/* test_rwmutex.c -- sync.RWMutex (Go 1.23 sync/rwmutex.go), one test per
 * rule: readers share, a writer excludes everyone, and a pending writer
 * stops new readers (so a recursive RLock deadlocks behind it). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"


/* ---- readers share the lock -------------------------------------------- */

typedef struct {
    go_rwmutex *rw;
    go_chan *done;
} share_case;

static void second_reader(void *arg) {
    share_case *t = arg;
    go_rwmutex_rlock(t->rw);   /* main holds a read lock: this must not wait */
    go_send(t->done, 1);
    go_rwmutex_runlock(t->rw);
}

static void share_main(void *arg) {
    share_case *t = arg;
    t->rw = go_rwmutex_new();
    t->done = go_make_chan(0);
    go_rwmutex_rlock(t->rw);
    go_go(second_reader, t);
    go_recv(t->done);          /* deadlocks unless the reader got in */
    go_rwmutex_runlock(t->rw);
}

Test(rwmutex, many_readers_hold_the_lock_together) {
    share_case t;
    for (uint64_t seed = 0; seed < 50; seed++) {
        go_exec *e = run_seeded(share_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu: %s",
                     (unsigned long long)seed, go_end_name(go_exec_end(e)));
        go_exec_free(e);
    }
}

/* ---- a writer excludes readers and writers ------------------------------ */

typedef struct {
    go_rwmutex *rw;
    int left, right;      /* a writer moves both; a reader must see them equal */
    int writers_inside, readers_inside;
    int violations;
    int reads_torn;
} exclusion_case;

static void exclusion_writer(void *arg) {
    exclusion_case *t = arg;
    for (int i = 0; i < 3; i++) {
        go_rwmutex_lock(t->rw);
        if (t->writers_inside++ || t->readers_inside) t->violations++;
        t->left++;
        go_yield();
        t->right++;
        t->writers_inside--;
        go_rwmutex_unlock(t->rw);
    }
}

static void exclusion_reader(void *arg) {
    exclusion_case *t = arg;
    for (int i = 0; i < 3; i++) {
        go_rwmutex_rlock(t->rw);
        t->readers_inside++;
        if (t->writers_inside) t->violations++;
        int left = t->left;
        go_yield();
        if (left != t->right) t->reads_torn++;
        t->readers_inside--;
        go_rwmutex_runlock(t->rw);
    }
}

static void exclusion_main(void *arg) {
    exclusion_case *t = arg;
    t->rw = go_rwmutex_new();
    go_go(exclusion_writer, t);
    go_go(exclusion_reader, t);
    go_go(exclusion_writer, t);
    go_go(exclusion_reader, t);
}

Test(rwmutex, a_writer_excludes_readers_and_other_writers_under_any_seed) {
    int readers_together = 0;
    for (uint64_t seed = 0; seed < 200; seed++) {
        exclusion_case t = {0};
        go_exec *e = run_seeded(exclusion_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.violations, 0, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.reads_torn, 0, "seed %llu", (unsigned long long)seed);
        cr_assert_eq(t.left, 6);
        cr_assert_eq(t.right, 6);
        char *trace = trace_text(e);
        readers_together += strstr(trace, "[sync.RWMutex.Lock]") != NULL;
        free(trace);
        go_exec_free(e);
    }
    /* Some seeds must have had a writer wait for readers to leave. */
    cr_expect_gt(readers_together, 0);
}

/* ---- a pending writer blocks new readers -------------------------------- */

typedef struct {
    go_rwmutex *rw;
    uint64_t order[4];    /* who got the lock, in order */
    int taken;
} order_case;

static void late_writer(void *arg) {
    order_case *t = arg;
    go_rwmutex_lock(t->rw);
    t->order[t->taken++] = go_goroutine_id();
    go_rwmutex_unlock(t->rw);
}

static void late_reader(void *arg) {
    order_case *t = arg;
    go_rwmutex_rlock(t->rw);
    t->order[t->taken++] = go_goroutine_id();
    go_rwmutex_runlock(t->rw);
}

static void writer_preference_main(void *arg) {
    order_case *t = arg;
    t->rw = go_rwmutex_new();
    go_rwmutex_rlock(t->rw);
    go_go(late_writer, t);     /* 2: waits for main's read lock */
    go_go(late_reader, t);     /* 3: arrives after the writer */
    go_yield();
    go_yield();
    go_rwmutex_runlock(t->rw);
}

Test(rwmutex, a_pending_writer_blocks_new_readers) {
    order_case t = {0};
    go_exec *e = run_first(writer_preference_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(t.taken, 2);
    cr_expect_eq(t.order[0], 2, "the writer went first");
    cr_expect_eq(t.order[1], 3, "the reader that came after it waited");
    go_exec_free(e);
}

/* main RLocks, a writer queues, main RLocks again: the second RLock waits
 * for the writer, which waits for main's first read lock. */
static void recursive_rlock_main(void *arg) {
    go_rwmutex *rw = go_rwmutex_new();
    order_case t = {.rw = rw};
    go_rwmutex_rlock(rw);
    go_go(late_writer, &t);
    go_yield();                /* the writer blocks in Lock */
    go_rwmutex_rlock(rw);
}

Test(rwmutex, recursive_rlock_deadlocks_behind_a_queued_writer) {
    go_exec *e = run_first(recursive_rlock_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK, "ended %s", go_end_name(go_exec_end(e)));
    const go_goroutine_info *main_info = info_of(e, 1);
    const go_goroutine_info *writer = info_of(e, 2);
    cr_assert_not_null(main_info);
    cr_assert_not_null(writer);
    cr_expect_eq(main_info->state, GO_STATE_BLOCKED);
    cr_expect_eq(main_info->wait_reason, GO_WAIT_RWMUTEX_RLOCK);
    cr_expect_str_eq(go_wait_reason_name(main_info->wait_reason), "sync.RWMutex.RLock");
    cr_expect_eq(main_info->object_kind, GO_OBJ_RWMUTEX);
    cr_expect_eq(main_info->object_id, 1);
    cr_expect_eq(writer->state, GO_STATE_BLOCKED);
    cr_expect_eq(writer->wait_reason, GO_WAIT_RWMUTEX_LOCK);
    cr_expect_str_eq(go_wait_reason_name(writer->wait_reason), "sync.RWMutex.Lock");
    cr_expect_eq(writer->object_kind, GO_OBJ_RWMUTEX);
    cr_expect_eq(writer->object_id, 1);
    go_exec_free(e);
}

/* Writers first compete for the embedded Mutex `w`: a second writer waits
 * there, as "sync.Mutex.Lock", like Go's rw.w.Lock(). */
static void second_writer_main(void *arg) {
    go_rwmutex *rw = go_rwmutex_new();
    order_case t = {.rw = rw};
    go_rwmutex_lock(rw);
    go_go(late_writer, &t);
    go_yield();
}

Test(rwmutex, a_second_writer_waits_on_the_writer_mutex) {
    go_exec *e = run_first(second_writer_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *writer = info_of(e, 2);
    cr_assert_not_null(writer);
    cr_expect_eq(writer->state, GO_STATE_BLOCKED);
    cr_expect_eq(writer->wait_reason, GO_WAIT_MUTEX_LOCK);
    cr_expect_eq(writer->object_kind, GO_OBJ_RWMUTEX);
    go_exec_free(e);
}

/* ---- Unlock admits every reader that queued behind the writer ------------ */

typedef struct {
    go_rwmutex *rw;
    int inside;           /* readers holding the read lock now */
    int most_inside;
} admit_case;

static void admitted_reader(void *arg) {
    admit_case *t = arg;
    go_rwmutex_rlock(t->rw);
    if (++t->inside > t->most_inside) t->most_inside = t->inside;
    go_yield();
    go_yield();
    t->inside--;
    go_rwmutex_runlock(t->rw);
}

static void admit_main(void *arg) {
    admit_case *t = arg;
    t->rw = go_rwmutex_new();
    go_rwmutex_lock(t->rw);
    for (int i = 0; i < 3; i++) go_go(admitted_reader, t);
    go_yield();                /* all three block in RLock */
    go_rwmutex_unlock(t->rw);
}

Test(rwmutex, unlock_admits_all_readers_that_queued_behind_the_writer) {
    admit_case t = {0};
    go_exec *e = run_first(admit_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.most_inside, 3);
    cr_expect_eq(t.inside, 0);
    go_exec_free(e);
}

/* Go releases the queued readers through a semaphore without hand-off: a
 * reader that arrives later, behind the next writer, can take the wake-up
 * meant for a released reader, which then waits again. main (as the late
 * reader) overtakes goroutine 2. */
static void overtaking_main(void *arg) {
    order_case *t = arg;
    t->rw = go_rwmutex_new();
    go_rwmutex_lock(t->rw);
    go_go(late_reader, t);     /* 2: blocks in RLock */
    go_yield();
    go_go(late_writer, t);     /* 3: blocks on w */
    go_yield();
    go_rwmutex_unlock(t->rw);  /* releases 2; hands w to 3 */
    go_yield();                /* 3 runs first and waits for reader 2 */
    go_rwmutex_rlock(t->rw);   /* main takes 2's wake-up */
    t->order[t->taken++] = go_goroutine_id();
    go_rwmutex_runlock(t->rw);
}

Test(rwmutex, a_released_reader_can_be_overtaken_by_a_later_one) {
    order_case t = {0};
    static const go_decision_kind kinds[] = {
        GO_DECIDE_SCHEDULE, /* main yields: give way to 2             */
        GO_DECIDE_PREEMPT,  /* 2 at RLock: keep running (it blocks)   */
        GO_DECIDE_SCHEDULE, /* main yields: give way to 3             */
        GO_DECIDE_PREEMPT,  /* 3 at Lock: keep running (blocks on w)  */
        GO_DECIDE_MUTEX,    /* main's Unlock releases w: hand off     */
        GO_DECIDE_SCHEDULE, /* main yields: run 3 before 2            */
        GO_DECIDE_SCHEDULE, /* 3 waits for reader 2: run main next    */
    };
    const uint64_t answers[] = {0, 0, 0, 0, 0, 1, 1};
    go_exec *e = run_script(overtaking_main, &t, kinds, answers, 7);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert_eq(t.taken, 3);
    cr_expect_eq(t.order[0], 1, "main overtook the released reader");
    cr_expect_eq(t.order[1], 3, "the writer went once main left");
    cr_expect_eq(t.order[2], 2, "the overtaken reader got in after the writer");
    go_exec_free(e);
}

/* ---- misuse is fatal, with Go's words ------------------------------------ */

typedef enum { UNLOCK_UNLOCKED, UNLOCK_READ_LOCKED, RUNLOCK_UNLOCKED, RUNLOCK_WRITE_LOCKED } misuse;

static void misuse_main(void *arg) {
    go_rwmutex *rw = go_rwmutex_new();
    switch (*(misuse *)arg) {
    case UNLOCK_UNLOCKED: go_rwmutex_unlock(rw); break;
    case UNLOCK_READ_LOCKED: go_rwmutex_rlock(rw); go_rwmutex_unlock(rw); break;
    case RUNLOCK_UNLOCKED: go_rwmutex_runlock(rw); break;
    case RUNLOCK_WRITE_LOCKED: go_rwmutex_lock(rw); go_rwmutex_runlock(rw); break;
    }
}

static void expect_fatal(misuse how, const char *message) {
    go_exec *e = run_first(misuse_main, &how);
    cr_assert_eq(go_exec_end(e), GO_END_FATAL, "ended %s", go_end_name(go_exec_end(e)));
    cr_expect_str_eq(go_exec_message(e), message);
    cr_expect_eq(state_of(e, 1), GO_STATE_FAILED);
    go_exec_free(e);
}

Test(rwmutex, unlock_of_unlocked_rwmutex_is_a_fatal_error) {
    expect_fatal(UNLOCK_UNLOCKED, "sync: Unlock of unlocked RWMutex");
}

Test(rwmutex, unlock_of_read_locked_rwmutex_is_a_fatal_error) {
    expect_fatal(UNLOCK_READ_LOCKED, "sync: Unlock of unlocked RWMutex");
}

Test(rwmutex, runlock_of_unlocked_rwmutex_is_a_fatal_error) {
    expect_fatal(RUNLOCK_UNLOCKED, "sync: RUnlock of unlocked RWMutex");
}

Test(rwmutex, runlock_of_write_locked_rwmutex_is_a_fatal_error) {
    expect_fatal(RUNLOCK_WRITE_LOCKED, "sync: RUnlock of unlocked RWMutex");
}

/* Go's check is on its reader count, not on who holds what. With a writer
 * pending, a reader blocked behind it is counted too, so an extra RUnlock
 * passes unnoticed -- and uses up that reader's count: the writer's Unlock
 * then releases no one, and the reader waits forever. */
static void extra_runlock_main(void *arg) {
    order_case *t = arg;
    t->rw = go_rwmutex_new();
    go_rwmutex_rlock(t->rw);
    go_go(late_writer, t);     /* 2: waits for main's read lock */
    go_go(late_reader, t);     /* 3: blocks behind the writer */
    go_yield();
    go_rwmutex_runlock(t->rw); /* the writer may go */
    go_rwmutex_runlock(t->rw); /* one too many: Go does not notice */
    go_yield();
}

Test(rwmutex, an_extra_runlock_with_readers_blocked_behind_a_writer_goes_unnoticed) {
    order_case t = {0};
    go_exec *e = run_first(extra_runlock_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(t.taken, 1);
    cr_expect_eq(t.order[0], 2, "the writer got the lock");
    const go_goroutine_info *reader = info_of(e, 3);
    cr_assert_not_null(reader);
    cr_expect_eq(reader->state, GO_STATE_BLOCKED);
    cr_expect_eq(reader->wait_reason, GO_WAIT_RWMUTEX_RLOCK);
    go_exec_free(e);
}
