/* errors.c -- error values: errors.New, Is, As, Unwrap (Go 1.19: Unwrap()
 * error only), fmt.Errorf's wrapError, and the model's go_errors as Go
 * error values.
 *
 * Every error value gort returns carries the itab of `error`
 * (gort_type_error), so translated code calls its Error through fns[0]. */
#include <stddef.h>
#include <stdlib.h>

#include "gort_internal.h"

static const char *const error_method_names[] = {"Error"};
const gort_type gort_type_error = {
    .kind = GORT_INTERFACE, .flags = GORT_COMPARABLE | GORT_NAMED, .size = sizeof(gort_iface),
    .align = 8, .name = "error", .interface_methods = error_method_names,
    .interface_method_count = 1};

static gort_iface as_error(const gort_type *t, void *data) {
    gort_iface x = {gort_itab_get(t, &gort_type_error), data};
    return x;
}

/* ---- *errors.errorString ------------------------------------------------------ */

typedef struct error_string {
    gort_string s;
} error_string;

static gort_string error_string_error(void *data) { return ((error_string *)data)->s; }

static const gort_field error_string_fields[] = {
    {"s", &gort_type_string, offsetof(error_string, s), false, false}};
static const gort_type type_error_string_struct = {
    .kind = GORT_STRUCT, .flags = GORT_COMPARABLE | GORT_NAMED, .size = sizeof(error_string),
    .align = 8, .name = "errors.errorString", .fields = error_string_fields, .field_count = 1};
static const gort_method error_string_methods[] = {{"Error", (void *)error_string_error}};
static const gort_type type_error_string = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "*errors.errorString", .elem = &type_error_string_struct,
    .methods = error_string_methods, .method_count = 1};

gort_iface gort__error_string(const go_site *site, gort_string s) {
    error_string *e = go_alloc_at(site, sizeof *e);
    e->s = s;
    return as_error(&type_error_string, e);
}

gort_iface gort_errors_new(const go_site *site, gort_string text) {
    return gort__error_string(site, text);
}

/* ---- *fmt.wrapError ------------------------------------------------------------------ */

typedef struct wrap_error {
    gort_string msg;
    gort_iface err;
} wrap_error;

static gort_string wrap_error_error(void *data) { return ((wrap_error *)data)->msg; }
static gort_iface wrap_error_unwrap(void *data) { return ((wrap_error *)data)->err; }

static const gort_field wrap_error_fields[] = {
    {"msg", &gort_type_string, offsetof(wrap_error, msg), false, false},
    {"err", &gort_type_error, offsetof(wrap_error, err), false, false}};
static const gort_type type_wrap_error_struct = {
    .kind = GORT_STRUCT, .flags = GORT_COMPARABLE | GORT_NAMED, .size = sizeof(wrap_error),
    .align = 8, .name = "fmt.wrapError", .fields = wrap_error_fields, .field_count = 2};
static const gort_method wrap_error_methods[] = {{"Error", (void *)wrap_error_error},
                                                 {"Unwrap", (void *)wrap_error_unwrap}};
static const gort_type type_wrap_error = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "*fmt.wrapError", .elem = &type_wrap_error_struct,
    .methods = wrap_error_methods, .method_count = 2};

gort_iface gort__wrap_error(const go_site *site, gort_string msg, gort_iface err) {
    wrap_error *e = go_alloc_at(site, sizeof *e);
    e->msg = msg;
    e->err = err;
    return as_error(&type_wrap_error, e);
}

/* ---- *fs.PathError ------------------------------------------------------------------ *
 * What os.Open and os.Remove fail with. Its text is made when Error is
 * called, as Go's: a failed Open is one allocation, not the three that
 * building "open NAME: no such file or directory" up front took. */

typedef struct path_error {
    gort_string op, path;
    gort_iface err;
} path_error;

static const go_site path_error_site = {__FILE__, "io/fs.(*PathError).Error", __LINE__};

static gort_string path_error_error(void *data) {
    const path_error *e = data;
    gort_buf *b = gort__buf_new();
    gort__buf_gostr(b, e->op);
    gort__buf_byte(b, ' ');
    gort__buf_gostr(b, e->path);
    gort__buf_str(b, ": ");
    gort__buf_gostr(b, gort_error_text(&path_error_site, e->err));
    return gort__buf_finish(&path_error_site, b);
}
static gort_iface path_error_unwrap(void *data) { return ((path_error *)data)->err; }

static const gort_field path_error_fields[] = {
    {"Op", &gort_type_string, offsetof(path_error, op), false, true},
    {"Path", &gort_type_string, offsetof(path_error, path), false, true},
    {"Err", &gort_type_error, offsetof(path_error, err), false, true}};
static const gort_type type_path_error_struct = {
    .kind = GORT_STRUCT, .flags = GORT_COMPARABLE | GORT_NAMED, .size = sizeof(path_error),
    .align = 8, .name = "fs.PathError", .fields = path_error_fields, .field_count = 3};
static const gort_method path_error_methods[] = {{"Error", (void *)path_error_error},
                                                 {"Unwrap", (void *)path_error_unwrap}};
static const gort_type type_path_error = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "*fs.PathError", .elem = &type_path_error_struct,
    .methods = path_error_methods, .method_count = 2};

static const go_error no_such_file = {"no such file or directory"};

