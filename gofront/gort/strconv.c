/* strconv.c -- Itoa, FormatInt, Quote, Atoi (Go 1.19 strconv), and the
 * quoting fmt's %q shares. Atoi's error is a *strconv.NumError whose
 * Error() is Go's ("strconv.Atoi: parsing \"x\": invalid syntax") and
 * whose Unwrap() is strconv.ErrSyntax or strconv.ErrRange. */
#include <stdio.h>

#include "gort_internal.h"

/* ---- quoting ------------------------------------------------------------------ */

static const char hex_digits[] = "0123456789abcdef";

/* appendEscapedRune */
static void escaped_rune(gort_buf *b, int32_t r, char quote, bool ascii_only) {
    if (r == quote || r == '\\') {
        gort__buf_byte(b, '\\');
        gort__buf_byte(b, (char)r);
        return;
    }
    if (ascii_only ? (r < 0x80 && gort__rune_printable(r)) : gort__rune_printable(r)) {
        gort__buf_rune(b, r);
        return;
    }
    switch (r) {
    case '\a': gort__buf_str(b, "\\a"); return;
    case '\b': gort__buf_str(b, "\\b"); return;
    case '\f': gort__buf_str(b, "\\f"); return;
    case '\n': gort__buf_str(b, "\\n"); return;
    case '\r': gort__buf_str(b, "\\r"); return;
    case '\t': gort__buf_str(b, "\\t"); return;
    case '\v': gort__buf_str(b, "\\v"); return;
    }
    if (r < ' ' || r == 0x7f) {
        gort__buf_printf(b, "\\x%c%c", hex_digits[r >> 4 & 0xF], hex_digits[r & 0xF]);
    } else if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
        gort__buf_str(b, "\\ufffd");
    } else if (r < 0x10000) {
        gort__buf_printf(b, "\\u%04x", (unsigned)r);
    } else {
        gort__buf_printf(b, "\\U%08x", (unsigned)r);
    }
}

void gort__quote(gort_buf *b, const uint8_t *p, size_t n, char quote, bool ascii_only) {
    gort__buf_byte(b, quote);
    for (size_t i = 0; i < n;) {
        int width;
        int32_t r = gort__utf8_decode(p + i, n - i, &width);
        if (width == 1 && r == GORT_RUNE_ERROR) { /* an invalid byte: \x */
            gort__buf_printf(b, "\\x%c%c", hex_digits[p[i] >> 4], hex_digits[p[i] & 0xF]);
            i++;
            continue;
        }
        escaped_rune(b, r, quote, ascii_only);
        i += (size_t)width;
    }
    gort__buf_byte(b, quote);
}

void gort__quote_rune(gort_buf *b, int32_t r, bool ascii_only) {
    if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = GORT_RUNE_ERROR;
    gort__buf_byte(b, '\'');
    escaped_rune(b, r, '\'', ascii_only);
    gort__buf_byte(b, '\'');
}

gort_string gort_strconv_quote(const go_site *site, gort_string s) {
    gort_buf *b = gort__buf_new();
    gort__quote(b, s.ptr, (size_t)s.len, '"', false);
    return gort__buf_finish(site, b);
}

/* ---- formatting integers ------------------------------------------------------------ */

gort_string gort_strconv_format_int(const go_site *site, int64_t v, gort_int base) {
    if (base < 2 || base > 36) go_panic_at(site, "strconv: illegal AppendInt/FormatInt base");
    char buf[72];
    int i = (int)sizeof buf;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do {
        buf[--i] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % (uint64_t)base];
        u /= (uint64_t)base;
    } while (u);
    if (v < 0) buf[--i] = '-';
    return gort__string_copy(site, buf + i, sizeof buf - (size_t)i);
}

gort_string gort_strconv_itoa(const go_site *site, gort_int v) {
    return gort_strconv_format_int(site, v, 10);
}

/* ---- Atoi ------------------------------------------------------------------------------- */

typedef struct num_error {
    gort_string func, num;
    gort_iface err;
} num_error;

static gort_string num_error_error(void *data) {
    static const go_site site = {__FILE__, "(*strconv.NumError).Error", __LINE__};
    num_error *e = data;
    gort_buf *b = gort__buf_new();
    gort__buf_str(b, "strconv.");
    gort__buf_gostr(b, e->func);
    gort__buf_str(b, ": parsing ");
    gort__quote(b, e->num.ptr, (size_t)e->num.len, '"', false);
    gort__buf_str(b, ": ");
    gort__buf_gostr(b, gort_error_text(&site, e->err));
    return gort__buf_finish(&site, b);
}

static gort_iface num_error_unwrap(void *data) { return ((num_error *)data)->err; }

static const gort_method num_error_methods[] = {{"Error", (void *)num_error_error},
                                                {"Unwrap", (void *)num_error_unwrap}};
static const gort_type type_num_error = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "*strconv.NumError", .methods = num_error_methods, .method_count = 2};

/* strconv.ErrSyntax and ErrRange: errors.New values made once per
 * execution (model objects, so they are reset with it). */
static gort_iface err_syntax, err_range;

void gort__strconv_reset(void) {
    memset(&err_syntax, 0, sizeof err_syntax);
    memset(&err_range, 0, sizeof err_range);
}

gort_iface gort_strconv_err_syntax(const go_site *site) {
    if (!err_syntax.tab) err_syntax = gort_errors_new(site, GORT_STR("invalid syntax"));
    return err_syntax;
}

gort_iface gort_strconv_err_range(const go_site *site) {
    if (!err_range.tab) err_range = gort_errors_new(site, GORT_STR("value out of range"));
    return err_range;
}

static gort_iface num_err(const go_site *site, gort_string s, gort_iface err) {
    num_error *e = go_alloc_at(site, sizeof *e);
    e->func = GORT_STR("Atoi");
    e->num = gort__string_copy(site, s.ptr, (size_t)s.len); /* Go clones it */
    e->err = err;
    gort_iface x = {gort_itab_get(&type_num_error, &gort_type_error), e};
    return x;
}

gort_int gort_strconv_atoi(const go_site *site, gort_string s, gort_iface *err) {
    gort_iface nil = {NULL, NULL};
    *err = nil;
    gort_int i = 0;
    bool neg = false;
    if (s.len > 0 && (s.ptr[0] == '+' || s.ptr[0] == '-')) neg = s.ptr[0] == '-', i = 1;
    if (i == s.len) {
        *err = num_err(site, s, gort_strconv_err_syntax(site));
        return 0;
    }
    uint64_t n = 0, limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    bool range = false;
    for (; i < s.len; i++) {
        uint8_t c = s.ptr[i];
        if (c < '0' || c > '9') {
            *err = num_err(site, s, gort_strconv_err_syntax(site));
            return 0;
        }
        if (range) continue;
        if (n > (limit - (c - '0')) / 10) {
            range = true;
            n = limit;
            continue;
        }
        n = n * 10 + (c - '0');
    }
    if (range) *err = num_err(site, s, gort_strconv_err_range(site));
    return neg ? (gort_int)(0 - n) : (gort_int)n;
}
