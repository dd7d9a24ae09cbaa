/* context.c -- Go's context package, as Go 1.23's src/context/context.go
 * implements it: Background and TODO, WithCancel, WithCancelCause,
 * WithTimeout, WithDeadline, WithValue, WithoutCancel, AfterFunc, and the
 * methods Done, Err, Value, Deadline and context.Cause. The tree,
 * registration and the invariants are described in context.h; describing,
 * checking and inspection are in context_inspect.c.
 *
 * Scheduling points are where Go synchronises: the constructors that
 * register (WithCancel, WithCancelCause, WithTimeout, WithDeadline,
 * AfterFunc -- propagateCancel locks the parent), a cancel or stop call,
 * and Err and Cause (an atomic load and a mutex in Go). WithValue,
 * WithoutCancel, Background, TODO, Done, Value and Deadline only allocate
 * or read immutable fields in Go, so they are not. A cancellation itself
 * is one indivisible step, as it is under Go's mutexes.
 */
#include "context.h"

#include <stdio.h>

const go_error go_canceled = {"context canceled"};
const go_error go_deadline_exceeded = {"context deadline exceeded"};

/* The graph, as Go's structs hold it: a context holds its parent, the
 * children registered on it (cancelCtx.children), its Done channel, its
 * value's key and value (words: conservative) and an AfterFunc's
 * argument (its closure). Not its cancel function: that closure holds the
 * context, not the other way round. A pending deadline timer is a root
 * of its own (clock.h: the timer's owner is the context). */
static void trace_context(const cf_object *obj, cf_tracer *tracer) {
    const go_context *c = (const go_context *)obj;
    cf_trace_object(tracer, c->parent ? &c->parent->obj : NULL);
    for (const go_context *child = c->first_child; child; child = child->next_sibling)
        cf_trace_object(tracer, &child->obj);
    cf_trace_object(tracer, c->done ? &c->done->obj : NULL);
    cf_trace_word(tracer, c->key);
    cf_trace_word(tracer, c->value);
    if (c->kind == GO_CONTEXT_AFTER_FUNC)
        cf_trace_word(tracer, (go_word)((const go_stop_func *)c)->arg);
}

static void trace_cancel_func(const cf_object *obj, cf_tracer *tracer) {
    cf_trace_object(tracer, &((const go_cancel_func *)obj)->ctx->obj);
}

/* Both stay until the execution is freed: the context table lists every
 * context for inspection, and a context's record names its cancel func. */
static const cf_object_ops context_ops = {.describe = cf_context_describe,
                                          .check = cf_context_check,
                                          .trace = trace_context,
                                          .kept_until_end = true};
static const cf_object_ops cancel_func_ops = {.describe = cf_cancel_func_describe,
                                              .check = cf_cancel_func_check,
                                              .trace = trace_cancel_func,
                                              .kept_until_end = true};

#if CF_CHECKS
#define check_context(c) cf_context_check(&(c)->obj)
#else
#define check_context(c) ((void)0)
#endif

/* Go's message for calling a method through a nil interface or func. */
#define NIL_DEREFERENCE "runtime error: invalid memory address or nil pointer dereference"

static void fire_deadline(go_exec *e, cf_timer *timer);

/* ---- the children lists (Go's cancelCtx.children) -------------------------- */

/* Appends: registration order is the order a cancellation visits children.
 * Go ranges over a map there (random order); the order shows only in which
 * woken goroutine is queued first, and the scheduler's own decisions
 * already explore every run order. */
static void children_append(go_context *parent, go_context *child) {
    child->registered_in = parent;
    child->prev_sibling = parent->last_child;
    child->next_sibling = NULL;
    if (parent->last_child) parent->last_child->next_sibling = child;
    else parent->first_child = child;
    parent->last_child = child;
    parent->child_count++;
}

/* Go's removeChild. */
static void children_remove(go_context *child) {
    go_context *parent = child->registered_in;
    if (child->prev_sibling) child->prev_sibling->next_sibling = child->next_sibling;
    else parent->first_child = child->next_sibling;
    if (child->next_sibling) child->next_sibling->prev_sibling = child->prev_sibling;
    else parent->last_child = child->prev_sibling;
    child->registered_in = child->prev_sibling = child->next_sibling = NULL;
    parent->child_count--;
}

/* ---- cancellation ------------------------------------------------------------- */

