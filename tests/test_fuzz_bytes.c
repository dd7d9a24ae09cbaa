/* test_fuzz_bytes.c -- the fuzz-bytes decision source. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources_fixtures.h"

/* ---- fuzz bytes ----------------------------------------------------------------- */

Test(fuzz_bytes, an_empty_input_schedules_exactly_as_first_ready) {
    go_exec *first = run_first(mixed_main, NULL);
    char *expected = trace_text(first);
    char *empty = bytes_trace(mixed_main, NULL, 0);
    cr_expect_str_eq(empty, expected);
    uint8_t zeros[64] = {0};
    char *all_zero = bytes_trace(mixed_main, zeros, sizeof zeros);
    cr_expect_str_eq(all_zero, expected, "zero bytes mean the plain choice too");
    cr_expect_gt(strlen(expected), 500);
    free(all_zero);
    free(empty);
    free(expected);
    go_exec_free(first);
}

Test(fuzz_bytes, a_preempt_byte_preempts_only_when_its_low_three_bits_are_001) {
    int yes = 0;
    for (int value = 0; value < 256; value++) {
        uint8_t byte = (uint8_t)value;
        chanfuzz_fuzz_bytes src;
        go_decider d = chanfuzz_fuzz_bytes_decider(&src, &byte, 1);
        uint64_t answer = d.decide(d.self, GO_DECIDE_PREEMPT, 2);
        cr_expect_eq(answer, (value & 7) == 1, "byte 0x%02x", value);
        cr_expect_eq(src.tail_used, 1);
        yes += (int)answer;
    }
    cr_expect_eq(yes, 32, "1 in 8 byte values preempt");
}

Test(fuzz_bytes, a_choice_reads_one_tail_byte_modulo_its_option_count) {
    const uint8_t input[] = {7, 5, 200}; /* read from the tail: 200, 5, 7 */
    chanfuzz_fuzz_bytes src;
    go_decider d = chanfuzz_fuzz_bytes_decider(&src, input, sizeof input);
    cr_expect_eq(d.decide(d.self, GO_DECIDE_SCHEDULE, 3), 200 % 3);
    cr_expect_eq(d.decide(d.self, GO_DECIDE_SELECT, 6), 5);
    cr_expect_eq(d.decide(d.self, GO_DECIDE_TIMER, 256), 7);
    cr_expect_eq(src.tail_used, 3);
    cr_expect_eq(src.front_used, 0);
    cr_expect_eq(d.decide(d.self, GO_DECIDE_SCHEDULE, 3), 0, "a dry input answers 0");
    cr_expect_eq(d.decide(d.self, GO_DECIDE_DATA, 3), 0, "a dry input answers 0");
}

Test(fuzz_bytes, a_large_datum_reads_as_many_front_bytes_as_it_needs_most_significant_first) {
    /* Up to 10 s in ns: 10^10 + 1 options need 34 bits, five bytes. */
    const uint8_t input[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0xAA};
    chanfuzz_fuzz_bytes src;
    go_decider d = chanfuzz_fuzz_bytes_decider(&src, input, sizeof input);
    uint64_t options = 10000000001ull;
    cr_expect_eq(d.decide(d.self, GO_DECIDE_DATA, options), 0x0102030405ull % options);
    cr_expect_eq(src.front_used, 5);
    cr_expect_eq(d.decide(d.self, GO_DECIDE_DATA, 300), 0xAA, "two bytes wanted, one left");
    cr_expect_eq(src.front_used, 6);
    cr_expect_eq(src.tail_used, 0);
}

