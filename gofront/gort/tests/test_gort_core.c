/* test_gort_core.c -- equality and hash, maps, slices, strings. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "gort_support.h"

static const gort_type t_string_slice = {.kind = GORT_SLICE, .size = sizeof(gort_slice),
                                         .align = 8, .name = "[]string",
                                         .elem = &gort_type_string};

/* ---- equality and hash ------------------------------------------------------ */

static void equality(void *arg) {
    (void)arg;
    char a[] = "hello", b[] = "hello";
    gort_string sa = {(const uint8_t *)a, 5}, sb = {(const uint8_t *)b, 5};
    note("%d %d", gort_equal(GO_SITE, &gort_type_string, &sa, &sb),
         gort_hash(GO_SITE, &gort_type_string, &sa) == gort_hash(GO_SITE, &gort_type_string, &sb));
    test_T x = {1, sa}, y = {1, sb}, z = {2, sb};
    note("%d %d %d", gort_equal(GO_SITE, &t_T, &x, &y), gort_equal(GO_SITE, &t_T, &x, &z),
         gort_hash(GO_SITE, &t_T, &x) == gort_hash(GO_SITE, &t_T, &y));
    double pz = 0.0, nz = -0.0, nan = NAN;
    note("%d %d %d", gort_equal(GO_SITE, &gort_type_float64, &pz, &nz),
         gort_hash(GO_SITE, &gort_type_float64, &pz) == gort_hash(GO_SITE, &gort_type_float64, &nz),
         gort_equal(GO_SITE, &gort_type_float64, &nan, &nan));
    gort_iface i1 = box(&gort_type_string, &sa), i2 = box(&gort_type_string, &sb);
    gort_iface i3 = BOX_INT(5), nil = {NULL, NULL};
    note("%d %d %d %d", gort_iface_equal(GO_SITE, i1, i2), gort_iface_equal(GO_SITE, i1, i3),
         gort_iface_equal(GO_SITE, nil, nil), gort_iface_equal(GO_SITE, nil, i3));
    gort_iface s1 = box(&t_S, &sa);
    note("%d", gort_iface_equal(GO_SITE, s1, i1)); /* main.S vs string */
    note("%d", gort_iface_equal_value(GO_SITE, i3, &gort_type_int, &(gort_int){5}));
    gort_iface arr[2] = {i1, i3}, arr2[2] = {i2, BOX_INT(5)};
    note("%d", gort_hash(GO_SITE, &t_any, &arr[0]) == gort_hash(GO_SITE, &t_any, &arr2[0]));
    gort_slice sl = {NULL, 0, 0};
    gort_iface u1 = box(&t_int_slice, &sl), u2 = box(&t_int_slice, &sl);
    note("before");
    (void)gort_iface_equal(GO_SITE, u1, u2);
    note("not reached");
}

Test(gort_types, equality_and_hash) {
    go_exec *e = gort_run(equality, NULL);
    cr_assert_str_eq(notes[0], "1 1");
    cr_assert_str_eq(notes[1], "1 0 1");
    cr_assert_str_eq(notes[2], "1 1 0");
    cr_assert_str_eq(notes[3], "1 0 1 0");
    cr_assert_str_eq(notes[4], "0");
    cr_assert_str_eq(notes[5], "1");
    cr_assert_str_eq(notes[6], "1");
    cr_assert_str_eq(notes[7], "before");
    cr_assert_eq(note_count, 8);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_assert_str_eq(go_exec_message(e), "runtime error: comparing uncomparable type []int");
    go_exec_free(e);
}

static void unhashable(void *arg) {
    (void)arg;
    static const gort_type t_any_int = {.kind = GORT_MAP, .flags = GORT_DIRECT, .size = 8,
                                        .name = "map[interface {}]int", .key = &t_any,
                                        .elem = &gort_type_int};
    gort_map *m = gort_map_make(GO_SITE, &t_any_int, 0);
    gort_slice sl = {NULL, 0, 0};
    gort_iface k = box(&t_int_slice, &sl);
    gort_map_set(GO_SITE, m, &k, &(gort_int){1});
}

