/* test_ops_text.c -- fuzz_ops programs as text: the printed form parses
 * back to the same program, and every malformed line is rejected with
 * FILE:LINE:COLUMN at the offending token. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/ops.h>

static chanfuzz_program parse_ok(const char *text) {
    chanfuzz_program p;
    char error[512];
    bool ok = chanfuzz_ops_parse(text, strlen(text), "t.ops", &p, error, sizeof error);
    cr_assert(ok, "does not parse: %s\n%s", error, text);
    return p;
}

static char *parse_error(const char *text) {
    static char error[512];
    chanfuzz_program p;
    bool ok = chanfuzz_ops_parse(text, strlen(text), "t.ops", &p, error, sizeof error);
    cr_assert(!ok, "parsed, should not have:\n%s", text);
    return error;
}

/* print(parse(print(p))) == print(p), and the bytes agree too. */
static void expect_round_trip(const chanfuzz_program *p) {
    char *printed = chanfuzz_ops_to_text(p);
    chanfuzz_program again = parse_ok(printed);
    char *reprinted = chanfuzz_ops_to_text(&again);
    cr_expect_str_eq(reprinted, printed);
    uint8_t a[2048], b[2048];
    size_t na = chanfuzz_ops_encode(p, a, sizeof a), nb = chanfuzz_ops_encode(&again, b, sizeof b);
    cr_expect(na == nb && memcmp(a, b, na) == 0, "bytes differ after the text round trip:\n%s",
              printed);
    free(reprinted);
    free(printed);
}

Test(ops_text, prints_one_operation_per_line_under_body_headers) {
    chanfuzz_program p = parse_ok("main:\n"
                                  "  make  c0 0   # unbuffered\n"
                                  "\tgo g1\n"
                                  "  select recv c0,after 5ms ,  default\n"
                                  "\n"
                                  "g1:\n"
                                  "  send c0 7\n"
                                  "  capture k1 c0 x1 p0\n"
                                  "  withtimeout x0 bg 15ms\n");
    char *text = chanfuzz_ops_to_text(&p);
    cr_expect_str_eq(text, "main:\n"
                           "  make c0 0\n"
                           "  go g1\n"
                           "  select recv c0, after 5ms, default\n"
                           "g1:\n"
                           "  send c0 7\n"
                           "  capture k1 c0 x1 p0\n"
                           "  withtimeout x0 bg 15ms\n");
    free(text);
}

Test(ops_text, every_operation_and_case_round_trips) {
    chanfuzz_program p = parse_ok("main:\n"
                                  "  yield\n  go g2\n  make c3 3\n  send c1 255\n  recv c2\n"
                                  "  range c0\n  close c0\n  select\n  withcancel x1 x0\n"
                                  "  withtimeout x0 x1 0ms\n  cancel x1\n  done x0\n"
                                  "  add w1 3\n  wgdone w0\n"
                                  "g1:\n"
                                  "  wait w1\n  lock m1\n  unlock m0\n  sleep 9ms\n"
                                  "  timer t1 1ms\n  afterfunc t0 2ms g3\n  stop t1\n  tick t0\n"
                                  "  open f1\n  fclose f0\n  capture k0 m0\n  publish k1\n"
                                  "  unpublish k0\n  weak p1 k0\n  weakvalue p0\n  gc\n"
                                  "g2:\n"
                                  "  release c2\n  release t1\n  release f0\n  release k1\n"
                                  "  release p1\n"
                                  "  select send c0 1, done x1, tick t1, after 3ms, default\n"
                                  "  select default\n"
                                  "g3:\n");
    cr_expect_eq(p.body_count, 4);
    cr_expect_eq(p.bodies[0].count, 14);
    cr_expect_eq(p.bodies[1].count, 16);
    cr_expect_eq(p.bodies[3].count, 0);
    expect_round_trip(&p);
}

Test(ops_text, random_programs_round_trip_through_text) {
    uint64_t state = 42;
    for (int n = 0; n < 5000; n++) {
        uint8_t bytes[160];
        size_t size = (size_t)(n % 160);
        for (size_t i = 0; i < size; i++) {
            state = state * 6364136223846793005ull + 1442695040888963407ull;
            bytes[i] = (uint8_t)(state >> 56);
        }
        chanfuzz_program p;
        chanfuzz_ops_decode(bytes, size, &p);
        expect_round_trip(&p);
    }
}

typedef struct bad_text {
    const char *text;
    const char *error;
} bad_text;

/* One test over a table rather than a parameterized test: Criterion runs
 * each parameter in a fresh process, where pointers to string literals
 * in the table would need cr_malloc'ed copies. */
