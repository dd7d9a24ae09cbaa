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

void gort__buf_byte(gort_buf *b, char c) {
    if (b->len + 2 > b->cap) reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}
void gort__buf_str(gort_buf *b, const char *s) { gort__buf_write(b, s, strlen(s)); }
void gort__buf_gostr(gort_buf *b, gort_string s) { gort__buf_write(b, s.ptr, (size_t)s.len); }

void gort__buf_rune(gort_buf *b, int32_t r) {
    uint8_t out[4];
    gort__buf_write(b, out, (size_t)gort__utf8_encode(r, out));
}

/* Decimal, zero-padded to `digits`: what the hot paths (t.Log's prefix,
 * TempDir and CreateTemp names) used printf for. */
void gort__buf_uint(gort_buf *b, uint64_t v, int digits) {
    char text[24];
    int n = 0;
    do {
        text[sizeof text - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < (int)sizeof text);
    while (n < digits && n < (int)sizeof text) text[sizeof text - 1 - n++] = '0';
    gort__buf_write(b, text + sizeof text - n, (size_t)n);
}

/* One vsnprintf into the buffer's spare room; a second only when the text
 * did not fit. */
void gort__buf_printf(gort_buf *b, const char *fmt, ...) {
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    reserve(b, 63);
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n >= room) {
        reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    }
    if (n > 0) b->len += (size_t)n;
    b->data[b->len] = 0;
    va_end(again);
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
