/* chanfuzz/go.h -- Go's concurrency, modelled in C, for chanfuzz scenarios.
 *
 * A scenario is C that reads like the Go it models: goroutines are stackful
 * coroutines on one OS thread, and every operation below is a scheduling point
 * where the execution's decision source may switch to another goroutine.
 * Semantics follow the Go specification and Go 1.23's runtime unless a comment
 * says otherwise.
 *
 * Every call that can block is a macro capturing its call site (file, line,
 * function), so goroutine dumps and findings name the scenario's own lines.
 * The *_at functions behind the macros take the site explicitly; call them
 * from wrappers that want to report their caller's site instead.
 *
 * Sections:
 *   1. Values and sites
 *   2. Goroutines                 go, runtime.Gosched
 *   3. Channels                   make, <-, close, len, cap, range
 *   4. select
 *   5. sync                       Mutex, RWMutex, WaitGroup, Once, Cond
 *   6. sync/atomic                Int64
 *   7. panic
 *   8. Scenario data              values the decision source chooses
 *   time (virtual)                Sleep, After, Timer, Ticker, AfterFunc
 *   errors                        go_error
 *   context                       Background, WithCancel, ..., AfterFunc
 *   defer, recover, Goexit        function calls and their deferred calls
 *   resources                     os.File-like: Open, Close, use
 *   heap, closures, globals       new(T), func literals, package variables
 *   maps                          map[K]V, weak-valued maps
 *   weak pointers, cleanups       weak.Pointer, runtime.AddCleanup, runtime.GC
 *   checkpoints, stress mode      live objects by site over many rounds
 */
#ifndef CHANFUZZ_GO_H
#define CHANFUZZ_GO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Values and sites ----------------------------------------------- */

/* What a channel carries: one machine word, an integer or a pointer (a
 * channel of channels sends the go_chan pointer cast to go_word). */
typedef uintptr_t go_word;

/* Where a call was made. Sites are static: compare them by pointer. */
typedef struct go_site {
    const char *file;     /* as __FILE__, prefix-mapped by the build */
    const char *func;     /* enclosing C function */
    int line;
} go_site;

/* The current call site, as a pointer to a static go_site. */
#define GO_SITE                                                               \
    (__extension__({                                                          \
        static const go_site go_site_here_ = {__FILE__, __func__, __LINE__}; \
        &go_site_here_;                                                       \
    }))

/* ---- 2. Goroutines ------------------------------------------------------ */

typedef void go_func(void *arg);

/* go fn(arg): start a goroutine. It runs when the scheduler picks it; the
 * caller goes on. `arg` is the goroutine's closure: whatever it points to,
 * the goroutine keeps alive. */
#define go_go(fn, arg) go_go_at(GO_SITE, #fn, (fn), (arg))
void go_go_at(const go_site *site, const char *fn_name, go_func *fn, void *arg);

/* runtime.Gosched(): let another runnable goroutine run, if there is one. */
#define go_yield() go_yield_at(GO_SITE)
void go_yield_at(const go_site *site);

/* runtime.NumGoroutine(): goroutines started and not yet ended. */
size_t go_num_goroutine(void);

/* The running goroutine's id (main is 1, as in Go's dumps). */
uint64_t go_goroutine_id(void);

/* ---- 3. Channels -------------------------------------------------------- */

typedef struct go_chan go_chan;   /* chan go_word; NULL is the nil channel */

/* make(chan T, capacity). A capacity of 0 makes an unbuffered channel. */
#define go_make_chan(capacity) go_make_chan_at(GO_SITE, (capacity))
go_chan *go_make_chan_at(const go_site *site, size_t capacity);

/* ch <- v. Unbuffered: returns once a receiver has taken v. Buffered: waits
 * for room. Panics on a closed channel; blocks forever on nil. */
#define go_send(ch, v) go_send_at(GO_SITE, (ch), (go_word)(v))
void go_send_at(const go_site *site, go_chan *ch, go_word v);

/* v := <-ch. On a closed, drained channel returns 0 at once; on nil blocks
 * forever. */
#define go_recv(ch) go_recv_at(GO_SITE, (ch), NULL)
/* v, ok := <-ch. *ok is false only when ch is closed and drained. */
#define go_recv2(ch, ok) go_recv_at(GO_SITE, (ch), (ok))
go_word go_recv_at(const go_site *site, go_chan *ch, bool *ok);

/* for v := range ch { ... }  is  while (go_range(ch, &v)) { ... }
 * Ends when ch is closed and drained. */
#define go_range(ch, v) go_range_at(GO_SITE, (ch), (v))
bool go_range_at(const go_site *site, go_chan *ch, go_word *v);

/* close(ch). Panics when ch is nil or already closed. Wakes every waiting
 * receiver (with 0, false) and every waiting sender (which then panics). */
#define go_close(ch) go_close_at(GO_SITE, (ch))
void go_close_at(const go_site *site, go_chan *ch);

