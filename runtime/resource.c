/* resource.c -- a modelled file or connection (Go 1.23 os.File's Close
 * contract), so that "resource never closed" can be found: os.Open never
 * fails here, Close works once and then reports os.ErrClosed wrapped in a
 * *PathError ("close NAME: file already closed"), and so does any use
 * after Close. Misuse is an error value, never a panic, as in Go.
 *
 * Every resource is recorded in the execution's table, in id order, with
 * the go_resource_info the detectors read; its state is kept in that
 * record as it changes, so inspection after the end needs no snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resource.h"
#include "sched.h"

struct go_resource {
    cf_object obj;
    go_resource_info info;       /* what the detectors read; info.name
                                    points into text */
    go_error close_error;        /* returned by a second Close */
    go_error use_error;          /* returned by a use after Close */
    char text[];                 /* name, then both error texts */
};

typedef struct cf_resource_table {
    go_resource **by_id;         /* resource#id at [id - 1] */
    size_t count;
    size_t capacity;
} cf_resource_table;

/* os.ErrInvalid, what a method on a nil *os.File returns. */
static const go_error err_invalid = {"invalid argument"};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_resource *r = (const go_resource *)obj;
    if (r->info.closed)
        snprintf(out, size, "%s, closed at %s:%d", r->info.name, r->info.close_site->file,
                 r->info.close_site->line);
    else
        snprintf(out, size, "%s, open", r->info.name);
}

/* The object holds texts, no references. Kept until the end even when
 * unreachable: a file nobody can close any more is the very finding the
 * table exists for. */
static const cf_object_ops resource_ops = {
    .describe = describe,
    .trace = cf_trace_nothing,
    .kept_until_end = true,
};

static void table_add(go_exec *e, go_resource *r) {
    cf_resource_table *t = e->resources;
    if (!t) {
        t = calloc(1, sizeof *t);
        cf_require(t != NULL, "resource table allocation");
        e->resources = t;
    }
    if (t->count == t->capacity) {
        size_t capacity = t->capacity ? t->capacity * 2 : 16;
        go_resource **by_id = realloc(t->by_id, sizeof *by_id * capacity);
        cf_require(by_id != NULL, "resource table allocation");
        t->by_id = by_id;
        t->capacity = capacity;
    }
    t->by_id[t->count++] = r;
}

void cf_resource_table_free(go_exec *e) {
    if (!e->resources) return;
    free(e->resources->by_id);
    free(e->resources);
    e->resources = NULL;
}

/* out = op name tail (tail_size counts its NUL); out has room for all. */
static void compose(char *out, const char *op, const char *name, size_t name_len,
                    const char *tail, size_t tail_size) {
    size_t op_len = strlen(op);
    memcpy(out, op, op_len);
    memcpy(out + op_len, name, name_len);
    memcpy(out + op_len + name_len, tail, tail_size);
}

go_resource *go_open_at(const go_site *site, const char *name) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    static const char already_closed[] = ": file already closed";
    size_t name_len = strlen(name);
    size_t close_len = strlen("close ") + name_len + sizeof already_closed;
    size_t use_len = strlen("use ") + name_len + sizeof already_closed;
    go_resource *r = cf_object_new(GO_OBJ_RESOURCE,
                                   sizeof *r + name_len + 1 + close_len + use_len, site,
                                   &resource_ops);
    char *text = r->text;
    memcpy(text, name, name_len + 1);
    char *close_text = text + name_len + 1;
    char *use_text = close_text + close_len;
    /* Copied, not printed: a Go test's every os.Open and CreateTemp comes
     * here. */
    compose(close_text, "close ", name, name_len, already_closed, sizeof already_closed);
    compose(use_text, "use ", name, name_len, already_closed, sizeof already_closed);
    r->close_error.text = close_text;
    r->use_error.text = use_text;
    r->info.kind = GO_OBJ_RESOURCE;
    r->info.id = r->obj.id;
    r->info.name = text;
    r->info.open_site = site;
    r->info.opened_by = e->current->id;
    table_add(e, r);
    return r;
}

const go_error *go_resource_close_at(const go_site *site, go_resource *r) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!r) return &err_invalid;
    if (r->info.closed) return &r->close_error;
    r->info.closed = true;
    r->info.close_site = site;
    cf_emit(e, GO_EVENT_CLOSE, 0, &r->obj, site, NULL, 0);
    return NULL;
}

const go_error *go_resource_use_at(const go_site *site, go_resource *r) {
    go_exec *e = cf_exec();
    cf_sched_point(e, site);
    if (!r) return &err_invalid;
    return r->info.closed ? &r->use_error : NULL;
}

size_t go_exec_resource_count(const go_exec *e) {
    return e->resources ? e->resources->count : 0;
}

const go_resource_info *go_exec_resource(const go_exec *e, size_t index) {
    if (!e->resources || index >= e->resources->count) return NULL;
    return &e->resources->by_id[index]->info;
}

const char *go_resource_name(const go_resource *r) { return r ? r->info.name : ""; }
