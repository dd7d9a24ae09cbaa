/* map.c -- map[K]V for any comparable K.
 *
 * Entries live in insertion order in one go_alloc'ed array (so the model's
 * conservative scanner sees what keys and values point to), each
 * {hash, live, key, value}; an open-addressing index (also go_alloc'ed)
 * maps a hash to entry positions. delete marks the entry dead and leaves
 * its index slot as a tombstone; when the array fills, it is compacted
 * (many dead) or doubled, and the index rebuilt. A key deleted and set
 * again goes to the end: insertion order is the order of the last
 * insertion of each live key.
 *
 * Iteration (Go leaves the order unspecified and randomises it): the
 * insertion order rotated by a DATA decision go_fz_intn(len), asked only
 * when len >= 2. The iterator snapshots the keys (go_alloc'ed) and looks
 * each up when reached: entries deleted meanwhile are skipped, entries
 * added are not produced, and updated values are seen, all of which Go
 * allows. (A NaN key can never be looked up, so iteration skips it.) */
#include "gort_internal.h"

struct gort_map {
    const gort_type *type;
    size_t key_off, val_off, entry_size;
    gort_int count;            /* live entries */
    gort_int used;             /* entries in the array, dead ones included */
    gort_int cap;              /* entries the array holds */
    uint8_t *entries;
    gort_int *index;           /* entry position + 1; 0 empty */
    gort_int index_cap;        /* a power of two, >= 2 * cap */
};

typedef struct entry_head {
    uint64_t hash;
    uint64_t live;
} entry_head;

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

static entry_head *entry_at(const gort_map *m, gort_int i) {
    return (entry_head *)(m->entries + (size_t)i * m->entry_size);
}
static void *key_of(const gort_map *m, entry_head *e) { return (uint8_t *)e + m->key_off; }
static void *val_of(const gort_map *m, entry_head *e) { return (uint8_t *)e + m->val_off; }

static void rebuild(const go_site *site, gort_map *m, gort_int cap) {
    uint8_t *old = m->entries;
    gort_int old_used = m->used;
    m->entries = go_alloc_at(site, (size_t)cap * m->entry_size);
    m->cap = cap;
    m->index_cap = 8;
    while (m->index_cap < 2 * cap) m->index_cap *= 2;
    m->index = go_alloc_at(site, (size_t)m->index_cap * sizeof(gort_int));
    m->used = 0;
    for (gort_int i = 0; i < old_used; i++) {
        entry_head *e = (entry_head *)(old + (size_t)i * m->entry_size);
        if (!e->live) continue;
        memcpy(entry_at(m, m->used), e, m->entry_size);
        uint64_t h = e->hash;
        gort_int j = (gort_int)(h & (uint64_t)(m->index_cap - 1));
        while (m->index[j]) j = (j + 1) & (m->index_cap - 1);
        m->index[j] = ++m->used;
    }
}

gort_map *gort_map_make(const go_site *site, const gort_type *map_type, gort_int hint) {
    if (hint < 0) gort_panic_runtime(site, "makemap: size out of range");
    gort_map *m = go_alloc_at(site, sizeof *m);
    m->type = map_type;
    m->key_off = sizeof(entry_head);
    m->val_off = m->key_off + round8(map_type->key->size);
    m->entry_size = m->val_off + round8(map_type->elem->size);
    gort_int cap = 8;
    while (cap < hint && cap < ((gort_int)1 << 30)) cap *= 2;
    rebuild(site, m, cap);
    return m;
}

/* The position of key's live entry, or -1. */
static gort_int find(const go_site *site, const gort_map *m, const void *key, uint64_t h) {
    const gort_type *kt = m->type->key;
    for (gort_int j = (gort_int)(h & (uint64_t)(m->index_cap - 1));; j = (j + 1) & (m->index_cap - 1)) {
        gort_int pos = m->index[j];
        if (!pos) return -1;
        entry_head *e = entry_at(m, pos - 1);
        if (e->live && e->hash == h && gort_equal(site, kt, key_of(m, e), key)) return pos - 1;
    }
}