/* len(ch), cap(ch); both 0 for the nil channel. Not scheduling points: Go
 * reads them without synchronisation. */
size_t go_len(const go_chan *ch);
size_t go_cap(const go_chan *ch);

/* ---- 4. select ---------------------------------------------------------- */

typedef enum go_case_dir { GO_CASE_RECV = 1, GO_CASE_SEND = 2 } go_case_dir;

/* One arm of a select. Build it with go_case_send / go_case_recv. */
typedef struct go_case {
    go_chan *chan;        /* NULL: a nil channel, never ready */
    go_case_dir dir;
    go_word send_value;   /* GO_CASE_SEND */
    go_word *recv_value;  /* GO_CASE_RECV: where the value goes, or NULL */
    bool *recv_ok;        /* GO_CASE_RECV: the ok of `v, ok := <-ch`, or NULL */
} go_case;

/* case ch <- v: */
static inline go_case go_case_send(go_chan *ch, go_word v) {
    go_case c = {ch, GO_CASE_SEND, v, NULL, NULL};
    return c;
}
/* case v := <-ch:  (value may be NULL) */
static inline go_case go_case_recv(go_chan *ch, go_word *value) {
    go_case c = {ch, GO_CASE_RECV, 0, value, NULL};
    return c;
}
/* case v, ok := <-ch: */
static inline go_case go_case_recv2(go_chan *ch, go_word *value, bool *ok) {
    go_case c = {ch, GO_CASE_RECV, 0, value, ok};
    return c;
}

#define GO_NCASES_(...) ((int)(sizeof((go_case[]){__VA_ARGS__}) / sizeof(go_case)))

/* select { case ...: } -- returns the index of the case that ran. When
 * several are ready, which one wins is a decision. */
#define go_select(...) \
    go_select_at(GO_SITE, (go_case[]){__VA_ARGS__}, GO_NCASES_(__VA_ARGS__), false)
/* select { case ...: default: } -- returns -1 when default ran. */
#define go_select_default(...) \
    go_select_at(GO_SITE, (go_case[]){__VA_ARGS__}, GO_NCASES_(__VA_ARGS__), true)
/* select {} -- blocks forever. */
#define go_select_none() go_select_at(GO_SITE, NULL, 0, false)
/* reflect.Select-like form for a case array built at run time. */
int go_select_at(const go_site *site, go_case *cases, int ncases, bool has_default);

/* ---- 5. sync ------------------------------------------------------------ */

typedef struct go_mutex go_mutex;
typedef struct go_rwmutex go_rwmutex;
typedef struct go_waitgroup go_waitgroup;
typedef struct go_once go_once;
typedef struct go_cond go_cond;

/* new(sync.Mutex): unlocked. */
#define go_mutex_new() go_mutex_new_at(GO_SITE)
go_mutex *go_mutex_new_at(const go_site *site);
/* mu.Lock(). Not FIFO: a running goroutine may take the lock ahead of
 * woken waiters (Go's barging); the decision source chooses. */
#define go_mutex_lock(mu) go_mutex_lock_at(GO_SITE, (mu))
void go_mutex_lock_at(const go_site *site, go_mutex *mu);
/* mu.TryLock() */
#define go_mutex_trylock(mu) go_mutex_trylock_at(GO_SITE, (mu))
bool go_mutex_trylock_at(const go_site *site, go_mutex *mu);
/* mu.Unlock(). Any goroutine may unlock; unlocking an unlocked Mutex is a
 * fatal error ("sync: unlock of unlocked mutex"), not a recoverable panic. */
#define go_mutex_unlock(mu) go_mutex_unlock_at(GO_SITE, (mu))
void go_mutex_unlock_at(const go_site *site, go_mutex *mu);

/* new(sync.RWMutex). A blocked Lock stops new RLock calls (writer
 * preference), so a recursive RLock deadlocks behind a queued writer. */
#define go_rwmutex_new() go_rwmutex_new_at(GO_SITE)
go_rwmutex *go_rwmutex_new_at(const go_site *site);
#define go_rwmutex_lock(rw) go_rwmutex_lock_at(GO_SITE, (rw))
void go_rwmutex_lock_at(const go_site *site, go_rwmutex *rw);
#define go_rwmutex_unlock(rw) go_rwmutex_unlock_at(GO_SITE, (rw))
void go_rwmutex_unlock_at(const go_site *site, go_rwmutex *rw);
#define go_rwmutex_rlock(rw) go_rwmutex_rlock_at(GO_SITE, (rw))
void go_rwmutex_rlock_at(const go_site *site, go_rwmutex *rw);
#define go_rwmutex_runlock(rw) go_rwmutex_runlock_at(GO_SITE, (rw))
void go_rwmutex_runlock_at(const go_site *site, go_rwmutex *rw);

