/* chanfuzz/exec.h -- running the model: executions, decisions, events, and
 * what an execution leaves for the detectors to judge.
 *
 * Scenarios include chanfuzz/go.h only; the harness (drivers, detectors,
 * fuzz targets) includes this.
 *
 * Sections:
 *   1. Decisions        the one function every nondeterministic choice asks
 *   2. Built-in sources first-ready, seeded PRNG, replay of a recorded log
 *   3. Events           the hook the harness turns into fuzzing feedback
 *   4. Executions       configure, run, inspect, free
 *   5. Inspection       goroutines and objects as the execution ended
 *   6. Trace            decisions and events in order, as text
 *   7. Contexts         the context tree as the execution ended
 *   8. Panics           the deferred calls an unrecovered panic ran
 *   9. Resources        modelled files and connections, closed or not
 *   10. Object graph    reachability, partial deadlocks, holder chains
 *   11. Timers          timers and tickers as the execution ended
 *   12. Checkpoints     live objects by site over time (stress mode)
 */
#ifndef CHANFUZZ_EXEC_H
#define CHANFUZZ_EXEC_H

#include <stdio.h>

#include "chanfuzz/go.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Decisions ------------------------------------------------------- */

/* What a decision is about. Answer 0 is always the plain choice (keep
 * running, first in queue order, first ready case, hand the lock off,
 * smallest datum), so a source that runs dry answers 0 and means "nothing
 * unusual happened". Recorded by meaning (kind, options, answer): a replay
 * that meets another kind or option count has diverged.
 *
 * The numbers are part of the decision-trace file format: append only. */
typedef enum go_decision_kind {
    GO_DECIDE_PREEMPT = 0,  /* at a scheduling point with others runnable:
                               0 keep running, 1 preempt */
    GO_DECIDE_SCHEDULE = 1, /* which runnable goroutine runs next, by run
                               queue position */
    GO_DECIDE_SELECT = 2,   /* which ready select case wins, among ready */
    GO_DECIDE_MUTEX = 3,    /* Unlock with waiters: 0 hand off to the first
                               waiter, 1 release and let it compete */
    GO_DECIDE_DATA = 4,     /* a scenario datum (go_fz_intn) */
    GO_DECIDE_CLOCK = 5,    /* preempting with timers pending: 0 another
                               goroutine runs, 1 the clock advances to the
                               next timer (runnable code took that long) */
    GO_DECIDE_TIMER = 6,    /* timers due at the same instant: which fires
                               first, in arming order */
    GO_DECIDE_COLLECT = 7,  /* at an allocation, while a collection could
                               change what the program sees (weak pointers,
                               cleanups or Go 1.23 channel timers exist):
                               0 no, 1 collect now */
    GO_DECIDE_KIND_COUNT
} go_decision_kind;

/* "preempt", "schedule", "select", "mutex", "data" */
const char *go_decision_kind_name(go_decision_kind kind);

/* A decision source. `decide` returns an answer in [0, options); options is
 * always >= 2 (a choice of one is not asked). It may call go_exec_stop() to
 * end the execution (a replay that diverged); it must then still return. */
typedef struct go_decider {
    uint64_t (*decide)(void *self, go_decision_kind kind, uint64_t options);
    void *self;
} go_decider;

/* From inside a decider: who is asking, and among whom. The running
 * goroutine's id (0 while a timer fires), and the runnable goroutines' ids
 * in run-queue order -- the order SCHEDULE answers index. Returns how many
 * are runnable; writes at most max ids. Priority-based sources (PCT) need
 * identities, not only option counts. */
uint64_t go_decide_current(void);
size_t go_decide_runnable(uint64_t *ids, size_t max);

/* One recorded decision. */
typedef struct go_decision {
    uint8_t kind;       /* go_decision_kind */
    uint64_t options;
    uint64_t answer;
} go_decision;

/* ---- 2. Built-in sources -------------------------------------------------- */

/* Always 0: no preemption, first runnable, first ready case. */
go_decider go_decider_first(void);

/* Uniformly random answers from a seeded PRNG (splitmix64), except that
 * preemption is taken with probability 1/preempt_one_in (0 or 1 means 1/2).
 * Same seed, same answers. */
typedef struct go_prng_source {
    uint64_t state;
    uint32_t preempt_one_in;
} go_prng_source;
go_decider go_decider_prng(go_prng_source *src, uint64_t seed, uint32_t preempt_one_in);

