/* map.c -- Go maps of words: map[go_word]go_word.
 *
 * Open addressing with linear probing over a power-of-two table, deleted
 * slots left as tombstones until the next rehash. Hashing is a fixed mix
 * of the key, so the table's layout -- and everything built on it -- is
 * the same in every run. (Go randomises iteration order; maps here offer
 * no iteration, so nothing depends on an order.)
 *
 * Keys and values are both strong (a map keeps alive what they point to),
 * traced as words: they may be pointers or integers. A map of weak values
 * stores go_weak handles, which hold their targets weakly; the map keeps
 * its entries, only the handles' values read back nil. */
#include <stdio.h>
#include <stdlib.h>

#include "graph.h"
#include "sched.h"

enum { SLOT_EMPTY = 0, SLOT_FULL, SLOT_DELETED };

typedef struct cf_map_slot {
    go_word key;
    go_word value;
    uint8_t state;
} cf_map_slot;

struct go_map {
    cf_object obj;
    cf_map_slot *slots;          /* malloc'ed; NULL until the first put */
    size_t capacity;             /* 0 or a power of two */
    size_t count;                /* full slots: len(m) */
    size_t used;                 /* full and deleted slots */
};

/* splitmix64's finalizer: consecutive keys and aligned pointers spread. */
static size_t hash(go_word key) {
    uint64_t z = (uint64_t)key + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (size_t)(z ^ (z >> 31));
}

/* The slot holding key, or NULL. */
static cf_map_slot *find(const go_map *m, go_word key) {
    if (!m || !m->count) return NULL;
    size_t mask = m->capacity - 1;
    for (size_t i = hash(key) & mask;; i = (i + 1) & mask) {
        cf_map_slot *slot = &m->slots[i];
        if (slot->state == SLOT_EMPTY) return NULL;
        if (slot->state == SLOT_FULL && slot->key == key) return slot;
    }
}

/* Rehashes into `capacity` slots, dropping tombstones. */
static void rehash(go_map *m, size_t capacity) {
    cf_map_slot *old = m->slots;
    size_t old_capacity = m->capacity;
    m->slots = calloc(capacity, sizeof *m->slots);
    cf_require(m->slots != NULL, "map table allocation");
    m->capacity = capacity;
    m->used = m->count;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].state != SLOT_FULL) continue;
        size_t j = hash(old[i].key) & (capacity - 1);
        while (m->slots[j].state != SLOT_EMPTY) j = (j + 1) & (capacity - 1);
        m->slots[j] = old[i];
    }
    free(old);
}

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_map *m = (const go_map *)obj;
    snprintf(out, size, "len %zu", m->count);
}

static void trace(const cf_object *obj, cf_tracer *tracer) {
    const go_map *m = (const go_map *)obj;
    for (size_t i = 0; i < m->capacity; i++) {
        if (m->slots[i].state != SLOT_FULL) continue;
        cf_trace_word(tracer, m->slots[i].key);
        cf_trace_word(tracer, m->slots[i].value);
    }
}

static void release(go_exec *e, cf_object *obj) {
    (void)e;
    free(((go_map *)obj)->slots);
}

static size_t owned_bytes(const cf_object *obj) {
    return ((const go_map *)obj)->capacity * sizeof(cf_map_slot);
}

static const cf_object_ops map_ops = {
    .describe = describe, .trace = trace, .release = release, .owned_bytes = owned_bytes};

go_map *go_map_new_at(const go_site *site) {
    go_exec *e = cf_exec();
    cf_graph_allocation_point(e, site);
    return cf_object_new(GO_OBJ_MAP, sizeof(go_map), site, &map_ops);
}

void go_map_put_at(const go_site *site, go_map *m, go_word key, go_word value) {
    if (!m) cf_fail(cf_exec(), GO_END_PANIC, site, "assignment to entry in nil map");
    cf_map_slot *slot = find(m, key);
    if (slot) {
        slot->value = value;
        return;
    }
    /* At most 3/4 full or deleted: probes stay short. A table mostly of
     * tombstones is rebuilt at its size; a full one doubles. */
    if (4 * (m->used + 1) > 3 * m->capacity)
        rehash(m, m->capacity == 0 ? 8 : 2 * m->count + 2 > m->capacity ? 2 * m->capacity
                                                                         : m->capacity);
    size_t mask = m->capacity - 1;
    size_t i = hash(key) & mask;
    while (m->slots[i].state == SLOT_FULL) i = (i + 1) & mask;
    if (m->slots[i].state == SLOT_EMPTY) m->used++;
    m->slots[i] = (cf_map_slot){key, value, SLOT_FULL};
    m->count++;
}

go_word go_map_get_at(const go_map *m, go_word key, bool *ok) {
    const cf_map_slot *slot = find(m, key);
    if (ok) *ok = slot != NULL;
    return slot ? slot->value : 0;
}

void go_map_delete_at(go_map *m, go_word key) {
    cf_map_slot *slot = find(m, key);
    if (!slot) return;
    slot->state = SLOT_DELETED;
    slot->value = 0;
    slot->key = 0;
    m->count--;
}

size_t go_map_len(const go_map *m) { return m ? m->count : 0; }