/* new(sync.WaitGroup) */
#define go_waitgroup_new() go_waitgroup_new_at(GO_SITE)
go_waitgroup *go_waitgroup_new_at(const go_site *site);
/* wg.Add(delta). A negative counter panics. */
#define go_waitgroup_add(wg, delta) go_waitgroup_add_at(GO_SITE, (wg), (delta))
void go_waitgroup_add_at(const go_site *site, go_waitgroup *wg, int64_t delta);
/* wg.Done() */
#define go_waitgroup_done(wg) go_waitgroup_add_at(GO_SITE, (wg), -1)
/* wg.Wait(): returns at once when the counter is zero. */
#define go_waitgroup_wait(wg) go_waitgroup_wait_at(GO_SITE, (wg))
void go_waitgroup_wait_at(const go_site *site, go_waitgroup *wg);

/* new(sync.Once) */
#define go_once_new() go_once_new_at(GO_SITE)
go_once *go_once_new_at(const go_site *site);
/* once.Do(func() { fn(arg) }): concurrent callers wait until the first
 * call has returned. */
#define go_once_do(once, fn, arg) go_once_do_at(GO_SITE, (once), (fn), (arg))
void go_once_do_at(const go_site *site, go_once *once, go_func *fn, void *arg);

/* sync.NewCond(l) */
#define go_cond_new(l) go_cond_new_at(GO_SITE, (l))
go_cond *go_cond_new_at(const go_site *site, go_mutex *l);
/* c.Wait(): takes its ticket, unlocks L, waits, locks L again. A Signal
 * sent before the ticket was taken is lost; one sent after is not. */
#define go_cond_wait(c) go_cond_wait_at(GO_SITE, (c))
void go_cond_wait_at(const go_site *site, go_cond *c);
/* c.Wait() for a Cond whose L is some other Locker (an RWMutex's
 * RLocker, a type of the program's): made with go_cond_new_at(site, NULL),
 * it takes its ticket, calls unlock(locker), waits, calls lock(locker). */
void go_cond_wait_with_at(const go_site *site, go_cond *c, go_func *unlock, go_func *lock,
                          void *locker);
#define go_cond_signal(c) go_cond_signal_at(GO_SITE, (c))
void go_cond_signal_at(const go_site *site, go_cond *c);
#define go_cond_broadcast(c) go_cond_broadcast_at(GO_SITE, (c))
void go_cond_broadcast_at(const go_site *site, go_cond *c);

/* ---- 6. sync/atomic ------------------------------------------------------ */

/* atomic.Int64. Every access is a scheduling point, so the interleavings of
 * lock-free code are explored like those of channel code. */
typedef struct go_atomic go_atomic;
#define go_atomic_new(initial) go_atomic_new_at(GO_SITE, (initial))
go_atomic *go_atomic_new_at(const go_site *site, int64_t initial);
#define go_atomic_load(a) go_atomic_load_at(GO_SITE, (a))
int64_t go_atomic_load_at(const go_site *site, go_atomic *a);
#define go_atomic_store(a, v) go_atomic_store_at(GO_SITE, (a), (v))
void go_atomic_store_at(const go_site *site, go_atomic *a, int64_t v);
/* a.Add(delta): returns the new value. */
#define go_atomic_add(a, delta) go_atomic_add_at(GO_SITE, (a), (delta))
int64_t go_atomic_add_at(const go_site *site, go_atomic *a, int64_t delta);
/* a.CompareAndSwap(old, new) */
#define go_atomic_cas(a, old, new_) go_atomic_cas_at(GO_SITE, (a), (old), (new_))
bool go_atomic_cas_at(const go_site *site, go_atomic *a, int64_t old, int64_t new_);

/* ---- 7. panic ------------------------------------------------------------ */

/* panic(message). Runs the goroutine's deferred calls (see "defer,
 * recover, Goexit" below); a deferred call may recover it. Unrecovered, it
 * ends the execution as a finding ("panic: message"); the process goes on.
 * The message is the panic value that go_recover returns: it must outlive
 * the panic (a string literal, or storage the recovering code owns).
 * panic(nil) panics with "panic called with nil argument", as Go 1.21+. */
#define go_panic(message) go_panic_at(GO_SITE, (message))
_Noreturn void go_panic_at(const go_site *site, const char *message);

/* ---- 8. Scenario data ----------------------------------------------------- */

/* rand.Intn(n), and every other datum a scenario wants explored (a count, a
 * branch): a value in [0, n) chosen by the decision source. A fuzz input
 * that runs out of bytes gives 0, so 0 should be the plain case. */
#define go_fz_intn(n) go_fz_intn_at(GO_SITE, (n))
uint64_t go_fz_intn_at(const go_site *site, uint64_t n);
/* A branch the decision source takes: false unless it says otherwise. */
#define go_fz_bool() (go_fz_intn_at(GO_SITE, 2) == 1)