/* Replays a recorded log. Past its end it answers 0. A decision whose kind
 * or option count differs from the record stops the execution as
 * GO_END_DIVERGED, with a message saying where and what. */
typedef struct go_replay_source {
    const go_decision *log;
    size_t length;
    size_t position;
} go_replay_source;
go_decider go_decider_replay(go_replay_source *src, const go_decision *log, size_t length);

/* ---- 3. Events ---------------------------------------------------------- */

typedef enum go_object_kind {
    GO_OBJ_NONE = 0,
    GO_OBJ_CHAN,
    GO_OBJ_MUTEX,
    GO_OBJ_RWMUTEX,
    GO_OBJ_WAITGROUP,
    GO_OBJ_ONCE,
    GO_OBJ_COND,
    GO_OBJ_ATOMIC,
    GO_OBJ_TIMER,            /* a Timer, Ticker or AfterFunc */
    GO_OBJ_CONTEXT,          /* a context.Context */
    GO_OBJ_CANCEL_FUNC,      /* a context.CancelFunc or CancelCauseFunc */
    GO_OBJ_RESOURCE,         /* a modelled file or connection (go_open) */
    GO_OBJ_HEAP,             /* go_alloc: new(T), make([]T, n) */
    GO_OBJ_CLOSURE,          /* go_closure: a func literal's captures */
    GO_OBJ_MAP,              /* go_map_new: map[go_word]go_word */
    GO_OBJ_WEAK,             /* go_weak_make: a weak.Pointer */
    GO_OBJ_KIND_COUNT
} go_object_kind;

/* "chan", "mutex", "rwmutex", "waitgroup", "once", "cond", "atomic" */
const char *go_object_kind_name(go_object_kind kind);

/* Why a goroutine is blocked: Go's own words (go_wait_reason_name). */
typedef enum go_wait_reason {
    GO_WAIT_NONE = 0,
    GO_WAIT_CHAN_SEND,          /* "chan send" */
    GO_WAIT_CHAN_RECV,          /* "chan receive" */
    GO_WAIT_SELECT,             /* "select" */
    GO_WAIT_SELECT_NO_CASES,    /* "select (no cases)" */
    GO_WAIT_CHAN_SEND_NIL,      /* "chan send (nil chan)" */
    GO_WAIT_CHAN_RECV_NIL,      /* "chan receive (nil chan)" */
    GO_WAIT_MUTEX_LOCK,         /* "sync.Mutex.Lock" */
    GO_WAIT_RWMUTEX_RLOCK,      /* "sync.RWMutex.RLock" */
    GO_WAIT_RWMUTEX_LOCK,       /* "sync.RWMutex.Lock" */
    GO_WAIT_WAITGROUP_WAIT,     /* "sync.WaitGroup.Wait" */
    GO_WAIT_COND_WAIT,          /* "sync.Cond.Wait" */
    GO_WAIT_SLEEP,              /* "sleep" */
    GO_WAIT_REASON_COUNT
} go_wait_reason;

const char *go_wait_reason_name(go_wait_reason reason);

/* The numbers are part of the trace format: append only. */
typedef enum go_event_kind {
    GO_EVENT_SPAWN = 0, /* goroutine started `other` at site */
    GO_EVENT_SWITCH,    /* the processor passed from goroutine to other */
    GO_EVENT_BLOCK,     /* goroutine blocked (detail: go_wait_reason) */
    GO_EVENT_WAKE,      /* goroutine made `other` runnable through object */
    GO_EVENT_MEET,      /* an operation at site completed with one at
                           other_site through object (detail: what met) */
    GO_EVENT_SELECT,    /* select at site took case `detail` (-1 default) */
    GO_EVENT_CLOSE,     /* close at site */
    GO_EVENT_EXIT,      /* goroutine returned */
    GO_EVENT_PANIC,     /* goroutine panicked at site (detail: go_end;
                           a panic is emitted when it begins, recovered
                           or not) */
    GO_EVENT_DEFER,     /* a deferred call deferred at site started, or a
                           recover at site stopped a panic (detail:
                           go_defer_how) */
    GO_EVENT_COLLECT,   /* a collection at site (go_gc, or a COLLECT
                           decision) freed `detail` objects */
    GO_EVENT_KIND_COUNT
} go_event_kind;

/* Why a deferred call ran (GO_EVENT_DEFER detail). Trace format: append
 * only. */
