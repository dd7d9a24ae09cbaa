/* goroutine.h -- one goroutine: a stackful coroutine with Go's bookkeeping.
 *
 * States and where a goroutine is in each:
 *   RUNNABLE  on the run queue (exactly once), on no wait queue
 *   RUNNING   exec->current; on no queue
 *   WAITING   parked; its waiters (on its own stack) are on the queues of
 *             what it waits on -- or on none, for a nil channel or an
 *             all-nil select, which nothing can ever wake
 *   EXITED    returned; its stack is back in the pool
 * Structs are pooled process-wide (only free ones survive an execution).
 */
#ifndef CF_GOROUTINE_H
#define CF_GOROUTINE_H

#include <stdbool.h>
#include <stdint.h>

#include "chanfuzz/exec.h"
#include "defer.h"
#include "switch.h"
#include "object.h"
#include "stack.h"
#include "waitq.h"

typedef enum cf_gstate { CF_G_RUNNABLE, CF_G_RUNNING, CF_G_WAITING, CF_G_EXITED } cf_gstate;

struct cf_goroutine {
    cf_context context;          /* saved registers while not running */
    cf_stack *stack;             /* NULL for the native pseudo-goroutine */
    void *asan_fake_stack;       /* ASan's fake-stack save across switches */
    uint64_t id;                 /* 1 is main; 0 is the native context */
    cf_gstate state;

    go_func *entry;              /* what go_go started */
    void *arg;                   /* its closure */
    const char *entry_name;
    const go_site *creator_site; /* NULL for main */
    uint64_t creator_id;
    const go_site *last_site;    /* its latest scheduling point: where a
                                    crash or a hang last saw it in the
                                    model (go_exec_running) */

    /* While WAITING (kept after, for the end-of-execution report): */
    go_wait_reason wait_reason;
    const go_site *wait_site;
    cf_object *wait_object;      /* NULL for nil channels, select */
    uint64_t blocked_at_step;
    int64_t blocked_at_time;
    bool timer_woken_in_settle;  /* a timer woke it after main returned */
    cf_waiter *waiters;          /* its records, on its stack */
    int waiter_count;
    cf_waiter *fired;            /* set by the waker: the record that won */

    cf_unwind unwind;            /* Go frames, deferred calls, panics and
                                    Goexit in progress (defer.h) */

    bool started;                /* has run at least once */
    bool abandoned;              /* teardown: resume only to die */
    bool failed;                 /* panicked, fatal error or overflow */
    bool overflowed;             /* its stack hit the guard: context dead */
    uint32_t runq_slot;          /* unused outside the run queue */

    struct cf_goroutine *live_prev; /* exec's list of goroutines holding */
    struct cf_goroutine *live_next; /* a stack, in creation order */
    struct cf_goroutine *pool_next; /* free-struct pool link */
};

#endif