bool gort_map_get(const go_site *site, const gort_map *m, const void *key, void *value_out) {
    if (!m || !m->count) {
        /* Go still hashes the key (a nil map of interface keys panics on an
         * unhashable one). */
        if (m) (void)gort_hash(site, m->type->key, key);
        if (value_out && m) memset(value_out, 0, m->type->elem->size);
        return false;
    }
    gort_int i = find(site, m, key, gort_hash(site, m->type->key, key));
    if (i < 0) {
        if (value_out) memset(value_out, 0, m->type->elem->size);
        return false;
    }
    if (value_out) memcpy(value_out, val_of(m, entry_at(m, i)), m->type->elem->size);
    return true;
}

void gort_map_set(const go_site *site, gort_map *m, const void *key, const void *value) {
    if (!m) {
        gort_iface err = gort__runtime_error(site, 1, "assignment to entry in nil map");
        gort_panic(site, err);
    }
    uint64_t h = gort_hash(site, m->type->key, key);
    gort_int i = find(site, m, key, h);
    if (i >= 0) {
        memcpy(val_of(m, entry_at(m, i)), value, m->type->elem->size);
        return;
    }
    if (m->used == m->cap) rebuild(site, m, m->count * 2 >= m->cap ? m->cap * 2 : m->cap);
    entry_head *e = entry_at(m, m->used);
    e->hash = h;
    e->live = 1;
    memcpy(key_of(m, e), key, m->type->key->size);
    memcpy(val_of(m, e), value, m->type->elem->size);
    gort_int j = (gort_int)(h & (uint64_t)(m->index_cap - 1));
    while (m->index[j]) j = (j + 1) & (m->index_cap - 1);
    m->index[j] = ++m->used;
    m->count++;
}

void gort_map_delete(const go_site *site, gort_map *m, const void *key) {
    if (!m) return;
    uint64_t h = gort_hash(site, m->type->key, key);
    if (!m->count) return;
    gort_int i = find(site, m, key, h);
    if (i < 0) return;
    entry_head *e = entry_at(m, i);
    e->live = 0;
    /* Drop what the dead entry points to, for the object graph. */
    memset(key_of(m, e), 0, m->entry_size - m->key_off);
    m->count--;
}

gort_int gort_map_len(const gort_map *m) { return m ? m->count : 0; }

void gort_map_iter_init(const go_site *site, gort_map_iter *it, gort_map *m) {
    memset(it, 0, sizeof *it);
    it->map = m;
    if (!m || !m->count) return;
    size_t ks = m->type->key->size;
    uint8_t *keys = go_alloc_at(site, (size_t)m->count * (ks ? ks : 1));
    gort_int n = 0;
    for (gort_int i = 0; i < m->used; i++) {
        entry_head *e = entry_at(m, i);
        if (e->live) memcpy(keys + (size_t)n++ * ks, key_of(m, e), ks);
    }
    it->keys = keys;
    it->count = n;
    it->start = n >= 2 ? (gort_int)go_fz_intn_at(site, (uint64_t)n) : 0;
}

bool gort_map_iter_next(gort_map_iter *it, void *key_out, void *value_out) {
    static const go_site site = {__FILE__, "gort_map_iter_next", __LINE__};
    gort_map *m = it->map;
    while (it->next < it->count) {
        gort_int k = (it->start + it->next++) % it->count;
        const void *key = (const uint8_t *)it->keys + (size_t)k * m->type->key->size;
        if (!m->count) continue;
        gort_int i = find(&site, m, key, gort_hash(&site, m->type->key, key));
        if (i < 0) continue;
        entry_head *e = entry_at(m, i);
        if (key_out) memcpy(key_out, key_of(m, e), m->type->key->size);
        if (value_out) memcpy(value_out, val_of(m, e), m->type->elem->size);
        return true;
    }
    return false;
}

/* fmt walks a map's live entries in insertion order (then sorts them). */
gort_int gort__map_entries(const gort_map *m, const void **keys, const void **values,
                           gort_int max) {
    gort_int n = 0;
    for (gort_int i = 0; m && i < m->used && n < max; i++) {
        entry_head *e = entry_at(m, i);
        if (!e->live) continue;
        keys[n] = key_of(m, e);
        values[n++] = val_of(m, e);
    }
    return n;
}