Test(ops_text, rejects_with_file_line_and_column) {
    static const bad_text cases[] = {
        {"", "t.ops:1:1: empty program: expected 'main:'"},
        {"# only a comment\n", "t.ops:1:1: empty program: expected 'main:'"},
        {"  send c0 1\n", "t.ops:1:3: operation before 'main:'"},
        {"g1:\n", "t.ops:1:1: expected 'main:' first"},
        {"main:\ng2:\n", "t.ops:2:1: expected 'g1:', got 'g2:'"},
        {"main:\ng1:\ng2:\ng3:\ng4:\n", "t.ops:5:1: more than 4 bodies"},
        {"main: yield\n", "t.ops:1:7: unexpected 'yield' after a body header"},
        {"main:\n  frobnicate c0\n", "t.ops:2:3: unknown operation 'frobnicate'"},
        {"main:\n  send c0\n", "t.ops:2:10: missing operand: expected a value (0-255)"},
        {"main:\n  send x0 1\n", "t.ops:2:8: expected a channel slot (c0-c3), got 'x0'"},
        {"main:\n  send c4 1\n", "t.ops:2:8: expected a channel slot (c0-c3), got 'c4'"},
        {"main:\n  send c0 256\n", "t.ops:2:11: expected a value (0-255), got '256'"},
        {"main:\n  make c0 4\n", "t.ops:2:11: expected a capacity (0-3), got '4'"},
        {"main:\n  sleep 16ms\n", "t.ops:2:9: expected a duration (0ms-15ms), got '16ms'"},
        {"main:\n  sleep 5\n", "t.ops:2:9: expected a duration (0ms-15ms), got '5'"},
        {"main:\n  add w0 0\n", "t.ops:2:10: expected a WaitGroup delta (1-3), got '0'"},
        {"main:\n  recv c0 c1\n", "t.ops:2:11: unexpected 'c1' after recv"},
        {"main:\n  go g1\n",
         "t.ops:2:6: expected a later goroutine body (g1-g3, after the current one, declared), got 'g1'"},
        {"main:\ng1:\n  go g1\n",
         "t.ops:3:6: expected a later goroutine body (g1-g3, after the current one, declared), got 'g1'"},
        {"main:\n  withcancel x0 c0\n", "t.ops:2:17: expected a parent context (bg, x0-x1), got 'c0'"},
        {"main:\n  release x0\n",
         "t.ops:2:11: expected a slot that can be nil (c0-c3, t0-t1, f0-f1, k0-k1, p0-p1), got 'x0'"},
        {"main:\n  capture k0\n", "t.ops:2:13: missing operand: capture takes 1 to 3 slots"},
        {"main:\n  capture k0 c0 c1 c2 c3\n", "t.ops:2:23: unexpected 'c3' after capture"},
        {"main:\n  select recv c0 send c1 1\n",
         "t.ops:2:18: expected ',' between select arms, got 'send'"},
        {"main:\n  select recv c0,\n", "t.ops:2:18: missing select arm after ','"},
        {"main:\n  select default, recv c0\n",
         "t.ops:2:19: 'default' must be the last arm of a select"},
        {"main:\n  select poll c0\n",
         "t.ops:2:10: unknown select case 'poll' (recv, send, done, tick, after, default)"},
        {"main:\n  select recv c0, recv c0, recv c0, recv c0, recv c0\n",
         "t.ops:2:46: more than 4 cases in a select"},
        {"main:\n  yield\x01\n", "t.ops:2:8: control byte 0x01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_str_eq(parse_error(cases[i].text), cases[i].error, "for:\n%s", cases[i].text);
}

Test(ops_text, more_than_sixteen_operations_in_a_body_is_an_error) {
    char text[1024] = "main:\n";
    for (int i = 0; i < 17; i++) strcat(text, "  yield\n");
    cr_expect_str_eq(parse_error(text), "t.ops:18:3: more than 16 operations in one body");
}

Test(ops_text, the_goroutine_bound_is_an_error_at_the_spawn_that_breaks_it) {
    /* main starts g1 four times; each g1 starts g2 three times: 1 + 4 +
     * 12 = 17 goroutines. */
    const char *text = "main:\n  go g1\n  go g1\n  go g1\n  go g1\n"
                       "g1:\n  go g2\n  go g2\n  afterfunc t0 1ms g2\n"
                       "g2:\n";
    cr_expect_str_eq(parse_error(text),
                     "t.ops:9:3: this afterfunc could start more than 16 goroutines");
}

/* Every seed program of the corpus. */
Test(ops_text, every_seed_round_trips) {
    glob_t seeds;
    cr_assert_eq(glob(CHANFUZZ_SOURCE_DIR "/harness/ops/seeds/*.ops", 0, NULL, &seeds), 0);
    cr_expect_geq(seeds.gl_pathc, 20);
    for (size_t i = 0; i < seeds.gl_pathc; i++) {
        FILE *in = fopen(seeds.gl_pathv[i], "rb");
        cr_assert_not_null(in);
        char text[8192];
        size_t size = fread(text, 1, sizeof text, in);
        fclose(in);
        chanfuzz_program p;
        char error[512];
        cr_assert(chanfuzz_ops_parse(text, size, seeds.gl_pathv[i], &p, error, sizeof error), "%s",
                  error);
        expect_round_trip(&p);
    }
    globfree(&seeds);
}
