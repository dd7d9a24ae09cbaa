/* sched.c -- the run queue, switching, scheduling points, park and wake,
 * and ending an execution. See sched.h for the contracts.
 *
 * Goroutines switch to each other directly: the native (thread) context is
 * entered only at the start and the end of an execution, so a yield round
 * trip between two goroutines is exactly two switches.
 */
#include "sched.h"

#include "decide.h"
#include "side_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitizer.h"

go_exec *cf_exec_running;

/* ---- run queue ------------------------------------------------------- */

static void runq_grow(cf_runq *q) {
    uint32_t capacity = q->capacity ? q->capacity * 2 : 64;
    cf_goroutine **ring = malloc(sizeof *ring * capacity);
    cf_require(ring != NULL, "run queue allocation");
    for (uint32_t i = 0; i < q->length; i++)
        ring[i] = q->ring[(q->head + i) & (q->capacity - 1)];
    free(q->ring);
    q->ring = ring;
    q->head = 0;
    q->capacity = capacity;
}

static inline void runq_push(cf_runq *q, cf_goroutine *g) {
    if (__builtin_expect(q->length == q->capacity, 0)) runq_grow(q);
    q->ring[(q->head + q->length) & (q->capacity - 1)] = g;
    q->length++;
}

/* Removes and returns the goroutine at queue position `pos`, shifting the
 * shorter side of the ring so that queue order is kept. */
static inline cf_goroutine *runq_take(cf_runq *q, uint32_t pos) {
    uint32_t mask = q->capacity - 1;
    cf_goroutine *g = q->ring[(q->head + pos) & mask];
    if (pos < q->length / 2) {
        for (uint32_t i = pos; i > 0; i--)
            q->ring[(q->head + i) & mask] = q->ring[(q->head + i - 1) & mask];
        q->head = (q->head + 1) & mask;
    } else {
        for (uint32_t i = pos; i + 1 < q->length; i++)
            q->ring[(q->head + i) & mask] = q->ring[(q->head + i + 1) & mask];
    }
    q->length--;
    return g;
}

/* ---- switching ------------------------------------------------------- */

static void die(go_exec *e, cf_goroutine *to);

static inline void stack_bounds(const go_exec *e, const cf_goroutine *g,
                                const void **bottom, size_t *size) {
    if (g->stack) {
        *bottom = g->stack->lo;
        *size = g->stack->size;
    } else {
        *bottom = e->native_stack_bottom;
        *size = e->native_stack_size;
    }
}

/* transfer's cold path: `from` overflowed a canary stack, or is about to
 * overflow its stack inside the runtime. switch_to has already made `to`
 * (taken off the run queue) current and running: give it back, and blame
 * `from`. Out of line, so that the check costs transfer a compare. */
static __attribute__((noinline, cold)) void overflow_at_switch(go_exec *e, cf_goroutine *from,
                                                               cf_goroutine *to) {
    if (to != &e->native) cf_sched_make_runnable(e, to);
    e->current = from;
    cf_stack_overflow(e);
}

/* Suspends `from` and resumes `to`. On return `from` is running again --
 * unless teardown resumed it only to end it, which `die` does. */
static void transfer(go_exec *e, cf_goroutine *from, cf_goroutine *to) {
    if (from->stack &&
        __builtin_expect(cf_stack_exhausted(from->stack, __builtin_frame_address(0)), 0) &&
        !from->overflowed)
        overflow_at_switch(e, from, to);
    /* How deep this execution has used the stack: what stack.c zeroes
     * before the stack serves another execution. */
    if (from->stack && (void *)__builtin_frame_address(0) < from->stack->dirty_low)
        from->stack->dirty_low = __builtin_frame_address(0);
    const void *bottom;
    size_t size;
    stack_bounds(e, to, &bottom, &size);
    cf_san_start_switch(&from->asan_fake_stack, bottom, size);
#if CF_ASAN
    cf_switch(&from->context, &to->context);
    cf_san_finish_switch(from->asan_fake_stack, NULL, NULL);
    if (__builtin_expect(from->abandoned, 0)) die(e, &e->native);
#else
    /* Nothing follows the switch, so it is a tail call: the resumed side
     * returns straight into its own caller, and no call/return pair is
     * left unbalanced for the return predictor. Measured in bench/: yield
     * round trip 34.5 -> 15.8 ns, ping-pong 120 -> 92 ns. (Teardown never
     * resumes goroutines without ASan, so `abandoned` needs no check.) */
    cf_switch(&from->context, &to->context);
#endif
}

