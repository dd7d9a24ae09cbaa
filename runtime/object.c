/* object.c -- allocating and naming model objects (see object.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitizer.h"
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

/* ---- the pool of freed objects ----------------------------------------------
 * Every object of an execution is freed when it ends (or by a collection),
 * and the next execution makes the same ones again: calloc and free took
 * a quarter of a Go twin's run (perf; most of it for model objects). So a
 * freed object of up to POOL_LARGEST bytes waits in a list per size class
 * for the next object of its class, and a few thousand of each class are
 * kept. The heads are GO_NOT_SCANNED, and the links live inside free
 * blocks, which no root reaches and no index holds. Under ASan there is no pool: a model object freed and then used
 * must stay a heap-use-after-free report. */
#define POOL_GRAIN 32
#define POOL_LARGEST 512
#define POOL_KEEP 4096

typedef struct free_block {
    struct free_block *next;
} free_block;

static struct {
    free_block *head;
    size_t count;
} pool[POOL_LARGEST / POOL_GRAIN] GO_NOT_SCANNED;

/* The class of an object of `size` bytes, or -1 when the pool takes none. */
static int pool_class(size_t size) {
    if (CF_ASAN || size > POOL_LARGEST) return -1;
    return (int)((size + POOL_GRAIN - 1) / POOL_GRAIN) - 1;
}

/* Zeroes `bytes` (a multiple of POOL_GRAIN) 32 bytes a step: an inline
 * memset of a size known only at run time became `rep stos`, where about
 * half of cf_object_new's samples fell (perf annotate). */
static void zero_block(void *block, size_t bytes) {
    typedef uint64_t chunk[4];
    chunk *p = block, *end = (chunk *)((char *)block + bytes);
    for (; p < end; p++) {
        (*p)[0] = 0;
        (*p)[1] = 0;
        (*p)[2] = 0;
        (*p)[3] = 0;
        __asm__ volatile("" ::: "memory"); /* not back into a memset */
    }
}

static cf_object *allocate(size_t size) {
    int c = pool_class(size);
    if (c < 0) return calloc(1, size);
    size_t block = (size_t)(c + 1) * POOL_GRAIN;
    free_block *b = pool[c].head;
    if (!b) return calloc(1, block);
    pool[c].head = b->next;
    pool[c].count--;
    zero_block(b, block);
    return (cf_object *)b;
}

void cf_object_free(cf_object *obj) {
    int c = pool_class(obj->size);
    if (c < 0 || pool[c].count >= POOL_KEEP) {
        free(obj);
        return;
    }
    free_block *b = (free_block *)obj;
    b->next = pool[c].head;
    pool[c].head = b;
    pool[c].count++;
}

void *cf_object_new(go_object_kind kind, size_t size, const go_site *site,
                    const cf_object_ops *ops) {
    go_exec *e = cf_exec();
    cf_object *obj = allocate(size);
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
