/* sort.c -- sort.Slice, sort.SliceStable, sort.Ints, sort.Strings.
 *
 * sort.Slice is an insertion sort by adjacent swaps: stable (Go's
 * pdqsort is not, so equal elements may end in another order than Go
 * gives), and the slice holds every element between calls of less, which
 * reads it (less may block or let other goroutines run: the collector
 * then sees every element in the slice's own go_alloc'ed array). */
#include <stdlib.h>

#include "gort_internal.h"

typedef bool less_fn(void *env, gort_int i, gort_int j);

void gort_sort_slice(const go_site *site, gort_iface x, gort_func less) {
    const gort_type *t = gort_iface_type(x);
    if (!t || t->kind != GORT_SLICE) {
        gort_buf *b = gort__buf_new();
        gort__buf_printf(b, "reflect: call of Swapper on %s Value",
                         t ? t->name : "zero");
        gort_panic(site, gort__box_string(site, gort__buf_finish(site, b)));
    }
    gort_slice s = *(const gort_slice *)x.data;
    size_t size = t->elem ? t->elem->size : 0;
    if (s.len < 2) return;
    if (!less.fn) gort_panic_nil(site);
    uint8_t small[256];
    uint8_t *tmp = size <= sizeof small ? small : malloc(size);
    if (!tmp) abort();
    for (gort_int i = 1; i < s.len; i++) {
        for (gort_int j = i; j > 0 && ((less_fn *)less.fn)(less.env, j, j - 1); j--) {
            uint8_t *a = (uint8_t *)s.ptr + (size_t)j * size, *b = a - size;
            memcpy(tmp, a, size);
            memcpy(a, b, size);
            memcpy(b, tmp, size);
        }
    }
    if (tmp != small) free(tmp);
}

static int cmp_int(const void *a, const void *b) {
    gort_int x = *(const gort_int *)a, y = *(const gort_int *)b;
    return (x > y) - (x < y);
}

static int cmp_string(const void *a, const void *b) {
    return gort_string_compare(*(const gort_string *)a, *(const gort_string *)b);
}

void gort_sort_ints(gort_slice s) {
    if (s.len > 1) qsort(s.ptr, (size_t)s.len, sizeof(gort_int), cmp_int);
}

void gort_sort_strings(gort_slice s) {
    if (s.len > 1) qsort(s.ptr, (size_t)s.len, sizeof(gort_string), cmp_string);
}