Test(gort_types, unhashable_key_panics) {
    go_exec *e = gort_run(unhashable, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_assert_str_eq(go_exec_message(e), "runtime error: hash of unhashable type []int");
    go_exec_free(e);
}

/* ---- maps ------------------------------------------------------------------------ */

static void map_ops(void *arg) {
    (void)arg;
    gort_map *m = gort_map_make(GO_SITE, &t_string_int_map, 0);
    const char *names[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
    for (gort_int i = 0; i < 10; i++) {
        gort_string k = {(const uint8_t *)names[i], 1};
        gort_map_set(GO_SITE, m, &k, &i);
    }
    gort_string k = GORT_STR("c");
    gort_int v = -1;
    bool ok = gort_map_get(GO_SITE, m, &k, &v);
    note("len=%lld c=%lld ok=%d", (long long)gort_map_len(m), (long long)v, ok);
    gort_map_delete(GO_SITE, m, &k);
    ok = gort_map_get(GO_SITE, m, &k, &v);
    note("len=%lld c=%lld ok=%d", (long long)gort_map_len(m), (long long)v, ok);
    gort_int w = 42;
    gort_map_set(GO_SITE, m, &k, &w); /* goes to the end */
    gort_string dyn = gort_string_concat(GO_SITE, GORT_STR("a"), GORT_STR("")); /* same key */
    gort_map_set(GO_SITE, m, &dyn, &w);
    gort_map_iter it;
    gort_map_iter_init(GO_SITE, &it, m);
    char order[64] = "";
    gort_string key;
    gort_int val;
    while (gort_map_iter_next(&it, &key, &val))
        snprintf(order + strlen(order), sizeof order - strlen(order), "%.*s%lld ",
                 (int)key.len, key.ptr, (long long)val);
    note("%s", order);
    /* nil map: reads empty, delete is nothing */
    gort_int z = 0;
    note("nil len=%lld get=%d", (long long)gort_map_len(NULL), gort_map_get(GO_SITE, NULL, &k, &z));
    gort_map_delete(GO_SITE, NULL, &k);
    gort_map_iter_init(GO_SITE, &it, NULL);
    note("nil next=%d", gort_map_iter_next(&it, NULL, NULL));
    /* many entries, deletes and compaction */
    gort_map *big = gort_map_make(GO_SITE, &t_string_int_map, 0);
    for (gort_int i = 0; i < 1000; i++) {
        gort_string s = gort_strconv_itoa(GO_SITE, i);
        gort_map_set(GO_SITE, big, &s, &i);
        if (i % 3 == 0) gort_map_delete(GO_SITE, big, &s);
    }
    gort_int sum = 0, count = 0;
    for (gort_int i = 0; i < 1000; i++) {
        gort_string s = gort_strconv_itoa(GO_SITE, i);
        gort_int x;
        if (gort_map_get(GO_SITE, big, &s, &x)) sum += x, count++;
    }
    note("big len=%lld count=%lld sum=%lld", (long long)gort_map_len(big), (long long)count,
         (long long)sum);
    gort_map_set(GO_SITE, NULL, &k, &w);
}

Test(gort_map, set_get_delete_iterate) {
    go_exec *e = gort_run(map_ops, NULL);
    cr_assert_str_eq(notes[0], "len=10 c=2 ok=1");
    cr_assert_str_eq(notes[1], "len=9 c=0 ok=0");
    cr_assert_str_eq(notes[2], "a42 b1 d3 e4 f5 g6 h7 i8 j9 c42 ");
    cr_assert_str_eq(notes[3], "nil len=0 get=0");
    cr_assert_str_eq(notes[4], "nil next=0");
    long long sum = 0, count = 0;
    for (int i = 0; i < 1000; i++)
        if (i % 3) sum += i, count++;
    char want[64];
    snprintf(want, sizeof want, "big len=%lld count=%lld sum=%lld", count, count, sum);
    cr_assert_str_eq(notes[5], want);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_assert_str_eq(go_exec_message(e), "assignment to entry in nil map");
    go_exec_free(e);
}

static void iterate3(void *arg) {
    (void)arg;
    gort_map *m = gort_map_make(GO_SITE, &t_string_int_map, 0);
    const char *names[] = {"x", "y", "z"};
    for (gort_int i = 0; i < 3; i++) {
        gort_string k = {(const uint8_t *)names[i], 1};
        gort_map_set(GO_SITE, m, &k, &i);
    }
    gort_map_iter it;
    gort_map_iter_init(GO_SITE, &it, m);
    char order[16] = "";
    gort_string key;
    bool first = true;
    while (gort_map_iter_next(&it, &key, NULL)) {
        strncat(order, (const char *)key.ptr, 1);
        if (first) { /* deleted before it is reached: skipped */
            first = false;
            gort_map_delete(GO_SITE, m, &GORT_STR("z"));
            gort_map_set(GO_SITE, m, &GORT_STR("w"), &(gort_int){9});
        }
    }
    note("%s", order);
}

Test(gort_map, iteration_order_is_a_decision) {
    uint64_t a0[] = {0}, a1[] = {1}, a2[] = {2};
    go_exec *e = gort_run_answers(iterate3, NULL, a0, 1);
    cr_assert_str_eq(notes[0], "xy");
    size_t n;
    const go_decision *d = go_exec_decisions(e, &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(d[0].kind, GO_DECIDE_DATA);
    cr_assert_eq(d[0].options, 3);
    go_exec_free(e);
    e = gort_run_answers(iterate3, NULL, a1, 1);
    cr_assert_str_eq(notes[0], "yx"); /* y, then z deleted, then x */
    go_exec_free(e);
    e = gort_run_answers(iterate3, NULL, a2, 1);
    cr_assert_str_eq(notes[0], "zxy");
    go_exec_free(e);
}

/* ---- slices ----------------------------------------------------------------------------- */

static void appends(void *arg) {
    (void)arg;
    gort_slice s = {NULL, 0, 0};
    char caps[256] = "";
    for (gort_int i = 0; i < 10; i++) {
        s = gort_slice_append(GO_SITE, s, sizeof(gort_int), &i, 1);
        snprintf(caps + strlen(caps), sizeof caps - strlen(caps), "%lld ", (long long)s.cap);
    }
    note("%s", caps);
    gort_slice b = {NULL, 0, 0};
    caps[0] = 0;
    for (int i = 0; i < 40; i++) {
        uint8_t c = (uint8_t)i;
        gort_int old = b.cap;
        b = gort_slice_append(GO_SITE, b, 1, &c, 1);
        if (b.cap != old)
            snprintf(caps + strlen(caps), sizeof caps - strlen(caps), "%lld ", (long long)b.cap);
    }
    note("%s", caps);
    /* past 256: (n + 3*256)/4 growth, then the size class */
    gort_slice big = gort_slice_make(GO_SITE, sizeof(gort_int), 256, 256);
    big = gort_slice_append(GO_SITE, big, sizeof(gort_int), &(gort_int){1}, 1);
    note("%lld %lld", (long long)big.len, (long long)big.cap);
    gort_slice sub = gort_slice_slice(GO_SITE, big.ptr, big.len, big.cap, 8, 2, 5, -1);
    note("%lld %lld %d", (long long)sub.len, (long long)sub.cap,
         (char *)sub.ptr - (char *)big.ptr == 16);
    gort_slice src = gort_slice_make(GO_SITE, 8, 3, 3);
    note("copy=%lld", (long long)gort_slice_copy(sub, src, 8));
    gort_slice_slice(GO_SITE, src.ptr, 3, 3, 8, 0, 5, -1);
}

Test(gort_slice, append_growth) {
    go_exec *e = gort_run(appends, NULL);
    cr_assert_str_eq(notes[0], "1 2 4 4 8 8 8 8 16 16 ");
    cr_assert_str_eq(notes[1], "8 16 32 64 ");
    cr_assert_str_eq(notes[2], "257 512");
    cr_assert_str_eq(notes[3], "3 510 1");
    cr_assert_str_eq(notes[4], "copy=3");
    cr_assert_str_eq(go_exec_message(e),
                     "runtime error: slice bounds out of range [:5] with capacity 3");
    go_exec_free(e);
}

static void index_panic(void *arg) {
    gort_check_index(GO_SITE, *(gort_int *)arg, 3);
}

Test(gort_slice, index_and_make_panics) {
    gort_int i = 5;
    go_exec *e = gort_run(index_panic, &i);
    cr_assert_str_eq(go_exec_message(e), "runtime error: index out of range [5] with length 3");
    go_exec_free(e);
    i = -1;
    e = gort_run(index_panic, &i);
    cr_assert_str_eq(go_exec_message(e), "runtime error: index out of range [-1]");
    go_exec_free(e);
}

/* ---- strings ------------------------------------------------------------------------------ */

static void strings(void *arg) {
    (void)arg;
    gort_string s = gort_string_concat(GO_SITE, GORT_STR("héllo"), GORT_STR(", 世界"));
    note_str(s);
    gort_slice runes = gort_runes_from_string(GO_SITE, s);
    note("runes=%lld first=%d second=%x", (long long)runes.len, ((int32_t *)runes.ptr)[0],
         ((int32_t *)runes.ptr)[1]);
    note_str(gort_string_from_runes(GO_SITE, runes));
    gort_string bad = {(const uint8_t *)"a\xff\xc0\x80" "b\xed\xa0\x80", 8};
    int32_t r;
    char seen[128] = "";
    for (gort_int i = 0; i < bad.len;) {
        gort_int next = gort_string_decode_rune(bad, i, &r);
        snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%lld:%x ", (long long)i, r);
        i = next;
    }
    note("%s", seen);
    note_str(gort_string_from_rune(GO_SITE, 0x10FFFF + 1));
    note_str(gort_string_from_rune(GO_SITE, 0xD800));
    note_str(gort_string_from_rune(GO_SITE, 0x4E16));
    gort_slice bytes = gort_bytes_from_string(GO_SITE, GORT_STR("abc"));
    note("len=%lld cap=%lld", (long long)bytes.len, (long long)bytes.cap);
    ((uint8_t *)bytes.ptr)[0] = 'X';
    note_str(gort_string_from_bytes(GO_SITE, bytes));
    note("%d %d %d", gort_string_compare(GORT_STR("ab"), GORT_STR("abc")),
         gort_string_compare(GORT_STR("b"), GORT_STR("abc")),
         gort_string_compare(GORT_STR("abc"), GORT_STR("abc")));
    note_str(gort_string_slice(GO_SITE, GORT_STR("hello"), 1, 3));
    char *c = gort_string_cstr(GORT_STR("cstr"));
    note("%s", c);
    free(c);
    gort_string_slice(GO_SITE, GORT_STR("abc"), 0, 5);
}

Test(gort_string, conversions) {
    go_exec *e = gort_run(strings, NULL);
    cr_assert_str_eq(notes[0], "héllo, 世界");
    cr_assert_str_eq(notes[1], "runes=9 first=104 second=e9");
    cr_assert_str_eq(notes[2], "héllo, 世界");
    cr_assert_str_eq(notes[3], "0:61 1:fffd 2:fffd 3:fffd 4:62 5:fffd 6:fffd 7:fffd ");
    cr_assert_str_eq(notes[4], "\xef\xbf\xbd");
    cr_assert_str_eq(notes[5], "\xef\xbf\xbd");
    cr_assert_str_eq(notes[6], "世");
    cr_assert_str_eq(notes[7], "len=3 cap=8");
    cr_assert_str_eq(notes[8], "Xbc");
    cr_assert_str_eq(notes[9], "-1 1 0");
    cr_assert_str_eq(notes[10], "el");
    cr_assert_str_eq(notes[11], "cstr");
    cr_assert_str_eq(go_exec_message(e),
                     "runtime error: slice bounds out of range [:5] with length 3");
    go_exec_free(e);
}

static void sorting(void *arg) {
    (void)arg;
    gort_string names[] = {GORT_STR("pear"), GORT_STR("apple"), GORT_STR("fig")};
    gort_sort_strings((gort_slice){names, 3, 3});
    note("%.*s %.*s %.*s", (int)names[0].len, names[0].ptr, (int)names[1].len, names[1].ptr,
         (int)names[2].len, names[2].ptr);
    gort_int ints[] = {5, -1, 3, 3, 0};
    gort_sort_ints((gort_slice){ints, 5, 5});
    note("%lld %lld %lld %lld %lld", (long long)ints[0], (long long)ints[1], (long long)ints[2],
         (long long)ints[3], (long long)ints[4]);
}

Test(gort_sort, ints_and_strings) {
    go_exec *e = gort_run(sorting, NULL);
    cr_assert_str_eq(notes[0], "apple fig pear");
    cr_assert_str_eq(notes[1], "-1 0 3 3 5");
    go_exec_free(e);
}

static gort_slice by_len;
static bool less_len(void *env, gort_int i, gort_int j) {
    (void)env;
    gort_string *s = by_len.ptr;
    return s[i].len < s[j].len;
}

static void sort_slice(void *arg) {
    (void)arg;
    gort_string names[] = {GORT_STR("ccc"), GORT_STR("a"), GORT_STR("bb"), GORT_STR("x")};
    by_len = (gort_slice){names, 4, 4};
    gort_func less = {(void *)less_len, NULL};
    gort_sort_slice(GO_SITE, box(&t_string_slice, &by_len), less);
    note("%.*s %.*s %.*s %.*s", (int)names[0].len, names[0].ptr, (int)names[1].len,
         names[1].ptr, (int)names[2].len, names[2].ptr, (int)names[3].len, names[3].ptr);
}

Test(gort_sort, slice_stable) {
    go_exec *e = gort_run(sort_slice, NULL);
    cr_assert_str_eq(notes[0], "a x bb ccc");
    go_exec_free(e);
}