typedef enum go_defer_how {
    GO_DEFER_AT_RETURN = 0,  /* its frame returned (normally or after a
                                recovery) */
    GO_DEFER_BY_PANIC,       /* a panic is running the deferred calls */
    GO_DEFER_BY_GOEXIT,      /* runtime.Goexit is running them */
    GO_DEFER_RECOVERED,      /* not a call: recover() at site stopped the
                                panic */
} go_defer_how;

/* What met through an object (GO_EVENT_MEET detail). */
typedef enum go_meet {
    GO_MEET_HANDOFF = 0,     /* unbuffered send met a receive */
    GO_MEET_BUFFER,          /* receive took a buffered value (a waiting
                                sender, if any, refilled the buffer) */
    GO_MEET_CLOSED,          /* receive or send met a closed channel */
    GO_MEET_LOCK,            /* a lock passed from unlocker to locker */
    GO_MEET_RELEASE,         /* a WaitGroup, Once or Cond released a waiter */
} go_meet;

typedef struct go_event {
    go_event_kind kind;
    uint64_t goroutine;          /* the actor */
    uint64_t other;              /* the peer goroutine, or 0 */
    go_object_kind object_kind;  /* the object acted on, or GO_OBJ_NONE */
    uint64_t object_id;
    const go_site *site;         /* where the actor was */
    const go_site *other_site;   /* where the peer was (MEET), or NULL */
    int64_t detail;              /* per kind, see go_event_kind */
} go_event;

typedef void go_event_hook(void *self, const go_event *event);

/* ---- 4. Executions ------------------------------------------------------ */

typedef struct go_exec go_exec;

/* Which Go's timer semantics to model; every trace records it.
 *  1.23 (default): timer channels are synchronous -- len and cap read 0,
 *      Stop and Reset discard a value not yet received, and Stop reports
 *      true while the value is undelivered; a timer only its channel
 *      references can be collected.
 *  1.22: timer channels are buffered (capacity 1); a value sent before Stop
 *      or Reset stays in the channel; pending timers are roots. */
typedef enum go_semantics { GO_SEMANTICS_1_23 = 0, GO_SEMANTICS_1_22 = 1 } go_semantics;

/* "1.23", "1.22" */
const char *go_semantics_name(go_semantics semantics);

typedef struct go_config {
    go_decider decider;         /* required */
    go_semantics semantics;     /* default GO_SEMANTICS_1_23 */
    go_event_hook *event_hook;  /* optional: called for every event */
    void *event_hook_self;
    uint64_t step_budget;       /* scheduling points before the execution is
                                   cut (0: GO_DEFAULT_STEP_BUDGET) */
    uint64_t steps_per_goroutine; /* added to the budget by each go
                                     statement before main returns: the
                                     budget scales with the work */
    bool record_trace;          /* keep events for go_exec_write_trace */
    /* After main returns the others settle: they run on, and the clock
     * advances through timers that could wake them, for at most these many
     * scheduling points and this much virtual time (0: the defaults). */
    uint64_t settle_steps;
    int64_t settle_time;        /* virtual ns */
} go_config;

#define GO_DEFAULT_STEP_BUDGET 1000000u
#define GO_DEFAULT_SETTLE_STEPS 100000u
#define GO_DEFAULT_SETTLE_TIME (3600 * (int64_t)1000000000) /* one hour */

/* How an execution ended. */
typedef enum go_end {
    GO_END_RETURNED = 0,  /* main returned and the rest settled: each
                             goroutine's end state tells what leaked */
    GO_END_DEADLOCK,      /* main blocked and nothing can run: "fatal error:
                             all goroutines are asleep - deadlock!" */
    GO_END_PANIC,         /* an unrecovered panic */
    GO_END_FATAL,         /* a fatal error (unlock of unlocked mutex, stack
                             overflow): never recoverable */
    GO_END_STEP_BUDGET,   /* the step budget ran out (livelock?) */
    GO_END_STOPPED,       /* the decision source stopped it (go_exec_stop) */
} go_end;

const char *go_end_name(go_end end);

/* Runs main(arg) as goroutine 1 under cfg until the execution ends, then
 * tears the goroutines down (stacks return to the pool). The result stays
 * inspectable until go_exec_free. Never call from inside an execution. */
go_exec *go_exec_run(const go_config *cfg, go_func *main, void *arg);

/* Releases everything the execution allocated. */
void go_exec_free(go_exec *exec);

/* From inside a decider: end the running execution as GO_END_STOPPED with
 * `message` (copied). */
