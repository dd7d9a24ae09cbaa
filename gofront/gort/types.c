/* types.c -- the predeclared types' descriptors, and Go's == and a hash
 * consistent with it, walking descriptors (Go 1.19 runtime/alg.go):
 *   - strings compare and hash by content;
 *   - floats compare as IEEE does (+0 == -0, NaN != NaN), and +0 and -0
 *     hash alike;
 *   - interfaces compare by dynamic type, then value; an uncomparable
 *     dynamic type panics "runtime error: comparing uncomparable type T"
 *     (hashing one: "runtime error: hash of unhashable type T");
 *   - structs field by field (blank fields are skipped), arrays element by
 *     element.
 * The hash has no seed: maps keep insertion order and draw their iteration
 * order from the decision source, so the hash never decides an order.
 * Pointers hash by address, which only ever decides where a key is found. */
#include <math.h>
#include <stdio.h>

#include "gort_internal.h"

#define BASIC(var, k, sz, nm, fl)                                                   \
    const gort_type var = {.kind = (k), .flags = GORT_COMPARABLE | (fl), .size = (sz), \
                           .align = (sz) > 8 ? 8 : (sz), .name = (nm)}

BASIC(gort_type_bool, GORT_BOOL, 1, "bool", 0);
BASIC(gort_type_int, GORT_INT, 8, "int", 0);
BASIC(gort_type_int8, GORT_INT8, 1, "int8", 0);
BASIC(gort_type_int16, GORT_INT16, 2, "int16", 0);
BASIC(gort_type_int32, GORT_INT32, 4, "int32", 0);
BASIC(gort_type_int64, GORT_INT64, 8, "int64", 0);
BASIC(gort_type_uint, GORT_UINT, 8, "uint", 0);
BASIC(gort_type_uint8, GORT_UINT8, 1, "uint8", 0);
BASIC(gort_type_uint16, GORT_UINT16, 2, "uint16", 0);
BASIC(gort_type_uint32, GORT_UINT32, 4, "uint32", 0);
BASIC(gort_type_uint64, GORT_UINT64, 8, "uint64", 0);
BASIC(gort_type_uintptr, GORT_UINTPTR, 8, "uintptr", 0);
BASIC(gort_type_float32, GORT_FLOAT32, 4, "float32", 0);
BASIC(gort_type_float64, GORT_FLOAT64, 8, "float64", 0);
BASIC(gort_type_string, GORT_STRING, sizeof(gort_string), "string", 0);
BASIC(gort_type_unsafe_pointer, GORT_UNSAFE_POINTER, 8, "unsafe.Pointer", GORT_DIRECT);

/* Go's "comparing uncomparable type T" / "hash of unhashable type T". */
static _Noreturn void uncomparable(const go_site *site, const char *what, const gort_type *t) {
    char text[256];
    snprintf(text, sizeof text, "%s %s", what, t->name);
    gort_panic_runtime(site, text);
}

static bool is_blank(const gort_field *f) { return f->name && strcmp(f->name, "_") == 0; }

bool gort_iface_equal(const go_site *site, gort_iface x, gort_iface y) {
    const gort_type *t = gort_iface_type(x);
    if (t != gort_iface_type(y)) return false;
    if (!t) return true;
    if (!(t->flags & GORT_COMPARABLE)) uncomparable(site, "comparing uncomparable type", t);
    if (t->flags & GORT_DIRECT) return x.data == y.data;
    return gort_equal(site, t, x.data, y.data);
}

