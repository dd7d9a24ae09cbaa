/* iface.c -- interface values: itabs, boxing, conversions and type
 * assertions with Go 1.19's messages (runtime/iface.go, error.go).
 *
 * An itab holds the dynamic type's methods in the interface's sorted
 * method order, found by name in the type's sorted method table (names
 * only: the translator has checked the signatures). Itabs made at run time
 * are cached for the process: they are immutable and hold no model
 * object, so no execution can see another's. The cache is keyed by the
 * descriptors' addresses, which only decides where an itab is found. */
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

void *gort__method(const gort_type *t, const char *name) {
    size_t lo = 0, hi = t ? t->method_count : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->methods[mid].name, name);
        if (c == 0) return t->methods[mid].fn;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* ---- the itab cache ----------------------------------------------------- */

typedef struct slot {
    const gort_type *type, *iface;
    const gort_itab *tab;       /* NULL with type set: t lacks a method */
    const char *missing;
} slot;

static struct {
    slot *slots;
    size_t cap, count;          /* cap a power of two */
} cache;

static size_t slot_of(const gort_type *t, const gort_type *iface, size_t cap) {
    uint64_t h = (uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)iface;
    h ^= h >> 29;
    return (size_t)(h * 0xbf58476d1ce4e5b9u >> 7) & (cap - 1);
}

static slot *find(const gort_type *t, const gort_type *iface) {
    if (!cache.cap) return NULL;
    for (size_t i = slot_of(t, iface, cache.cap);; i = (i + 1) & (cache.cap - 1)) {
        slot *s = &cache.slots[i];
        if (!s->type) return s;
        if (s->type == t && s->iface == iface) return s;
    }
}

static void grow(void) {
    size_t cap = cache.cap ? cache.cap * 2 : 64;
    slot *slots = calloc(cap, sizeof *slots);
    if (!slots) abort();
    for (size_t i = 0; i < cache.cap; i++) {
        slot *s = &cache.slots[i];
        if (!s->type) continue;
        size_t j = slot_of(s->type, s->iface, cap);
        while (slots[j].type) j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(cache.slots);
    cache.slots = slots;
    cache.cap = cap;
}

static const gort_itab *make_itab(const gort_type *t, const gort_type *iface,
                                  const char **missing) {
    size_t n = iface ? iface->interface_method_count : 0;
    void *fns[n ? n : 1];
    for (size_t k = 0; k < n; k++) {
        fns[k] = gort__method(t, iface->interface_methods[k]);
        if (!fns[k]) {
            *missing = iface->interface_methods[k];
            return NULL;
        }
    }
    gort_itab *tab = malloc(sizeof *tab + n * sizeof(void *));
    if (!tab) abort();
    tab->type = t;
    tab->iface = iface;
    memcpy(tab->fns, fns, n * sizeof(void *));
    return tab;
}

const gort_itab *gort__itab_lookup(const gort_type *t, const gort_type *iface,
                                   const char **missing) {
    const char *dummy;
    if (!missing) missing = &dummy;
    *missing = NULL;
    if (!t) return NULL;
    slot *s = find(t, iface);
    if (s && s->type) {
        *missing = s->missing;
        return s->tab;
    }
    if (cache.count * 2 + 2 > cache.cap) grow();
    const gort_itab *tab = make_itab(t, iface, missing);
    s = find(t, iface);
    *s = (slot){t, iface, tab, *missing};
    cache.count++;
    return tab;
}

const gort_itab *gort_itab_get(const gort_type *t, const gort_type *iface) {
    return gort__itab_lookup(t, iface, NULL);
}

const gort_itab *gort__eface_tab(const gort_type *t) { return gort__itab_lookup(t, NULL, NULL); }

/* ---- boxing ------------------------------------------------------------------- */

/* Go's runtime.staticuint64s: the values 0-255, which a boxed small
 * integer points into instead of a new allocation (little-endian: the
 * first bytes of each word hold the value for every size). */
#define SMALL4(n) (n), (n) + 1, (n) + 2, (n) + 3
#define SMALL16(n) SMALL4(n), SMALL4((n) + 4), SMALL4((n) + 8), SMALL4((n) + 12)
#define SMALL64(n) SMALL16(n), SMALL16((n) + 16), SMALL16((n) + 32), SMALL16((n) + 48)
static const uint64_t small_values[256] = {SMALL64(0), SMALL64(64), SMALL64(128), SMALL64(192)};
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "small_values is read at its words' start");

/* Where Go 1.19 boxes without allocating: a bool or one-byte integer
 * always (walk's dataWord), a 2-, 4- or 8-byte scalar below 256 (convT16,
 * convT32, convT64). Structs and arrays of those sizes qualify in Go too;
 * here they are allocated, which only costs an object. */
