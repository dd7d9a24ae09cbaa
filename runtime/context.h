/* context.h -- Go's context package (Go 1.23's src/context/context.go):
 * the context tree, cancel functions, and what inspection reads of them.
 *
 * The tree. Every context but Background and TODO has the context it was
 * derived from as `parent`. Contexts that can be cancelled on their own
 * (WithCancel, WithCancelCause, WithTimeout, WithDeadline, and the hidden
 * one behind AfterFunc -- Go's cancelCtx, timerCtx, afterFuncCtx) are
 * *cancellable*; WithValue layers are transparent; WithoutCancel, Background
 * and TODO end the search for a cancellable ancestor (their Done is nil).
 *
 * Registration (Go's propagateCancel / removeChild): a cancellable context
 * created under a live cancellable ancestor is put on the children list of
 * its *nearest* cancellable ancestor (value layers skipped; WithoutCancel,
 * Background, TODO cut the search: then nothing is registered). It leaves
 * that list when either of them is cancelled -- by a cancel call, by
 * propagation, or by its deadline firing. An unregistered, uncancelled
 * context is therefore one nobody can cancel but its own cancel function
 * or timer.
 *
 * Invariants (cf_context_check tests exactly these in check builds):
 *   registered_in == nearest cancellable ancestor, for every cancellable
 *     context not cancelled; NULL for every cancelled context and every
 *     non-cancellable one
 *   each children list is consistent (links, count) and lists exactly the
 *     contexts whose registered_in is its owner
 *   a cancellable context whose nearest cancellable ancestor is cancelled
 *     is cancelled too (WithoutCancel cuts this, since it cuts the search)
 *   a cancelled context has no children, no pending timer, a closed Done
 *     channel (when one was made), and a cause
 *   an uncancelled context with a deadline of its own has its timer pending
 */
#ifndef CF_CONTEXT_H
#define CF_CONTEXT_H

#include "chan.h"
#include "clock.h"

struct go_context {
    cf_object obj;
    go_context_kind kind;
    go_context *parent;          /* derived from; NULL for Background, TODO */

    /* Cancellable contexts only (else all zero): */
    go_context *registered_in;   /* whose children list holds it, or NULL */
    go_context *first_child;     /* registered children, oldest first */
    go_context *last_child;
    go_context *prev_sibling;    /* neighbours on registered_in's list */
    go_context *next_sibling;
    size_t child_count;
    go_chan *done;               /* made by the first Done call (Go makes
                                    it lazily too); NULL until then */
    const go_error *err;         /* NULL until cancelled; then Canceled or
                                    DeadlineExceeded, never changing */
    const go_error *cause;       /* set with err: the CancelCauseFunc's
                                    cause, else err */
    go_cancelled_by cancelled_by;
    go_cancel_func *cancel_func; /* NULL for AfterFunc's context */

    /* Deadlines: WithTimeout and WithDeadline, unless the parent's deadline
     * was earlier (then Go makes a plain cancelCtx: no deadline, no timer). */
    bool has_deadline;
    int64_t deadline;            /* virtual ns */
    cf_timer timer;              /* pending until the deadline fires or the
                                    context is cancelled */

    /* WithValue: */
    go_word key;
    go_word value;

    go_context_info info;        /* filled by go_exec_context */
};

/* context.CancelFunc and CancelCauseFunc. Made with its context's site. */
struct go_cancel_func {
    cf_object obj;
    go_context *ctx;
    bool takes_cause;            /* a CancelCauseFunc */
    bool called;                 /* at least once: a lost cancel is one
                                    never called, whatever else cancelled
                                    the context */
    const go_site *called_site;  /* the first call */
};

/* context.AfterFunc: Go's afterFuncCtx, a cancellable context registered
 * under ctx whose cancellation starts fn in a new goroutine -- unless stop
 * came first (the two race for one sync.Once). The stop function is this
 * object. */
struct go_stop_func {
    go_context ctx;              /* kind GO_CONTEXT_AFTER_FUNC; first */
    go_func *fn;
    void *arg;
    const char *fn_name;
    uint64_t creator;            /* goroutine that called AfterFunc */
    bool once_taken;             /* fn started, or stop won the race */
    bool started;                /* fn's goroutine was started */
    bool stop_called;
};

/* Everything the context package keeps per execution (go_exec.contexts),
 * made on first use and freed by go_exec_free. */
typedef struct cf_context_table {
    go_context **by_id;          /* context#id at [id - 1] */
    size_t count;
    size_t capacity;
    go_context *background;      /* the execution's singletons, made on */
    go_context *todo;            /* first use */
} cf_context_table;

/* Cancellable: has its own cancel state (cancelCtx, timerCtx, afterFuncCtx). */
static inline bool cf_context_cancellable(const go_context *c) {
    return c->kind == GO_CONTEXT_CANCEL || c->kind == GO_CONTEXT_CANCEL_CAUSE ||
           c->kind == GO_CONTEXT_TIMEOUT || c->kind == GO_CONTEXT_DEADLINE ||
           c->kind == GO_CONTEXT_AFTER_FUNC;
}

/* Go's parentCancelCtx: the cancellable context c's cancellation follows --
 * c itself if cancellable, else up through value layers; NULL when
 * WithoutCancel, Background or TODO comes first (then Done is nil). */
static inline go_context *cf_context_nearest_cancellable(const go_context *c) {
    while (c && c->kind == GO_CONTEXT_VALUE) c = c->parent;
    /* Contexts are mutable objects; const here only promises the walk
     * changes nothing. */
    return c && cf_context_cancellable(c) ? (go_context *)c : NULL;
}

/* Go's type name, as in %T: "cancelCtx", "timerCtx", ... */
const char *cf_context_type_name(const go_context *c);

void cf_context_check(const cf_object *obj);
void cf_context_describe(const cf_object *obj, char *out, size_t size);
void cf_cancel_func_describe(const cf_object *obj, char *out, size_t size);
void cf_cancel_func_check(const cf_object *obj);

/* The execution's table, made on first use (context_inspect.c). */
cf_context_table *cf_context_table_get(go_exec *e);

/* Records a new context in the execution's table. */
void cf_context_table_add(go_exec *e, go_context *c);

/* Releases the table; the contexts themselves go with the object list. */
void cf_context_table_free(go_exec *e);

#endif