bool gort_equal(const go_site *site, const gort_type *t, const void *a, const void *b) {
    switch (t->kind) {
    case GORT_FLOAT32: return *(const float *)a == *(const float *)b;
    case GORT_FLOAT64: return *(const double *)a == *(const double *)b;
    case GORT_COMPLEX64:
        return ((const float *)a)[0] == ((const float *)b)[0] &&
               ((const float *)a)[1] == ((const float *)b)[1];
    case GORT_COMPLEX128:
        return ((const double *)a)[0] == ((const double *)b)[0] &&
               ((const double *)a)[1] == ((const double *)b)[1];
    case GORT_STRING:
        return gort_string_equal(*(const gort_string *)a, *(const gort_string *)b);
    case GORT_INTERFACE:
        return gort_iface_equal(site, *(const gort_iface *)a, *(const gort_iface *)b);
    case GORT_ARRAY:
        for (gort_int i = 0; i < t->len; i++) {
            size_t off = (size_t)i * t->elem->size;
            if (!gort_equal(site, t->elem, (const char *)a + off, (const char *)b + off))
                return false;
        }
        return true;
    case GORT_STRUCT:
        for (size_t i = 0; i < t->field_count; i++) {
            const gort_field *f = &t->fields[i];
            if (is_blank(f)) continue;
            if (!gort_equal(site, f->type, (const char *)a + f->offset,
                            (const char *)b + f->offset))
                return false;
        }
        return true;
    case GORT_SLICE:
    case GORT_MAP:
    case GORT_FUNC: uncomparable(site, "comparing uncomparable type", t);
    default: return memcmp(a, b, t->size) == 0;
    }
}

/* ---- hash ------------------------------------------------------------------ */

static uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 31);
}

static uint64_t hash_bytes(uint64_t h, const uint8_t *p, size_t n) {
    uint64_t f = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) f = (f ^ p[i]) * 0x100000001b3u;
    return mix(h, f ^ n);
}

static uint64_t hash_float(uint64_t h, double d) {
    if (d == 0) d = 0; /* -0 hashes as +0 */
    if (isnan(d)) return mix(h, 0x7ff8); /* never equal anyway */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return mix(h, bits);
}

static uint64_t hash_value(const go_site *site, uint64_t h, const gort_type *t, const void *v);

static uint64_t hash_iface(const go_site *site, uint64_t h, gort_iface x) {
    const gort_type *t = gort_iface_type(x);
    if (!t) return mix(h, 0);
    if (!(t->flags & GORT_COMPARABLE)) uncomparable(site, "hash of unhashable type", t);
    h = hash_bytes(h, (const uint8_t *)t->name, strlen(t->name));
    return hash_value(site, h, t, gort__iface_ptr(&x));
}

static uint64_t hash_value(const go_site *site, uint64_t h, const gort_type *t, const void *v) {
    switch (t->kind) {
    case GORT_FLOAT32: return hash_float(h, *(const float *)v);
    case GORT_FLOAT64: return hash_float(h, *(const double *)v);
    case GORT_COMPLEX64:
        return hash_float(hash_float(h, ((const float *)v)[0]), ((const float *)v)[1]);
    case GORT_COMPLEX128:
        return hash_float(hash_float(h, ((const double *)v)[0]), ((const double *)v)[1]);
    case GORT_STRING: {
        gort_string s = *(const gort_string *)v;
        return hash_bytes(h, s.ptr, (size_t)s.len);
    }
    case GORT_INTERFACE: return hash_iface(site, h, *(const gort_iface *)v);
    case GORT_ARRAY:
        for (gort_int i = 0; i < t->len; i++)
            h = hash_value(site, h, t->elem, (const char *)v + (size_t)i * t->elem->size);
        return h;
    case GORT_STRUCT:
        for (size_t i = 0; i < t->field_count; i++) {
            const gort_field *f = &t->fields[i];
            if (!is_blank(f)) h = hash_value(site, h, f->type, (const char *)v + f->offset);
        }
        return h;
    case GORT_SLICE:
    case GORT_MAP:
    case GORT_FUNC: uncomparable(site, "hash of unhashable type", t);
    default: return hash_bytes(h, v, t->size);
    }
}

uint64_t gort_hash(const go_site *site, const gort_type *t, const void *value) {
    return hash_value(site, 0x51ed270b27a3c4f1u, t, value);
}
