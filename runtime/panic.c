/* panic.c -- panics, recover, runtime.Goexit, and fatal errors of the
 * modelled program (Go 1.23 runtime/panic.go; frames in defer.h).
 *
 * A panic (go_panic, send on closed channel, negative WaitGroup counter...)
 * runs the goroutine's deferred calls, innermost frame first, on top of the
 * stack; a deferred call started by the panic may recover it, and then the
 * frame that deferred that call returns normally. A panic nobody recovers
 * ends the execution as a finding with its message and site, and the list
 * of deferred calls it ran; the process goes on. A fatal error (unlock of
 * unlocked mutex, stack overflow, all goroutines asleep) runs no deferred
 * call and is never recoverable, as in Go.
 *
 * Go rules kept, and how:
 *   - a panic in a deferred call replaces the panic that ran it: it runs
 *     the remaining deferred calls itself; recover returns the newest, and
 *     an unrecovered one is reported. The replaced panic is "aborted":
 *     when the newer one is recovered in a frame outside the older one's
 *     deferred call, the older one is dropped too.
 *   - Goexit runs every deferred call of the goroutine, then the goroutine
 *     exits; recover returns nil during it. A panic in one of its deferred
 *     calls that is recovered does not cancel the Goexit: a recovery that
 *     would jump past the Goexit restarts it instead (Go 1.14+, issue
 *     29226), so the goroutine still exits. A Goexit in a deferred call of
 *     a panic ends the goroutine, panic and all (Go's GoexitInPanic).
 *   - Goexit in main: main ends without returning, the others run on, and
 *     with none left the end is the deadlock "no goroutines (main called
 *     runtime.Goexit) - deadlock!" (GO_END_DEADLOCK; "all goroutines are
 *     asleep" when some are left blocked).
 */
#include <stdio.h>
#include <stdlib.h>

#include "sched.h"

/* ---- the panic loop ----------------------------------------------------- */

static void drop_newest(cf_unwind *u) {
    cf_panic *p = u->panics;
    u->panics = p->older;
    if (!p->goexit) u->panicking--;
}

/* The deferred call that frame f deferred recovered the newest panic: the
 * stack unwinds to f, which runs its remaining deferred calls and returns
 * normally. Panics that began in f or deeper are over (the recovered one
 * and those it aborted) -- unless one of them is a Goexit, which cannot be
 * stopped: it restarts, from the frame it began in, and runs what is left. */
static _Noreturn void recover_into(go_exec *e, cf_goroutine *g, cf_frame *f) {
    cf_unwind *u = &g->unwind;
    drop_newest(u);
    u->unwound = true;
    while (u->panics && u->panics->began_in->depth >= f->depth) {
        cf_panic *q = u->panics;
        if (q->goexit) {
            if (!u->panicking) cf_defer_forget_ran(e, g);
            u->frames = q->began_in;
            cf_frame_longjmp(q->restart);
        }
        drop_newest(u);
    }
    if (!u->panicking) cf_defer_forget_ran(e, g);
    /* Every frame deeper than f was walked by the recovered panic, so none
     * has a deferred call left: dropping them loses nothing. */
    u->frames = f;
    cf_frame_longjmp(f->resume);
}

/* Runs the pending deferred calls of every frame for p, the newest panic or
 * Goexit, innermost frame first. Returns when no frame has one left; does
 * not return when one of them recovers p. A deferred call only ever adds
 * deferred calls to its own frame, which is gone when it returns, so the
 * frames still to walk never grow. */
static void run_deferred_for(go_exec *e, cf_goroutine *g, cf_panic *p) {
    cf_frame *f = g->unwind.frames;
    while (f) {
        cf_defer *d = f->defers;
        if (!d) {
            f = f->caller;
            continue;
        }
        f->defers = d->next;
        cf_defer_run(e, g, d, p);
        if (p->recovered) recover_into(e, g, f);
    }
}

/* ---- panic ---------------------------------------------------------------- */

/* Keeps the deferred calls the failing goroutine ran while panicking, for
 * go_exec_panic_defers. */
static void publish_ran(go_exec *e, cf_goroutine *g) {
    cf_unwind *u = &g->unwind;
    e->panic_defers = calloc(u->ran_count ? u->ran_count : 1, sizeof *e->panic_defers);
    cf_require(e->panic_defers != NULL, "panic report allocation");
    size_t n = 0;
    for (const cf_defer *d = u->ran_head; d; d = d->next) {
        e->panic_defers[n].fn_name = d->fn_name;
        e->panic_defers[n].site = d->site;
        n++;
    }
    e->panic_defer_count = n;
}