void go_exec_stop(const char *message);

go_end go_exec_end(const go_exec *exec);
/* The panic or fatal error text ("send on closed channel"), the stop
 * message, or "" */
const char *go_exec_message(const go_exec *exec);
/* Scheduling points taken. */
uint64_t go_exec_steps(const go_exec *exec);
/* Virtual time when the execution ended, in ns. */
int64_t go_exec_time(const go_exec *exec);
/* Did settling stop at its budget (goroutines still woken by timers)? */
bool go_exec_settle_exhausted(const go_exec *exec);
go_semantics go_exec_semantics(const go_exec *exec);
/* The decisions made, in order. */
const go_decision *go_exec_decisions(const go_exec *exec, size_t *count);

/* What a fatal-signal handler or a watchdog may learn of the execution
 * running on this thread at this instant. go_exec_running only loads
 * (no lock, no allocation): it is async-signal-safe. The pointers stay
 * valid until the execution goes on; sites and names are the program's
 * static data, so a fork()ed parent can read them too. */
typedef struct go_running {
    const go_exec *exec;
    uint64_t goroutine;             /* the running goroutine's id */
    uint64_t creator_id;            /* 0 for main */
    const char *entry_name;         /* the function given to go_go */
    const go_site *creator_site;    /* NULL for main */
    const go_site *last_site;       /* its latest scheduling point, NULL
                                       before its first */
    uint64_t steps;                 /* scheduling points taken so far: a
                                       watchdog sees no runtime call while
                                       steps and decisions stand still */
    go_semantics semantics;
    const go_decision *decisions;   /* the log so far */
    size_t decision_count;
} go_running;

/* Fills *out and returns true when a goroutine of an execution is running
 * (the fault is in the program's code or in the runtime under it); false
 * between executions and while the harness judges one. */
bool go_exec_running(go_running *out);

/* ---- 5. Inspection ------------------------------------------------------ */

/* A goroutine's end state: exactly one per goroutine. */
typedef enum go_end_state {
    GO_STATE_EXITED = 0,   /* returned */
    GO_STATE_BLOCKED,      /* blocked with nothing able to wake it */
    GO_STATE_RUNNABLE,     /* could still run when the execution was cut */
    GO_STATE_FAILED,       /* the goroutine that panicked or hit a fatal
                              error */
    GO_STATE_NEVER_EXITS,  /* still being woken by timers when the settle
                              budget ran out: a loop on a ticker or on
                              time.After that never ends */
} go_end_state;

const char *go_end_state_name(go_end_state state);

typedef struct go_goroutine_info {
    uint64_t id;
    go_end_state state;
    const char *entry_name;        /* the function given to go_go */
    const go_site *creator_site;   /* NULL for main */
    uint64_t creator_id;           /* 0 for main */
    /* Blocked (or failed) goroutines: */
    go_wait_reason wait_reason;
    const go_site *wait_site;      /* the blocking (or panicking) call */
    go_object_kind object_kind;    /* what it waits on; NONE for nil
                                      channels and select */
    uint64_t object_id;
    uint64_t blocked_at_step;      /* step count when it blocked */
    int64_t blocked_at_time;       /* virtual ns when it blocked */
} go_goroutine_info;

/* The goroutines that had not exited when the execution ended, in id
 * order, each with its end state. */
size_t go_exec_goroutine_count(const go_exec *exec);
const go_goroutine_info *go_exec_goroutine(const go_exec *exec, size_t index);

/* End state of goroutine `id` (GO_STATE_EXITED for one that returned). */
go_end_state go_exec_goroutine_state(const go_exec *exec, uint64_t id);

/* Goroutines started, main included. */
uint64_t go_exec_goroutines_started(const go_exec *exec);

/* Describes the state of object (kind, id) as the execution ended, e.g.
 * "unbuffered, 0 receivers waiting". Writes at most size bytes. */
void go_exec_describe_object(const go_exec *exec, go_object_kind kind, uint64_t id,
                             char *out, size_t size);

/* Writes a Go-style dump of every goroutine that did not exit:
 *
 *   goroutine 2 [chan send]:
 *       worker at scenarios/x.c:12
 *           send on chan#1 (unbuffered, 0 receivers waiting)
 *   created by main at scenarios/x.c:19
 */
void go_exec_write_goroutines(const go_exec *exec, FILE *out);

/* ---- 6. Trace ------------------------------------------------------------- */