static inline void switch_to(go_exec *e, cf_goroutine *from, cf_goroutine *to) {
    cf_emit(e, GO_EVENT_SWITCH, to->id, NULL, NULL, NULL, 0);
    e->current = to;
    to->state = CF_G_RUNNING;
    transfer(e, from, to);
}

/* The last switch of a goroutine: its registers go to the graveyard and
 * ASan is told (NULL save) to free its fake stack. Not noreturn on purpose:
 * ASan would add a no-return hook costing a system call per exit.
 * e->current is left alone: an overflowed goroutine stays current (it is
 * the one the execution ended on, as a panicking one does, and the end's
 * invariant checks want the running goroutine current), and teardown sets
 * it for the goroutines it ends. */
static void CF_NO_ASAN die(go_exec *e, cf_goroutine *to) {
    const void *bottom;
    size_t size;
    stack_bounds(e, to, &bottom, &size);
    cf_san_start_switch(NULL, bottom, size);
    cf_switch(&e->graveyard, &to->context);
}

void cf_sched_make_runnable(go_exec *e, cf_goroutine *g) {
    g->state = CF_G_RUNNABLE;
    runq_push(&e->runq, g);
}

/* ---- decisions ------------------------------------------------------- */

/* The largest decision log of a finished execution, kept for the next: a
 * fresh log in every execution cost more in page faults than the whole
 * rest of a long ping-pong run (bench/: 35,290 minor faults, 2.4x time). */
static go_decision *spare_log;
static size_t spare_log_capacity;

void cf_decision_log_recycle(go_exec *e) {
    if (e->decision_capacity > spare_log_capacity) {
        free(spare_log);
        spare_log = e->decisions;
        spare_log_capacity = e->decision_capacity;
    } else {
        free(e->decisions);
    }
    e->decisions = NULL;
    e->decision_capacity = 0;
}

static void log_grow(go_exec *e) {
    if (!e->decisions && spare_log) {
        e->decisions = spare_log;
        e->decision_capacity = spare_log_capacity;
        spare_log = NULL;
        spare_log_capacity = 0;
        return;
    }
    size_t capacity = e->decision_capacity ? e->decision_capacity * 2 : 256;
    go_decision *log = realloc(e->decisions, sizeof *log * capacity);
    cf_require(log != NULL, "decision log allocation");
    e->decisions = log;
    e->decision_capacity = capacity;
}

void cf_trace_append_decision(go_exec *e, size_t index);

typedef struct decision_call {
    go_exec *e;
    go_decision_kind kind;
    uint64_t options;
    uint64_t answer;
} decision_call;

static void grow_log(void *self) { log_grow(self); }

static void trace_next_decision(void *self) {
    go_exec *e = self;
    cf_trace_append_decision(e, e->decision_count);
}

/* Appends an answer in range to the log (and the trace). The allocator
 * and the tracer run on the side stack (side_stack.c). */
static inline void log_decision(go_exec *e, go_decision_kind kind, uint64_t options,
                                uint64_t answer, bool on_side_stack) {
    if (__builtin_expect(e->decision_count == e->decision_capacity, 0)) {
        if (on_side_stack)
            log_grow(e);
        else
            cf_call_off_stack(grow_log, e);
    }
    go_decision *d = &e->decisions[e->decision_count];
    d->kind = (uint8_t)kind;
    d->options = options;
    d->answer = answer;
    if (e->config.record_trace) {
        if (on_side_stack)
            trace_next_decision(e);
        else
            cf_call_off_stack(trace_next_decision, e);
    }
    e->decision_count++;
}

/* Asks the source and logs the answer. On the side stack: the source's
 * words must not reach the goroutine's stack (side_stack.c), nor must the
 * allocator's when the log or the trace grows. */
static void decide_and_log(void *self) {
    decision_call *call = self;
    go_exec *e = call->e;
    uint64_t answer = e->decider.decide(e->decider.self, call->kind, call->options);
    call->answer = answer;
    /* Thrown back on the goroutine's stack: an abort from the side stack
     * makes ASan warn about the unknown stack first. */
    if (answer >= call->options) return;
    log_decision(e, call->kind, call->options, answer, true);
}

