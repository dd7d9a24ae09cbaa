/* fmt.c -- fmt's Sprintf, Sprint, Sprintln and Errorf (Go 1.19
 * fmt/print.go doPrintf, doPrint, doPrintln; fmt/format.go): the format
 * string, flags, width and precision (also from * and [n] argument
 * indexes), %!verb(MISSING), %!(NOVERB), %!(BADWIDTH), %!(BADPREC),
 * %!v(BADINDEX), %!(EXTRA type=value, ...), and the primitive formatters
 * (padding, integers, strings, bytes; floats are in fmt_float.c). Values
 * by descriptor, the Error/String methods and badVerb are in fmt_value.c.
 * %#v prints as %v. */
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

static const char ldigits[] = "0123456789abcdefx";
static const char udigits[] = "0123456789ABCDEFX";

static void clear_flags(gort_pp *p) {
    p->wid = p->prec = 0;
    p->wid_present = p->prec_present = false;
    p->minus = p->plus = p->sharp = p->space = p->zero = p->plus_v = p->sharp_v = false;
}

/* ---- padding ------------------------------------------------------------------ */

static size_t rune_count(const char *s, size_t n) {
    size_t count = 0;
    for (size_t i = 0; i < n; count++) {
        int w;
        (void)gort__utf8_decode((const uint8_t *)s + i, n - i, &w);
        i += (size_t)w;
    }
    return count;
}

void gort__fmt_write_padding(gort_pp *p, int n) {
    char c = p->zero ? '0' : ' ';
    for (int i = 0; i < n; i++) gort__buf_byte(p->buf, c);
}

void gort__fmt_pad(gort_pp *p, const char *s, size_t n) {
    if (!p->wid_present || p->wid == 0) {
        gort__buf_write(p->buf, s, n);
        return;
    }
    int width = p->wid - (int)rune_count(s, n);
    if (!p->minus) {
        gort__fmt_write_padding(p, width);
        gort__buf_write(p->buf, s, n);
    } else {
        gort__buf_write(p->buf, s, n);
        gort__fmt_write_padding(p, width);
    }
}

static void pad_str(gort_pp *p, const char *s) { gort__fmt_pad(p, s, strlen(s)); }

/* ---- booleans and integers ------------------------------------------------------- */

void gort__fmt_bool(gort_pp *p, bool b, int32_t verb, const gort_type *t, const void *v) {
    if (verb == 't' || verb == 'v') pad_str(p, b ? "true" : "false");
    else gort__pp_bad_verb(p, verb, t, v);
}

/* format.go fmtInteger */
static void fmt_integer(gort_pp *p, uint64_t u, int base, bool is_signed, int32_t verb,
                        const char *digits) {
    bool negative = is_signed && (int64_t)u < 0;
    if (negative) u = -u;
    int prec = 0;
    if (p->prec_present) {
        prec = p->prec;
        if (prec == 0 && u == 0) {
            bool old = p->zero;
            p->zero = false;
            gort__fmt_write_padding(p, p->wid);
            p->zero = old;
            return;
        }
    } else if (p->zero && p->wid_present) {
        prec = p->wid;
        if (negative || p->plus || p->space) prec--;
    }
    size_t size = 80 + (size_t)(prec > 0 ? prec : 0);
    char *buf = malloc(size);
    if (!buf) abort();
    size_t i = size;
    do {
        buf[--i] = digits[u % (uint64_t)base];
        u /= (uint64_t)base;
    } while (u);
    while (i > 3 && (int)(size - i) < prec) buf[--i] = '0';
    if (p->sharp) {
        if (base == 2) buf[--i] = 'b', buf[--i] = '0';
        else if (base == 8 && buf[i] != '0') buf[--i] = '0';
        else if (base == 16) buf[--i] = digits[16], buf[--i] = '0';
    }
    if (verb == 'O') buf[--i] = 'o', buf[--i] = '0';
    if (negative) buf[--i] = '-';
    else if (p->plus) buf[--i] = '+';
    else if (p->space) buf[--i] = ' ';
    bool old = p->zero;
    p->zero = false;
    gort__fmt_pad(p, buf + i, size - i);
    p->zero = old;
    free(buf);
}

