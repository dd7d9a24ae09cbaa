/* fmt_float.c -- fmt's %v %g %G %e %E %f %F %x %X %b of floats and
 * complex numbers: strconv.FormatFloat's output (Go 1.19 strconv/ftoa.go:
 * %v and %g use the shortest digits that read back as the value, in the
 * exponent form when exp < -4 || exp >= eprec, eprec 6 for the shortest
 * form), then fmt's sign, Inf/NaN and zero-padding rules
 * (fmt/format.go fmtFloat). Digits come from C's correctly rounded
 * printf, which rounds as strconv does. %x uses C's %a (Go normalises the
 * mantissa the same way for normal numbers); %#g (keep trailing zeros) is
 * not modelled. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

/* ---- floats (strconv.FormatFloat, then fmt's sign and padding) ---------------------- */

typedef struct decimal {
    char d[40];
    int nd, dp;                /* digits d[0..nd), decimal point after dp digits */
} decimal;

/* The digits of |v| rounded to `sig` significant digits, or the shortest
 * that read back as v (sig < 0), trailing zeros trimmed. */
static void digits_of(double v, int size, int sig, decimal *out) {
    char tmp[64];
    v = fabs(v);
    out->nd = out->dp = 0;
    if (v == 0) return;
    if (sig < 0) {
        for (int p = 1; p <= 17; p++) {
            snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
            double r = strtod(tmp, NULL);
            if (size == 32 ? (float)r == (float)v : r == v) break;
        }
    } else {
        snprintf(tmp, sizeof tmp, "%.*e", sig > 30 ? 29 : sig - 1, v);
    }
    char *e = strchr(tmp, 'e');
    for (char *c = tmp; c < e; c++)
        if (*c >= '0' && *c <= '9') out->d[out->nd++] = *c;
    out->dp = atoi(e + 1) + 1;
    while (out->nd > 0 && out->d[out->nd - 1] == '0') out->nd--;
    if (!out->nd) out->dp = 0;
}

static void fmt_e(gort_buf *b, const decimal *d, int prec, char e) {
    gort__buf_byte(b, d->nd ? d->d[0] : '0');
    if (prec > 0) {
        gort__buf_byte(b, '.');
        for (int i = 1; i <= prec; i++) gort__buf_byte(b, i < d->nd ? d->d[i] : '0');
    }
    int exp = d->nd ? d->dp - 1 : 0;
    gort__buf_printf(b, "%c%c%02d", e, exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
}

static void fmt_f(gort_buf *b, const decimal *d, int prec) {
    if (d->dp > 0) {
        for (int i = 0; i < d->dp; i++) gort__buf_byte(b, i < d->nd ? d->d[i] : '0');
    } else {
        gort__buf_byte(b, '0');
    }
    if (prec > 0) {
        gort__buf_byte(b, '.');
        for (int i = 0; i < prec; i++) {
            int j = d->dp + i;
            gort__buf_byte(b, j >= 0 && j < d->nd ? d->d[j] : '0');
        }
    }
}

/* strconv.AppendFloat(v, verb, prec, size) with the sign always written. */
static void format_float(gort_buf *b, double v, int32_t verb, int prec, int size) {
    if (isnan(v)) {
        gort__buf_str(b, "+NaN");
        return;
    }
    gort__buf_byte(b, signbit(v) ? '-' : '+');
    if (isinf(v)) {
        gort__buf_str(b, "Inf");
        return;
    }
    double a = fabs(v);
    char tmp[512];
    decimal d;
    switch (verb) {
    case 'e': case 'E':
        snprintf(tmp, sizeof tmp, verb == 'e' ? "%.*e" : "%.*E", prec, a);
        gort__buf_str(b, tmp);
        return;
    case 'f': case 'F':
        snprintf(tmp, sizeof tmp, "%.*f", prec, a);
        gort__buf_str(b, tmp);
        return;
    case 'x': case 'X': {
        snprintf(tmp, sizeof tmp, verb == 'x' ? "%a" : "%A", a);
        char *pe = strchr(tmp, verb == 'x' ? 'p' : 'P');
        if (pe && pe[2] && !pe[3]) { /* at least two exponent digits, as Go */
            pe[4] = 0, pe[3] = pe[2], pe[2] = '0';
        }
        gort__buf_str(b, tmp);
        return;
    }
    case 'b': {
        int exp;
        double m = frexp(a, &exp);
        int bits = size == 32 ? 24 : 53;
        gort__buf_printf(b, "%llup%+d", (unsigned long long)ldexp(m, bits), exp - bits);
        return;
    }
    }
    /* %g, %G */
    bool shortest = prec < 0;
    if (!shortest && prec == 0) prec = 1;
    digits_of(a, size, shortest ? -1 : prec, &d);
    if (shortest) prec = d.nd ? d.nd : 1;
    int eprec = prec;
    if (eprec > d.nd && d.nd >= d.dp) eprec = d.nd;
    if (shortest) eprec = 6;
    int exp = d.dp - 1;
    if (d.nd && (exp < -4 || exp >= eprec)) {
        if (prec > d.nd) prec = d.nd;
        fmt_e(b, &d, prec - 1, verb == 'G' ? 'E' : 'e');
        return;
    }
    if (prec > d.dp) prec = d.nd;
    fmt_f(b, &d, prec - d.dp > 0 ? prec - d.dp : 0);
}

static void fmt_float(gort_pp *p, double v, int size, int32_t verb, int prec) {
    if (p->prec_present) prec = p->prec;
    gort_buf *b = gort__buf_new();
    format_float(b, v, verb, prec, size);
    char *num = b->data;
    size_t n = b->len;
    if (p->space && num[0] == '+' && !p->plus) num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
        bool old = p->zero;
        p->zero = false;
        if (num[1] == 'N' && !p->space && !p->plus) num++, n--;
        gort__fmt_pad(p, num, n);
        p->zero = old;
    } else if (p->plus || num[0] != '+') {
        if (p->zero && p->wid_present && p->wid > (int)n) {
            gort__buf_byte(p->buf, num[0]);
            gort__fmt_write_padding(p, p->wid - (int)n);
            gort__buf_write(p->buf, num + 1, n - 1);
        } else {
            gort__fmt_pad(p, num, n);
        }
    } else {
        gort__fmt_pad(p, num + 1, n - 1);
    }
    gort__buf_free(b);
}

void gort__fmt_float(gort_pp *p, double f, int size, int32_t verb, const gort_type *t,
                     const void *v) {
    switch (verb) {
    case 'v': fmt_float(p, f, size, 'g', -1); break;
    case 'b': case 'g': case 'G': case 'x': case 'X': fmt_float(p, f, size, verb, -1); break;
    case 'f': case 'e': case 'E': case 'F': fmt_float(p, f, size, verb, 6); break;
    default: gort__pp_bad_verb(p, verb, t, v);
    }
}

void gort__fmt_complex(gort_pp *p, double re, double im, int size, int32_t verb,
                       const gort_type *t, const void *v) {
    switch (verb) {
    case 'v': case 'b': case 'g': case 'G': case 'x': case 'X': case 'f': case 'F': case 'e':
    case 'E': {
        bool plus = p->plus;
        gort__buf_byte(p->buf, '(');
        gort__fmt_float(p, re, size / 2, verb, t, v);
        p->plus = true;
        gort__fmt_float(p, im, size / 2, verb, t, v);
        gort__buf_str(p->buf, "i)");
        p->plus = plus;
        break;
    }
    default: gort__pp_bad_verb(p, verb, t, v);
    }
}