/* ---- time (virtual) ------------------------------------------------------ */

/* time.Duration: nanoseconds. Time is virtual: it starts at 0 in every
 * execution and moves only when nothing can run, or when the decision
 * source says the running code took that long. */
typedef int64_t go_duration;
#define GO_NS ((go_duration)1)
#define GO_US ((go_duration)1000)
#define GO_MS ((go_duration)1000000)
#define GO_S ((go_duration)1000000000)

/* A Timer, Ticker or AfterFunc. */
typedef struct go_timer go_timer;

/* time.Since(start of the execution): the virtual clock. */
go_duration go_now(void);

/* time.Sleep(d) */
#define go_sleep(d) go_sleep_at(GO_SITE, (d))
void go_sleep_at(const go_site *site, go_duration d);

/* time.After(d): a channel that receives the time after d. */
#define go_after(d) go_after_at(GO_SITE, (d))
go_chan *go_after_at(const go_site *site, go_duration d);

/* time.NewTimer(d); its channel is go_timer_chan(t) (t.C). */
#define go_timer_new(d) go_timer_new_at(GO_SITE, (d))
go_timer *go_timer_new_at(const go_site *site, go_duration d);

/* time.NewTicker(d): ticks every d; panics when d <= 0. */
#define go_ticker_new(d) go_ticker_new_at(GO_SITE, (d))
go_timer *go_ticker_new_at(const go_site *site, go_duration d);

/* time.AfterFunc(d, func() { fn(arg) }): fn runs in a new goroutine. */
#define go_after_func(d, fn, arg) go_after_func_at(GO_SITE, (d), #fn, (fn), (arg))
go_timer *go_after_func_at(const go_site *site, go_duration d, const char *fn_name,
                           go_func *fn, void *arg);

/* t.C (NULL for an AfterFunc timer). */
go_chan *go_timer_chan(const go_timer *t);

/* t.Stop(): for a Timer or AfterFunc, true if it stopped the timer before
 * it fired (see go_semantics for what a pending value counts as). Stop
 * does not close t.C. */
#define go_timer_stop(t) go_timer_stop_at(GO_SITE, (t))
bool go_timer_stop_at(const go_site *site, go_timer *t);

/* t.Reset(d) for a Timer, Ticker or AfterFunc. */
#define go_timer_reset(t, d) go_timer_reset_at(GO_SITE, (t), (d))
bool go_timer_reset_at(const go_site *site, go_timer *t, go_duration d);

/* A duration in [0, max] chosen by the decision source (how long some
 * work takes); 0 when the source runs dry. */
#define go_fz_duration(max) go_fz_duration_at(GO_SITE, (max))
go_duration go_fz_duration_at(const go_site *site, go_duration max);

/* ---- errors ---------------------------------------------------------------- */

/* A Go error value. Errors are compared by pointer, as Go compares
 * sentinel errors (err == context.Canceled); NULL is nil. */
typedef struct go_error {
    const char *text;    /* err.Error() */
} go_error;

/* context.Canceled ("context canceled") and context.DeadlineExceeded
 * ("context deadline exceeded"). */
extern const go_error go_canceled, go_deadline_exceeded;

/* ---- context (Go 1.23) ------------------------------------------------------ */

/* context.Context. Contexts are model objects of the execution: derive them
 * from go_background() or go_todo(), never keep one past its execution. */
typedef struct go_context go_context;
/* context.CancelFunc, or context.CancelCauseFunc (from go_with_cancel_cause).
 * Calling it more than once is harmless; never calling it is the "lost
 * cancel" the detectors report at the context's creation site. */
typedef struct go_cancel_func go_cancel_func;
/* The stop function context.AfterFunc returns. */
typedef struct go_stop_func go_stop_func;

/* context.Background(): the same context for the whole execution (its site
 * is the first call's). Never cancelled; Done is nil. */
#define go_background() go_background_at(GO_SITE)
go_context *go_background_at(const go_site *site);
/* context.TODO(): like Background, a distinct context. */
#define go_todo() go_todo_at(GO_SITE)
go_context *go_todo_at(const go_site *site);

/* ctx, cancel := context.WithCancel(parent). `cancel` may be NULL only to
 * model a discarded cancel (`ctx, _ :=`): the lost cancel is still seen. */
#define go_with_cancel(parent, cancel) go_with_cancel_at(GO_SITE, (parent), (cancel))
go_context *go_with_cancel_at(const go_site *site, go_context *parent, go_cancel_func **cancel);
/* ctx, cancel := context.WithCancelCause(parent); call go_cancel_cause. */
#define go_with_cancel_cause(parent, cancel) \
    go_with_cancel_cause_at(GO_SITE, (parent), (cancel))
go_context *go_with_cancel_cause_at(const go_site *site, go_context *parent,
                                    go_cancel_func **cancel);