/* Every decision and, with record_trace, every event, one per line. Same
 * decisions in, byte-identical trace out, on gcc and clang. */
void go_exec_write_trace(const go_exec *exec, FILE *out);

/* ---- 7. Contexts ------------------------------------------------------------ */

/* Which constructor made a context. */
typedef enum go_context_kind {
    GO_CONTEXT_BACKGROUND = 0,   /* context.Background */
    GO_CONTEXT_TODO,             /* context.TODO */
    GO_CONTEXT_CANCEL,           /* WithCancel */
    GO_CONTEXT_CANCEL_CAUSE,     /* WithCancelCause */
    GO_CONTEXT_TIMEOUT,          /* WithTimeout */
    GO_CONTEXT_DEADLINE,         /* WithDeadline */
    GO_CONTEXT_VALUE,            /* WithValue */
    GO_CONTEXT_WITHOUT_CANCEL,   /* WithoutCancel */
    GO_CONTEXT_AFTER_FUNC,       /* the context behind context.AfterFunc */
    GO_CONTEXT_KIND_COUNT
} go_context_kind;

/* "background", "todo", "cancel", "cancelCause", "timeout", "deadline",
 * "value", "withoutCancel", "afterFunc" */
const char *go_context_kind_name(go_context_kind kind);

/* What cancelled a cancellable context (WithCancel, WithCancelCause,
 * WithTimeout, WithDeadline, AfterFunc's). */
typedef enum go_cancelled_by {
    GO_CANCELLED_NOT = 0,        /* still live (or not cancellable) */
    GO_CANCELLED_BY_CANCEL,      /* its own cancel function */
    GO_CANCELLED_BY_PARENT,      /* an ancestor's cancellation, when it was
                                    made (parent already done) or later */
    GO_CANCELLED_BY_DEADLINE,    /* its own deadline: the timer fired, or
                                    the deadline had passed when it was made */
    GO_CANCELLED_BY_STOP,        /* AfterFunc's stop won the race with ctx */
} go_cancelled_by;

/* "not cancelled", "cancel", "parent", "deadline", "stop" */
const char *go_cancelled_by_name(go_cancelled_by by);

/* One context as the execution ended: what the lost-cancel detector (a
 * cancel never called, reported at `site`) and the what-it-pins report (a
 * context still registered, its timer, its Done waiters) judge on. */
typedef struct go_context_info {
    uint64_t id;                  /* context#id */
    go_context_kind kind;
    const go_site *site;          /* where it was made */
    uint64_t parent_id;           /* derived from; 0 for Background, TODO */

    /* The cancel function (WithCancel, WithCancelCause, WithTimeout,
     * WithDeadline): */
    uint64_t cancel_func_id;      /* cancel_func#id, or 0 when it has none */
    bool cancel_called;           /* ever called -- a deadline that fired,
                                     or a cancelled parent, does not count */
    const go_site *cancel_site;   /* the first call, or NULL */

    /* How it ended: */
    go_cancelled_by cancelled_by; /* its own cancellation; NOT for value,
                                     withoutCancel, background, todo */
    const go_error *err;          /* what ctx.Err() returns at the end */
    const go_error *cause;        /* what context.Cause(ctx) returns */
    bool has_deadline;            /* a deadline (and a timer) of its own */
    int64_t deadline;             /* virtual ns */

    /* What it pins at the end: */
    bool registered;              /* still on its nearest cancellable
                                     ancestor's children list */
    uint64_t registered_in_id;    /* that ancestor, or 0 */
    size_t children;              /* contexts registered on it */
    bool timer_pending;           /* its deadline timer */
    size_t done_waiters;          /* receives and select cases blocked on
                                     its Done channel */
    uint64_t done_chan_id;        /* chan#id of Done; 0: never asked for */

    /* AfterFunc's context: */
    bool func_started;            /* its function's goroutine started */
    bool stop_called;             /* its stop function was called */
} go_context_info;

/* The contexts made in the execution, Background and TODO included. */
size_t go_exec_context_count(const go_exec *exec);
/* Context number index + 1 (context#1 is index 0), or NULL; valid until
 * go_exec_free. */
const go_context_info *go_exec_context(const go_exec *exec, size_t index);

/* ---- 8. Panics ---------------------------------------------------------------- */

/* A deferred call, as a panic report lists it. */
typedef struct go_deferred_call {
    const char *fn_name;          /* the deferred function, as written at
                                     go_defer */
    const go_site *site;          /* the defer statement */
} go_deferred_call;