static void fmt_c(gort_pp *p, uint64_t u) {
    int32_t r = u > 0x10FFFF ? GORT_RUNE_ERROR : (int32_t)u;
    uint8_t out[4];
    gort__fmt_pad(p, (const char *)out, (size_t)gort__utf8_encode(r, out));
}

static void fmt_qc(gort_pp *p, uint64_t u) {
    int32_t r = u > 0x10FFFF ? GORT_RUNE_ERROR : (int32_t)u;
    gort_buf *b = gort__buf_new();
    gort__quote_rune(b, r, p->plus);
    gort__fmt_pad(p, b->data, b->len);
    gort__buf_free(b);
}

static void fmt_unicode(gort_pp *p, uint64_t u) {
    char text[64];
    int n = snprintf(text, sizeof text, "U+%0*llX", p->prec_present && p->prec > 4 ? p->prec : 4,
                     (unsigned long long)u);
    if (p->sharp && u <= 0x10FFFF && gort__rune_printable((int32_t)u)) {
        uint8_t out[4];
        int w = gort__utf8_encode((int32_t)u, out);
        text[n++] = ' ';
        text[n++] = '\'';
        memcpy(text + n, out, (size_t)w);
        n += w;
        text[n++] = '\'';
    }
    bool old = p->zero;
    p->zero = false;
    gort__fmt_pad(p, text, (size_t)n);
    p->zero = old;
}

void gort__fmt_integer(gort_pp *p, uint64_t u, bool is_signed, int32_t verb, const gort_type *t,
                       const void *v) {
    switch (verb) {
    case 'v': case 'd': fmt_integer(p, u, 10, is_signed, verb, ldigits); break;
    case 'b': fmt_integer(p, u, 2, is_signed, verb, ldigits); break;
    case 'o': case 'O': fmt_integer(p, u, 8, is_signed, verb, ldigits); break;
    case 'x': fmt_integer(p, u, 16, is_signed, verb, ldigits); break;
    case 'X': fmt_integer(p, u, 16, is_signed, verb, udigits); break;
    case 'c': fmt_c(p, u); break;
    case 'q': fmt_qc(p, u); break;
    case 'U': fmt_unicode(p, u); break;
    default: gort__pp_bad_verb(p, verb, t, v);
    }
}

/* fmt0x64 */
static void fmt_0x64(gort_pp *p, uint64_t u, bool leading0x) {
    bool sharp = p->sharp;
    p->sharp = leading0x;
    fmt_integer(p, u, 16, false, 'v', ldigits);
    p->sharp = sharp;
}

void gort__fmt_pointer(gort_pp *p, const void *ptr, int32_t verb, const gort_type *t,
                       const void *v) {
    uint64_t u = ptr ? gort__fake_address(ptr) : 0;
    switch (verb) {
    case 'v':
        if (!u) pad_str(p, "<nil>");
        else fmt_0x64(p, u, !p->sharp);
        break;
    case 'p': fmt_0x64(p, u, !p->sharp); break;
    case 'b': case 'o': case 'd': case 'x': case 'X': gort__fmt_integer(p, u, false, verb, t, v); break;
    default: gort__pp_bad_verb(p, verb, t, v);
    }
}

/* ---- strings and bytes -------------------------------------------------------------- */

/* truncate to the precision, in runes */
static size_t truncated(gort_pp *p, const uint8_t *s, size_t n) {
    if (!p->prec_present) return n;
    size_t i = 0;
    for (int k = 0; k < p->prec && i < n; k++) {
        int w;
        (void)gort__utf8_decode(s + i, n - i, &w);
        i += (size_t)w;
    }
    return i;
}

