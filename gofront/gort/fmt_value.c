/* fmt_value.c -- fmt's printArg, handleMethods, printValue and badVerb
 * (Go 1.19 fmt/print.go) over gort's type descriptors, and fmtsort's key
 * order for maps (internal/fmtsort).
 *
 * What is kept: Error() then String() (found by name in the dynamic
 * type's method table) for %v %s %x %X %q, also on nested values except
 * below unexported fields; a nil pointer receiver whose method panics
 * prints <nil>; %w only in Errorf, once; structs {a b}, %+v {A:a B:b},
 * pointers to arrays, slices, structs and maps as &... at the top level
 * and as addresses below; []byte for %s %q %x %X; maps sorted by key;
 * %!verb(type=value).
 *
 * Addresses print as deterministic stand-ins (gort__fake_address): the
 * execution's first printed address is 0xc000010000, the next
 * 0xc000010010, ...; Go's real addresses differ from run to run, and the
 * model's output must not. Map keys that are pointers or channels sort by
 * real address as fmtsort does. Not kept: Formatter, GoStringer and %#v
 * syntax (%#v prints as %v), the PANIC= form for methods that panic on a
 * non-nil receiver (the panic goes on). */
#include <stdlib.h>

#include "gort_internal.h"

/* ---- fake addresses ---------------------------------------------------------- */

static struct {
    const void **seen;
    size_t count, cap;
} addresses;

void gort__fmt_reset(void) {
    free(addresses.seen);
    memset(&addresses, 0, sizeof addresses);
}

uint64_t gort__fake_address(const void *p) {
    if (!p) return 0;
    size_t i = 0;
    while (i < addresses.count && addresses.seen[i] != p) i++;
    if (i == addresses.count) {
        if (addresses.count == addresses.cap) {
            addresses.cap = addresses.cap ? addresses.cap * 2 : 16;
            addresses.seen = realloc(addresses.seen, addresses.cap * sizeof *addresses.seen);
            if (!addresses.seen) abort();
        }
        addresses.seen[addresses.count++] = p;
    }
    return 0xc000010000u + 0x10u * i;
}

/* ---- methods -------------------------------------------------------------------- */

/* The data word of an interface holding the value at v. */
static void *data_word(const gort_type *t, const void *v) {
    void *data;
    if (t->flags & GORT_DIRECT) memcpy(&data, v, sizeof data);
    else data = (void *)v;
    return data;
}

typedef struct protected_call {
    gort__string_method *fn;
    void *data;
    gort_string result;
    bool panicked;
} protected_call;

static void catch_panic(void *arg) {
    static const go_site site = {__FILE__, "fmt.(*pp).catchPanic", __LINE__};
    protected_call *c = arg;
    if (gort_recover(&site).tab) c->panicked = true;
}

static void call_protected(void *arg) {
    static const go_site site = {__FILE__, "fmt.(*pp).handleMethods", __LINE__};
    protected_call *c = arg;
    go_defer_at(&site, "fmt.(*pp).catchPanic", catch_panic, c);
    c->result = c->fn(c->data);
}

bool gort__pp_handle_methods(gort_pp *p, const gort_type *t, const void *v, int32_t verb) {
    if (p->erroring || !t) return false;
    if (verb == 'w') {
        void *error = gort__method(t, "Error");
        if (!error || !p->wrap_errs || p->have_wrapped) {
            p->have_wrapped = false;
            p->wrap_errs = false;
            gort__pp_bad_verb(p, verb, t, v);
            return true;
        }
        gort_iface err = {gort_itab_get(t, &gort_type_error), data_word(t, v)};
        p->wrapped = err;
        p->have_wrapped = true;
        verb = 'v';
    }
    if (verb != 'v' && verb != 's' && verb != 'x' && verb != 'X' && verb != 'q') return false;
    void *fn = gort__method(t, "Error");
    if (!fn) fn = gort__method(t, "String");
    if (!fn) return false;
    protected_call c = {(gort__string_method *)fn, data_word(t, v), {NULL, 0}, false};
    if (t->kind == GORT_POINTER && !c.data) {
        /* A nil receiver: Go's catchPanic prints <nil> if the method panics. */
        go_call_at(p->site, call_protected, &c);
        if (c.panicked) {
            gort__fmt_pad(p, "<nil>", 5);
            return true;
        }
    } else {
        c.result = c.fn(c.data);
    }
    gort__fmt_string(p, c.result, verb, &gort_type_string, &c.result);
    return true;
}