/* Why the inline answer (decide.h) keeps executions exact: what a
 * decision leaves on the goroutine's stack must not depend on who
 * answers it, or a replay could meet another execution than the run it
 * replays (harness/ops/known_bugs). Both paths write the same call record
 * into this frame (the barrier keeps its stores on the inline path), and
 * below it the long path leaves only the side-stack call's return address
 * and saved frame pointer, the inline path nothing or the same pair (log
 * growth, trace): code and stack addresses, which the collector's
 * conservative scan never takes for objects. Measured (bench_runtime
 * --only yield --ops N, callgrind): 206 -> 156 instructions a yield, the
 * decision's part ~97 -> ~47 (this function, the log entry included). */
uint64_t cf_decide(go_exec *e, go_decision_kind kind, uint64_t options) {
    /* A question with one answer is not a decision: a trace file could not
     * say it (harness/sources/README.md), and a source would be asked for
     * nothing. Callers answer those themselves. */
    cf_invariant(options >= 2, "a decision has at least two options");
    decision_call call = {e, kind, options, 0};
    __asm__ volatile("" : : "r"(&call) : "memory");
    if (cf_decide_inline(&e->decider, kind, options, &call.answer))
        log_decision(e, kind, options, call.answer, false);
    else
        cf_call_off_stack(decide_and_log, &call);
    cf_require(call.answer < options, "decision source answered out of range");
    if (__builtin_expect(e->stop_requested, 0)) cf_exec_finish(e, GO_END_STOPPED);
    return call.answer;
}

/* The goroutine to run when the current one blocks or exits; ends the
 * execution when there is none. */
cf_goroutine *cf_sched_pick_next(go_exec *e) {
    while (e->runq.length == 0) {
        /* Nothing can run: time jumps to the next timer that could wake
         * someone. With none, it is over: once main has returned the
         * others have settled; while main waits it is the global deadlock
         * "all goroutines are asleep". (Go does not report the deadlock
         * while any timer is pending, even one that wakes nobody, and
         * hangs instead; both are the same finding.) */
        int64_t next = cf_clock_next_waking(e);
        if (next < 0) cf_exec_finish(e, e->main_returned ? GO_END_RETURNED : GO_END_DEADLOCK);
        cf_clock_advance_to(e, next);
    }
    cf_clock_advance_if_still(e);
    uint32_t pos = e->runq.length > 1
                       ? (uint32_t)cf_decide(e, GO_DECIDE_SCHEDULE, e->runq.length)
                       : 0;
    return runq_take(&e->runq, pos);
}

uint64_t go_decide_current(void) {
    go_exec *e = cf_exec_running;
    return e && e->current && !e->clock.firing ? e->current->id : 0;
}

size_t go_decide_runnable(uint64_t *ids, size_t max) {
    go_exec *e = cf_exec_running;
    if (!e) return 0;
    for (uint32_t i = 0; i < e->runq.length && i < max; i++)
        ids[i] = e->runq.ring[(e->runq.head + i) & (e->runq.capacity - 1)]->id;
    return e->runq.length;
}

/* ---- scheduling points ------------------------------------------------ */

static void preempt(go_exec *e) {
    cf_goroutine *g = e->current;
    uint32_t pos = e->runq.length > 1
                       ? (uint32_t)cf_decide(e, GO_DECIDE_SCHEDULE, e->runq.length)
                       : 0;
    cf_goroutine *next = runq_take(&e->runq, pos);
    g->state = CF_G_RUNNABLE;
    runq_push(&e->runq, g);
    switch_to(e, g, next);
}

static inline void count_step(go_exec *e) {
    if (__builtin_expect(e->steps >= e->step_budget, 0)) {
        if (e->settling) {
            e->settle_exhausted = true; /* a goroutine is still running */
            cf_settle_exhausted(e);
        }
        cf_exec_finish(e, GO_END_STEP_BUDGET);
    }
    e->steps++;
#if CF_CHECKS
    if (e->steps % CF_CHECK_ALL_EVERY == 0) cf_check_all(e);
#endif
}

void cf_sched_point(go_exec *e, const go_site *site) {
    e->current->last_site = site;
    count_step(e);
    cf_clock_advance_if_still(e);
    bool timers = cf_clock_has_timers(&e->clock);
    if (e->runq.length == 0 && !timers) return;
    if (cf_decide(e, GO_DECIDE_PREEMPT, 2) == 0) return;
    /* Preempted: another goroutine runs, or the running code took long
     * enough for the next timer to fire (and it then goes on). */
    if (timers && (e->runq.length == 0 || cf_decide(e, GO_DECIDE_CLOCK, 2) == 1)) {
        cf_clock_advance_next(e);
        return;
    }
    preempt(e);
}

