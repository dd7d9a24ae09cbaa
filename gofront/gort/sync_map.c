/* sync_map.c -- sync.Map as Go 1.19 has it (Load, Store, LoadOrStore,
 * LoadAndDelete, Delete, Range; Swap and the CompareAnd* methods came in
 * Go 1.20, and Go 1.19's type checker refuses them).
 *
 * Go's Map is a read-mostly copy and a locked dirty map; what a program can
 * observe of it is a map[any]any whose operations are each atomic. The
 * model is that: the Map's first word points to a gort map of
 * map[interface {}]interface {} (go_alloc'ed, so keys and values stay
 * visible to the object graph), and every operation is one scheduling
 * point (as the model's atomics: Load is a poll, so a goroutine spinning on
 * Load is idle) followed by the map operation, indivisibly. A key that is
 * not hashable panics as Go's map does.
 *
 * Range: Go visits each key at most once, and for a key stored or deleted
 * meanwhile may reflect any mapping from during the call. The model's order
 * is map iteration's (gort_map_iter: a DATA decision), over the keys
 * present when Range starts, each looked up when reached: deleted keys are
 * skipped, updated values seen, keys added not visited. */
#include "gort_internal.h"

static const gort_type any_type = {
    .kind = GORT_INTERFACE, .flags = GORT_COMPARABLE, .size = sizeof(gort_iface),
    .align = 8, .name = "interface {}"};

static const gort_type map_any_any = {
    .kind = GORT_MAP, .flags = GORT_DIRECT, .size = sizeof(void *), .align = 8,
    .name = "map[interface {}]interface {}", .elem = &any_type, .key = &any_type};

static void *new_map(const go_site *site) { return gort_map_make(site, &map_any_any, 0); }

/* The Map's model after its scheduling point. */
static gort_map *begin(const go_site *site, void *m, bool poll) {
    gort_map *map = gort__lazy(site, m, new_map);
    gort__sched_point(site, poll);
    return map;
}

void gort_sync_map_store(const go_site *site, void *m, gort_iface key, gort_iface value) {
    gort_map_set(site, begin(site, m, false), &key, &value);
}

gort_iface gort_sync_map_load(const go_site *site, void *m, gort_iface key, bool *ok) {
    gort_iface value = {0};
    *ok = gort_map_get(site, begin(site, m, true), &key, &value);
    return value;
}

gort_iface gort_sync_map_load_or_store(const go_site *site, void *m, gort_iface key,
                                       gort_iface value, bool *loaded) {
    gort_map *map = begin(site, m, false);
    gort_iface actual = {0};
    *loaded = gort_map_get(site, map, &key, &actual);
    if (*loaded) return actual;
    gort_map_set(site, map, &key, &value);
    return value;
}

gort_iface gort_sync_map_load_and_delete(const go_site *site, void *m, gort_iface key,
                                         bool *loaded) {
    gort_map *map = begin(site, m, false);
    gort_iface value = {0};
    *loaded = gort_map_get(site, map, &key, &value);
    if (*loaded) gort_map_delete(site, map, &key);
    return value;
}

void gort_sync_map_delete(const go_site *site, void *m, gort_iface key) {
    gort_map_delete(site, begin(site, m, false), &key);
}

void gort_sync_map_range(const go_site *site, void *m, gort_func f) {
    gort_map *map = begin(site, m, true);
    gort_map_iter it;
    gort_map_iter_init(site, &it, map);
    gort_iface key, value;
    while (gort_map_iter_next(&it, &key, &value)) {
        if (!f.fn) gort_panic_nil(site); /* Go calls f: a nil f is a nil call */
        if (!((bool (*)(void *, gort_iface, gort_iface))f.fn)(f.env, key, value)) return;
    }
}
