/* object.c -- allocating and naming model objects (see object.h). */
#include <stdio.h>
#include <stdlib.h>

#include "sched.h"

static const char *const kind_names[GO_OBJ_KIND_COUNT] = {
    [GO_OBJ_NONE] = "none",       [GO_OBJ_CHAN] = "chan",
    [GO_OBJ_MUTEX] = "mutex",     [GO_OBJ_RWMUTEX] = "rwmutex",
    [GO_OBJ_WAITGROUP] = "waitgroup", [GO_OBJ_ONCE] = "once",
    [GO_OBJ_COND] = "cond",       [GO_OBJ_ATOMIC] = "atomic",
    [GO_OBJ_TIMER] = "timer",
    [GO_OBJ_CONTEXT] = "context", [GO_OBJ_CANCEL_FUNC] = "cancel_func",
    [GO_OBJ_RESOURCE] = "resource",
    [GO_OBJ_HEAP] = "heap",       [GO_OBJ_CLOSURE] = "closure",
    [GO_OBJ_MAP] = "map",         [GO_OBJ_WEAK] = "weak",
};

const char *go_object_kind_name(go_object_kind kind) {
    return (unsigned)kind < GO_OBJ_KIND_COUNT ? kind_names[kind] : "unknown";
}

void *cf_object_new(go_object_kind kind, size_t size, const go_site *site,
                    const cf_object_ops *ops) {
    go_exec *e = cf_exec();
    cf_object *obj = calloc(1, size);
    cf_require(obj != NULL, "object allocation");
    obj->kind = kind;
    obj->id = ++e->next_object_id[kind];
    obj->size = size;
    obj->site = site;
    obj->ops = ops;
    obj->next = e->objects;
    if (e->objects) e->objects->prev = obj;
    e->objects = obj;
    return obj;
}

void cf_object_name(const cf_object *obj, char *out, size_t size) {
    snprintf(out, size, "%s#%llu", go_object_kind_name(obj->kind),
             (unsigned long long)obj->id);
}