Test(fuzz_bytes, data_bytes_do_not_move_schedule_answers_and_schedule_bytes_do_not_move_data) {
    /* fixed_main asks data over 1000 (two front bytes) and a select over 3
     * (one tail byte) eight times: 16 front bytes, 8 tail bytes, and 8
     * bytes of slack between them. */
    enum { FRONT = 16, SLACK = 8, TAIL = 8, SIZE = FRONT + SLACK + TAIL };
    uint64_t rng = 42;
    for (int trial = 0; trial < 50; trial++) {
        uint8_t base[SIZE], new_data[SIZE], new_schedule[SIZE];
        random_bytes(&rng, base, SIZE);
        memcpy(new_data, base, SIZE);
        memcpy(new_schedule, base, SIZE);
        random_bytes(&rng, new_data, FRONT + SLACK);
        random_bytes(&rng, new_schedule + FRONT, SLACK + TAIL);
        fixed_record r0 = {0}, r1 = {0}, r2 = {0};
        chanfuzz_fuzz_bytes s0, s1, s2;
        go_exec *e0 = run_bytes(fixed_main, &r0, base, SIZE, &s0);
        go_exec *e1 = run_bytes(fixed_main, &r1, new_data, SIZE, &s1);
        go_exec *e2 = run_bytes(fixed_main, &r2, new_schedule, SIZE, &s2);
        cr_assert_eq(s0.front_used, FRONT);
        cr_assert_eq(s0.tail_used, TAIL);
        for (int i = 0; i < 8; i++) {
            cr_expect_eq(r1.chosen[i], r0.chosen[i], "trial %d: select %d moved with the data",
                         trial, i);
            cr_expect_eq(r2.data[i], r0.data[i], "trial %d: datum %d moved with the schedule",
                         trial, i);
            cr_expect_eq(r0.data[i], (uint64_t)(base[2 * i] << 8 | base[2 * i + 1]) % 1000);
            cr_expect_eq(r0.chosen[i], base[SIZE - 1 - i] % 3);
        }
        go_exec_free(e2);
        go_exec_free(e1);
        go_exec_free(e0);
    }
}

Test(fuzz_bytes, the_same_bytes_give_the_same_trace) {
    uint64_t rng = 7;
    for (int trial = 0; trial < 50; trial++) {
        uint8_t input[96];
        random_bytes(&rng, input, sizeof input);
        char *a = bytes_trace(mixed_main, input, sizeof input);
        char *b = bytes_trace(mixed_main, input, sizeof input);
        cr_assert_str_eq(a, b, "trial %d", trial);
        free(a);
        free(b);
    }
}

Test(fuzz_bytes, the_source_reports_the_bytes_each_end_consumed) {
    uint8_t input[512];
    uint64_t rng = 99;
    random_bytes(&rng, input, sizeof input);
    chanfuzz_fuzz_bytes src;
    go_exec *e = run_bytes(mixed_main, NULL, input, sizeof input, &src);
    size_t n, tail = 0, front = 0;
    const go_decision *d = go_exec_decisions(e, &n);
    for (size_t i = 0; i < n; i++) {
        if (d[i].kind == GO_DECIDE_DATA)
            front += d[i].options > 256 ? 3 : 1; /* 3 ms + 1 options: 22 bits */
        else
            tail += 1;
    }
    cr_expect_eq(src.front_used, front);
    cr_expect_eq(src.tail_used, tail);
    go_exec_free(e);
}

/* 20,000 inputs; 4,000 under ASan, where each execution that abandons a
 * goroutine frees its fake stack (~2.5 ms here) -- same paths, fewer of
 * them. */
#define RANDOM_INPUTS (UNDER_ASAN ? 4000 : 20000)

Test(fuzz_bytes, random_byte_strings_never_crash) {
    uint64_t rng = 2024;
    uint8_t input[256];
    size_t ends[GO_END_STOPPED + 1] = {0};
    size_t preempted = 0;
    for (int run = 0; run < RANDOM_INPUTS; run++) {
        size_t size = (size_t)(splitmix(&rng) % (sizeof input + 1));
        random_bytes(&rng, input, size);
        chanfuzz_fuzz_bytes src;
        go_config cfg = {.decider = chanfuzz_fuzz_bytes_decider(&src, input, size)};
        go_exec *e = go_exec_run(&cfg, mixed_main, NULL);
        go_end end = go_exec_end(e);
        cr_assert(end == GO_END_RETURNED || end == GO_END_PANIC, "run %d ended %s: %s", run,
                  go_end_name(end), go_exec_message(e));
        cr_assert_leq(src.front_used + src.tail_used, size);
        ends[end]++;
        preempted += preemptions_in(e) > 0;
        go_exec_free(e);
    }
    cr_expect_gt(ends[GO_END_PANIC], 0, "the datum that panics was never drawn");
    cr_expect_gt(preempted, RANDOM_INPUTS / 2, "random tails should preempt in most runs");
}

Test(fuzz_bytes, an_encoded_decision_log_replays_as_the_same_trace) {
    for (uint64_t seed = 1; seed <= 50; seed++) {
        go_exec *original = run_seeded(mixed_main, NULL, seed);
        size_t n, size;
        const go_decision *log = go_exec_decisions(original, &n);
        uint8_t *input = chanfuzz_fuzz_bytes_encode(log, n, &size);
        char *expected = trace_text(original);
        char *again = bytes_trace(mixed_main, input, size);
        cr_assert_str_eq(again, expected, "seed %llu", (unsigned long long)seed);
        free(again);
        free(expected);
        free(input);
        go_exec_free(original);
    }
}