void cf_sched_note_poll(go_exec *e) {
    if (++e->clock.idle_polls < CF_IDLE_POLLS) return;
    e->clock.idle_polls = 0;
    /* A goroutine that only polls is idle: others runnable get the
     * processor (Go's sysmon would preempt it within 10ms), and with none,
     * time moves on so that a busy-wait loop does not stop the clock. */
    if (e->runq.length)
        preempt(e);
    else
        cf_clock_advance_next(e);
}

/* The running goroutine goes to the back of the run queue; the one at
 * queue position pos runs. */
static void give_way(go_exec *e, uint32_t pos) {
    cf_goroutine *g = e->current;
    cf_goroutine *next = runq_take(&e->runq, pos);
    g->state = CF_G_RUNNABLE;
    runq_push(&e->runq, g);
    switch_to(e, g, next);
}

void go_yield_at(const go_site *site) {
    go_exec *e = cf_exec();
    (void)site;
    count_step(e);
    /* runtime.Gosched does not always give way (Go 1.23 proc.go): it puts
     * the goroutine on the global run queue and reschedules, and schedule()
     * takes from the global queue first on every 61st tick; with more than
     * one P, another may pick the yielder up at once while the others still
     * wait. chanfuzz diff saw Go do both. So the answer past the end of the
     * queue keeps it running; 0, the plain schedule, gives way to the
     * goroutine at the head of the queue, as one P does most of the time. */
    if (e->runq.length == 0) return;
    uint32_t pos = (uint32_t)cf_decide(e, GO_DECIDE_SCHEDULE, e->runq.length + 1);
    if (pos == e->runq.length) return;
    give_way(e, pos);
}

void cf_sched_step_aside(go_exec *e) {
    count_step(e);
    if (e->runq.length == 0) return;
    give_way(e, e->runq.length > 1
                    ? (uint32_t)cf_decide(e, GO_DECIDE_SCHEDULE, e->runq.length)
                    : 0);
}

/* ---- park and wake ----------------------------------------------------- */

void cf_park(go_exec *e, go_wait_reason reason, cf_object *obj, const go_site *site,
             cf_waiter *waiters, int waiter_count) {
    cf_goroutine *g = e->current;
    g->state = CF_G_WAITING;
    g->wait_reason = reason;
    g->wait_site = site;
    g->wait_object = obj;
    g->blocked_at_step = e->steps;
    g->blocked_at_time = e->clock.now;
    cf_clock_note_progress(&e->clock);
    g->waiters = waiters;
    g->waiter_count = waiter_count;
    g->fired = NULL;
#if CF_CHECKS
    /* The step ends here: the objects it queued on must be consistent. */
    for (int i = 0; i < waiter_count; i++) {
        cf_object *o = waiters[i].object;
        if (o && o->ops && o->ops->check) o->ops->check(o);
    }
#endif
    cf_emit(e, GO_EVENT_BLOCK, 0, obj, site, NULL, reason);
    cf_goroutine *next = cf_sched_pick_next(e);
    switch_to(e, g, next);
    g->waiters = NULL;
    g->waiter_count = 0;
}

void cf_wake(go_exec *e, cf_waiter *w, cf_object *through) {
    cf_goroutine *g = w->g;
    cf_invariant(g->state == CF_G_WAITING, "woken goroutine was waiting");
    cf_invariant(w->queue == NULL, "fired waiter dequeued by the waker");
    g->fired = w;
    for (int i = 0; i < g->waiter_count; i++)
        if (g->waiters[i].queue) cf_waitq_remove(&g->waiters[i]);
    g->state = CF_G_RUNNABLE;
    runq_push(&e->runq, g);
    cf_clock_note_progress(&e->clock);
    if (e->clock.firing && e->settling) g->timer_woken_in_settle = true;
    cf_emit(e, GO_EVENT_WAKE, g->id, through, NULL, w->site, 0);
}

/* ---- the end ------------------------------------------------------------- */

void cf_settle_begin(go_exec *e) {
    e->settling = true;
    e->main_returned = true;
    uint64_t steps = e->config.settle_steps ? e->config.settle_steps : GO_DEFAULT_SETTLE_STEPS;
    int64_t time = e->config.settle_time ? e->config.settle_time : GO_DEFAULT_SETTLE_TIME;
    if (e->steps + steps < e->step_budget) e->step_budget = e->steps + steps;
    e->settle_deadline = e->clock.now + time;
}

