/* object.h -- the header every model object (channel, mutex, ...) starts
 * with, and the per-execution registry of them.
 *
 * Objects are allocated one by one with calloc rather than carved from a
 * bump arena: ASan then puts redzones around each and quarantines it after
 * free, so a scenario that keeps a channel past its execution is caught.
 * Every object is freed with its execution (go_exec_free).
 *
 * Ids count per kind from 1 within an execution (chan#1, mutex#1), so
 * traces and reports never show an address and are the same in every run.
 */
#ifndef CF_OBJECT_H
#define CF_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/exec.h"

typedef struct cf_object cf_object;

/* The collector's side of one object's tracing (graph.c). */
typedef struct cf_tracer cf_tracer;

/* What each kind provides to the runtime's generic code. */
typedef struct cf_object_ops {
    /* State in a few words, for dumps: "unbuffered, 0 receivers waiting". */
    void (*describe)(const cf_object *obj, char *out, size_t size);
    /* Throws if the object's invariants do not hold (check builds). */
    void (*check)(const cf_object *obj);

    /* The object graph (graph.c). All optional. */

    /* Reports every reference the object holds, with the cf_trace_*
     * calls below: precise ones for fields the runtime types (a timer's
     * channel), conservative words for what the scenario stores (a
     * buffered go_word, a captured word). NULL: everything after the
     * header is scanned conservatively, which is safe for any kind but
     * may keep more alive than the kind really does. */
    void (*trace)(const cf_object *obj, cf_tracer *tracer);
    /* Called just before the object is freed: releases what it owns
     * besides its own allocation, and, while the execution runs (e not
     * NULL: a collection frees it), unlinks it from the runtime (a timer
     * leaves the clock's heap). e is NULL from go_exec_free, when the
     * runtime's structures go wholesale. */
    void (*release)(go_exec *e, cf_object *obj);
    /* Bytes it owns beyond obj->size (a map's table), for what a goroutine
     * or root retains. */
    size_t (*owned_bytes)(const cf_object *obj);
    /* The runtime indexes objects of this kind outside the graph (the
     * context table): collections may find them unreachable, clear weak
     * pointers to them and run their cleanups, but never free them (nor
     * what they reference) before go_exec_free. */
    bool kept_until_end;
} cf_object_ops;

/* Reports a reference held in a runtime-typed field: target is an object
 * or NULL. */
void cf_trace_object(cf_tracer *tracer, const cf_object *target);
/* Reports a word that may hold a pointer into an object (interior pointers
 * count, as in Go). */
void cf_trace_word(cf_tracer *tracer, go_word word);
/* Reports `bytes` of memory whose aligned words may hold pointers. */
void cf_trace_words(cf_tracer *tracer, const void *from, size_t bytes);
/* The trace op of kinds that reference no object (mutexes, atomics). */
void cf_trace_nothing(const cf_object *obj, cf_tracer *tracer);

struct cf_object {
    go_object_kind kind;
    uint64_t id;                /* per kind, from 1 */
    size_t size;                /* bytes, for the object graph */
    const go_site *site;        /* where it was made */
    const cf_object_ops *ops;
    cf_object *next;            /* the execution's list of all objects */
    cf_object *prev;
};

/* Allocates a zeroed object of `size` bytes (cf_object first) in the
 * running execution and registers it. Throws outside an execution. */
void *cf_object_new(go_object_kind kind, size_t size, const go_site *site,
                    const cf_object_ops *ops);
/* Gives an unlinked object's memory back (to the pool of its size, or to
 * free). */
void cf_object_free(cf_object *obj);

/* Writes "chan#3" into out. */
void cf_object_name(const cf_object *obj, char *out, size_t size);

#endif
