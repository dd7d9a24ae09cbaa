/* test_gort_fmt.c -- fmt's verbs, flags and error forms. */
#include <criterion/criterion.h>
#include <string.h>

#include "gort_support.h"

static const gort_type t_int_ptr = {.kind = GORT_POINTER, .flags = GORT_COMPARABLE | GORT_DIRECT,
                                    .size = 8, .align = 8, .name = "*int",
                                    .elem = &gort_type_int};
static const gort_type t_byte_slice = {.kind = GORT_SLICE, .size = sizeof(gort_slice),
                                       .align = 8, .name = "[]uint8", .elem = &gort_type_uint8};
static const gort_type t_any_slice = {.kind = GORT_SLICE, .size = sizeof(gort_slice),
                                      .align = 8, .name = "[]interface {}", .elem = &t_any};

#define F(fmt, ...) note_str(gort_fmt_sprintf(GO_SITE, GORT_STR(fmt), ARGS(__VA_ARGS__)))
#define F0(fmt) note_str(gort_fmt_sprintf(GO_SITE, GORT_STR(fmt), NO_ARGS))

static gort_iface box_f64(double d) { return box(&gort_type_float64, &d); }

static void verbs(void *arg) {
    (void)arg;
    F("%d|%5d|%-5d|%05d|%x|%X|%o|%b|%+d|%#x", BOX_INT(42), BOX_INT(42), BOX_INT(42),
      BOX_INT(42), BOX_INT(255), BOX_INT(255), BOX_INT(8), BOX_INT(5), BOX_INT(5), BOX_INT(255));
    F("%d|%05d|%x", BOX_INT(-7), BOX_INT(-7), BOX_INT(-255));
    F("%q|%q|%c|%U|%#U", BOX_STR("hi\n\"x\""), box(&gort_type_int32, &(int32_t){'x'}),
      box(&gort_type_int32, &(int32_t){0x4E16}), BOX_INT(0x1F600),
      box(&gort_type_int32, &(int32_t){'A'}));
    F("%5s|%-5s|%.2s|%x|% x|%#x|%X", BOX_STR("ab"), BOX_STR("ab"), BOX_STR("abc"),
      BOX_STR("hi"), BOX_STR("hi"), BOX_STR("hi"), BOX_STR("hi"));
    F("%t|%v|%5t", box(&gort_type_bool, &(bool){true}), box(&gort_type_bool, &(bool){false}),
      box(&gort_type_bool, &(bool){true}));
    test_T t = {1, GORT_STR("x")};
    test_T *pt = &t;
    F("%v|%+v|%v|%T|%T", box(&t_T, &t), box(&t_T, &t), box(&t_ptr_T, &pt), box(&t_ptr_T, &pt),
      BOX_INT(1));
    gort_int nums[] = {1, 2, 3};
    gort_slice s = {nums, 3, 3}, nil_slice = {NULL, 0, 0};
    F("%v|%d|%v|%x", box(&t_int_slice, &s), box(&t_int_slice, &s), box(&t_int_slice, &nil_slice),
      box(&t_int_slice, &s));
    gort_map *m = gort_map_make(GO_SITE, &t_string_int_map, 0);
    gort_map_set(GO_SITE, m, &GORT_STR("b"), &(gort_int){2});
    gort_map_set(GO_SITE, m, &GORT_STR("a"), &(gort_int){1});
    gort_map_set(GO_SITE, m, &GORT_STR("c"), &(gort_int){3});
    gort_map *nil_map = NULL;
    F("%v|%v", box(&t_string_int_map, &m), box(&t_string_int_map, &nil_map));
    gort_iface nil = {NULL, NULL};
    F("%v|%d|%T", nil, nil, nil);
    F("%d", BOX_STR("x"));
    F("%d", BOX_INT(1), BOX_INT(3));
    F("%d %d", BOX_INT(1));
    F("%s", BOX_INT(1), BOX_STR("a"), nil);
    F0("100%%|%");
    F("%[2]d %[1]d", BOX_INT(1), BOX_INT(2));
    F("%*d|%-*d|%.*f", BOX_INT(5), BOX_INT(42), BOX_INT(4), BOX_INT(7), BOX_INT(2),
      box_f64(3.14159));
    F("%[3]*.[2]*[1]f|%[5]d", box_f64(12.0), BOX_INT(2), BOX_INT(6));
    F("%!|%z", BOX_INT(1));
}