/* ctx, cancel := context.WithTimeout(parent, d): WithDeadline(now + d). */
#define go_with_timeout(parent, d, cancel) go_with_timeout_at(GO_SITE, (parent), (d), (cancel))
go_context *go_with_timeout_at(const go_site *site, go_context *parent, go_duration d,
                               go_cancel_func **cancel);
/* ctx, cancel := context.WithDeadline(parent, deadline), deadline on the
 * virtual clock (go_now() scale). A parent deadline already earlier makes
 * it a plain WithCancel, as in Go; a deadline already past cancels it at
 * once with DeadlineExceeded. */
#define go_with_deadline(parent, deadline, cancel) \
    go_with_deadline_at(GO_SITE, (parent), (deadline), (cancel))
go_context *go_with_deadline_at(const go_site *site, go_context *parent, go_duration deadline,
                                go_cancel_func **cancel);
/* context.WithValue(parent, key, value). Keys compare as words; key 0 (nil)
 * panics, as in Go. */
#define go_with_value(parent, key, value) \
    go_with_value_at(GO_SITE, (parent), (go_word)(key), (go_word)(value))
go_context *go_with_value_at(const go_site *site, go_context *parent, go_word key,
                             go_word value);
/* context.WithoutCancel(parent): keeps parent's values, never cancelled;
 * Done is nil, Err and Cause nil, no deadline. */
#define go_without_cancel(parent) go_without_cancel_at(GO_SITE, (parent))
go_context *go_without_cancel_at(const go_site *site, go_context *parent);

/* cancel() */
#define go_cancel(cancel) go_cancel_at(GO_SITE, (cancel), NULL)
/* cancel(cause) of a CancelCauseFunc; NULL cause means Canceled. */
#define go_cancel_cause(cancel, cause) go_cancel_at(GO_SITE, (cancel), (cause))
void go_cancel_at(const go_site *site, go_cancel_func *cancel, const go_error *cause);

/* stop := context.AfterFunc(ctx, func() { fn(arg) }): once ctx is done, fn
 * runs in a new goroutine (at once if ctx is done already). */