/* With GO_END_PANIC: the deferred calls the failing goroutine started while
 * panicking, in the order they started (innermost frame first, LIFO within
 * a frame; calls deferred and run inside them included). Panics it
 * recovered from earlier are not counted. Otherwise none (*count 0). Valid
 * until go_exec_free. */
const go_deferred_call *go_exec_panic_defers(const go_exec *exec, size_t *count);

/* ---- 9. Resources ------------------------------------------------------------- */

/* One resource (go_open) as the execution ended: what the "resource never
 * closed" detector judges on. */
typedef struct go_resource_info {
    go_object_kind kind;          /* GO_OBJ_RESOURCE */
    uint64_t id;                  /* resource#id */
    const char *name;             /* as given to go_open */
    const go_site *open_site;
    uint64_t opened_by;           /* goroutine id */
    bool closed;
    const go_site *close_site;    /* the first Close, or NULL */
} go_resource_info;

/* The resources opened in the execution, closed or not. */
size_t go_exec_resource_count(const go_exec *exec);
/* Resource number index + 1 (resource#1 is index 0), or NULL; valid until
 * go_exec_free. */
const go_resource_info *go_exec_resource(const go_exec *exec, size_t index);

/* ---- 10. Object graph ---------------------------------------------------------- */

/* What the final collection found. It runs at the end of every execution,
 * while every goroutine's stack is intact, and computes reachability as
 * Go's goroutine leak profile does (Saioc et al., "Dynamic Partial Deadlock
 * Detection and Recovery via Garbage Collection", ASPLOS 2025): mark from
 * the roots -- named globals, the program's C globals and statics, pending
 * timers (Go 1.23: a channel timer only through its channel, unless a
 * receiver waits on it), runnable, running and sleeping goroutines, and
 * cleanup arguments -- and make a blocked goroutine a root once an object
 * it waits on is marked, to a fixed point. Blocked goroutines left unmarked
 * are partially deadlocked: nothing live can ever wake them. Stacks and C
 * data are scanned conservatively (a word counts when it points into an
 * object, interior pointers included), as Go's GC scans stacks.
 * Everything here stays valid until go_exec_free. */

/* Where a holder chain starts. */
typedef enum go_root_kind {
    GO_ROOT_NONE = 0,
    GO_ROOT_GLOBAL,      /* go_global_set(name, ...) */
    GO_ROOT_DATA,        /* a C global or static of the program: name is
                            its symbol when the executable exports one,
                            else "data+0x<offset in the executable>" */
    GO_ROOT_GOROUTINE,   /* a runnable, running or sleeping goroutine: its
                            stack and closure */
    GO_ROOT_TIMER,       /* a pending timer: AfterFunc, a context deadline;
                            under Go 1.22 every timer */
    GO_ROOT_CLEANUP,     /* the argument of a pending cleanup */
    GO_ROOT_LEAKED,      /* a partially deadlocked goroutine: objects only
                            it holds are alive but not reachable */
    GO_ROOT_RUNTIME,     /* kept by a runtime table (the contexts), not by
                            the program: alive but not reachable */
} go_root_kind;

/* "global", "data", "goroutine", "timer", "cleanup", "leaked goroutine",
 * "runtime" */
const char *go_root_kind_name(go_root_kind kind);

/* One link of a holder chain. The first link is the root; the others are
 * objects, or goroutines reached through an object they wait on. */
typedef struct go_holder {
    go_root_kind root;            /* first link only; GO_ROOT_NONE after */
    const char *name;             /* GLOBAL, DATA: the root's name */
    go_object_kind object_kind;   /* an object link; GO_OBJ_NONE for a */
    uint64_t object_id;           /* goroutine link and for roots */
    uint64_t goroutine;           /* a goroutine link, and the GOROUTINE
                                     and LEAKED roots: its id */
} go_holder;

/* An object alive when the execution ended. */
typedef struct go_object_info {
    go_object_kind kind;
    uint64_t id;
    size_t size;                  /* bytes: its allocation and what it owns
                                     (a map's table) */
    const go_site *site;          /* where it was made */
    bool reachable;               /* from the roots */
    uint64_t retained_by;         /* not reachable: the first partially
                                     deadlocked goroutine holding it, or 0
                                     (garbage, or kept by a runtime table) */
} go_object_info;

/* The objects alive at the end (collections freed the others), by kind,
 * then id. */