/* ---- printArg, badVerb ------------------------------------------------------------ */

void gort__pp_print_arg(gort_pp *p, gort_iface arg, int32_t verb) {
    if (!arg.tab) {
        if (verb == 'T' || verb == 'v') gort__fmt_pad(p, "<nil>", 5);
        else gort__pp_bad_verb(p, verb, NULL, NULL);
        return;
    }
    const gort_type *t = arg.tab->type;
    const void *v = gort__iface_ptr(&arg);
    if (verb == 'T') {
        gort_string name = {(const uint8_t *)t->name, (gort_int)strlen(t->name)};
        gort__fmt_string(p, name, 's', &gort_type_string, &name);
        return;
    }
    if (verb == 'p') {
        switch (t->kind) {
        case GORT_CHAN: case GORT_MAP: case GORT_POINTER: case GORT_UNSAFE_POINTER:
            gort__fmt_pointer(p, arg.data, 'p', t, v);
            break;
        case GORT_SLICE: gort__fmt_pointer(p, ((const gort_slice *)v)->ptr, 'p', t, v); break;
        case GORT_FUNC: gort__fmt_pointer(p, ((const gort_func *)v)->fn, 'p', t, v); break;
        default: gort__pp_bad_verb(p, verb, t, v);
        }
        return;
    }
    if (!gort__pp_handle_methods(p, t, v, verb)) gort__pp_print_value(p, t, v, verb, 0);
}

void gort__pp_bad_verb(gort_pp *p, int32_t verb, const gort_type *t, const void *v) {
    bool erroring = p->erroring;
    p->erroring = true;
    gort__buf_str(p->buf, "%!");
    gort__buf_rune(p->buf, verb);
    gort__buf_byte(p->buf, '(');
    if (t) {
        gort__buf_str(p->buf, t->name);
        gort__buf_byte(p->buf, '=');
        gort__pp_print_value(p, t, v, 'v', 0);
    } else {
        gort__buf_str(p->buf, "<nil>");
    }
    gort__buf_byte(p->buf, ')');
    p->erroring = erroring;
}

/* ---- map keys in fmtsort's order ------------------------------------------------------ */

static int cmp_float(double a, double b) {
    if (a != a) return -1;
    if (b != b) return 1;
    return (a > b) - (a < b);
}

#define CMP(type) ((*(const type *)a > *(const type *)b) - (*(const type *)a < *(const type *)b))

