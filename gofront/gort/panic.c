/* panic.c -- panic(v) with any value, recover(), and the runtime's errors
 * (Go 1.19 runtime/panic.go, error.go; panic(nil) as Go 1.21+, as the
 * model does).
 *
 * The model's panics carry a message (go_panic_at), and go_recover_at
 * returns the very pointer given. So gort_panic keeps a record {magic,
 * value, text} on a per-execution malloc'ed list, panics with the
 * record's text (Go's printpanicval of v), and gort_recover maps a message
 * that is a record's text back to the value. A message that is none of
 * ours is a panic the model raised (close of a closed channel, a negative
 * WaitGroup counter): it comes back as Go gives it, a runtime.Error for
 * the runtime's own errors, else a string.
 *
 * While the panic runs, its value stays reachable for the model's
 * collector through gort_panic's frame (a volatile local): the deferred
 * calls run on top of that frame. The records' malloc'ed memory is not
 * scanned and need not be. gort_exec_begin frees the list. */
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

#define RECORD_MAGIC 0x676f72747061636bu /* "gortpack" */

typedef struct record {
    uint64_t magic;
    gort_iface value;
    struct record *next;
    char text[];
} record;

static record *records;

void gort__panic_reset(void) {
    while (records) {
        record *r = records;
        records = r->next;
        free(r);
    }
}

/* ---- the runtime's error types ------------------------------------------------ */

/* Every runtime error value's box is its Error() text. */
static gort_string error_text(void *data) { return *(gort_string *)data; }
static void runtime_error_marker(void *data) { (void)data; }

static const gort_method runtime_error_methods[] = {
    {"Error", (void *)error_text}, {"RuntimeError", (void *)runtime_error_marker}};

#define RUNTIME_ERROR_TYPE(var, nm, kd, fl)                                                \
    static const gort_type var = {.kind = (kd), .flags = GORT_COMPARABLE | GORT_NAMED | (fl), \
                                  .size = (kd) == GORT_POINTER ? 8 : sizeof(gort_string),   \
                                  .align = 8, .name = (nm), .methods = runtime_error_methods, \
                                  .method_count = 2}
RUNTIME_ERROR_TYPE(type_error_string, "runtime.errorString", GORT_STRING, 0);
RUNTIME_ERROR_TYPE(type_plain_error, "runtime.plainError", GORT_STRING, 0);
RUNTIME_ERROR_TYPE(type_bounds_error, "runtime.boundsError", GORT_STRING, 0);
RUNTIME_ERROR_TYPE(type_assertion_error, "*runtime.TypeAssertionError", GORT_POINTER,
                   GORT_DIRECT);

static const char *const runtime_error_names[] = {"Error", "RuntimeError"};
const gort_type gort_type_runtime_error = {
    .kind = GORT_INTERFACE, .flags = GORT_COMPARABLE | GORT_NAMED, .size = sizeof(gort_iface),
    .align = 8, .name = "runtime.Error", .interface_methods = runtime_error_names,
    .interface_method_count = 2};

gort_iface gort__runtime_error(const go_site *site, int kind, const char *text) {
    static const gort_type *const types[] = {&type_error_string, &type_plain_error,
                                             &type_bounds_error, &type_assertion_error};
    gort_buf *b = gort__buf_new();
    if (kind == 0 || kind == 2) gort__buf_str(b, "runtime error: ");
    gort__buf_str(b, text);
    gort_string s = gort__buf_finish(site, b);
    gort_string *box = go_alloc_at(site, sizeof *box);
    *box = s;
    gort_iface x = {gort__eface_tab(types[kind]), box};
    return x;
}

/* ---- printpanicval ----------------------------------------------------------------- */

void gort__print_float(gort_buf *b, double v) {
    const char *special = v != v ? "NaN" : v + v == v && v > 0 ? "+Inf"
                        : v + v == v && v < 0 ? "-Inf" : NULL;
    if (special) {
        gort__buf_str(b, special);
        return;
    }
    enum { n = 7 };
    char buf[n + 7];
    buf[0] = '+';
    int e = 0;
    if (v == 0) {
        if (1 / v < 0) buf[0] = '-';
    } else {
        if (v < 0) v = -v, buf[0] = '-';
        while (v >= 10) e++, v /= 10;
        while (v < 1) e--, v *= 10;
        double h = 5.0;
        for (int i = 0; i < n; i++) h /= 10;
        v += h;
        if (v >= 10) e++, v /= 10;
    }
    for (int i = 0; i < n; i++) {
        int s = (int)v;
        buf[i + 2] = (char)(s + '0');
        v -= s;
        v *= 10;
    }
    buf[1] = buf[2];
    buf[2] = '.';
    buf[n + 2] = 'e';
    buf[n + 3] = '+';
    if (e < 0) e = -e, buf[n + 3] = '-';
    buf[n + 4] = (char)(e / 100 + '0');
    buf[n + 5] = (char)(e / 10 % 10 + '0');
    buf[n + 6] = (char)(e % 10 + '0');
    gort__buf_write(b, buf, sizeof buf);
}

bool gort__call_string_method(gort_iface x, const char *name, gort_string *out) {
    void *fn = x.tab ? gort__method(x.tab->type, name) : NULL;
    if (!fn) return false;
    *out = ((gort__string_method *)fn)(x.data);
    return true;
}