#define go_context_after_func(ctx, fn, arg) \
    go_context_after_func_at(GO_SITE, (ctx), #fn, (fn), (arg))
go_stop_func *go_context_after_func_at(const go_site *site, go_context *ctx,
                                       const char *fn_name, go_func *fn, void *arg);
/* stop(): true if it kept fn from starting; false if fn had started or
 * stop was already called. */
#define go_stop(stop) go_stop_at(GO_SITE, (stop))
bool go_stop_at(const go_site *site, go_stop_func *stop);

/* ctx.Done(): closed when ctx is cancelled; NULL (the nil channel, never
 * ready in a select) for Background, TODO, WithoutCancel and values over
 * them. The same channel on every call. Not a scheduling point. */
#define go_ctx_done(ctx) go_ctx_done_at(GO_SITE, (ctx))
go_chan *go_ctx_done_at(const go_site *site, go_context *ctx);
/* ctx.Err(): NULL, &go_canceled or &go_deadline_exceeded. */
#define go_ctx_err(ctx) go_ctx_err_at(GO_SITE, (ctx))
const go_error *go_ctx_err_at(const go_site *site, go_context *ctx);
/* context.Cause(ctx): the cause given to the CancelCauseFunc that cancelled
 * it (or an ancestor), else ctx.Err(). */
#define go_context_cause(ctx) go_context_cause_at(GO_SITE, (ctx))
const go_error *go_context_cause_at(const go_site *site, go_context *ctx);
/* ctx.Value(key): the value of the nearest WithValue with that key up the
 * chain (through WithoutCancel too), or 0 (nil). Not a scheduling point. */
#define go_ctx_value(ctx, key) go_ctx_value_at(GO_SITE, (ctx), (go_word)(key))
go_word go_ctx_value_at(const go_site *site, go_context *ctx, go_word key);
/* deadline, ok := ctx.Deadline() (virtual ns; *deadline may be NULL). Not
 * a scheduling point. */
#define go_ctx_deadline(ctx, deadline) go_ctx_deadline_at(GO_SITE, (ctx), (deadline))
bool go_ctx_deadline_at(const go_site *site, go_context *ctx, go_duration *deadline);

/* ---- defer, recover, Goexit (Go 1.23) ----------------------------------------- *
 *
 * C has no defer, so Go's function calls are explicit: go_call(fn, arg) is
 * the Go call fn(arg) and owns a frame, and go_defer registers a deferred
 * call in the innermost frame. A goroutine's entry function (main too) is
 * its outermost frame. A plain C call is no Go call: it shares its caller's
 * frame, so its go_defer calls run when that caller's frame ends.
 *
 *     static void unlock(void *mu) { go_mutex_unlock(mu); }
 *     static void work(void *mu) {           // func work() {
 *         go_mutex_lock(mu);                  //     mu.Lock()
 *         go_defer(unlock, mu);               //     defer mu.Unlock()
 *         ...                                 //     ...
 *     }                                       // }
 *     go_call(work, mu);                      // work()
 *
 * Deferred calls run last-in first-out when their frame returns, when a
 * panic passes through it, and on Goexit. Each runs in a frame of its own.
 *
 * recover() is "called directly by a deferred function" when no go_call
 * frame was pushed since the deferred call started: in the deferred
 * function itself or in plain C helpers it calls. A go_call'ed function's
 * recover returns NULL, as in Go. After a recovery the frame that deferred
 * the recovering call runs its remaining deferred calls and returns
 * normally to its caller (to go_call, or the goroutine's end). */

/* fn(arg), a Go function call with a frame of its own. Returns when fn
 * returned, or when a deferred call of fn's frame recovered a panic. */
#define go_call(fn, arg) go_call_at(GO_SITE, (fn), (arg))
void go_call_at(const go_site *site, go_func *fn, void *arg);

/* defer fn(arg): fn(arg) runs when the innermost Go frame ends. `arg` is
 * evaluated now, as Go evaluates a deferred call's arguments. */
#define go_defer(fn, arg) go_defer_at(GO_SITE, #fn, (fn), (arg))
void go_defer_at(const go_site *site, const char *fn_name, go_func *fn, void *arg);

/* The deferred calls of the innermost Go frame, now, last-in first-out, as
 * if it returned: Go's results are read after its deferred calls ran, so a
 * translated function runs them before it reads its named results. The
 * frame stays; calls deferred later run when it ends. */
#define go_run_defers() go_run_defers_at(GO_SITE)
void go_run_defers_at(const go_site *site);

/* recover(): called directly by a deferred function that a panic is
 * running, stops that panic and returns its message; otherwise NULL (not
 * panicking, not direct, during Goexit, or already recovered). */
#define go_recover() go_recover_at(GO_SITE)
const char *go_recover_at(const go_site *site);
/* recover() of a deferred function that go_call'ed its own body (it has
 * deferred calls of its own): the innermost frame is that body's, and the
 * one below it the deferred call's. Otherwise as go_recover_at. */
const char *go_recover_in_own_frame_at(const go_site *site);

/* runtime.Goexit(): runs every deferred call of the goroutine (recover
 * returns NULL in them), then ends the goroutine; the others go on. In
 * main, the execution goes on without main and ends as Go's deadlock "no
 * goroutines (main called runtime.Goexit)" when nothing is left. */
#define go_goexit() go_goexit_at(GO_SITE)
_Noreturn void go_goexit_at(const go_site *site);

/* ---- resources (os.File-like) ------------------------------------------------- *
 *
 * A modelled file or connection, so that a path that forgets `defer
 * f.Close()` is found: every resource still open at the end of the
 * execution is listed for the detectors. Open, Close and use are
 * scheduling points (I/O is where a real goroutine gives way). Errors are
 * those of os.File, valid until the execution is freed. */

typedef struct go_resource go_resource;

/* f, _ := os.Open(name): never fails. `name` is copied. */
#define go_open(name) go_open_at(GO_SITE, (name))
go_resource *go_open_at(const go_site *site, const char *name);

/* f.Close(): NULL the first time; then "close NAME: file already closed".
 * On a nil resource: "invalid argument" (os.ErrInvalid). */
#define go_resource_close(r) go_resource_close_at(GO_SITE, (r))
const go_error *go_resource_close_at(const go_site *site, go_resource *r);

/* f.Name(): the name given to go_open ("" for nil). */
const char *go_resource_name(const go_resource *r);

/* f.Read / f.Write / f.Stat -- any use: NULL while open; after Close
 * "use NAME: file already closed"; nil: "invalid argument". */
#define go_resource_use(r) go_resource_use_at(GO_SITE, (r))
const go_error *go_resource_use_at(const go_site *site, go_resource *r);

/* ---- heap objects, closures, globals ----------------------------------------- *
 *
 * The object graph (what keeps what alive) follows Go's garbage collector:
 * an object stays while a root reaches it -- a named global, a C global or
 * static of the program, a pending timer, a goroutine that can run -- and
 * goroutine stacks, C data and object payloads are scanned conservatively,
 * so a pointer kept in a C local or a static counts without annotations.
 * Objects nothing reaches are freed at collections (go_gc, or when the
 * decision source says so at an allocation): never keep a pointer where
 * the model cannot see it (in malloc'ed memory of your own). */

/* On a C global or static that never holds a pointer to a model object
 * (a tool's own table: saved signal handlers, a cache of descriptors):
 * the collector then skips it. Every collection reads all of the
 * program's data, word by word, and such tables were most of it. Wrong on
 * a variable that does hold one: its object could be freed under it. */
#define GO_NOT_SCANNED __attribute__((section(".chanfuzz_not_scanned")))

/* new(T), or make([]T, n) of anything large: `size` zeroed bytes (aligned
 * as malloc's), a model object whose payload is scanned conservatively
 * (pointers into it keep it, interior ones too). */
#define go_alloc(size) go_alloc_at(GO_SITE, (size))
void *go_alloc_at(const go_site *site, size_t size);

/* A func literal's captured variables: what a closure keeps alive. Pass
 * it as the arg of go_go, go_after_func or go_context_after_func; the
 * function receives it as its void * argument. */
typedef struct go_env go_env;

/* func() { ... a, b ... }: a closure capturing the words given (pointers
 * or integers, up to 16), in order:
 *     go_go(worker, go_closure(results, n));
 *     static void worker(void *env) {
 *         go_chan *results = go_env_chan(env, 0);
 *         uint64_t n = go_env_word(env, 1); ... */
#define go_closure(...)                                                        \
    go_closure_at(GO_SITE, GO_COUNT_(__VA_ARGS__),                             \
                  (const go_word[]){GO_MAP_(GO_WORD_, __VA_ARGS__)})
go_env *go_closure_at(const go_site *site, size_t count, const go_word *words);
/* A closure with `count` captured words, all 0 (set them with go_env_set). */
#define go_closure_n(count) go_closure_at(GO_SITE, (count), NULL)

/* Captured word `index` (from 0). Out of range panics. */
#define go_env_word(env, index) go_env_word_at(GO_SITE, (env), (index))
go_word go_env_word_at(const go_site *site, const go_env *env, size_t index);
/* ...as a pointer, or a channel. */
#define go_env_ptr(env, index) ((void *)go_env_word_at(GO_SITE, (env), (index)))
#define go_env_chan(env, index) ((go_chan *)go_env_word_at(GO_SITE, (env), (index)))
/* x = v inside the closure: Go captures variables, not values. */
#define go_env_set(env, index, value) go_env_set_at(GO_SITE, (env), (index), (go_word)(value))
void go_env_set_at(const go_site *site, go_env *env, size_t index, go_word value);
/* How many words it captured. */
size_t go_env_len(const go_env *env);

/* var name = value: a package-level variable, a named root. Setting it
 * again replaces the value; `name` is copied. Not scheduling points. */
#define go_global_set(name, value) go_global_set_at(GO_SITE, (name), (go_word)(value))
void go_global_set_at(const go_site *site, const char *name, go_word value);
/* name = nil: the global no longer holds anything. */
void go_global_clear(const char *name);
/* The global's value; 0 when unset. */
go_word go_global_get(const char *name);

/* Helpers of go_closure: count the arguments (1 to 16) and cast each. */
#define GO_WORD_(x) ((go_word)(x))
#define GO_COUNT_(...) \
    GO_COUNT_PICK_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define GO_COUNT_PICK_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, \
                       a16, n, ...) n
