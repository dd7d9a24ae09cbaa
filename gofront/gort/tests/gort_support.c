/* gort_support.c -- see gort_support.h. */
#include "gort_support.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

char notes[NOTE_MAX][512];
int note_count;

void notes_clear(void) {
    memset(notes, 0, sizeof notes);
    note_count = 0;
}

void note(const char *fmt, ...) {
    if (note_count >= NOTE_MAX) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(notes[note_count++], sizeof notes[0], fmt, ap);
    va_end(ap);
}

void note_str(gort_string s) { note("%.*s", (int)s.len, (const char *)s.ptr); }

typedef struct run {
    go_func *fn;
    void *arg;
} run;

static void body(void *arg) {
    run *r = arg;
    gort_exec_begin();
    r->fn(r->arg);
}

go_exec *gort_run(go_func *fn, void *arg) {
    run r = {fn, arg};
    notes_clear();
    go_config cfg = {.decider = go_decider_first()};
    return go_exec_run(&cfg, body, &r);
}

typedef struct answers {
    const uint64_t *answers;
    size_t count, next;
} answers;

static uint64_t decide(void *self, go_decision_kind kind, uint64_t options) {
    answers *a = self;
    (void)kind;
    return a->next < a->count ? a->answers[a->next++] % options : 0;
}

go_exec *gort_run_answers(go_func *fn, void *arg, const uint64_t *list, size_t count) {
    run r = {fn, arg};
    answers a = {list, count, 0};
    notes_clear();
    go_config cfg = {.decider = {decide, &a}};
    return go_exec_run(&cfg, body, &r);
}

gort_iface box(const gort_type *t, const void *v) {
    return gort_iface_make(GO_SITE, gort_itab_get(t, NULL), v);
}

/* ---- descriptors ------------------------------------------------------------ */

const gort_type t_int_slice = {.kind = GORT_SLICE, .size = sizeof(gort_slice), .align = 8,
                               .name = "[]int", .elem = &gort_type_int};
const gort_type t_string_int_map = {.kind = GORT_MAP, .flags = GORT_DIRECT, .size = 8,
                                    .align = 8, .name = "map[string]int",
                                    .elem = &gort_type_int, .key = &gort_type_string};
static const gort_field T_fields[] = {
    {"A", &gort_type_int, offsetof(test_T, A), false, true},
    {"b", &gort_type_string, offsetof(test_T, b), false, false}};
const gort_type t_T = {.kind = GORT_STRUCT, .flags = GORT_COMPARABLE | GORT_NAMED,
                       .size = sizeof(test_T), .align = 8, .name = "main.T",
                       .fields = T_fields, .field_count = 2};
const gort_type t_ptr_T = {.kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT,
                           .size = 8, .align = 8, .name = "*main.T", .elem = &t_T};
const gort_type t_any = {.kind = GORT_INTERFACE, .flags = GORT_COMPARABLE,
                         .size = sizeof(gort_iface), .align = 8, .name = "interface {}"};
static const char *const stringer_names[] = {"String"};
const gort_type t_Stringer = {.kind = GORT_INTERFACE, .flags = GORT_COMPARABLE | GORT_NAMED,
                              .size = sizeof(gort_iface), .align = 8, .name = "fmt.Stringer",
                              .interface_methods = stringer_names,
                              .interface_method_count = 1};

static gort_string S_String(void *data) {
    gort_string s = *(gort_string *)data;
    gort_slice args = {(gort_iface[]){box(&gort_type_string, &s)}, 1, 1};
    return gort_fmt_sprintf(GO_SITE, GORT_STR("S<%s>"), args);
}
static const gort_method S_methods[] = {{"String", (void *)S_String}};
const gort_type t_S = {.kind = GORT_STRING, .flags = GORT_COMPARABLE | GORT_NAMED,
                       .size = sizeof(gort_string), .align = 8, .name = "main.S",
                       .methods = S_methods, .method_count = 1};

static const gort_field E_fields[] = {
    {"msg", &gort_type_string, offsetof(test_E, msg), false, false}};
const gort_type t_E = {.kind = GORT_STRUCT, .flags = GORT_COMPARABLE | GORT_NAMED,
                       .size = sizeof(test_E), .align = 8, .name = "main.E",
                       .fields = E_fields, .field_count = 1};
static gort_string E_Error(void *data) {
    test_E *e = data;
    gort_check_nil(GO_SITE, e);
    return e->msg;
}
static const gort_method ptr_E_methods[] = {{"Error", (void *)E_Error}};
const gort_type t_ptr_E = {.kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT,
                           .size = 8, .align = 8, .name = "*main.E", .elem = &t_E,
                           .methods = ptr_E_methods, .method_count = 1};
const gort_type t_func = {.kind = GORT_FUNC, .size = sizeof(gort_func), .align = 8,
                          .name = "func()"};
