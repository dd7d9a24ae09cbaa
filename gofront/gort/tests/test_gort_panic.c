/* test_gort_panic.c -- panic and recover of values, runtime errors, type
 * assertions, errors, strconv. */
#include <criterion/criterion.h>
#include <string.h>

#include "gort_support.h"

static const char *const I_methods[] = {"M"};
static const gort_type t_I = {.kind = GORT_INTERFACE, .flags = GORT_COMPARABLE | GORT_NAMED,
                              .size = sizeof(gort_iface), .align = 8, .name = "main.I",
                              .interface_methods = I_methods, .interface_method_count = 1};

/* ---- panic(v) and recover() ------------------------------------------------------ */

typedef void thrower(void);
static gort_iface recovered;

static void recoverer(void *arg) {
    (void)arg;
    recovered = gort_recover(GO_SITE);
}

static void guarded(void *arg) {
    go_defer(recoverer, NULL);
    ((thrower *)arg)();
}

static void note_recovered(void) {
    const gort_type *t = gort_iface_type(recovered);
    if (!t) {
        note("nil");
        return;
    }
    gort_string s = gort_fmt_sprintf(GO_SITE, GORT_STR("%T: %v"), ARGS(recovered, recovered));
    note_str(s);
}

static test_T thrown = {7, GORT_STR("seven")};
static void throw_struct(void) { gort_panic(GO_SITE, box(&t_T, &thrown)); }
static void throw_index(void) { gort_check_index(GO_SITE, 3, 2); }
static void throw_nil(void) { gort_check_nil(GO_SITE, NULL); }
static void throw_divide(void) { gort_panic_divide(GO_SITE); }
static void throw_closed(void) {
    go_chan *c = go_make_chan(0);
    go_close(c);
    go_close(c);
}
static void throw_model_string(void) {
    go_waitgroup *wg = go_waitgroup_new();
    go_waitgroup_add(wg, -1);
}
static void throw_assert(void) {
    gort_int out;
    gort_assert_type(GO_SITE, BOX_STR("s"), &gort_type_int, &out, true, NULL);
}
static void throw_assert_nil(void) {
    gort_iface nil = {NULL, NULL}, out;
    gort_assert_iface(GO_SITE, nil, &t_I, &out, true);
}
static void throw_missing(void) {
    gort_iface out;
    gort_assert_iface(GO_SITE, box(&t_T, &thrown), &t_I, &out, true);
}
static void nothing(void) {}

static void round_trips(void *arg) {
    (void)arg;
    thrower *throwers[] = {throw_struct, throw_index, throw_nil, throw_divide, throw_closed,
                           throw_model_string, throw_assert, throw_assert_nil, throw_missing,
                           nothing};
    for (size_t i = 0; i < sizeof throwers / sizeof throwers[0]; i++) {
        recovered = (gort_iface){NULL, NULL};
        go_call(guarded, (void *)throwers[i]);
        note_recovered();
    }
    test_T back;
    gort_int wrong;
    gort_iface x = box(&t_T, &thrown);
    go_call(guarded, (void *)throw_struct);
    bool ok = gort_assert_type(GO_SITE, recovered, &t_T, &back, false, NULL);
    note("%d %lld %.*s same=%d", ok, (long long)back.A, (int)back.b.len, back.b.ptr,
         gort_iface_equal(GO_SITE, recovered, x));
    note("%d %lld", gort_assert_type(GO_SITE, x, &gort_type_int, &wrong, false, NULL),
         (long long)wrong);
    gort_iface out;
    note("%d", gort_assert_iface(GO_SITE, x, &t_I, &out, false));
    gort_iface stringer;
    note("%d", gort_assert_iface(GO_SITE, box(&t_S, &thrown.b), &t_Stringer, &stringer, false));
    note("%s", stringer.tab && stringer.tab->fns[0] ? "has String" : "no String");
}