size_t go_exec_object_count(const go_exec *exec);

/* How many objects of `kind` the execution made, alive or not. Costs
 * nothing, where go_exec_object_count builds the final graph's view: a
 * detector that looks for one kind asks this first. */
uint64_t go_exec_objects_made(const go_exec *exec, go_object_kind kind);
const go_object_info *go_exec_object(const go_exec *exec, size_t index);
/* Object (kind, id), or NULL if it was freed or never made. */
const go_object_info *go_exec_find_object(const go_exec *exec, go_object_kind kind,
                                          uint64_t id);

/* A goroutine that had not exited, as the final collection saw it. */
typedef struct go_goroutine_graph {
    uint64_t id;
    bool partially_deadlocked;    /* blocked, and no root reaches it */
    size_t retained_objects;      /* partially deadlocked: the objects and */
    size_t retained_bytes;        /* bytes reachable from it and not from
                                     the roots */
    size_t held_objects;          /* of those, the ones it reaches without
                                     going through another goroutine (the
                                     first held_objects of go_exec_retained) */
} go_goroutine_graph;

/* Goroutine `id`, or NULL when it exited. Its retained set is worked out
 * on this first call for it: linear in what it reaches, so asking for
 * every one of N goroutines leaked on one channel costs N^2; ask
 * go_exec_partially_deadlocked when that is all you need. */
const go_goroutine_graph *go_exec_goroutine_graph(const go_exec *exec, uint64_t id);

/* Is goroutine `id` partially deadlocked (blocked, and no root reaches
 * it)? Constant work after the first inspection call. */
bool go_exec_partially_deadlocked(const go_exec *exec, uint64_t id);

/* The objects a partially deadlocked goroutine retains: first the ones it
 * holds itself, then the ones it reaches only through goroutines blocked
 * on what it holds; each part nearest first (breadth-first from it).
 * Writes at most max; returns how many. */
size_t go_exec_retained(const go_exec *exec, uint64_t goroutine, const go_object_info **out,
                        size_t max);

/* What object (kind, id) keeps alive through its own references: the
 * objects reachable from it, not through goroutines blocked on it, itself
 * excluded; nearest first (breadth-first). Writes at most max, sets
 * *bytes to their total size, returns how many; 0 for an unknown object. */
size_t go_exec_reached_from(const go_exec *exec, go_object_kind kind, uint64_t id,
                            const go_object_info **out, size_t max, size_t *bytes);

/* The chain that holds object (kind, id): root first, the object last.
 * Marking is breadth-first from the roots in a fixed order (globals,
 * goroutines, timers, cleanup arguments, C data; then leaked goroutines,
 * runtime tables), so it is a shortest chain from the first root that
 * reaches the object. Writes at most max links; returns the chain's
 * length, 0 when the object is garbage or unknown. */
size_t go_exec_holder_chain(const go_exec *exec, go_object_kind kind, uint64_t id,
                            go_holder *out, size_t max);

/* Writes the chain on one line, as
 *   global "registry" -> map#1 -> closure#3 -> heap#7
 * or "unreachable" for garbage. */
void go_exec_write_holder_chain(const go_exec *exec, go_object_kind kind, uint64_t id,
                                FILE *out);

/* Collections the execution ran, the final one included. */
uint64_t go_exec_collections(const go_exec *exec);

/* ---- 11. Timers ------------------------------------------------------------------ *
 *
 * Every timer alive when the execution ended, for the "timer never
 * stopped" detector: Timers, Tickers, AfterFuncs and time.After's timers
 * (timer#id), then the deadline timers of WithTimeout and WithDeadline
 * contexts (context#id). A timer a collection freed is not listed: under
 * Go 1.23 an unreferenced timer is collected, stopped or not, which is
 * exactly the case that leaks nothing. Sleeps have no timer object. */

/* What made a timer. Append only. */
typedef enum go_timer_kind {
    GO_TIMER_TIMER = 0,          /* time.NewTimer */
    GO_TIMER_TICKER,             /* time.NewTicker */
    GO_TIMER_AFTER_FUNC,         /* time.AfterFunc */
    GO_TIMER_AFTER,              /* time.After: a Timer the program has no
                                    handle to stop */
    GO_TIMER_CONTEXT_DEADLINE,   /* a WithTimeout / WithDeadline context's */
    GO_TIMER_KIND_COUNT
} go_timer_kind;