/* fn's goroutine, unless stop took the once first (afterFuncCtx.cancel). */
static void start_after_func(go_exec *e, go_stop_func *a) {
    if (a->once_taken) return;
    a->once_taken = true;
    a->started = true;
    cf_goroutine *g = cf_spawn(e, a->ctx.obj.site, a->fn_name, a->fn, a->arg);
    g->creator_id = a->creator; /* as time.AfterFunc's: who asked for it */
    cf_sched_make_runnable(e, g);
    cf_emit(e, GO_EVENT_SPAWN, g->id, &a->ctx.obj, a->ctx.obj.site, NULL, 0);
}

/* Everything cancelling one context does but touch the tree's links:
 * records err and cause, closes Done (waking its receivers and selects),
 * stops the deadline timer (timerCtx.cancel), starts an AfterFunc. */
static void mark_cancelled(go_exec *e, go_context *c, const go_error *err,
                           const go_error *cause, go_cancelled_by by, const go_site *site) {
    c->err = err;
    c->cause = cause;
    c->cancelled_by = by;
    /* Done is receive-only in Go; a C scenario could still close it. */
    if (c->done && !c->done->closed) cf_chan_close_now(e, c->done, site);
    cf_timer_disarm(e, &c->timer);
    if (c->kind == GO_CONTEXT_AFTER_FUNC) start_after_func(e, (go_stop_func *)c);
}

/* Go's cancelCtx.cancel(removeFromParent=true, err, cause) on root: the
 * first cancellation wins and later ones do nothing; every registered
 * descendant is cancelled with the same err and cause; root leaves its
 * parent's list. Never blocks: it runs from timers too.
 *
 * Go recurses (each child cancels its own children); this walks the same
 * pre-order without recursion, so a chain of 100,000 contexts cannot
 * overflow a goroutine stack: descend to the first child still listed,
 * and on the way back up unlink the finished child from its parent. */
static void cancel_context(go_exec *e, go_context *root, const go_error *err,
                           const go_error *cause, go_cancelled_by by, const go_site *site) {
    if (root->err) return;
    if (!cause) cause = err;
    mark_cancelled(e, root, err, cause, by, site);
    go_context *node = root;
    for (;;) {
        go_context *child = node->first_child;
        if (child) {
            mark_cancelled(e, child, err, cause, GO_CANCELLED_BY_PARENT, site);
            node = child;
            continue;
        }
        if (node == root) break;
        go_context *up = node->registered_in;
        children_remove(node);
        node = up;
    }
    if (root->registered_in) children_remove(root);
}

/* Go's propagateCancel: a child of a cancelled context is cancelled at
 * once; a child of a live one is registered in its nearest cancellable
 * ancestor; under Background, TODO or WithoutCancel (Done is nil) nothing
 * is registered: nothing above can cancel it. */
static void propagate_cancel(go_exec *e, go_context *child, go_context *parent,
                             const go_site *site) {
    go_context *ancestor = cf_context_nearest_cancellable(parent);
    if (!ancestor) return;
    if (ancestor->err) {
        cancel_context(e, child, ancestor->err, ancestor->cause, GO_CANCELLED_BY_PARENT, site);
        return;
    }
    children_append(ancestor, child);
}

static void fire_deadline(go_exec *e, cf_timer *timer) {
    go_context *c = timer->context;
    cancel_context(e, c, &go_deadline_exceeded, NULL, GO_CANCELLED_BY_DEADLINE, c->obj.site);
}

/* ---- constructors ------------------------------------------------------------ */

static go_context *new_context(go_exec *e, go_context_kind kind, go_context *parent,
                               const go_site *site, size_t size) {
    go_context *c = cf_object_new(GO_OBJ_CONTEXT, size, site, &context_ops);
    c->kind = kind;
    c->parent = parent;
    /* can_wake NULL: a pending deadline always counts as able to wake
     * someone -- its firing deregisters the context and closes Done, so
     * settling runs on to it. */
    cf_timer_init(&c->timer, fire_deadline, NULL, &c->obj, c);
    cf_context_table_add(e, c);
    return c;
}

static void require_parent(go_exec *e, const go_site *site, const go_context *parent) {
    if (!parent) cf_fail(e, GO_END_PANIC, site, "cannot create context from nil parent");
}

static go_cancel_func *new_cancel_func(go_context *c, bool takes_cause, go_cancel_func **out) {
    go_cancel_func *f =
        cf_object_new(GO_OBJ_CANCEL_FUNC, sizeof *f, c->obj.site, &cancel_func_ops);
    f->ctx = c;
    f->takes_cause = takes_cause;
    c->cancel_func = f;
    if (out) *out = f;
    return f;
}