static const void *static_box(const gort_type *t, const void *value) {
    uint64_t v;
    switch (t->kind) {
    case GORT_BOOL: case GORT_INT8: case GORT_UINT8: return &small_values[*(const uint8_t *)value];
    case GORT_INT16: case GORT_UINT16: v = *(const uint16_t *)value; break;
    case GORT_INT32: case GORT_UINT32: case GORT_FLOAT32: v = *(const uint32_t *)value; break;
    case GORT_INT: case GORT_INT64: case GORT_UINT: case GORT_UINT64: case GORT_UINTPTR:
    case GORT_FLOAT64: v = *(const uint64_t *)value; break;
    default: return NULL;
    }
    return v < 256 ? &small_values[v] : NULL;
}

gort_iface gort_iface_make(const go_site *site, const gort_itab *tab, const void *value) {
    gort_iface x = {tab, NULL};
    if (!tab) return x;
    const gort_type *t = tab->type;
    const void *fixed;
    if (t->flags & GORT_DIRECT) {
        memcpy(&x.data, value, sizeof x.data);
    } else if (t->size == 0) {
        x.data = gort__zerobase;
    } else if ((fixed = static_box(t, value)) != NULL) {
        x.data = (void *)fixed; /* boxes are never written */
    } else {
        x.data = go_alloc_at(site, t->size);
        memcpy(x.data, value, t->size);
    }
    return x;
}

gort_iface gort__box(const go_site *site, const gort_type *t, const void *value) {
    return gort_iface_make(site, gort__eface_tab(t), value);
}

gort_iface gort__box_string(const go_site *site, gort_string s) {
    return gort__box(site, &gort_type_string, &s);
}

/* ---- assertions --------------------------------------------------------------- */

static const char *iface_name(const gort_type *iface) {
    return iface ? iface->name : "interface {}";
}

/* Go's TypeAssertionError.Error(). */
static _Noreturn void assertion_failed(const go_site *site, const char *inter,
                                       const gort_type *concrete, const char *asserted,
                                       const char *missing) {
    gort_buf *b = gort__buf_new();
    if (!concrete) {
        gort__buf_printf(b, "interface conversion: %s is nil, not %s", inter, asserted);
    } else if (!missing) {
        gort__buf_printf(b, "interface conversion: %s is %s, not %s", inter, concrete->name,
                         asserted);
        if (strcmp(concrete->name, asserted) == 0)
            gort__buf_str(b, " (types from different scopes)");
    } else {
        gort__buf_printf(b, "interface conversion: %s is not %s: missing method %s",
                         concrete->name, asserted, missing);
    }
    char *text = gort__buf_take(b);
    gort_iface err = gort__runtime_error(site, 3, text);
    free(text);
    gort_panic(site, err);
}

bool gort_assert_type(const go_site *site, gort_iface x, const gort_type *t, void *out,
                      bool must, const gort_type *from_iface) {
    if (gort_iface_type(x) == t) {
        memcpy(out, gort__iface_ptr(&x), t->size);
        return true;
    }
    if (must) assertion_failed(site, iface_name(from_iface), gort_iface_type(x), t->name, NULL);
    memset(out, 0, t->size);
    return false;
}

bool gort_assert_iface(const go_site *site, gort_iface x, const gort_type *iface,
                       gort_iface *out, bool must) {
    const char *missing = NULL;
    const gort_itab *tab = x.tab ? gort__itab_lookup(x.tab->type, iface, &missing) : NULL;
    if (tab) {
        out->tab = tab;
        out->data = x.data;
        return true;
    }
    /* x.(I) on nil: Go 1.19's assertE2I names no static interface. */
    if (must)
        assertion_failed(site, "interface", gort_iface_type(x), iface_name(iface), missing);
    out->tab = NULL;
    out->data = NULL;
    return false;
}

gort_iface gort_iface_convert(gort_iface x, const gort_type *iface) {
    if (!x.tab) return x;
    const char *missing = NULL;
    const gort_itab *tab = gort__itab_lookup(x.tab->type, iface, &missing);
    if (!tab) {
        static const go_site site = {__FILE__, "gort_iface_convert", __LINE__};
        assertion_failed(&site, "interface", x.tab->type, iface_name(iface), missing);
    }
    x.tab = tab;
    return x;
}

bool gort_iface_equal_value(const go_site *site, gort_iface x, const gort_type *t,
                            const void *v) {
    if (gort_iface_type(x) != t) return false;
    if (!(t->flags & GORT_COMPARABLE)) {
        char text[256];
        snprintf(text, sizeof text, "comparing uncomparable type %s", t->name);
        gort_panic_runtime(site, text);
    }
    return gort_equal(site, t, gort__iface_ptr(&x), v);
}