static void fmt_sbx(gort_pp *p, const uint8_t *s, size_t length, const char *digits) {
    if (p->prec_present && (size_t)p->prec < length) length = (size_t)p->prec;
    int width = 2 * (int)length;
    if (width > 0) {
        if (p->space) {
            if (p->sharp) width *= 2;
            width += (int)length - 1;
        } else if (p->sharp) {
            width += 2;
        }
    } else {
        if (p->wid_present) gort__fmt_write_padding(p, p->wid);
        return;
    }
    if (p->wid_present && p->wid > width && !p->minus) gort__fmt_write_padding(p, p->wid - width);
    if (p->sharp) gort__buf_byte(p->buf, '0'), gort__buf_byte(p->buf, digits[16]);
    for (size_t i = 0; i < length; i++) {
        if (p->space && i > 0) {
            gort__buf_byte(p->buf, ' ');
            if (p->sharp) gort__buf_byte(p->buf, '0'), gort__buf_byte(p->buf, digits[16]);
        }
        gort__buf_byte(p->buf, digits[s[i] >> 4]);
        gort__buf_byte(p->buf, digits[s[i] & 0xF]);
    }
    if (p->wid_present && p->wid > width && p->minus) gort__fmt_write_padding(p, p->wid - width);
}

static bool can_backquote(const uint8_t *s, size_t n) {
    for (size_t i = 0; i < n;) {
        int w;
        int32_t r = gort__utf8_decode(s + i, n - i, &w);
        if (w == 1 && r == GORT_RUNE_ERROR) return false;
        if (r == '`' || r == 0xFEFF || (r < ' ' && r != '\t') || r == 0x7F) return false;
        i += (size_t)w;
    }
    return true;
}

static void fmt_q(gort_pp *p, const uint8_t *s, size_t n) {
    n = truncated(p, s, n);
    gort_buf *b = gort__buf_new();
    if (p->sharp && can_backquote(s, n)) {
        gort__buf_byte(b, '`');
        gort__buf_write(b, s, n);
        gort__buf_byte(b, '`');
    } else {
        gort__quote(b, s, n, '"', p->plus);
    }
    gort__fmt_pad(p, b->data, b->len);
    gort__buf_free(b);
}

void gort__fmt_string(gort_pp *p, gort_string s, int32_t verb, const gort_type *t,
                      const void *v) {
    switch (verb) {
    case 'v': case 's':
        gort__fmt_pad(p, (const char *)s.ptr, truncated(p, s.ptr, (size_t)s.len));
        break;
    case 'x': fmt_sbx(p, s.ptr, (size_t)s.len, ldigits); break;
    case 'X': fmt_sbx(p, s.ptr, (size_t)s.len, udigits); break;
    case 'q': fmt_q(p, s.ptr, (size_t)s.len); break;
    default: gort__pp_bad_verb(p, verb, t, v);
    }
}

/* fmtBytes for %s %q %x %X of a []byte or [N]byte (the others print as
 * any slice does) */
void gort__fmt_bytes(gort_pp *p, const uint8_t *s, size_t n, int32_t verb, const char *tname) {
    (void)tname;
    switch (verb) {
    case 's': gort__fmt_pad(p, (const char *)s, truncated(p, s, n)); break;
    case 'x': fmt_sbx(p, s, n, ldigits); break;
    case 'X': fmt_sbx(p, s, n, udigits); break;
    case 'q': fmt_q(p, s, n); break;
    }
}

/* ---- doPrintf ------------------------------------------------------------------------- */

static bool too_large(int64_t x) { return x > 1000000 || x < -1000000; }

static int parse_num(const uint8_t *s, int i, int end, int *num, bool *isnum) {
    *num = 0;
    *isnum = false;
    for (; i < end && s[i] >= '0' && s[i] <= '9'; i++) {
        if (too_large(*num)) {
            *num = 0, *isnum = false;
            return end;
        }
        *num = *num * 10 + (s[i] - '0');
        *isnum = true;
    }
    return i;
}

typedef struct printf_state {
    int arg_num;
    bool reordered, good_arg_num;
} printf_state;

/* argNumber: an explicit [n] index */
static int arg_number(printf_state *st, const uint8_t *f, int i, int end, int nargs,
                      bool *found) {
    *found = false;
    if (i >= end || f[i] != '[') return i;
    st->reordered = true;
    int wid = 1, index = 0;
    bool ok = false;
    if (end - i >= 3) {
        for (int j = i + 1; j < end; j++) {
            if (f[j] != ']') continue;
            int num;
            bool isnum;
            int k = parse_num(f, i + 1, j, &num, &isnum);
            wid = j - i + 1;
            if (isnum && k == j) ok = true, index = num - 1;
            break;
        }
    }
    if (ok && index >= 0 && index < nargs) {
        st->arg_num = index;
        *found = true;
        return i + wid;
    }
    st->good_arg_num = false;
    *found = ok;
    return i + wid;
}