int gort__fmt_compare(const gort_type *t, const void *a, const void *b) {
    switch (t->kind) {
    case GORT_INT: case GORT_INT64: return CMP(int64_t);
    case GORT_INT32: return CMP(int32_t);
    case GORT_INT16: return CMP(int16_t);
    case GORT_INT8: return CMP(int8_t);
    case GORT_UINT: case GORT_UINT64: case GORT_UINTPTR: return CMP(uint64_t);
    case GORT_UINT32: return CMP(uint32_t);
    case GORT_UINT16: return CMP(uint16_t);
    case GORT_UINT8: return CMP(uint8_t);
    case GORT_BOOL: return CMP(bool);
    case GORT_STRING: return gort_string_compare(*(const gort_string *)a, *(const gort_string *)b);
    case GORT_FLOAT32: return cmp_float(*(const float *)a, *(const float *)b);
    case GORT_FLOAT64: return cmp_float(*(const double *)a, *(const double *)b);
    case GORT_COMPLEX64: {
        int c = cmp_float(((const float *)a)[0], ((const float *)b)[0]);
        return c ? c : cmp_float(((const float *)a)[1], ((const float *)b)[1]);
    }
    case GORT_COMPLEX128: {
        int c = cmp_float(((const double *)a)[0], ((const double *)b)[0]);
        return c ? c : cmp_float(((const double *)a)[1], ((const double *)b)[1]);
    }
    case GORT_POINTER: case GORT_UNSAFE_POINTER: case GORT_CHAN: return CMP(uintptr_t);
    case GORT_STRUCT:
        for (size_t i = 0; i < t->field_count; i++) {
            const gort_field *f = &t->fields[i];
            int c = gort__fmt_compare(f->type, (const char *)a + f->offset,
                                      (const char *)b + f->offset);
            if (c) return c;
        }
        return 0;
    case GORT_ARRAY:
        for (gort_int i = 0; i < t->len; i++) {
            size_t off = (size_t)i * t->elem->size;
            int c = gort__fmt_compare(t->elem, (const char *)a + off, (const char *)b + off);
            if (c) return c;
        }
        return 0;
    case GORT_INTERFACE: {
        gort_iface x = *(const gort_iface *)a, y = *(const gort_iface *)b;
        if (!x.tab || !y.tab) return (x.tab != NULL) - (y.tab != NULL);
        const gort_type *tx = x.tab->type, *ty = y.tab->type;
        if (tx != ty) { /* by name, not by descriptor address: deterministic */
            int c = strcmp(tx->name, ty->name);
            return c ? (c < 0 ? -1 : 1) : (tx < ty ? -1 : 1);
        }
        return gort__fmt_compare(tx, gort__iface_ptr(&x), gort__iface_ptr(&y));
    }
    default: return 0;
    }
}

static void print_map(gort_pp *p, const gort_type *t, const gort_map *m, int32_t verb, int depth) {
    gort_int n = gort_map_len(m);
    const void **keys = malloc((size_t)(n ? n : 1) * sizeof *keys);
    const void **values = malloc((size_t)(n ? n : 1) * sizeof *values);
    if (!keys || !values) abort();
    n = gort__map_entries(m, keys, values, n);
    for (gort_int i = 1; i < n; i++) /* stable insertion sort */
        for (gort_int j = i; j > 0 && gort__fmt_compare(t->key, keys[j], keys[j - 1]) < 0; j--) {
            const void *k = keys[j], *v = values[j];
            keys[j] = keys[j - 1], values[j] = values[j - 1];
            keys[j - 1] = k, values[j - 1] = v;
        }
    gort__buf_str(p->buf, "map[");
    for (gort_int i = 0; i < n; i++) {
        if (i > 0) gort__buf_byte(p->buf, ' ');
        gort__pp_print_value(p, t->key, keys[i], verb, depth + 1);
        gort__buf_byte(p->buf, ':');
        gort__pp_print_value(p, t->elem, values[i], verb, depth + 1);
    }
    gort__buf_byte(p->buf, ']');
    free(keys);
    free(values);
}

/* ---- printValue -------------------------------------------------------------------------- */