void cf_settle_exhausted(go_exec *e) {
    /* The budget ran out. It matters only if timers were still waking
     * goroutines (a ticker loop): a lone far deadline (a lost WithTimeout
     * of two hours) that would wake nobody leaves the others settled. */
    for (cf_goroutine *g = e->live_head; g; g = g->live_next)
        if (g->state != CF_G_EXITED && g->timer_woken_in_settle) e->settle_exhausted = true;
    cf_exec_finish(e, GO_END_RETURNED);
}

void cf_exec_finish(go_exec *e, go_end end) {
    if (!e->ending) {
        e->ending = true;
        e->end = end;
    }
    transfer(e, e->current, &e->native);
    cf_throw("goroutine resumed after its execution ended");
}

void cf_fail(go_exec *e, go_end end, const go_site *site, const char *message) {
    /* A panic first runs the deferred calls, which may recover it: then
     * this does not return (panic.c). A fatal error runs none. */
    if (end == GO_END_PANIC && !e->ending) cf_panic_unwind(e, site, message);
    cf_goroutine *g = e->current;
    if (!e->ending) {
        g->failed = true;
        g->wait_site = site;
        e->failure_site = site;
        e->failure_goroutine = g->id;
        snprintf(e->message, sizeof e->message, "%s", message);
        /* A panic's event was emitted when it began. */
        if (end != GO_END_PANIC) cf_emit(e, GO_EVENT_PANIC, 0, NULL, site, NULL, end);
    }
    cf_exec_finish(e, end);
}

void cf_stack_overflow(go_exec *e) {
    cf_goroutine *g = e->current;
    g->overflowed = true;
    g->failed = true;
    if (!e->ending) {
        e->ending = true;
        e->end = GO_END_FATAL;
        e->failure_goroutine = g->id;
        e->failure_site = g->wait_site;
        snprintf(e->message, sizeof e->message, "stack overflow");
    }
    cf_stack_note_overflow(g->stack);
    cf_defer_forget_trampled(e, g->stack);
    die(e, &e->native);
    cf_throw("overflowed goroutine resumed");
}

/* Runs on the native context. A goroutine that has run is suspended
 * somewhere inside the model; under ASan it is resumed once so that its
 * last switch frees its fake stack, and its stack is unpoisoned. */
void cf_sched_teardown(go_exec *e) {
    /* An overflow on a canary stack may have run over the stacks below it
     * in its slab: goroutines suspended there cannot be resumed. */
    const cf_stack *overflowed = NULL;
    for (cf_goroutine *g = e->live_head; CF_ASAN && g && !overflowed; g = g->live_next)
        if (g->overflowed) overflowed = g->stack;
    cf_goroutine *g = e->live_head;
    while (g) {
        cf_goroutine *next = g->live_next;
        if (CF_ASAN && g->started && !g->overflowed &&
            !(overflowed && cf_stack_trampled_by(g->stack, overflowed))) {
            g->abandoned = true;
            e->current = g;
            transfer(e, &e->native, g);
        }
        cf_goroutine_release(e, g, g->started);
        g = next;
    }
    e->current = NULL;
    e->runq.length = 0;
}

/* ---- ASan fake-stack pool (see sanitizer.h) ------------------------------ */

#define CF_FAKE_STACK_POOL 1024
static void *fake_stack_pool[CF_FAKE_STACK_POOL];
static int fake_stack_pool_count;

void *cf_san_fake_stack_take(void) {
    return fake_stack_pool_count ? fake_stack_pool[--fake_stack_pool_count] : NULL;
}

/* The last switch of a goroutine that returned normally: like die, but its
 * (empty) fake stack is kept for the next goroutine -- unless a long jump
 * (recover, Goexit) skipped frames on it: those fake frames stay allocated
 * until ASan collects them, so ASan frees that fake stack instead. */
void CF_NO_ASAN cf_sched_exit_switch(go_exec *e, cf_goroutine *to, bool keep_fake_stack) {
    const void *bottom;
    size_t size;
    stack_bounds(e, to, &bottom, &size);
    to->state = CF_G_RUNNING;
    e->current = to;
#if CF_ASAN
    if (keep_fake_stack && fake_stack_pool_count < CF_FAKE_STACK_POOL) {
        void *fake_stack = NULL;
        cf_san_start_switch(&fake_stack, bottom, size);
        if (fake_stack) fake_stack_pool[fake_stack_pool_count++] = fake_stack;
    } else {
        cf_san_start_switch(NULL, bottom, size); /* ASan frees it */
    }
#else
    (void)keep_fake_stack;
    cf_san_start_switch(NULL, bottom, size);
#endif
    cf_switch(&e->graveyard, &to->context);
}
