/* buf.c -- growable malloc'ed text buffers (gort_internal.h). Each lives on
 * a per-execution list until freed, so one abandoned when a panic or Goexit
 * leaves fmt through a user's method is freed by the next gort_exec_begin.
 * Buffers hold text only, never pointers the model must see. */
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

static gort_buf *live;

gort_buf *gort__buf_new(void) {
    gort_buf *b = calloc(1, sizeof *b);
    if (!b) abort();
    b->next = live;
    if (live) live->prev = b;
    live = b;
    return b;
}

void gort__buf_free(gort_buf *b) {
    if (b->prev) b->prev->next = b->next;
    else live = b->next;
    if (b->next) b->next->prev = b->prev;
    free(b->data);
    free(b);
}

void gort__buf_reset(void) {
    while (live) gort__buf_free(live);
}

static void reserve(gort_buf *b, size_t n) {
    if (b->len + n + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1) cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) abort();
    b->data = data;
    b->cap = cap;
}

void gort__buf_write(gort_buf *b, const void *p, size_t n) {
    if (!n) return;
    reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void gort__buf_byte(gort_buf *b, char c) { gort__buf_write(b, &c, 1); }
void gort__buf_str(gort_buf *b, const char *s) { gort__buf_write(b, s, strlen(s)); }
void gort__buf_gostr(gort_buf *b, gort_string s) { gort__buf_write(b, s.ptr, (size_t)s.len); }

void gort__buf_rune(gort_buf *b, int32_t r) {
    uint8_t out[4];
    gort__buf_write(b, out, (size_t)gort__utf8_encode(r, out));
}

void gort__buf_printf(gort_buf *b, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

gort_string gort__buf_finish(const go_site *site, gort_buf *b) {
    gort_string s = gort__string_copy(site, b->data, b->len);
    gort__buf_free(b);
    return s;
}

char *gort__buf_take(gort_buf *b) {
    char *s = b->data ? b->data : calloc(1, 1);
    if (!s) abort();
    b->data = NULL;
    gort__buf_free(b);
    return s;
}
