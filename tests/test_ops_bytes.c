/* test_ops_bytes.c -- fuzz_ops programs from bytes: every byte string is a
 * valid program, bounded in size; the encoder is the decoder's inverse;
 * the program is a function of its prefix, so schedule bytes never
 * reshuffle it. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/ops.h>

static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t random_input(uint64_t *state, uint8_t *out, size_t max) {
    size_t size = (size_t)(next_random(state) % (max + 1));
    for (size_t i = 0; i < size; i++) out[i] = (uint8_t)next_random(state);
    return size;
}

static bool same_program(const chanfuzz_program *a, const chanfuzz_program *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

Test(ops_bytes, the_empty_input_is_main_doing_nothing) {
    chanfuzz_program p;
    cr_expect_eq(chanfuzz_ops_decode(NULL, 0, &p), 0);
    cr_expect_eq(p.body_count, 1);
    cr_expect_eq(p.bodies[0].count, 0);
    uint8_t zeros[8] = {0};
    cr_expect_eq(chanfuzz_ops_decode(zeros, sizeof zeros, &p), 2, "one body, no operations");
    cr_expect_eq(p.bodies[0].count, 0);
}

Test(ops_bytes, random_bytes_always_decode_to_a_valid_bounded_program) {
    uint64_t state = 1;
    uint8_t input[512];
    for (int n = 0; n < 100000; n++) {
        size_t size = random_input(&state, input, n % 10 == 0 ? sizeof input : 64);
        chanfuzz_program p;
        size_t used = chanfuzz_ops_decode(input, size, &p);
        cr_assert_leq(used, size);
        char why[256];
        cr_assert(chanfuzz_ops_program_valid(&p, why, sizeof why), "input %d: %s", n, why);
        cr_assert(p.body_count >= 1 && p.body_count <= CHANFUZZ_OPS_BODIES);
        /* The encoder inverts the decoder, and writes at most what it read. */
        uint8_t bytes[2048];
        size_t length = chanfuzz_ops_encode(&p, bytes, sizeof bytes);
        cr_assert_leq(length, sizeof bytes);
        chanfuzz_program again;
        cr_assert_eq(chanfuzz_ops_decode(bytes, length, &again), length);
        cr_assert(same_program(&p, &again), "input %d: decode(encode(p)) != p", n);
    }
}

Test(ops_bytes, short_inputs_give_short_programs) {
    uint64_t state = 7;
    uint8_t input[16];
    for (int n = 0; n < 10000; n++) {
        size_t size = random_input(&state, input, sizeof input);
        chanfuzz_program p;
        chanfuzz_ops_decode(input, size, &p);
        size_t ops = 0;
        for (unsigned b = 0; b < p.body_count; b++) ops += p.bodies[b].count;
        /* Every operation but a dry read's takes at least one byte. */
        cr_assert_leq(ops, size, "%zu operations from %zu bytes", ops, size);
    }
}

Test(ops_bytes, schedule_bytes_never_change_the_program) {
    uint64_t state = 3;
    uint8_t input[256];
    for (int n = 0; n < 20000; n++) {
        size_t size = random_input(&state, input, 128);
        chanfuzz_program p, prefix_only, mutated;
        size_t used = chanfuzz_ops_decode(input, size, &p);
        chanfuzz_ops_decode(input, used, &prefix_only);
        cr_assert(same_program(&p, &prefix_only), "the prefix alone is the program");
        /* An input the program used up has no schedule: more bytes would
         * be more program. */
        if (used == size) continue;
        /* Rewrite, shorten and lengthen the schedule. */
        for (size_t i = used; i < size; i++) input[i] ^= (uint8_t)next_random(&state);
        size_t grown = used + (size_t)(next_random(&state) % 128);
        for (size_t i = size; i < grown; i++) input[i] = (uint8_t)next_random(&state);
        cr_assert_eq(chanfuzz_ops_decode(input, grown, &mutated), used);
        cr_assert(same_program(&p, &mutated), "input %d: schedule bytes changed the program", n);
    }
}

Test(ops_bytes, every_operation_kind_is_one_byte_away) {
    for (unsigned kind = 0; kind < CHANFUZZ_OP_KIND_COUNT; kind++) {
        /* four bodies, one operation in main, its kind, operands 0 */
        uint8_t input[16] = {3, 1, (uint8_t)kind};
        chanfuzz_program p;
        chanfuzz_ops_decode(input, sizeof input, &p);
        cr_assert_eq(p.bodies[0].count, 1, "kind %u dropped", kind);
        cr_expect_eq(p.bodies[0].ops[0].kind, kind);
        uint8_t wrapped[16] = {3, 1, (uint8_t)(kind + CHANFUZZ_OP_KIND_COUNT)};
        chanfuzz_program q;
        chanfuzz_ops_decode(wrapped, sizeof wrapped, &q);
        cr_expect(same_program(&p, &q), "kind bytes count modulo the kinds");
    }
}

Test(ops_bytes, a_go_in_the_last_body_is_dropped_and_the_rest_keeps_its_meaning) {
    /* one body (main); two ops: go (no later body), then send c1 9 */
    uint8_t input[] = {0, 2, CHANFUZZ_OP_GO, 0, CHANFUZZ_OP_SEND, 1, 9};
    chanfuzz_program p;
    cr_expect_eq(chanfuzz_ops_decode(input, sizeof input, &p), sizeof input);
    cr_assert_eq(p.bodies[0].count, 1);
    cr_expect_eq(p.bodies[0].ops[0].kind, CHANFUZZ_OP_SEND);
    cr_expect_eq(p.bodies[0].ops[0].arg[0], 1);
    cr_expect_eq(p.bodies[0].ops[0].arg[1], 9);
}

Test(ops_bytes, spawns_past_the_goroutine_bound_are_dropped) {
    /* two bodies; main: 16 x `go g1`: only 15 fit beside main */
    uint8_t input[2 + 32 + 1] = {1, 16};
    for (int i = 0; i < 16; i++) input[2 + 2 * i] = CHANFUZZ_OP_GO;
    chanfuzz_program p;
    chanfuzz_ops_decode(input, sizeof input, &p);
    cr_expect_eq(p.bodies[0].count, CHANFUZZ_OPS_MAX_GOROUTINES - 1);
}

Test(ops_bytes, encode_measures_with_a_null_buffer) {
    const char *text = "main:\n  make c0 0\n  select recv c0, default\n";
    chanfuzz_program p;
    char error[256];
    cr_assert(chanfuzz_ops_parse(text, strlen(text), "t", &p, error, sizeof error), "%s", error);
    size_t needed = chanfuzz_ops_encode(&p, NULL, 0);
    /* bodies-1, count, make c0 0, select + header + case kind + c0 */
    cr_expect_eq(needed, 2 + 3 + 4);
    uint8_t bytes[9];
    cr_expect_eq(chanfuzz_ops_encode(&p, bytes, sizeof bytes), needed);
    uint8_t expected[] = {0, 2, CHANFUZZ_OP_MAKE, 0, 0, CHANFUZZ_OP_SELECT, 1 + 5, 0, 0};
    cr_expect_arr_eq(bytes, expected, sizeof expected);
}
