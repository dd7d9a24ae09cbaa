/* slice.c -- make, append, copy, slicing and bounds checks (Go 1.19
 * runtime/slice.go, panic.go). append grows as growslice does: the needed
 * capacity if it is more than double; else double below 256 elements, and
 * from 256 on by (newcap + 3*256)/4 until enough; then the byte size is
 * rounded up to Go's allocation size class (so []int from nil, one at a
 * time, has capacities 1, 2, 4, 8, ...; []byte gets 8, 16, 32, ...).
 * Backing arrays are go_alloc'ed model objects; a zero-sized one is the
 * shared zerobase, as in Go. */
#include <stdio.h>

#include "gort_internal.h"

uint8_t gort__zerobase[16];

/* Go 1.19 sizeclasses.go: class_to_size. */
static const uint16_t size_classes[] = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,
    160,   176,   192,   208,   224,   240,   256,   288,   320,   352,   384,   416,
    448,   480,   512,   576,   640,   704,   768,   896,   1024,  1152,  1280,  1408,
    1536,  1792,  2048,  2304,  2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,
    6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384,
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768};

size_t gort__roundupsize(size_t size) {
    if (size <= 32768) {
        size_t lo = 0, hi = sizeof size_classes / sizeof size_classes[0] - 1;
        while (lo < hi) { /* the first class >= size */
            size_t mid = (lo + hi) / 2;
            if (size_classes[mid] < size) lo = mid + 1;
            else hi = mid;
        }
        return size_classes[lo];
    }
    const size_t page = 8192;
    if (size + page < size) return size;
    return (size + page - 1) / page * page;
}

/* The largest slice the model allocates (go_alloc's own limit is lower
 * still: past it the execution ends "runtime: out of memory"). */
#define MAX_ALLOC ((uint64_t)1 << 40)

gort_slice gort_slice_make(const go_site *site, size_t elem_size, gort_int len, gort_int cap) {
    uint64_t limit = elem_size ? MAX_ALLOC / elem_size : MAX_ALLOC;
    if (len < 0 || (uint64_t)len > limit) gort_panic_runtime(site, "makeslice: len out of range");
    if (cap < len || (uint64_t)cap > limit) gort_panic_runtime(site, "makeslice: cap out of range");
    gort_slice s = {gort__zerobase, len, cap};
    size_t bytes = (size_t)cap * elem_size;
    if (bytes) s.ptr = go_alloc_at(site, bytes);
    return s;
}

/* growslice's new capacity for at least `need` elements. */
static gort_int grow_cap(gort_int old_cap, gort_int need, size_t elem_size) {
    gort_int newcap = old_cap, doublecap = old_cap + old_cap;
    if (need > doublecap) {
        newcap = need;
    } else if (old_cap < 256) {
        newcap = doublecap;
    } else {
        while (0 < newcap && newcap < need) newcap += (newcap + 3 * 256) / 4;
        if (newcap <= 0) newcap = need;
    }
    if (elem_size == 0) return need;
    return (gort_int)(gort__roundupsize((size_t)newcap * elem_size) / elem_size);
}

gort_slice gort_slice_append(const go_site *site, gort_slice s, size_t elem_size,
                             const void *elems, gort_int count) {
    if (count <= 0) return s;
    gort_int need = s.len + count;
    if (need > s.cap) {
        if (elem_size && (uint64_t)need > MAX_ALLOC / elem_size)
            gort_panic_runtime(site, "growslice: len out of range");
        gort_int cap = grow_cap(s.cap, need, elem_size);
        void *mem = gort__zerobase;
        if (elem_size) {
            mem = go_alloc_at(site, (size_t)cap * elem_size);
            if (s.len) memcpy(mem, s.ptr, (size_t)s.len * elem_size);
        }
        /* elems may lie in the old array (append(s, s...)): it is still
         * there, unchanged. */
        if (elem_size) memcpy((char *)mem + (size_t)s.len * elem_size, elems,
                              (size_t)count * elem_size);
        s.ptr = mem;
        s.cap = cap;
    } else if (elem_size) {
        memmove((char *)s.ptr + (size_t)s.len * elem_size, elems, (size_t)count * elem_size);
    }
    s.len = need;
    return s;
}

gort_int gort_slice_copy(gort_slice dst, gort_slice src, size_t elem_size) {
    gort_int n = dst.len < src.len ? dst.len : src.len;
    if (n > 0 && elem_size) memmove(dst.ptr, src.ptr, (size_t)n * elem_size);
    return n < 0 ? 0 : n;
}

static _Noreturn void bounds(const go_site *site, const char *fmt, long long a, long long b) {
    char text[160];
    snprintf(text, sizeof text, fmt, a, b);
    gort_panic_runtime(site, text);
}

gort_slice gort_slice_slice(const go_site *site, void *base, gort_int len, gort_int cap,
                            size_t elem_size, gort_int low, gort_int high, gort_int max) {
    (void)len;
    bool three = max >= 0;
    if (!three) max = cap;
    /* The checks in Go's order: max, then high, then low. */
    if (three && max > cap)
        bounds(site, "slice bounds out of range [::%lld] with capacity %lld", max, cap);
    if (high < 0) bounds(site, three ? "slice bounds out of range [:%lld:]%.0lld"
                                     : "slice bounds out of range [:%lld]%.0lld", high, 0);
    if (high > max) {
        if (three) bounds(site, "slice bounds out of range [:%lld:%lld]", high, max);
        bounds(site, "slice bounds out of range [:%lld] with capacity %lld", high, cap);
    }
    if (low < 0) bounds(site, "slice bounds out of range [%lld:]%.0lld", low, 0);
    if (low > high)
        bounds(site, three ? "slice bounds out of range [%lld:%lld:]"
                           : "slice bounds out of range [%lld:%lld]", low, high);
    gort_slice s = {base, high - low, max - low};
    /* Like Go, never point past the end of the array: a slice of capacity
     * 0 keeps the base. */
    if (s.cap > 0 && base) s.ptr = (char *)base + (size_t)low * elem_size;
    return s;
}

void gort_panic_index(const go_site *site, gort_int i, gort_int n) {
    char text[128];
    if (i < 0) snprintf(text, sizeof text, "index out of range [%lld]", (long long)i);
    else
        snprintf(text, sizeof text, "index out of range [%lld] with length %lld", (long long)i,
                 (long long)n);
    gort_iface err = gort__runtime_error(site, 2, text);
    gort_panic(site, err);
}
