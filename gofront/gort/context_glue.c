/* context_glue.c -- context.Context values over the model's contexts.
 *
 * A Context is an interface whose dynamic type is gort_type_context
 * ("*context.ctx", direct: the data word is the go_context *), with the
 * model's Deadline, Done, Err and Value as methods (sorted: the order of
 * context.Context's itab). A CancelFunc is a gort_func {cancel_trampoline,
 * go_cancel_func *}.
 *
 * WithValue's keys are interfaces but the model compares keys as words:
 * each distinct (type, value) key is interned into one go_alloc'ed cell
 * whose address is the word. The cells sit in a table rooted in a static
 * for the execution (keys are few and usually constants); gort_exec_begin
 * forgets it. Values are boxed in a cell of their own (the context holds
 * the word, and the object graph sees through it). */
#include "gort_internal.h"

static const go_site method_site = {__FILE__, "context.Context", __LINE__};

typedef struct deadline_result {
    gort_time r0;
    bool r1;
} deadline_result;

static deadline_result ctx_deadline(void *data) {
    go_duration d = 0;
    deadline_result r = {{0, 0, NULL}, false};
    if (go_ctx_deadline_at(&method_site, data, &d)) {
        r.r0 = gort_time_at(d);
        r.r1 = true;
    }
    return r;
}

static go_chan *ctx_done(void *data) { return go_ctx_done_at(&method_site, data); }

static gort_iface ctx_err(void *data) {
    return gort_error_from_model(go_ctx_err_at(&method_site, data));
}

static go_word lookup_key(const go_site *site, gort_iface key, bool intern);

static gort_iface ctx_value(void *data, gort_iface key) {
    go_word word = lookup_key(&method_site, key, false);
    if (!word) {
        gort_iface nil = {NULL, NULL};
        return nil;
    }
    return gort_context_unbox_value(go_ctx_value_at(&method_site, data, word));
}

static const gort_method context_methods[] = {{"Deadline", (void *)ctx_deadline},
                                              {"Done", (void *)ctx_done},
                                              {"Err", (void *)ctx_err},
                                              {"Value", (void *)ctx_value}};

const gort_type gort_type_context = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "*context.ctx", .methods = context_methods, .method_count = 4};

static const char *const context_method_names[] = {"Deadline", "Done", "Err", "Value"};
const gort_type gort_type_context_iface = {
    .kind = GORT_INTERFACE, .flags = GORT_COMPARABLE | GORT_NAMED, .size = sizeof(gort_iface),
    .align = 8, .name = "context.Context", .interface_methods = context_method_names,
    .interface_method_count = 4};

gort_iface gort_context_from_model(go_context *ctx) {
    gort_iface x = {NULL, NULL};
    if (!ctx) return x;
    x.tab = gort_itab_get(&gort_type_context, &gort_type_context_iface);
    x.data = ctx;
    return x;
}

go_context *gort_context_to_model(const go_site *site, gort_iface ctx) {
    const gort_type *t = gort_iface_type(ctx);
    if (!t) return NULL; /* the model panics as Go does on a nil parent */
    if (t != &gort_type_context) {
        gort_buf *b = gort__buf_new();
        gort__buf_printf(b, "chanfuzz: unsupported: a context.Context of type %s", t->name);
        gort_string text = gort__buf_finish(site, b);
        gort_panic(site, gort__box_string(site, text));
    }
    return ctx.data;
}

static void cancel_trampoline(void *env) {
    static const go_site site = {__FILE__, "context.CancelFunc", __LINE__};
    go_cancel_at(&site, env, NULL);
}

gort_func gort_cancel_func_value(go_cancel_func *cancel) {
    gort_func f = {(void *)cancel_trampoline, cancel};
    return f;
}

/* ---- keys and values ------------------------------------------------------- */

static struct {
    gort_iface **cells;        /* go_alloc'ed array of go_alloc'ed cells */
    size_t count, cap;
} keys;

void gort__context_reset(void) { memset(&keys, 0, sizeof keys); }

static go_word lookup_key(const go_site *site, gort_iface key, bool intern) {
    const gort_type *t = gort_iface_type(key);
    if (!t) return 0; /* nil key: the model panics "nil key" */
    if (!(t->flags & GORT_COMPARABLE)) go_panic_at(site, "key is not comparable");
    for (size_t i = 0; i < keys.count; i++)
        if (gort_iface_equal(site, *keys.cells[i], key)) return (go_word)keys.cells[i];
    if (!intern) return 0;
    if (keys.count == keys.cap) {
        size_t cap = keys.cap ? keys.cap * 2 : 8;
        gort_iface **cells = go_alloc_at(site, cap * sizeof *cells);
        if (keys.count) memcpy(cells, keys.cells, keys.count * sizeof *cells);
        keys.cells = cells;
        keys.cap = cap;
    }
    gort_iface *cell = go_alloc_at(site, sizeof *cell);
    *cell = key;
    keys.cells[keys.count++] = cell;
    return (go_word)cell;
}

go_word gort_context_key(const go_site *site, gort_iface key) {
    return lookup_key(site, key, true);
}

go_word gort_context_boxed_value(const go_site *site, gort_iface value) {
    if (!value.tab) return 0;
    gort_iface *cell = go_alloc_at(site, sizeof *cell);
    *cell = value;
    return (go_word)cell;
}

gort_iface gort_context_unbox_value(go_word word) {
    gort_iface nil = {NULL, NULL};
    return word ? *(const gort_iface *)word : nil;
}