#define GO_CAT_(a, b) GO_CAT2_(a, b)
#define GO_CAT2_(a, b) a##b
#define GO_MAP_(f, ...) GO_CAT_(GO_MAP_, GO_COUNT_(__VA_ARGS__))(f, __VA_ARGS__)
#define GO_MAP_1(f, x) f(x)
#define GO_MAP_2(f, x, ...) f(x), GO_MAP_1(f, __VA_ARGS__)
#define GO_MAP_3(f, x, ...) f(x), GO_MAP_2(f, __VA_ARGS__)
#define GO_MAP_4(f, x, ...) f(x), GO_MAP_3(f, __VA_ARGS__)
#define GO_MAP_5(f, x, ...) f(x), GO_MAP_4(f, __VA_ARGS__)
#define GO_MAP_6(f, x, ...) f(x), GO_MAP_5(f, __VA_ARGS__)
#define GO_MAP_7(f, x, ...) f(x), GO_MAP_6(f, __VA_ARGS__)
#define GO_MAP_8(f, x, ...) f(x), GO_MAP_7(f, __VA_ARGS__)
#define GO_MAP_9(f, x, ...) f(x), GO_MAP_8(f, __VA_ARGS__)
#define GO_MAP_10(f, x, ...) f(x), GO_MAP_9(f, __VA_ARGS__)
#define GO_MAP_11(f, x, ...) f(x), GO_MAP_10(f, __VA_ARGS__)
#define GO_MAP_12(f, x, ...) f(x), GO_MAP_11(f, __VA_ARGS__)
#define GO_MAP_13(f, x, ...) f(x), GO_MAP_12(f, __VA_ARGS__)
#define GO_MAP_14(f, x, ...) f(x), GO_MAP_13(f, __VA_ARGS__)
#define GO_MAP_15(f, x, ...) f(x), GO_MAP_14(f, __VA_ARGS__)
#define GO_MAP_16(f, x, ...) f(x), GO_MAP_15(f, __VA_ARGS__)

