/* defer.h -- Go's call frames in C: what go_call, go_defer, panic, recover
 * and Goexit keep per goroutine (Go 1.23 runtime/panic.go).
 *
 * C has no defer, so the model keeps its own frames. A frame is one Go
 * function call: the goroutine's entry function (goroutine.c), a go_call,
 * or one deferred call being run. Frame records live in the C frame of the
 * call that owns them, on the goroutine's own stack, and form a list from
 * the innermost out (g->unwind.frames). A plain C call pushes no frame: it
 * is part of its caller's Go function, and its go_defer calls land in the
 * caller's frame.
 *
 * Deferred calls run LIFO:
 *   - at a normal return: the frame runs its own, each in a frame of its
 *     own (run_by NULL);
 *   - on panic and Goexit: go_panic / go_goexit run them on top of the
 *     stack, innermost frame first, without unwinding anything (as Go
 *     does), each in a frame whose run_by names the panic. The stack is
 *     unwound only when a deferred call recovers: a long jump to the frame
 *     that deferred it, which then runs its remaining deferred calls and
 *     returns normally to its caller. A finished Goexit jumps to the entry
 *     frame, and the goroutine exits from there.
 *
 * "Directly": recover stops a panic only when the innermost frame is a
 * deferred call that panic started. A go_call inside the deferred function
 * pushes a frame, so a recover in that callee returns nil (Go: recover in
 * a function called by the deferred function); a plain C helper pushes
 * none, so it counts as the deferred function itself.
 *
 * Invariants:
 *   - frames nest as C frames do: every frame's depth is its caller's + 1,
 *     and a panic's began_in frame is at least as deep as any older
 *     panic's, so the panics a recovery jumps past are a prefix of the list;
 *   - a deferred call is popped off its frame before it starts, so a later
 *     panic never runs it twice;
 *   - while a goroutine is panicking, every deferred call it starts is kept
 *     (the ran list) for the report of an unrecovered panic.
 *
 * Records are per execution (struct go_exec's defer_pool): chunks freed
 * with the execution, so a goroutine abandoned with deferred calls pending
 * leaks nothing.
 */
#ifndef CF_DEFER_H
#define CF_DEFER_H

#include <stdbool.h>
#include <stdint.h>

#include "chanfuzz/exec.h"
#include "stack.h"

typedef struct cf_goroutine cf_goroutine;

/* Where an unwinding lands. __builtin_setjmp saves three words (frame
 * pointer, stack pointer, landing address) and the compiler spills what
 * is live around it; glibc's _setjmp saves eight registers and mangles
 * them. Every goroutine's entry frame takes one: spawn+exit went from
 * 43.4 ns to 49 ns with _setjmp, to 46 ns with this (bench_runtime
 * --only spawn, release preset). Neither makes a system call. */
typedef void *cf_jmp_buf[5];
#define cf_frame_setjmp(buf) __builtin_setjmp(buf)

/* Jumps to `buf`, whose cf_frame_setjmp is still active shallower on the
 * running goroutine's stack. Tells ASan first, as its longjmp interceptor
 * would (it sees no __builtin_longjmp): the skipped frames' shadow is
 * unpoisoned and their fake frames are marked for collection. */
_Noreturn void cf_frame_longjmp(cf_jmp_buf buf);

/* One deferred call (a defer statement that ran). */
typedef struct cf_defer {
    go_func *fn;
    void *arg;
    const char *fn_name;         /* as written at the go_defer */
    const go_site *site;         /* the defer statement */
    struct cf_defer *next;       /* its frame's list (newest first), the
                                    goroutine's ran list, or the free list */
} cf_defer;

typedef struct cf_panic cf_panic;

/* One Go function call in progress. */
typedef struct cf_frame {
    struct cf_frame *caller;     /* the next frame out; NULL: entry frame */
    cf_defer *defers;            /* pending deferred calls, newest first */
    cf_panic *run_by;            /* a deferred call's frame: the panic or
                                    Goexit that started it; NULL for a
                                    go_call, the entry, and deferred calls
                                    run at a normal return */
    const go_site *site;         /* the go_call or defer statement; NULL
                                    for the entry frame */
    uint32_t depth;              /* 1 for the entry frame */
    cf_jmp_buf resume;           /* where a recovery lands: the frame then
                                    runs its remaining deferred calls */
} cf_frame;

/* A panic or a Goexit in progress; lives in the C frame that raised it. */
struct cf_panic {
    cf_panic *older;             /* the panic this one interrupted, if any */
    const char *message;         /* the panic value; NULL for Goexit */
    const go_site *site;         /* the panic (or Goexit) call */
    bool goexit;
    bool recovered;              /* a deferred call recovered it; the
                                    recovery happens when that call returns */
    cf_frame *began_in;          /* the innermost frame when it began */
    cf_jmp_buf restart;          /* Goexit only: a recovery that would
                                    jump past it restarts it here instead */
};

/* Per goroutine (struct cf_goroutine's `unwind`; zero when it starts). */
typedef struct cf_unwind {
    cf_frame *frames;            /* innermost frame; NULL before the entry */
    cf_panic *panics;            /* newest first */
    uint32_t panicking;          /* panics (not Goexits) on `panics` */
    cf_defer *ran_head;          /* deferred calls started while panicking, */
    cf_defer *ran_tail;          /* in order */
    size_t ran_count;
    bool unwound;                /* a long jump skipped frames: its ASan fake
                                    stack may hold stale frames, so it is
                                    not pooled at exit */
    bool goexited;               /* ended by runtime.Goexit */
} cf_unwind;

typedef struct cf_defer_chunk cf_defer_chunk;

/* Deferred-call records of one execution. */
typedef struct cf_defer_pool {
    cf_defer *free;
    cf_defer_chunk *chunks;      /* every record lives in one of these */
    cf_defer *unused, *unused_end; /* the newest chunk's records never taken */
} cf_defer_pool;

/* ---- defer.c ---- */

/* Runs g's entry function as its outermost frame. Returns when the entry
 * returned, recovered, or when a Goexit finished: the goroutine exits. */
void cf_run_entry(go_exec *e, cf_goroutine *g);

/* Starts deferred call d (already popped off its frame) in a frame of its
 * own, run_by the panic or Goexit running it (NULL at a normal return);
 * returns when it returns. */
void cf_defer_run(go_exec *e, cf_goroutine *g, cf_defer *d, cf_panic *run_by);

/* The goroutine stopped panicking: its ran list goes back to the pool. */
void cf_defer_forget_ran(go_exec *e, cf_goroutine *g);

/* The goroutine on `overflowed` overflowed it: it never runs again, and
 * under ASan its fake stack (where its frame records are) is freed at its
 * last switch; on a canary stack the overflow may also have run over the
 * stacks below it in its slab. Every goroutine on those stacks forgets its
 * frames and panics, so nothing walks them any more. */
void cf_defer_forget_trampled(go_exec *e, const cf_stack *overflowed);

/* Frees every record of the execution (go_exec_free). */
void cf_defer_pool_free(cf_defer_pool *pool);

/* ---- panic.c ---- */

/* A panic of the running goroutine (go_panic and every runtime panic, via
 * cf_fail): runs the deferred calls. Does not return if one recovers it;
 * returns when none did, the execution then ending with this panic. */
void cf_panic_unwind(go_exec *e, const go_site *site, const char *message);

/* After the execution ended: a deadlock after main called Goexit gets
 * Go's words for it. */
void cf_goexit_note_end(go_exec *e);

#endif