static bool int_from_arg(gort_slice args, printf_state *st, int *num) {
    *num = 0;
    bool is_int = false;
    if (st->arg_num < args.len) {
        gort_iface a = ((const gort_iface *)args.ptr)[st->arg_num];
        const gort_type *t = gort_iface_type(a);
        if (t) {
            const void *v = gort__iface_ptr(&a);
            int64_t n = 0;
            switch (t->kind) {
            case GORT_INT: case GORT_INT64: n = *(const int64_t *)v, is_int = true; break;
            case GORT_INT32: n = *(const int32_t *)v, is_int = true; break;
            case GORT_INT16: n = *(const int16_t *)v, is_int = true; break;
            case GORT_INT8: n = *(const int8_t *)v, is_int = true; break;
            case GORT_UINT: case GORT_UINT64: case GORT_UINTPTR:
                is_int = *(const uint64_t *)v <= INT64_MAX;
                n = (int64_t)*(const uint64_t *)v;
                break;
            case GORT_UINT32: n = *(const uint32_t *)v, is_int = true; break;
            case GORT_UINT16: n = *(const uint16_t *)v, is_int = true; break;
            case GORT_UINT8: n = *(const uint8_t *)v, is_int = true; break;
            default: break;
            }
            if (is_int && too_large(n)) is_int = false, n = 0;
            *num = is_int ? (int)n : 0;
        }
        st->arg_num++;
    }
    return is_int;
}

static void do_printf(gort_pp *p, gort_string format, gort_slice args) {
    const uint8_t *f = format.ptr;
    int end = (int)format.len, nargs = (int)args.len;
    const gort_iface *a = args.ptr;
    printf_state st = {0, false, true};
    bool after_index = false;
    for (int i = 0; i < end;) {
        st.good_arg_num = true;
        int lasti = i;
        while (i < end && f[i] != '%') i++;
        if (i > lasti) gort__buf_write(p->buf, f + lasti, (size_t)(i - lasti));
        if (i >= end) break;
        i++;
        clear_flags(p);
        for (; i < end; i++) {
            uint8_t c = f[i];
            if (c == '#') p->sharp = true;
            else if (c == '0') p->zero = !p->minus;
            else if (c == '+') p->plus = true;
            else if (c == '-') p->minus = true, p->zero = false;
            else if (c == ' ') p->space = true;
            else break;
        }
        i = arg_number(&st, f, i, end, nargs, &after_index);
        if (i < end && f[i] == '*') {
            i++;
            p->wid_present = int_from_arg(args, &st, &p->wid);
            if (!p->wid_present) gort__buf_str(p->buf, "%!(BADWIDTH)");
            if (p->wid < 0) p->wid = -p->wid, p->minus = true, p->zero = false;
            after_index = false;
        } else {
            i = parse_num(f, i, end, &p->wid, &p->wid_present);
            if (after_index && p->wid_present) st.good_arg_num = false;
        }
        if (i + 1 < end && f[i] == '.') {
            i++;
            if (after_index) st.good_arg_num = false;
            i = arg_number(&st, f, i, end, nargs, &after_index);
            if (i < end && f[i] == '*') {
                i++;
                p->prec_present = int_from_arg(args, &st, &p->prec);
                if (p->prec < 0) p->prec = 0, p->prec_present = false;
                if (!p->prec_present) gort__buf_str(p->buf, "%!(BADPREC)");
                after_index = false;
            } else {
                i = parse_num(f, i, end, &p->prec, &p->prec_present);
                if (!p->prec_present) p->prec = 0, p->prec_present = true;
            }
        }
        if (!after_index) i = arg_number(&st, f, i, end, nargs, &after_index);
        if (i >= end) {
            gort__buf_str(p->buf, "%!(NOVERB)");
            break;
        }
        int w;
        int32_t verb = f[i] < 0x80 ? f[i] : gort__utf8_decode(f + i, (size_t)(end - i), &w);
        i += f[i] < 0x80 ? 1 : w;
        if (verb == '%') {
            gort__buf_byte(p->buf, '%');
        } else if (!st.good_arg_num) {
            gort__buf_str(p->buf, "%!");
            gort__buf_rune(p->buf, verb);
            gort__buf_str(p->buf, "(BADINDEX)");
        } else if (st.arg_num >= nargs) {
            gort__buf_str(p->buf, "%!");
            gort__buf_rune(p->buf, verb);
            gort__buf_str(p->buf, "(MISSING)");
        } else {
            if (verb == 'v') {
                p->sharp_v = false; /* %#v prints as %v */
                p->sharp = false;
                p->plus_v = p->plus;
                p->plus = false;
            }
            gort__pp_print_arg(p, a[st.arg_num++], verb);
        }
    }
    if (!st.reordered && st.arg_num < nargs) {
        clear_flags(p);
        gort__buf_str(p->buf, "%!(EXTRA ");
        for (int k = st.arg_num; k < nargs; k++) {
            if (k > st.arg_num) gort__buf_str(p->buf, ", ");
            if (!a[k].tab) {
                gort__buf_str(p->buf, "<nil>");
            } else {
                gort__buf_str(p->buf, a[k].tab->type->name);
                gort__buf_byte(p->buf, '=');
                gort__pp_print_arg(p, a[k], 'v');
            }
        }
        gort__buf_byte(p->buf, ')');
    }
}