static void print_elements(gort_pp *p, const gort_type *t, const void *base, gort_int n,
                           int32_t verb, int depth) {
    const gort_type *et = t->elem;
    if ((verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') && et->kind == GORT_UINT8) {
        gort__fmt_bytes(p, base, (size_t)n, verb, t->name);
        return;
    }
    gort__buf_byte(p->buf, '[');
    for (gort_int i = 0; i < n; i++) {
        if (i > 0) gort__buf_byte(p->buf, ' ');
        gort__pp_print_value(p, et, (const char *)base + (size_t)i * et->size, verb, depth + 1);
    }
    gort__buf_byte(p->buf, ']');
}

void gort__pp_print_value(gort_pp *p, const gort_type *t, const void *v, int32_t verb,
                          int depth) {
    if (depth > 0 && !p->ro && gort__pp_handle_methods(p, t, v, verb)) return;
    switch (t->kind) {
    case GORT_BOOL: gort__fmt_bool(p, *(const bool *)v, verb, t, v); break;
    case GORT_INT: case GORT_INT64: gort__fmt_integer(p, (uint64_t)*(const int64_t *)v, true, verb, t, v); break;
    case GORT_INT32: gort__fmt_integer(p, (uint64_t)(int64_t)*(const int32_t *)v, true, verb, t, v); break;
    case GORT_INT16: gort__fmt_integer(p, (uint64_t)(int64_t)*(const int16_t *)v, true, verb, t, v); break;
    case GORT_INT8: gort__fmt_integer(p, (uint64_t)(int64_t)*(const int8_t *)v, true, verb, t, v); break;
    case GORT_UINT: case GORT_UINT64: case GORT_UINTPTR: gort__fmt_integer(p, *(const uint64_t *)v, false, verb, t, v); break;
    case GORT_UINT32: gort__fmt_integer(p, *(const uint32_t *)v, false, verb, t, v); break;
    case GORT_UINT16: gort__fmt_integer(p, *(const uint16_t *)v, false, verb, t, v); break;
    case GORT_UINT8: gort__fmt_integer(p, *(const uint8_t *)v, false, verb, t, v); break;
    case GORT_FLOAT32: gort__fmt_float(p, *(const float *)v, 32, verb, t, v); break;
    case GORT_FLOAT64: gort__fmt_float(p, *(const double *)v, 64, verb, t, v); break;
    case GORT_COMPLEX64:
        gort__fmt_complex(p, ((const float *)v)[0], ((const float *)v)[1], 64, verb, t, v);
        break;
    case GORT_COMPLEX128:
        gort__fmt_complex(p, ((const double *)v)[0], ((const double *)v)[1], 128, verb, t, v);
        break;
    case GORT_STRING: gort__fmt_string(p, *(const gort_string *)v, verb, t, v); break;
    case GORT_MAP: print_map(p, t, *(gort_map *const *)v, verb, depth); break;
    case GORT_STRUCT: {
        bool outer = p->ro;
        gort__buf_byte(p->buf, '{');
        for (size_t i = 0; i < t->field_count; i++) {
            const gort_field *f = &t->fields[i];
            if (i > 0) gort__buf_byte(p->buf, ' ');
            if (p->plus_v && f->name && f->name[0]) {
                gort__buf_str(p->buf, f->name);
                gort__buf_byte(p->buf, ':');
            }
            p->ro = outer || !f->exported;
            gort__pp_print_value(p, f->type, (const char *)v + f->offset, verb, depth + 1);
        }
        p->ro = outer;
        gort__buf_byte(p->buf, '}');
        break;
    }
    case GORT_INTERFACE: {
        gort_iface x = *(const gort_iface *)v;
        if (!x.tab) gort__buf_str(p->buf, "<nil>");
        else gort__pp_print_value(p, x.tab->type, gort__iface_ptr(&x), verb, depth + 1);
        break;
    }
    case GORT_ARRAY: print_elements(p, t, v, t->len, verb, depth); break;
    case GORT_SLICE: {
        const gort_slice *s = v;
        print_elements(p, t, s->ptr, s->len, verb, depth);
        break;
    }
    case GORT_POINTER: {
        const void *ptr = *(const void *const *)v;
        if (depth == 0 && ptr && t->elem) {
            gort_kind k = t->elem->kind;
            if (k == GORT_ARRAY || k == GORT_SLICE || k == GORT_STRUCT || k == GORT_MAP) {
                gort__buf_byte(p->buf, '&');
                gort__pp_print_value(p, t->elem, ptr, verb, depth + 1);
                break;
            }
        }
        gort__fmt_pointer(p, ptr, verb, t, v);
        break;
    }
    case GORT_CHAN: case GORT_UNSAFE_POINTER:
        gort__fmt_pointer(p, *(const void *const *)v, verb, t, v);
        break;
    case GORT_FUNC: gort__fmt_pointer(p, ((const gort_func *)v)->fn, verb, t, v); break;
    default: gort__buf_str(p->buf, "?"); break;
    }
}