/* "time.NewTimer", "time.NewTicker", "time.AfterFunc", "time.After",
 * "context deadline" */
const char *go_timer_kind_name(go_timer_kind kind);

/* Where a timer stood at the end. Append only. */
typedef enum go_timer_state {
    GO_TIMER_PENDING = 0,        /* armed: a Timer or AfterFunc that has not
                                    fired, a Ticker still running */
    GO_TIMER_FIRED,              /* a one-shot that fired (a context: its
                                    deadline cancelled it) */
    GO_TIMER_STOPPED,            /* Stop was the last thing done to it (a
                                    context: cancelled before its deadline) */
} go_timer_state;

/* "pending", "fired", "stopped" */
const char *go_timer_state_name(go_timer_state state);

typedef struct go_timer_info {
    go_timer_kind kind;
    go_object_kind object_kind;  /* GO_OBJ_TIMER; GO_OBJ_CONTEXT for a
                                    context deadline */
    uint64_t id;                 /* timer#id or context#id */
    const go_site *site;         /* where it was made */
    go_timer_state state;
    int64_t when;                /* pending: its next deadline, virtual ns */
    int64_t period;              /* Tickers: the interval; else 0 */
    uint64_t fired;              /* times it fired (ticks included) */
    bool stop_called;            /* Stop was ever called */
    const go_site *stop_site;    /* the last Stop call, or NULL */
    uint64_t chan_id;            /* chan#id of t.C; 0 for AfterFunc and
                                    contexts */
    uint64_t receiver;           /* the first goroutine still blocked
                                    receiving from t.C (a select case
                                    counts), or 0 */
    uint64_t stop_deferred_in;   /* a goroutine that had not exited with a
                                    deferred call pending whose argument is
                                    this timer (defer t.Stop()), or 0 */
    bool reachable;              /* the final collection reached it from
                                    the roots (exec.h, "Object graph") */
} go_timer_info;

/* Timers alive at the end: timer objects by id, then context deadlines by
 * context id. Valid until go_exec_free. */
size_t go_exec_timer_count(const go_exec *exec);
const go_timer_info *go_exec_timer(const go_exec *exec, size_t index);

/* ---- 12. Checkpoints (stress mode) -------------------------------------------------- *
 *
 * go_checkpoint (go.h) runs a collection and records what stayed live, by
 * allocation site and kind: the series the growth detector fits a slope
 * to. Live means what the collection kept for the program: reachable, or
 * held by a partially deadlocked goroutine (Go's collector keeps both);
 * contexts that only the runtime's table keeps are left out, since Go
 * would collect them. C globals and statics are roots (see "Object
 * graph"): what a scenario keeps in one stays live. */

/* Live objects of one kind made at one site. */
typedef struct go_site_sample {
    const go_site *site;         /* the allocation site (NULL: unknown) */
    go_object_kind kind;
    size_t objects;              /* how many are live */
    size_t bytes;                /* their bytes, owned tables included */
    size_t entries;              /* maps: the sum of their len(); channels:
                                    values buffered; else 0 */
} go_site_sample;

typedef struct go_checkpoint_info {
    uint64_t index;              /* 0, 1, ... in the order taken */
    uint64_t round;              /* go_stress: rounds completed; a bare
                                    go_checkpoint: index + 1 */
    const go_site *site;         /* the go_checkpoint (or go_stress) call */
    uint64_t goroutine;          /* who took it */
    int64_t time;                /* virtual ns */
    uint64_t step;               /* scheduling points taken */
    size_t goroutines;           /* goroutines that had not exited */
    size_t objects;              /* live objects, all sites */
    size_t bytes;
    size_t kind_objects[GO_OBJ_KIND_COUNT];
    size_t kind_bytes[GO_OBJ_KIND_COUNT];
    /* Per (site, kind), sorted by go_site_compare, then kind; one entry
     * per distinct site text. */
    const go_site_sample *sites;
    size_t site_count;
} go_checkpoint_info;

/* The order of a checkpoint's sites: by file, line, then function (NULL
 * first), as strcmp orders them -- the same under every compiler and
 * address layout. Two GO_SITE statics on one line compare equal. */
int go_site_compare(const go_site *a, const go_site *b);

/* The checkpoints taken, in order. Valid until go_exec_free. */
size_t go_exec_checkpoint_count(const go_exec *exec);
const go_checkpoint_info *go_exec_checkpoint(const go_exec *exec, size_t index);

#ifdef __cplusplus
}
#endif
#endif
