/* context_inspect.c -- the context package seen from outside: names,
 * object descriptions for dumps, the invariant checks of context.h, the
 * per-execution table of contexts, and the inspection API of exec.h. */
#include <stdio.h>
#include <stdlib.h>

#include "context.h"

static const char *const kind_names[GO_CONTEXT_KIND_COUNT] = {
    [GO_CONTEXT_BACKGROUND] = "background", [GO_CONTEXT_TODO] = "todo",
    [GO_CONTEXT_CANCEL] = "cancel",         [GO_CONTEXT_CANCEL_CAUSE] = "cancelCause",
    [GO_CONTEXT_TIMEOUT] = "timeout",       [GO_CONTEXT_DEADLINE] = "deadline",
    [GO_CONTEXT_VALUE] = "value",           [GO_CONTEXT_WITHOUT_CANCEL] = "withoutCancel",
    [GO_CONTEXT_AFTER_FUNC] = "afterFunc",
};

const char *go_context_kind_name(go_context_kind kind) {
    return (unsigned)kind < GO_CONTEXT_KIND_COUNT ? kind_names[kind] : "unknown";
}

const char *go_cancelled_by_name(go_cancelled_by by) {
    switch (by) {
    case GO_CANCELLED_NOT: return "not cancelled";
    case GO_CANCELLED_BY_CANCEL: return "cancel";
    case GO_CANCELLED_BY_PARENT: return "parent";
    case GO_CANCELLED_BY_DEADLINE: return "deadline";
    case GO_CANCELLED_BY_STOP: return "stop";
    }
    return "unknown";
}

const char *cf_context_type_name(const go_context *c) {
    switch (c->kind) {
    case GO_CONTEXT_BACKGROUND: return "context.Background";
    case GO_CONTEXT_TODO: return "context.TODO";
    case GO_CONTEXT_VALUE: return "valueCtx";
    case GO_CONTEXT_WITHOUT_CANCEL: return "withoutCancelCtx";
    case GO_CONTEXT_AFTER_FUNC: return "afterFuncCtx";
    case GO_CONTEXT_TIMEOUT:
    case GO_CONTEXT_DEADLINE:
        /* Under an earlier parent deadline Go made a plain cancelCtx. */
        return c->has_deadline ? "timerCtx" : "cancelCtx";
    default: return "cancelCtx";
    }
}

/* ---- descriptions ------------------------------------------------------------ */

static const char *plural(size_t n, const char *one, const char *many) {
    return n == 1 ? one : many;
}

/* "timerCtx, cancelled: no, 2 children, deadline at 5ms (timer pending),
 * registered in context#1, 1 Done waiter" */
void cf_context_describe(const cf_object *obj, char *out, size_t size) {
    const go_context *c = (const go_context *)obj;
    const char *type = cf_context_type_name(c);
    if (c->kind == GO_CONTEXT_BACKGROUND || c->kind == GO_CONTEXT_TODO) {
        snprintf(out, size, "%s", type);
        return;
    }
    if (c->kind == GO_CONTEXT_VALUE) {
        snprintf(out, size, "%s, key %llu, value %llu, over context#%llu", type,
                 (unsigned long long)c->key, (unsigned long long)c->value,
                 (unsigned long long)c->parent->obj.id);
        return;
    }
    if (c->kind == GO_CONTEXT_WITHOUT_CANCEL) {
        snprintf(out, size, "%s, over context#%llu", type, (unsigned long long)c->parent->obj.id);
        return;
    }
    char cancelled[96] = "no";
    if (c->err)
        snprintf(cancelled, sizeof cancelled, "yes, by %s (%s)",
                 go_cancelled_by_name(c->cancelled_by), c->err->text);
    char deadline[80] = "";
    if (c->has_deadline) {
        char when[32];
        cf_format_duration(c->deadline, when, sizeof when);
        snprintf(deadline, sizeof deadline, ", deadline at %s%s", when,
                 cf_timer_pending(&c->timer) ? " (timer pending)" : "");
    }
    char registered[48] = "not registered";
    if (c->registered_in)
        snprintf(registered, sizeof registered, "registered in context#%llu",
                 (unsigned long long)c->registered_in->obj.id);
    size_t waiters = c->done ? c->done->recvq.length : 0;
    snprintf(out, size, "%s, cancelled: %s, %zu %s%s, %s, %zu Done %s", type, cancelled,
             c->child_count, plural(c->child_count, "child", "children"), deadline, registered,
             waiters, plural(waiters, "waiter", "waiters"));
}

/* "cancel func of context#3, never called" */
void cf_cancel_func_describe(const cf_object *obj, char *out, size_t size) {
    const go_cancel_func *f = (const go_cancel_func *)obj;
    if (f->called)
        snprintf(out, size, "%s of context#%llu, called at %s:%d",
                 f->takes_cause ? "CancelCauseFunc" : "CancelFunc",
                 (unsigned long long)f->ctx->obj.id, f->called_site->file, f->called_site->line);
    else
        snprintf(out, size, "%s of context#%llu, never called",
                 f->takes_cause ? "CancelCauseFunc" : "CancelFunc",
                 (unsigned long long)f->ctx->obj.id);
}

