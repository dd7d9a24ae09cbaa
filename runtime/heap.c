/* heap.c -- scenario heap objects: go_alloc, Go's new(T) and make([]T, n).
 *
 * The payload is opaque to the model, so it is scanned conservatively:
 * any aligned word in it that points into an object keeps that object. */
#include <stddef.h>
#include <stdio.h>

#include "graph.h"
#include "sched.h"

/* The model's largest allocation: beyond it Go would say "out of memory",
 * and calloc would fail where the model cannot report it well. */
#define CF_HEAP_MAX ((size_t)1 << 32)

typedef struct cf_heap_object {
    cf_object obj;
    size_t payload_size;          /* as asked for */
    _Alignas(max_align_t) unsigned char payload[]; /* aligned as malloc's */
} cf_heap_object;

static void describe(const cf_object *obj, char *out, size_t size) {
    snprintf(out, size, "%zu bytes", ((const cf_heap_object *)obj)->payload_size);
}

static void trace(const cf_object *obj, cf_tracer *tracer) {
    const cf_heap_object *h = (const cf_heap_object *)obj;
    cf_trace_words(tracer, h->payload, h->payload_size);
}

static const cf_object_ops heap_ops = {.describe = describe, .trace = trace};

const void *cf_heap_payload(const cf_object *obj) {
    return ((const cf_heap_object *)obj)->payload;
}

void *go_alloc_at(const go_site *site, size_t size) {
    go_exec *e = cf_exec();
    if (size > CF_HEAP_MAX) cf_fatal(e, site, "runtime: out of memory");
    cf_graph_allocation_point(e, site);
    /* A payload of 16 bytes at least: a pointer to it must fall inside the
     * allocation, or the object could never be found from it; and with
     * fewer than 9 bytes after it, malloc's header of the next chunk can
     * sit at the payload's address, and the allocator's own pointers to
     * that chunk would read as handles (stale_data.c). */
    size_t room = size < 16 ? 16 : size;
    cf_heap_object *h = cf_object_new(GO_OBJ_HEAP, offsetof(cf_heap_object, payload) + room,
                                      site, &heap_ops);
    h->payload_size = size;
    return h->payload;
}
