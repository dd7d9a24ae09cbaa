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

#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/exec.h"

typedef struct cf_object cf_object;

/* What each kind provides to the runtime's generic code. */
typedef struct cf_object_ops {
    /* State in a few words, for dumps: "unbuffered, 0 receivers waiting". */
    void (*describe)(const cf_object *obj, char *out, size_t size);
    /* Throws if the object's invariants do not hold (check builds). */
    void (*check)(const cf_object *obj);
} cf_object_ops;

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

/* Writes "chan#3" into out. */
void cf_object_name(const cf_object *obj, char *out, size_t size);

#endif