/* ---- invariants (listed in context.h) -------------------------------------- */

void cf_context_check(const cf_object *obj) {
    const go_context *c = (const go_context *)obj;
    size_t n = 0;
    const go_context *prev = NULL;
    for (const go_context *k = c->first_child; k; k = k->next_sibling) {
        cf_require(k->prev_sibling == prev, "context: children links are consistent");
        cf_require(k->registered_in == c, "context: a listed child is registered in its lister");
        prev = k;
        n++;
    }
    cf_require(c->last_child == prev, "context: the last child ends the children list");
    cf_require(c->child_count == n, "context: child_count matches the children list");

    if (!cf_context_cancellable(c)) {
        cf_require(!c->registered_in && n == 0 && !c->err && !cf_timer_pending(&c->timer),
                   "context: only cancellable contexts register, are cancelled, keep timers");
        return;
    }
    const go_context *ancestor = cf_context_nearest_cancellable(c->parent);
    if (c->err) {
        cf_require(c->cause != NULL && c->cancelled_by != GO_CANCELLED_NOT,
                   "context: a cancelled context has a cause and a canceller");
        cf_require(c->registered_in == NULL, "context: a cancelled context is registered nowhere");
        cf_require(n == 0, "context: a cancelled context has no children");
        cf_require(!cf_timer_pending(&c->timer),
                   "context: a cancelled context has no pending timer");
        cf_require(!c->done || c->done->closed, "context: a cancelled context's Done is closed");
    } else {
        cf_require(!ancestor || !ancestor->err,
                   "context: the descendants of a cancelled context are cancelled");
        cf_require(c->registered_in == ancestor,
                   "context: a live context is registered in its nearest cancellable ancestor");
        cf_require(cf_timer_pending(&c->timer) == c->has_deadline,
                   "context: a live context's own deadline has its timer pending");
    }
}

void cf_cancel_func_check(const cf_object *obj) {
    const go_cancel_func *f = (const go_cancel_func *)obj;
    cf_require(f->ctx && f->ctx->cancel_func == f, "cancel func: its context knows it");
    cf_require(!f->called || f->ctx->err, "cancel func: once called, its context is cancelled");
}

/* ---- the per-execution table --------------------------------------------------- */

cf_context_table *cf_context_table_get(go_exec *e) {
    if (!e->contexts) {
        e->contexts = calloc(1, sizeof *e->contexts);
        cf_require(e->contexts != NULL, "context table allocation");
    }
    return e->contexts;
}

void cf_context_table_add(go_exec *e, go_context *c) {
    cf_context_table *t = cf_context_table_get(e);
    if (t->count == t->capacity) {
        size_t capacity = t->capacity ? t->capacity * 2 : 16;
        go_context **by_id = realloc(t->by_id, sizeof *by_id * capacity);
        cf_require(by_id != NULL, "context table allocation");
        t->by_id = by_id;
        t->capacity = capacity;
    }
    cf_require(c->obj.id == t->count + 1, "context ids count from 1 in creation order");
    t->by_id[t->count++] = c;
}

void cf_context_table_free(go_exec *e) {
    if (!e->contexts) return;
    free(e->contexts->by_id);
    free(e->contexts);
    e->contexts = NULL;
}

/* ---- inspection ------------------------------------------------------------------ */

size_t go_exec_context_count(const go_exec *e) { return e->contexts ? e->contexts->count : 0; }

/* The state is frozen once the execution has ended, so filling the record
 * on every call gives the same answer each time; Done's wait queue is read
 * only for its length (the records were on stacks now released). */
const go_context_info *go_exec_context(const go_exec *e, size_t index) {
    if (!e->contexts || index >= e->contexts->count) return NULL;
    go_context *c = e->contexts->by_id[index];
    const go_context *ancestor = cf_context_nearest_cancellable(c);
    go_context_info *info = &c->info;
    *info = (go_context_info){
        .id = c->obj.id,
        .kind = c->kind,
        .site = c->obj.site,
        .parent_id = c->parent ? c->parent->obj.id : 0,
        .cancel_func_id = c->cancel_func ? c->cancel_func->obj.id : 0,
        .cancel_called = c->cancel_func && c->cancel_func->called,
        .cancel_site = c->cancel_func ? c->cancel_func->called_site : NULL,
        .cancelled_by = c->cancelled_by,
        .err = ancestor ? ancestor->err : NULL,
        .cause = ancestor ? ancestor->cause : NULL,
        .has_deadline = c->has_deadline,
        .deadline = c->deadline,
        .registered = c->registered_in != NULL,
        .registered_in_id = c->registered_in ? c->registered_in->obj.id : 0,
        .children = c->child_count,
        .timer_pending = cf_timer_pending(&c->timer),
        .done_waiters = c->done ? c->done->recvq.length : 0,
        .done_chan_id = c->done ? c->done->obj.id : 0,
    };
    if (c->kind == GO_CONTEXT_AFTER_FUNC) {
        const go_stop_func *a = (const go_stop_func *)c;
        info->func_started = a->started;
        info->stop_called = a->stop_called;
    }
    return info;
}