static go_context *singleton(go_exec *e, go_context **slot, go_context_kind kind,
                             const go_site *site) {
    if (!*slot) *slot = new_context(e, kind, NULL, site, sizeof(go_context));
    return *slot;
}

go_context *go_background_at(const go_site *site) {
    go_exec *e = cf_exec();
    return singleton(e, &cf_context_table_get(e)->background, GO_CONTEXT_BACKGROUND, site);
}

go_context *go_todo_at(const go_site *site) {
    go_exec *e = cf_exec();
    return singleton(e, &cf_context_table_get(e)->todo, GO_CONTEXT_TODO, site);
}

static go_context *with_cancel(const go_site *site, go_context *parent, go_context_kind kind,
                               go_cancel_func **cancel) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    require_parent(e, site, parent);
    go_context *c = new_context(e, kind, parent, site, sizeof(go_context));
    new_cancel_func(c, kind == GO_CONTEXT_CANCEL_CAUSE, cancel);
    propagate_cancel(e, c, parent, site);
    check_context(c);
    return c;
}

go_context *go_with_cancel_at(const go_site *site, go_context *parent, go_cancel_func **cancel) {
    return with_cancel(site, parent, GO_CONTEXT_CANCEL, cancel);
}

go_context *go_with_cancel_cause_at(const go_site *site, go_context *parent,
                                    go_cancel_func **cancel) {
    return with_cancel(site, parent, GO_CONTEXT_CANCEL_CAUSE, cancel);
}

/* Go's Deadline method: a timerCtx answers with its own; a cancelCtx or
 * valueCtx asks its parent; WithoutCancel, Background and TODO have none. */
static bool deadline_of(const go_context *c, int64_t *deadline) {
    for (; c; c = c->parent) {
        if (c->has_deadline) {
            *deadline = c->deadline;
            return true;
        }
        if (c->kind == GO_CONTEXT_WITHOUT_CANCEL) return false;
    }
    return false;
}

/* Go's WithDeadlineCause without the cause (WithDeadline, WithTimeout). */
static go_context *with_deadline(go_exec *e, const go_site *site, go_context *parent,
                                 go_context_kind kind, int64_t deadline,
                                 go_cancel_func **cancel) {
    require_parent(e, site, parent);
    go_context *c = new_context(e, kind, parent, site, sizeof(go_context));
    new_cancel_func(c, false, cancel);
    int64_t current;
    if (deadline_of(parent, &current) && current < deadline) {
        /* The parent's deadline comes first: Go returns WithCancel(parent),
         * a plain cancelCtx with no timer of its own. */
        propagate_cancel(e, c, parent, site);
        check_context(c);
        return c;
    }
    c->has_deadline = true;
    c->deadline = deadline;
    propagate_cancel(e, c, parent, site);
    if (deadline <= e->clock.now)
        cancel_context(e, c, &go_deadline_exceeded, NULL, GO_CANCELLED_BY_DEADLINE, site);
    else if (!c->err)
        cf_timer_arm(e, &c->timer, deadline);
    check_context(c);
    return c;
}

go_context *go_with_deadline_at(const go_site *site, go_context *parent, go_duration deadline,
                                go_cancel_func **cancel) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    return with_deadline(e, site, parent, GO_CONTEXT_DEADLINE, deadline, cancel);
}

go_context *go_with_timeout_at(const go_site *site, go_context *parent, go_duration d,
                               go_cancel_func **cancel) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    /* time.Now().Add(d) saturates rather than wrapping. */
    int64_t deadline = d > INT64_MAX - e->clock.now ? INT64_MAX : e->clock.now + d;
    return with_deadline(e, site, parent, GO_CONTEXT_TIMEOUT, deadline, cancel);
}

go_context *go_with_value_at(const go_site *site, go_context *parent, go_word key,
                             go_word value) {
    go_exec *e = cf_exec();
    require_parent(e, site, parent);
    if (key == 0) cf_fail(e, GO_END_PANIC, site, "nil key");
    go_context *c = new_context(e, GO_CONTEXT_VALUE, parent, site, sizeof(go_context));
    c->key = key;
    c->value = value;
    return c;
}

go_context *go_without_cancel_at(const go_site *site, go_context *parent) {
    go_exec *e = cf_exec();
    require_parent(e, site, parent);
    return new_context(e, GO_CONTEXT_WITHOUT_CANCEL, parent, site, sizeof(go_context));
}

/* ---- cancel, AfterFunc, stop ------------------------------------------------- */

