/* string.c -- Go strings: concatenation, comparison, slicing and the
 * conversions to and from []byte and []rune, with UTF-8 decoding as
 * unicode/utf8 does it (Go 1.19): an invalid or overlong sequence, a
 * surrogate half or a code point past U+10FFFF decodes as U+FFFD of width
 * 1, and encoding such a rune gives "\uFFFD". New strings are go_alloc'ed
 * (model objects); strings are never written after they are made. */
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

/* ---- UTF-8 ------------------------------------------------------------------ */

int32_t gort__utf8_decode(const uint8_t *p, size_t n, int *width) {
    *width = 1;
    if (n == 0) return GORT_RUNE_ERROR;
    uint8_t c = p[0];
    if (c < 0x80) return c;
    int need;
    int32_t r, min;
    if (c >= 0xC2 && c <= 0xDF) need = 1, r = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) need = 2, r = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) need = 3, r = c & 0x07, min = 0x10000;
    else return GORT_RUNE_ERROR;
    if (n < (size_t)need + 1) return GORT_RUNE_ERROR;
    for (int i = 1; i <= need; i++) {
        if ((p[i] & 0xC0) != 0x80) return GORT_RUNE_ERROR;
        r = (r << 6) | (p[i] & 0x3F);
    }
    if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return GORT_RUNE_ERROR;
    *width = need + 1;
    return r;
}

int gort__utf8_encode(int32_t r, uint8_t *out) {
    uint32_t u = (uint32_t)r;
    if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) u = GORT_RUNE_ERROR;
    if (u < 0x80) {
        out[0] = (uint8_t)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (uint8_t)(0xC0 | u >> 6);
        out[1] = (uint8_t)(0x80 | (u & 0x3F));
        return 2;
    }
    if (u < 0x10000) {
        out[0] = (uint8_t)(0xE0 | u >> 12);
        out[1] = (uint8_t)(0x80 | (u >> 6 & 0x3F));
        out[2] = (uint8_t)(0x80 | (u & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | u >> 18);
    out[1] = (uint8_t)(0x80 | (u >> 12 & 0x3F));
    out[2] = (uint8_t)(0x80 | (u >> 6 & 0x3F));
    out[3] = (uint8_t)(0x80 | (u & 0x3F));
    return 4;
}

/* An approximation of unicode.IsPrint: ASCII graphic characters and space,
 * and every valid rune from U+00A1 on except the soft hyphen, the line
 * and paragraph separators, the BOM and noncharacters U+FFFE/U+FFFF. */
bool gort__rune_printable(int32_t r) {
    if (r < 0x80) return r >= 0x20 && r < 0x7F;
    if (r < 0xA1 || r == 0xAD || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return false;
    if (r == 0x2028 || r == 0x2029 || r == 0xFEFF || (r & 0xFFFE) == 0xFFFE) return false;
    return true;
}

/* ---- strings --------------------------------------------------------------------- */

gort_string gort__string_copy(const go_site *site, const void *p, size_t n) {
    gort_string s = {NULL, 0};
    if (!n) return s;
    uint8_t *mem = go_alloc_at(site, n);
    memcpy(mem, p, n);
    s.ptr = mem;
    s.len = (gort_int)n;
    return s;
}

gort_string gort__string_cstr(const go_site *site, const char *s) {
    return gort__string_copy(site, s, strlen(s));
}

gort_string gort_string_concat(const go_site *site, gort_string a, gort_string b) {
    if (!a.len) return b;
    if (!b.len) return a;
    uint8_t *mem = go_alloc_at(site, (size_t)(a.len + b.len));
    memcpy(mem, a.ptr, (size_t)a.len);
    memcpy(mem + a.len, b.ptr, (size_t)b.len);
    return (gort_string){mem, a.len + b.len};
}

int gort_string_compare(gort_string a, gort_string b) {
    gort_int n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, (size_t)n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len;
}

bool gort_string_equal(gort_string a, gort_string b) {
    return a.len == b.len && (a.len == 0 || a.ptr == b.ptr || memcmp(a.ptr, b.ptr, (size_t)a.len) == 0);
}

gort_string gort_string_slice(const go_site *site, gort_string s, gort_int low, gort_int high) {
    char text[128];
    if (high < 0 || high > s.len) {
        snprintf(text, sizeof text, "slice bounds out of range [:%lld] with length %lld",
                 (long long)high, (long long)s.len);
        gort_panic_runtime(site, text);
    }
    if (low < 0 || low > high) {
        snprintf(text, sizeof text, "slice bounds out of range [%lld:%lld]", (long long)low,
                 (long long)high);
        gort_panic_runtime(site, text);
    }
    gort_string r = {s.ptr ? s.ptr + low : NULL, high - low};
    if (!r.len) r.ptr = NULL;
    return r;
}

uint8_t gort_string_index(const go_site *site, gort_string s, gort_int i) {
    gort_check_index(site, i, s.len);
    return s.ptr[i];
}

gort_string gort_string_from_bytes(const go_site *site, gort_slice b) {
    return gort__string_copy(site, b.ptr, (size_t)b.len);
}

gort_slice gort_bytes_from_string(const go_site *site, gort_string s) {
    /* Go's rawbyteslice: the capacity is the size class. */
    gort_slice b = {gort__zerobase, s.len, 0};
    if (!s.len) return b;
    size_t cap = gort__roundupsize((size_t)s.len);
    b.ptr = go_alloc_at(site, cap);
    b.cap = (gort_int)cap;
    memcpy(b.ptr, s.ptr, (size_t)s.len);
    return b;
}

gort_string gort_string_from_rune(const go_site *site, int32_t r) {
    uint8_t out[4];
    return gort__string_copy(site, out, (size_t)gort__utf8_encode(r, out));
}

gort_string gort_string_from_runes(const go_site *site, gort_slice runes) {
    const int32_t *rs = runes.ptr;
    size_t n = 0;
    uint8_t tmp[4];
    for (gort_int i = 0; i < runes.len; i++) n += (size_t)gort__utf8_encode(rs[i], tmp);
    if (!n) return (gort_string){NULL, 0};
    uint8_t *mem = go_alloc_at(site, n), *p = mem;
    for (gort_int i = 0; i < runes.len; i++) p += gort__utf8_encode(rs[i], p);
    return (gort_string){mem, (gort_int)n};
}

gort_slice gort_runes_from_string(const go_site *site, gort_string s) {
    gort_int count = 0;
    int32_t r;
    for (gort_int i = 0; i < s.len;) i = gort_string_decode_rune(s, i, &r), count++;
    gort_slice out = {gort__zerobase, count, 0};
    if (!count) return out;
    size_t cap = gort__roundupsize((size_t)count * 4) / 4;
    int32_t *rs = go_alloc_at(site, cap * 4);
    gort_int k = 0;
    for (gort_int i = 0; i < s.len;) i = gort_string_decode_rune(s, i, &rs[k++]);
    out.ptr = rs;
    out.cap = (gort_int)cap;
    return out;
}

gort_int gort_string_decode_rune(gort_string s, gort_int i, int32_t *rune) {
    int width;
    *rune = gort__utf8_decode(s.ptr + i, (size_t)(s.len - i), &width);
    return i + width;
}

char *gort_string_cstr(gort_string s) {
    char *c = malloc((size_t)s.len + 1);
    if (!c) abort();
    if (s.len) memcpy(c, s.ptr, (size_t)s.len);
    c[s.len] = 0;
    return c;
}