/* The text formatted into a gort_buf of its own (the caller frees it or
 * finishes it as a model string): t.Log copies it straight into the log
 * and the output, with no model string in between. */
static gort_buf *printf_buf(const go_site *site, gort_string format, gort_slice args, bool wrap,
                            gort_iface *wrapped, bool *have_wrapped) {
    gort_pp p;
    memset(&p, 0, sizeof p);
    p.site = site;
    p.buf = gort__buf_new();
    p.wrap_errs = wrap;
    do_printf(&p, format, args);
    if (wrapped) *wrapped = p.wrapped;
    if (have_wrapped) *have_wrapped = p.have_wrapped;
    return p.buf;
}

gort_string gort__sprintf(const go_site *site, gort_string format, gort_slice args, bool wrap,
                          gort_iface *wrapped, bool *have_wrapped) {
    return gort__buf_finish(site, printf_buf(site, format, args, wrap, wrapped, have_wrapped));
}

gort_string gort_fmt_sprintf(const go_site *site, gort_string format, gort_slice args) {
    return gort__sprintf(site, format, args, false, NULL, NULL);
}

static gort_buf *print_buf(const go_site *site, gort_slice args, bool ln) {
    gort_pp p;
    memset(&p, 0, sizeof p);
    p.site = site;
    p.buf = gort__buf_new();
    const gort_iface *a = args.ptr;
    bool prev_string = false;
    for (gort_int k = 0; k < args.len; k++) {
        bool is_string = a[k].tab && a[k].tab->type->kind == GORT_STRING;
        if (k > 0 && (ln || (!is_string && !prev_string))) gort__buf_byte(p.buf, ' ');
        clear_flags(&p);
        gort__pp_print_arg(&p, a[k], 'v');
        prev_string = is_string;
    }
    if (ln) gort__buf_byte(p.buf, '\n');
    return p.buf;
}

static gort_string do_print(const go_site *site, gort_slice args, bool ln) {
    return gort__buf_finish(site, print_buf(site, args, ln));
}

gort_buf *gort__format_buf(const go_site *site, gort_string format, bool formatted,
                           gort_slice args) {
    return formatted ? printf_buf(site, format, args, false, NULL, NULL)
                     : print_buf(site, args, true);
}

gort_string gort_fmt_sprint(const go_site *site, gort_slice args) {
    return do_print(site, args, false);
}

gort_string gort_fmt_sprintln(const go_site *site, gort_slice args) {
    return do_print(site, args, true);
}

gort_iface gort_fmt_errorf(const go_site *site, gort_string format, gort_slice args) {
    gort_iface wrapped;
    bool have;
    gort_string s = gort__sprintf(site, format, args, true, &wrapped, &have);
    if (!have) return gort__error_string(site, s);
    return gort__wrap_error(site, s, wrapped);
}