void go_cancel_at(const go_site *site, go_cancel_func *f, const go_error *cause) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!f) cf_fail(e, GO_END_PANIC, site, NIL_DEREFERENCE);
    /* In Go only a CancelCauseFunc takes a cause; the C API cannot say so
     * in types, so a cause given to a plain CancelFunc is a misuse. */
    if (cause && !f->takes_cause)
        cf_fail(e, GO_END_PANIC, site, "chanfuzz: go_cancel_cause on a CancelFunc");
    if (!f->called) {
        f->called = true;
        f->called_site = site;
    }
    go_context *c = f->ctx;
    cancel_context(e, c, &go_canceled, cause, GO_CANCELLED_BY_CANCEL, site);
    check_context(c);
}

go_stop_func *go_context_after_func_at(const go_site *site, go_context *ctx,
                                       const char *fn_name, go_func *fn, void *arg) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!ctx) cf_fail(e, GO_END_PANIC, site, NIL_DEREFERENCE);
    go_stop_func *a = (go_stop_func *)new_context(e, GO_CONTEXT_AFTER_FUNC, ctx, site,
                                                  sizeof(go_stop_func));
    a->fn = fn;
    a->arg = arg;
    a->fn_name = fn_name;
    a->creator = e->current->id;
    /* Done already: propagate_cancel cancels it, which starts fn now. */
    propagate_cancel(e, &a->ctx, ctx, site);
    check_context(&a->ctx);
    return a;
}

/* The stop func: takes the once if fn has not; then, as Go does, cancels
 * the AfterFunc's context, which takes it off its parent's list. */
bool go_stop_at(const go_site *site, go_stop_func *a) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!a) cf_fail(e, GO_END_PANIC, site, NIL_DEREFERENCE);
    a->stop_called = true;
    if (a->once_taken) return false;
    a->once_taken = true;
    cancel_context(e, &a->ctx, &go_canceled, NULL, GO_CANCELLED_BY_STOP, site);
    check_context(&a->ctx);
    return true;
}

/* ---- the methods ------------------------------------------------------------- */

go_chan *go_ctx_done_at(const go_site *site, go_context *ctx) {
    go_exec *e = cf_exec();
    if (!ctx) cf_fail(e, GO_END_PANIC, site, NIL_DEREFERENCE);
    go_context *c = cf_context_nearest_cancellable(ctx);
    if (!c) return NULL;
    if (!c->done) {
        /* Made on first use as in Go, with the context's site so that a
         * goroutine blocked on it names where the context came from. Go
         * hands out a shared closed channel once cancelled; a fresh closed
         * one behaves the same. */
        c->done = go_make_chan_at(c->obj.site, 0);
        c->done->closed = c->err != NULL;
    }
    return c->done;
}

const go_error *go_ctx_err_at(const go_site *site, go_context *ctx) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!ctx) cf_fail(e, GO_END_PANIC, site, NIL_DEREFERENCE);
    go_context *c = cf_context_nearest_cancellable(ctx);
    const go_error *err = c ? c->err : NULL;
    /* `for ctx.Err() == nil {}` is busy-waiting: it must not stop time. */
    if (!err) cf_sched_note_poll(e);
    return err;
}

/* Go finds the nearest cancelCtx (Value(&cancelCtxKey), which WithoutCancel
 * hides) and returns its cause, else Err: the same walk as Err's. */
const go_error *go_context_cause_at(const go_site *site, go_context *ctx) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!ctx) cf_fail(e, GO_END_PANIC, site, NIL_DEREFERENCE);
    go_context *c = cf_context_nearest_cancellable(ctx);
    const go_error *cause = c ? c->cause : NULL;
    if (!cause) cf_sched_note_poll(e);
    return cause;
}

/* valueCtx answers for its own key, every other kind asks its parent
 * (withoutCancelCtx too: it drops cancellation, not values). */
go_word go_ctx_value_at(const go_site *site, go_context *ctx, go_word key) {
    if (!ctx) cf_fail(cf_exec(), GO_END_PANIC, site, NIL_DEREFERENCE);
    for (const go_context *c = ctx; c; c = c->parent)
        if (c->kind == GO_CONTEXT_VALUE && c->key == key) return c->value;
    return 0;
}

bool go_ctx_deadline_at(const go_site *site, go_context *ctx, go_duration *deadline) {
    if (!ctx) cf_fail(cf_exec(), GO_END_PANIC, site, NIL_DEREFERENCE);
    int64_t when = 0;
    bool ok = deadline_of(ctx, &when);
    if (deadline) *deadline = when;
    return ok;
}