gort_iface gort__path_error(const go_site *site, const char *op, gort_string path) {
    path_error *e = go_alloc_at(site, sizeof *e);
    e->op = (gort_string){(const uint8_t *)op, (gort_int)strlen(op)};
    e->path = path;
    e->err = gort_error_from_model(&no_such_file);
    return as_error(&type_path_error, e);
}

/* ---- the model's errors ----------------------------------------------------------- */

static gort_string model_error_error(void *data) {
    const char *text = ((const go_error *)data)->text;
    gort_string s = {(const uint8_t *)text, (gort_int)strlen(text)};
    return s;
}
static bool model_error_true(void *data) { (void)data; return true; }

static const gort_method model_error_methods[] = {{"Error", (void *)model_error_error}};
static const gort_type type_model_error = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "*errors.errorString", .methods = model_error_methods,
    .method_count = 1};

/* context.DeadlineExceeded is a net.Error (Timeout, Temporary). */
static const gort_method deadline_methods[] = {{"Error", (void *)model_error_error},
                                               {"Temporary", (void *)model_error_true},
                                               {"Timeout", (void *)model_error_true}};
static const gort_type type_deadline = {
    .kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED, .size = 8,
    .align = 8, .name = "context.deadlineExceededError", .methods = deadline_methods,
    .method_count = 3};

gort_iface gort_error_from_model(const go_error *err) {
    gort_iface nil = {NULL, NULL};
    if (!err) return nil;
    return as_error(err == &go_deadline_exceeded ? &type_deadline : &type_model_error,
                    (void *)err);
}

const go_error *gort_error_to_model(const go_site *site, gort_iface err) {
    const gort_type *t = gort_iface_type(err);
    if (!t) return NULL;
    if (t == &type_model_error || t == &type_deadline) return err.data;
    gort_string text = gort_error_text(site, err);
    char *c = go_alloc_at(site, (size_t)text.len + 1);
    if (text.len) memcpy(c, text.ptr, (size_t)text.len);
    go_error *e = go_alloc_at(site, sizeof *e);
    e->text = c;
    return e;
}

gort_string gort_error_text(const go_site *site, gort_iface err) {
    gort_string s;
    if (!err.tab) gort_panic_nil(site);
    if (!gort__call_string_method(err, "Error", &s)) gort_panic_nil(site);
    return s;
}

/* ---- Is, As, Unwrap ---------------------------------------------------------------- */

gort_iface gort_errors_unwrap(const go_site *site, gort_iface err) {
    gort_iface nil = {NULL, NULL};
    void *fn = err.tab ? gort__method(err.tab->type, "Unwrap") : NULL;
    (void)site;
    if (!fn) return nil;
    return ((gort_iface(*)(void *))fn)(err.data);
}

bool gort_errors_is(const go_site *site, gort_iface err, gort_iface target) {
    if (!target.tab) return err.tab == NULL;
    bool comparable = target.tab->type->flags & GORT_COMPARABLE;
    while (err.tab) {
        if (comparable && gort_iface_equal(site, err, target)) return true;
        void *is = gort__method(err.tab->type, "Is");
        if (is && ((bool (*)(void *, gort_iface))is)(err.data, target)) return true;
        err = gort_errors_unwrap(site, err);
    }
    return false;
}

/* *T for a target's T, for a custom As(any) method: made once per T and
 * kept for the process (immutable). */
static const gort_type *pointer_to(const gort_type *elem) {
    static struct {
        const gort_type *elem;
        gort_type *ptr;
    } made[64] GO_NOT_SCANNED;
    static size_t count;
    for (size_t i = 0; i < count; i++)
        if (made[i].elem == elem) return made[i].ptr;
    if (count == sizeof made / sizeof made[0]) return NULL;
    gort_type *p = calloc(1, sizeof *p);
    size_t n = strlen(elem->name);
    char *name = malloc(n + 2);
    if (!p || !name) abort();
    name[0] = '*';
    memcpy(name + 1, elem->name, n + 1);
    *p = (gort_type){.kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT, .size = 8,
                     .align = 8, .name = name, .elem = elem};
    made[count].elem = elem;
    made[count++].ptr = p;
    return p;
}

bool gort_errors_as(const go_site *site, gort_iface err, void *target,
                    const gort_type *target_elem) {
    if (!target_elem) go_panic_at(site, "errors: target cannot be nil");
    if (!target) go_panic_at(site, "errors: target must be a non-nil pointer");
    bool to_iface = target_elem->kind == GORT_INTERFACE;
    if (!to_iface && !gort__method(target_elem, "Error"))
        go_panic_at(site, "errors: *target must be interface or implement error");
    while (err.tab) {
        const gort_type *t = err.tab->type;
        if (to_iface) {
            const gort_itab *tab = gort_itab_get(t, target_elem);
            if (tab) {
                gort_iface x = {tab, err.data};
                memcpy(target, &x, sizeof x);
                return true;
            }
        } else if (t == target_elem) {
            memcpy(target, gort__iface_ptr(&err), t->size);
            return true;
        }
        void *as = gort__method(t, "As");
        const gort_type *pt = as ? pointer_to(target_elem) : NULL;
        if (pt) {
            gort_iface any = {gort__eface_tab(pt), target};
            if (((bool (*)(void *, gort_iface))as)(err.data, any)) return true;
        }
        err = gort_errors_unwrap(site, err);
    }
    return false;
}