void cf_panic_unwind(go_exec *e, const go_site *site, const char *message) {
    cf_goroutine *g = e->current;
    cf_unwind *u = &g->unwind;
    cf_panic p = {.older = u->panics, .message = message, .site = site,
                  .began_in = u->frames};
    u->panics = &p;
    u->panicking++;
    cf_emit(e, GO_EVENT_PANIC, 0, NULL, site, NULL, GO_END_PANIC);
    run_deferred_for(e, g, &p);
    /* Not recovered: the execution ends with this panic (cf_fail). */
    publish_ran(e, g);
}

void go_panic_at(const go_site *site, const char *message) {
    /* Go 1.21+: panic(nil) panics with a *runtime.PanicNilError, so that
     * recover never mistakes it for "no panic". */
    if (message == NULL) message = "panic called with nil argument";
    cf_fail(cf_exec(), GO_END_PANIC, site, message);
    cf_throw("go_panic returned");
}

const char *go_recover_at(const go_site *site) {
    go_exec *e = cf_exec();
    cf_unwind *u = &e->current->unwind;
    cf_panic *p = u->panics;
    /* Only the deferred call p started, itself (no go_call frame since),
     * may stop p -- and only once. */
    if (!p || p->goexit || p->recovered || !u->frames || u->frames->run_by != p) return NULL;
    p->recovered = true;
    cf_emit(e, GO_EVENT_DEFER, 0, NULL, site, NULL, GO_DEFER_RECOVERED);
    return p->message;
}

const char *go_recover_in_own_frame_at(const go_site *site) {
    go_exec *e = cf_exec();
    cf_unwind *u = &e->current->unwind;
    cf_panic *p = u->panics;
    cf_frame *own = u->frames;
    if (!p || p->goexit || p->recovered || !own || !own->caller || own->caller->run_by != p ||
        own->run_by != NULL)
        return NULL;
    p->recovered = true;
    cf_emit(e, GO_EVENT_DEFER, 0, NULL, site, NULL, GO_DEFER_RECOVERED);
    return p->message;
}

const go_deferred_call *go_exec_panic_defers(const go_exec *e, size_t *count) {
    *count = e->panic_defer_count;
    return e->panic_defers;
}

/* ---- Goexit --------------------------------------------------------------- */

/* Holds the setjmp a recovery restarts the Goexit at; stays active until
 * the goroutine is gone. */
static __attribute__((noinline)) void goexit_run(go_exec *e, cf_goroutine *g, cf_panic *p) {
    /* A recovery that would jump past the Goexit lands here: it goes on. */
    (void)cf_frame_setjmp(p->restart);
    run_deferred_for(e, g, p);
    /* Every frame is done: any panic below is over with the goroutine. The
     * entry frame returns and the goroutine exits from goroutine.c. */
    cf_unwind *u = &g->unwind;
    u->panics = NULL;
    u->panicking = 0;
    cf_defer_forget_ran(e, g);
    u->goexited = true;
    u->unwound = true;
    cf_frame *entry = u->frames;
    while (entry->caller) entry = entry->caller;
    u->frames = entry;
    cf_frame_longjmp(entry->resume);
}

void go_goexit_at(const go_site *site) {
    go_exec *e = cf_exec();
    cf_goroutine *g = e->current;
    cf_unwind *u = &g->unwind;
    cf_require(u->frames != NULL, "Goexit outside a Go frame");
    cf_panic p = {.older = u->panics, .site = site, .goexit = true, .began_in = u->frames};
    u->panics = &p;
    goexit_run(e, g, &p);
    cf_throw("Goexit returned");
}

void cf_goexit_note_end(go_exec *e) {
    if (e->end == GO_END_DEADLOCK && e->main_goexited && e->info_count == 0)
        snprintf(e->message, sizeof e->message,
                 "no goroutines (main called runtime.Goexit) - deadlock!");
}

/* ---- fatal errors ----------------------------------------------------------- */

void cf_fatal(go_exec *e, const go_site *site, const char *message) {
    cf_fail(e, GO_END_FATAL, site, message);
}