Test(gort_fmt, integers_strings_composites) {
    go_exec *e = gort_run(verbs, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    int i = 0;
    cr_assert_str_eq(notes[i++], "42|   42|42   |00042|ff|FF|10|101|+5|0xff");
    cr_assert_str_eq(notes[i++], "-7|-0007|-ff");
    cr_assert_str_eq(notes[i++], "\"hi\\n\\\"x\\\"\"|'x'|世|U+1F600|U+0041 'A'");
    cr_assert_str_eq(notes[i++], "   ab|ab   |ab|6869|68 69|0x6869|6869");
    cr_assert_str_eq(notes[i++], "true|false| true");
    cr_assert_str_eq(notes[i++], "{1 x}|{A:1 b:x}|&{1 x}|*main.T|int");
    cr_assert_str_eq(notes[i++], "[1 2 3]|[1 2 3]|[]|[1 2 3]");
    cr_assert_str_eq(notes[i++], "map[a:1 b:2 c:3]|map[]");
    cr_assert_str_eq(notes[i++], "<nil>|%!d(<nil>)|<nil>");
    cr_assert_str_eq(notes[i++], "%!d(string=x)");
    cr_assert_str_eq(notes[i++], "1%!(EXTRA int=3)");
    cr_assert_str_eq(notes[i++], "1 %!d(MISSING)");
    cr_assert_str_eq(notes[i++], "%!s(int=1)%!(EXTRA string=a, <nil>)");
    cr_assert_str_eq(notes[i++], "100%|%!(NOVERB)");
    cr_assert_str_eq(notes[i++], "2 1");
    cr_assert_str_eq(notes[i++], "   42|7   |3.14");
    cr_assert_str_eq(notes[i++], " 12.00|%!d(BADINDEX)");
    cr_assert_str_eq(notes[i++], "%!!(int=1)|%!z(MISSING)");
    go_exec_free(e);
}

static void floats(void *arg) {
    (void)arg;
    F("%v|%v|%v|%v|%v|%v", box_f64(3.14), box_f64(1e6), box_f64(123456789.0), box_f64(1e21),
      box_f64(0.0001), box_f64(0.00001));
    F("%.2f|%e|%g|%g|%8.3f|%-8.2f|%08.3f|%+.1f", box_f64(3.14159), box_f64(1234.5678),
      box_f64(100000.0), box_f64(1e-7), box_f64(3.14159), box_f64(2.5), box_f64(-3.14159),
      box_f64(2.0));
    float f32 = 0.1f;
    double inf = 1.0 / 0.0, nan = 0.0 / 0.0;
    F("%v|%v|%v|%v|%5.1f|%v|%.3g", box(&gort_type_float32, &f32), box_f64(inf), box_f64(-inf),
      box_f64(nan), box_f64(inf), box_f64(2.0), box_f64(1234.5678));
}

Test(gort_fmt, floats) {
    go_exec *e = gort_run(floats, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert_str_eq(notes[0], "3.14|1e+06|1.23456789e+08|1e+21|0.0001|1e-05");
    cr_assert_str_eq(notes[1], "3.14|1.234568e+03|100000|1e-07|   3.142|2.50    |-003.142|+2.0");
    cr_assert_str_eq(notes[2], "0.1|+Inf|-Inf|NaN| +Inf|2|1.23e+03");
    go_exec_free(e);
}

static void methods(void *arg) {
    (void)arg;
    gort_string sx = GORT_STR("x");
    gort_iface s = box(&t_S, &sx);
    test_E *err = go_alloc(sizeof *err);
    err->msg = GORT_STR("boom");
    test_E *nil_err = NULL;
    F("%v|%s|%q|%d|%10v|", s, s, s, s, s);
    F("%v|%v|%s", box(&t_ptr_E, &err), box(&t_ptr_E, &nil_err), box(&t_ptr_E, &nil_err));
    gort_iface elems[] = {s, BOX_INT(1)};
    gort_slice sl = {elems, 2, 2};
    F("%v", box(&t_any_slice, &sl));
    gort_int x = 1, y = 2;
    gort_int *px = &x, *py = &y;
    F("%v %v %v %p", box(&t_int_ptr, &px), box(&t_int_ptr, &py), box(&t_int_ptr, &px),
      box(&t_int_ptr, &px));
    uint8_t hi[] = {'h', 'i'};
    gort_slice b = {hi, 2, 2};
    F("%v|%s|%q|%x", box(&t_byte_slice, &b), box(&t_byte_slice, &b), box(&t_byte_slice, &b),
      box(&t_byte_slice, &b));
    note_str(gort_fmt_sprint(GO_SITE, ARGS(BOX_STR("a"), BOX_INT(1), BOX_INT(2), BOX_STR("b"),
                                           box_f64(3.5))));
    note_str(gort_fmt_sprintln(GO_SITE, ARGS(BOX_STR("a"), BOX_INT(1), s)));
    gort_iface wrapped = gort_fmt_errorf(GO_SITE, GORT_STR("%w"), ARGS(BOX_INT(3)));
    note_str(gort_error_text(GO_SITE, wrapped));
    gort_iface boom = gort_errors_new(GO_SITE, GORT_STR("boom"));
    F("%w|%v", boom, boom);
}

Test(gort_fmt, methods_pointers_bytes) {
    go_exec *e = gort_run(methods, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert_str_eq(notes[0], "S<x>|S<x>|\"S<x>\"|%!d(main.S=x)|      S<x>|");
    cr_assert_str_eq(notes[1], "boom|<nil>|<nil>");
    cr_assert_str_eq(notes[2], "[S<x> 1]");
    cr_assert_str_eq(notes[3], "0xc000010000 0xc000010010 0xc000010000 0xc000010000");
    cr_assert_str_eq(notes[4], "[104 105]|hi|\"hi\"|6869");
    cr_assert_str_eq(notes[5], "a1 2b3.5");
    cr_assert_str_eq(notes[6], "a 1 S<x>\n");
    cr_assert_str_eq(notes[7], "%!w(int=3)");
    cr_assert_str_eq(notes[8], "%!w(*errors.errorString=&{boom})|boom");
    go_exec_free(e);
}