/* ---- maps ---------------------------------------------------------------------- *
 *
 * map[go_word]go_word. Keys and values are words and both are strong: a
 * map keeps alive what its keys and values point to. A map of weak values
 * stores go_weak handles: it keeps the handles (and so its entries), not
 * their targets. Map operations are not scheduling points; the nil map
 * (NULL) reads as empty. */

typedef struct go_map go_map;

/* make(map[K]V) */
#define go_map_new() go_map_new_at(GO_SITE)
go_map *go_map_new_at(const go_site *site);
/* m[key] = value. Panics on the nil map. */
#define go_map_put(m, key, value) \
    go_map_put_at(GO_SITE, (m), (go_word)(key), (go_word)(value))
void go_map_put_at(const go_site *site, go_map *m, go_word key, go_word value);
/* m[key]: 0 when absent. */
#define go_map_get(m, key) go_map_get_at((m), (go_word)(key), NULL)
/* v, ok := m[key] */
#define go_map_get2(m, key, ok) go_map_get_at((m), (go_word)(key), (ok))
go_word go_map_get_at(const go_map *m, go_word key, bool *ok);
/* delete(m, key): nothing when absent or m is nil. */
#define go_map_delete(m, key) go_map_delete_at((m), (go_word)(key))
void go_map_delete_at(go_map *m, go_word key);
/* len(m) */
size_t go_map_len(const go_map *m);

/* ---- weak pointers, cleanups, runtime.GC (Go 1.24) --------------------------- */

/* weak.Pointer[T]: refers to an object without keeping it alive. */
typedef struct go_weak go_weak;

/* weak.Make(ptr): NULL (the zero Pointer) for NULL. ptr must point into
 * a model object (go_alloc, a closure, a channel...); interior pointers
 * are fine. Two calls with the same ptr give the same handle. */
#define go_weak_make(ptr) go_weak_make_at(GO_SITE, (ptr))
go_weak *go_weak_make_at(const go_site *site, const void *ptr);
/* w.Value(): the pointer given to go_weak_make, or NULL once a collection
 * found its object unreachable (and for the NULL handle). */
void *go_weak_value(const go_weak *w);

/* What runtime.AddCleanup returns. */
typedef struct go_cleanup {
    uint64_t id;
} go_cleanup;

/* runtime.AddCleanup(ptr, func(arg) { fn(arg) }, arg): once a collection
 * finds ptr's object unreachable, fn(arg) runs in a goroutine of its own.
 * The runtime keeps arg alive, so arg must not reach ptr's object (then
 * the cleanup never runs, as in Go); arg == ptr panics. */
#define go_add_cleanup(ptr, fn, arg) go_add_cleanup_at(GO_SITE, (ptr), #fn, (fn), (arg))
go_cleanup go_add_cleanup_at(const go_site *site, const void *ptr, const char *fn_name,
                             go_func *fn, void *arg);
/* c.Stop(): the cleanup will not run (nothing if it ran already). */
void go_cleanup_stop(go_cleanup c);

/* runtime.GC(): a collection now. A scheduling point: the caller blocks
 * until it is done; cleanups it triggers start as new goroutines. */
#define go_gc() go_gc_at(GO_SITE)
void go_gc_at(const go_site *site);

/* ---- checkpoints and stress mode ---------------------------------------------- *
 *
 * A stress scenario runs its body many times in one execution and takes
 * checkpoints: at each, a collection and a record of what stayed live, by
 * allocation site (exec.h, "Checkpoints"). The growth detector judges the
 * series: a site whose live objects (or a map's entries) keep rising is
 * growth; one that rises and then stays flat is a plateau, not growth.
 * Keep only what Go would keep: C globals and statics are roots, so a
 * scenario that parks each round's object in a static keeps it live.
 * go_stress lives here, not in the harness, because scenarios see only
 * this header and a stress scenario is a scenario like any other. */

/* synctest.Wait(), runtime.GC() and a sample of what stayed live: the
 * caller first lets every other runnable goroutine run until it blocks
 * or sleeps (at most 10,000 turns, for goroutines that never block), so
 * work merely queued behind a busy goroutine is not counted as kept. A
 * scheduling point. */
#define go_checkpoint() go_checkpoint_at(GO_SITE)
void go_checkpoint_at(const go_site *site);

/* for i := 0; i < rounds; i++ { body(arg) }, each round a Go call of its
 * own (go_call: its deferred calls run at the end of the round), in the
 * calling goroutine, with a checkpoint after every checkpoint_every
 * rounds. Six checkpoints at least give the growth detector something to
 * judge. rounds < 0 or checkpoint_every <= 0 panics. */
#define go_stress(body, arg, rounds, checkpoint_every) \
    go_stress_at(GO_SITE, (body), (arg), (rounds), (checkpoint_every))
void go_stress_at(const go_site *site, go_func *body, void *arg, int rounds,
                  int checkpoint_every);

#ifdef __cplusplus
}
#endif
#endif