/* runtime's print of a basic value (bool, numbers, string). */
static bool print_basic(gort_buf *b, const gort_type *t, const void *v) {
    switch (t->kind) {
    case GORT_BOOL: gort__buf_str(b, *(const bool *)v ? "true" : "false"); return true;
    case GORT_INT: case GORT_INT64: gort__buf_printf(b, "%lld", (long long)*(const int64_t *)v); return true;
    case GORT_INT8: gort__buf_printf(b, "%d", *(const int8_t *)v); return true;
    case GORT_INT16: gort__buf_printf(b, "%d", *(const int16_t *)v); return true;
    case GORT_INT32: gort__buf_printf(b, "%d", *(const int32_t *)v); return true;
    case GORT_UINT: case GORT_UINT64: case GORT_UINTPTR:
        gort__buf_printf(b, "%llu", (unsigned long long)*(const uint64_t *)v); return true;
    case GORT_UINT8: gort__buf_printf(b, "%u", *(const uint8_t *)v); return true;
    case GORT_UINT16: gort__buf_printf(b, "%u", *(const uint16_t *)v); return true;
    case GORT_UINT32: gort__buf_printf(b, "%u", *(const uint32_t *)v); return true;
    case GORT_FLOAT32: gort__print_float(b, *(const float *)v); return true;
    case GORT_FLOAT64: gort__print_float(b, *(const double *)v); return true;
    case GORT_COMPLEX64: case GORT_COMPLEX128: {
        double re = t->kind == GORT_COMPLEX64 ? ((const float *)v)[0] : ((const double *)v)[0];
        double im = t->kind == GORT_COMPLEX64 ? ((const float *)v)[1] : ((const double *)v)[1];
        gort__buf_byte(b, '(');
        gort__print_float(b, re);
        gort__print_float(b, im);
        gort__buf_str(b, "i)");
        return true;
    }
    case GORT_STRING: gort__buf_gostr(b, *(const gort_string *)v); return true;
    default: return false;
    }
}

void gort__print_panic_value(gort_buf *b, gort_iface v) {
    gort_string s;
    if (!v.tab) {
        gort__buf_str(b, "nil");
        return;
    }
    if (gort__call_string_method(v, "Error", &s) || gort__call_string_method(v, "String", &s)) {
        gort__buf_gostr(b, s);
        return;
    }
    const gort_type *t = v.tab->type;
    const void *p = gort__iface_ptr(&v);
    bool custom = (t->flags & GORT_NAMED) && strchr(t->name, '.');
    if (!custom && print_basic(b, t, p)) return;

    gort_buf *inner = gort__buf_new();
    if (print_basic(inner, t, p)) {
        const char *q = t->kind == GORT_STRING ? "\"" : "";
        gort__buf_printf(b, "%s(%s%s%s)", t->name, q, inner->data ? inner->data : "", q);
    } else {
        gort__buf_printf(b, "(%s) 0x%llx", t->name,
                         (unsigned long long)gort__fake_address(v.data));
    }
    gort__buf_free(inner);
}

/* ---- panic and recover ----------------------------------------------------------------- */

void gort_panic(const go_site *site, gort_iface value) {
    /* The value stays on this frame for the collector while deferred
     * calls run on top of it. */
    volatile gort_iface keep = value;
    if (!value.tab) go_panic_at(site, NULL); /* Go 1.21+: PanicNilError */
    gort_buf *b = gort__buf_new();
    gort__print_panic_value(b, value);
    size_t n = b->len;
    record *r = malloc(sizeof *r + n + 1);
    if (!r) abort();
    r->magic = RECORD_MAGIC;
    r->value = value;
    memcpy(r->text, b->data ? b->data : "", n);
    r->text[n] = 0;
    gort__buf_free(b);
    r->next = records;
    records = r;
    go_panic_at(site, r->text);
    (void)keep;
}

void gort_panic_runtime(const go_site *site, const char *text) {
    gort_panic(site, gort__runtime_error(site, 0, text));
}

void gort_panic_nil(const go_site *site) {
    gort_panic_runtime(site, "invalid memory address or nil pointer dereference");
}

void gort_panic_divide(const go_site *site) { gort_panic_runtime(site, "integer divide by zero"); }

/* The runtime's plainError messages: runtime.Errors without the prefix. */
static bool plain_error(const char *m) {
    static const char *const plain[] = {
        "send on closed channel", "close of closed channel", "close of nil channel",
        "makechan: size out of range", "assignment to entry in nil map",
        "panic called with nil argument"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(m, plain[i]) == 0) return true;
    return false;
}

static gort_iface value_of(const go_site *site, const char *m);

gort_iface gort_recover(const go_site *site) { return value_of(site, go_recover_at(site)); }

/* recover() in a deferred function with deferred calls of its own: its
 * body runs in a frame of its own, one below the deferred call's. */
gort_iface gort_recover_framed(const go_site *site) {
    return value_of(site, go_recover_in_own_frame_at(site));
}

static gort_iface value_of(const go_site *site, const char *m) {
    gort_iface nil = {NULL, NULL};
    if (!m) return nil;
    for (record *r = records; r; r = r->next)
        if (r->text == m && r->magic == RECORD_MAGIC) return r->value;
    static const char prefix[] = "runtime error: ";
    if (strncmp(m, prefix, sizeof prefix - 1) == 0)
        return gort__runtime_error(site, 0, m + sizeof prefix - 1);
    if (plain_error(m)) return gort__runtime_error(site, 1, m);
    return gort__box_string(site, gort__string_cstr(site, m));
}
