/* sched.h -- the scheduler: scheduling points, the one blocking primitive
 * every blocking operation is built on, and the end of an execution.
 *
 * Every operation has the same shape (as in Go's chan.go and libdill):
 *   cf_sched_point(e, site);               may preempt; counts a step
 *   fast path: complete at once, waking a peer with cf_wake
 *   else: fill cf_waiter records on the stack, queue them, cf_park(...)
 *         and read the outcome the waker left in g->fired.
 */
#ifndef CF_SCHED_H
#define CF_SCHED_H

#include "check.h"
#include "execution.h"
#include "goroutine.h"

/* The running execution. Throws when called outside one (a scenario
 * function called directly instead of through go_exec_run). */
static inline go_exec *cf_exec(void) {
    go_exec *e = cf_exec_running;
    cf_require(e != NULL, "model operation outside an execution");
    return e;
}

/* A scheduling point at `site`: counts a step, ends the execution when the
 * step budget is spent, and when others are runnable asks the decision
 * source whether to preempt the running goroutine. */
void cf_sched_point(go_exec *e, const go_site *site);

/* Blocks the running goroutine for `reason` on `obj` (NULL for a nil
 * channel or a select). Its waiters, if any, must already be queued and
 * listed in g->waiters. Returns once cf_wake made it runnable and the
 * scheduler ran it again, with g->fired set -- or never, when nothing can
 * wake it and the execution ends. */
void cf_park(go_exec *e, go_wait_reason reason, cf_object *obj, const go_site *site,
             cf_waiter *waiters, int waiter_count);

/* Wakes the goroutine of `w`, which the caller has dequeued and whose
 * outcome (value, success) it has set: dequeues that goroutine's other
 * waiters (losing select cases) and makes it runnable. */
void cf_wake(go_exec *e, cf_waiter *w, cf_object *through);

/* Ends the execution with `end` (the first end decided wins) and switches to
 * the thread's native context. Does not return. */
void cf_exec_finish(go_exec *e, go_end end);

/* Ends the execution as a panic or fatal error of the running goroutine.
 * Does not return. */
void cf_fail(go_exec *e, go_end end, const go_site *site, const char *message);

/* A fatal error of the running goroutine (never recoverable). */
void cf_fatal(go_exec *e, const go_site *site, const char *message);

/* The running goroutine polled and found nothing (select taking default,
 * an atomic load): after CF_IDLE_POLLS in a row it counts as idle. */
void cf_sched_note_poll(go_exec *e);

/* The running goroutine lets another runnable one go first (a SCHEDULE
 * decision picks which) and waits its turn in the run queue; nothing
 * happens when no other goroutine is runnable. Counts a step. */
void cf_sched_step_aside(go_exec *e);

/* Main has returned: the others settle within the configured budgets. */
void cf_settle_begin(go_exec *e);

/* The settle budget ran out: ends the execution. Does not return. */
void cf_settle_exhausted(go_exec *e);

/* Keeps e's decision log buffer for the next execution (go_exec_free). */
void cf_decision_log_recycle(go_exec *e);

/* Asks the decision source; records the decision. options >= 2. */
uint64_t cf_decide(go_exec *e, go_decision_kind kind, uint64_t options);

/* Starts a goroutine (go statement); returns it RUNNABLE at the tail of
 * the run queue. */
cf_goroutine *cf_spawn(go_exec *e, const go_site *site, const char *name,
                       go_func *fn, void *arg);

/* The goroutine to run when the current one blocks or exits: a SCHEDULE
 * decision over the run queue. Ends the execution when nothing can run. */
cf_goroutine *cf_sched_pick_next(go_exec *e);

/* Puts g at the tail of the run queue. */
void cf_sched_make_runnable(go_exec *e, cf_goroutine *g);

/* The last switch of a goroutine that returned normally, to `to`; keeps
 * its ASan fake stack for reuse when keep_fake_stack (no long jump skipped
 * frames on it). Does not return. */
void cf_sched_exit_switch(go_exec *e, cf_goroutine *to, bool keep_fake_stack);

/* Returns g's stack and struct to the pools (goroutine.c). */
void cf_goroutine_release(go_exec *e, cf_goroutine *g, bool abandoned);

/* Called by the fault handler on the alternate signal stack when the
 * running goroutine hit its guard page. Does not return. */
void cf_stack_overflow(go_exec *e);

/* Teardown, from the native context after the execution ended: ends every
 * goroutine still holding a stack and returns the stacks to the pool. */
void cf_sched_teardown(go_exec *e);

/* ---- events --------------------------------------------------------- */

void cf_emit_event(go_exec *e, const go_event *ev);

/* Writes ns as Go's time.Duration.String does: "1.5s", "5ms", "300us". */
void cf_format_duration(int64_t ns, char *out, size_t size);

/* Emits an event from the running goroutine, when anyone listens. */
static inline void cf_emit(go_exec *e, go_event_kind kind, uint64_t other,
                           const cf_object *obj, const go_site *site,
                           const go_site *other_site, int64_t detail) {
    if (__builtin_expect(e->emitting, 0)) {
        /* Timers act on their own: goroutine 0 is "the runtime". */
        go_event ev = {kind, e->clock.firing ? 0 : e->current->id, other,
                       obj ? obj->kind : GO_OBJ_NONE, obj ? obj->id : 0,
                       site, other_site, detail};
        cf_emit_event(e, &ev);
    }
}

#if CF_CHECKS
void cf_check_goroutines(go_exec *e);
void cf_check_all(go_exec *e);
#endif

#endif