Test(gort_panic, recover_round_trip) {
    go_exec *e = gort_run(round_trips, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    int i = 0;
    cr_assert_str_eq(notes[i++], "main.T: {7 seven}");
    cr_assert_str_eq(notes[i++], "runtime.boundsError: runtime error: index out of range [3] with length 2");
    cr_assert_str_eq(notes[i++], "runtime.errorString: runtime error: invalid memory address or nil pointer dereference");
    cr_assert_str_eq(notes[i++], "runtime.errorString: runtime error: integer divide by zero");
    cr_assert_str_eq(notes[i++], "runtime.plainError: close of closed channel");
    cr_assert_str_eq(notes[i++], "string: sync: negative WaitGroup counter");
    cr_assert_str_eq(notes[i++], "*runtime.TypeAssertionError: interface conversion: interface {} is string, not int");
    cr_assert_str_eq(notes[i++], "*runtime.TypeAssertionError: interface conversion: interface is nil, not main.I");
    cr_assert_str_eq(notes[i++], "*runtime.TypeAssertionError: interface conversion: main.T is not main.I: missing method M");
    cr_assert_str_eq(notes[i++], "nil");
    cr_assert_str_eq(notes[i++], "1 7 seven same=1");
    cr_assert_str_eq(notes[i++], "0 0");
    cr_assert_str_eq(notes[i++], "0");
    cr_assert_str_eq(notes[i++], "1");
    cr_assert_str_eq(notes[i++], "has String");
    go_exec_free(e);
}

typedef struct typed {
    const gort_type *t;
    const void *v;
} typed;

static void panic_value(void *arg) {
    typed *x = arg;
    gort_iface nil = {NULL, NULL};
    gort_panic(GO_SITE, x->t ? box(x->t, x->v) : nil);
}

static const char *panic_message(const gort_type *t, const void *v, char *out, size_t size) {
    typed x = {t, v};
    go_exec *e = gort_run(panic_value, &x);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    snprintf(out, size, "%s", go_exec_message(e));
    go_exec_free(e);
    return out;
}

static const gort_type t_N = {.kind = GORT_INT, .flags = GORT_COMPARABLE | GORT_NAMED,
                              .size = 8, .align = 8, .name = "main.N"};
static const gort_type t_MyStr = {.kind = GORT_STRING, .flags = GORT_COMPARABLE | GORT_NAMED,
                                  .size = sizeof(gort_string), .align = 8, .name = "main.MyStr"};

Test(gort_panic, printpanicval) {
    char m[256];
    static test_E boom = {GORT_STR("boom")};
    test_E *pb = &boom;
    gort_string s = GORT_STR("plain");
    double f = 1.5;
    bool b = true;
    cr_assert_str_eq(panic_message(&t_ptr_E, &pb, m, sizeof m), "boom");
    cr_assert_str_eq(panic_message(&gort_type_string, &s, m, sizeof m), "plain");
    cr_assert_str_eq(panic_message(&t_S, &s, m, sizeof m), "S<plain>");
    cr_assert_str_eq(panic_message(&gort_type_int, &(gort_int){-42}, m, sizeof m), "-42");
    cr_assert_str_eq(panic_message(&gort_type_float64, &f, m, sizeof m), "+1.500000e+000");
    cr_assert_str_eq(panic_message(&gort_type_bool, &b, m, sizeof m), "true");
    cr_assert_str_eq(panic_message(&t_N, &(gort_int){5}, m, sizeof m), "main.N(5)");
    cr_assert_str_eq(panic_message(&t_MyStr, &s, m, sizeof m), "main.MyStr(\"plain\")");
    cr_assert_str_eq(panic_message(&t_T, &thrown, m, sizeof m), "(main.T) 0xc000010000");
    cr_assert_str_eq(panic_message(NULL, NULL, m, sizeof m), "panic called with nil argument");
}

/* ---- errors and strconv ---------------------------------------------------------------- */

static void errors_chain(void *arg) {
    (void)arg;
    gort_iface base = gort_errors_new(GO_SITE, GORT_STR("base"));
    gort_iface other = gort_errors_new(GO_SITE, GORT_STR("base"));
    gort_iface w1 = gort_fmt_errorf(GO_SITE, GORT_STR("one: %w"), ARGS(base));
    gort_iface w2 = gort_fmt_errorf(GO_SITE, GORT_STR("two: %w"), ARGS(w1));
    note_str(gort_error_text(GO_SITE, w2));
    note("is=%d is_other=%d unwrap=%d unwrap_base_nil=%d", gort_errors_is(GO_SITE, w2, base),
         gort_errors_is(GO_SITE, w2, other),
         gort_iface_equal(GO_SITE, gort_errors_unwrap(GO_SITE, w2), w1),
         gort_errors_unwrap(GO_SITE, base).tab == NULL);
    gort_string t = gort_fmt_sprintf(GO_SITE, GORT_STR("%T %T %v"), ARGS(w2, base, w2));
    note_str(t);
    /* a second %w: bad verb, Go 1.19 */
    gort_iface two = gort_fmt_errorf(GO_SITE, GORT_STR("%w %w"), ARGS(base, base));
    note_str(gort_error_text(GO_SITE, two));
    /* errors.As into *main.E and into an interface */
    test_E *e = go_alloc(sizeof *e);
    e->msg = GORT_STR("custom");
    gort_iface ce = gort_iface_make(GO_SITE, gort_itab_get(&t_ptr_E, &gort_type_error), &e);
    gort_iface wrapped = gort_fmt_errorf(GO_SITE, GORT_STR("ctx: %w"), ARGS(ce));
    test_E *target = NULL;
    bool as = gort_errors_as(GO_SITE, wrapped, &target, &t_ptr_E);
    note("as=%d same=%d", as, target == e);
    gort_iface as_error = {NULL, NULL};
    as = gort_errors_as(GO_SITE, wrapped, &as_error, &gort_type_error);
    note("as=%d", as);
    note_str(gort_error_text(GO_SITE, as_error));
    /* the model's errors */
    gort_iface canceled = gort_error_from_model(&go_canceled);
    note("%d %d", gort_error_to_model(GO_SITE, canceled) == &go_canceled,
         gort_iface_equal(GO_SITE, canceled, gort_error_from_model(&go_canceled)));
    note_str(gort_fmt_sprintf(GO_SITE, GORT_STR("%v|%T"),
                              ARGS(gort_error_from_model(&go_deadline_exceeded),
                                   gort_error_from_model(&go_deadline_exceeded))));
    note("%s", gort_error_to_model(GO_SITE, w1)->text);
    /* strconv */
    gort_iface err;
    gort_int n = gort_strconv_atoi(GO_SITE, GORT_STR("-123"), &err);
    note("%lld %d", (long long)n, err.tab == NULL);
    n = gort_strconv_atoi(GO_SITE, GORT_STR("12a"), &err);
    note("%lld", (long long)n);
    note_str(gort_error_text(GO_SITE, err));
    note("%d", gort_errors_is(GO_SITE, err, gort_strconv_err_syntax(GO_SITE)));
    n = gort_strconv_atoi(GO_SITE, GORT_STR("99999999999999999999"), &err);
    note("%lld", (long long)n);
    note_str(gort_error_text(GO_SITE, err));
    gort_strconv_atoi(GO_SITE, GORT_STR(""), &err);
    note_str(gort_error_text(GO_SITE, err));
    note_str(gort_strconv_itoa(GO_SITE, -9876));
    note_str(gort_strconv_format_int(GO_SITE, 255, 16));
    note_str(gort_strconv_format_int(GO_SITE, -5, 2));
    note_str(gort_strconv_quote(GO_SITE, GORT_STR("a\tb\"\x01\xff世")));
}

Test(gort_errors, wrap_is_as_strconv) {
    go_exec *e = gort_run(errors_chain, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    int i = 0;
    cr_assert_str_eq(notes[i++], "two: one: base");
    cr_assert_str_eq(notes[i++], "is=1 is_other=0 unwrap=1 unwrap_base_nil=1");
    cr_assert_str_eq(notes[i++], "*fmt.wrapError *errors.errorString two: one: base");
    cr_assert_str_eq(notes[i++], "base %!w(*errors.errorString=&{base})");
    cr_assert_str_eq(notes[i++], "as=1 same=1");
    cr_assert_str_eq(notes[i++], "as=1");
    cr_assert_str_eq(notes[i++], "ctx: custom");
    cr_assert_str_eq(notes[i++], "1 1");
    cr_assert_str_eq(notes[i++], "context deadline exceeded|context.deadlineExceededError");
    cr_assert_str_eq(notes[i++], "one: base");
    cr_assert_str_eq(notes[i++], "-123 1");
    cr_assert_str_eq(notes[i++], "0");
    cr_assert_str_eq(notes[i++], "strconv.Atoi: parsing \"12a\": invalid syntax");
    cr_assert_str_eq(notes[i++], "1");
    cr_assert_str_eq(notes[i++], "9223372036854775807");
    cr_assert_str_eq(notes[i++], "strconv.Atoi: parsing \"99999999999999999999\": value out of range");
    cr_assert_str_eq(notes[i++], "strconv.Atoi: parsing \"\": invalid syntax");
    cr_assert_str_eq(notes[i++], "-9876");
    cr_assert_str_eq(notes[i++], "ff");
    cr_assert_str_eq(notes[i++], "-101");
    cr_assert_str_eq(notes[i++], "\"a\\tb\\\"\\x01\\xff世\"");
    go_exec_free(e);
}
