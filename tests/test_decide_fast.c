/* test_decide_fast.c -- the decision's fast paths (runtime/decide.h,
 * sched.c's cf_decide): a question with one answer is never asked, and
 * the built-in sources answered inline give exactly what the same source
 * gives when called the long way, on the side stack. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sources_fixtures.h"

/* ---- one answer: no source call, no byte, no log entry ------------------ */

typedef struct counting {
    uint64_t calls;
} counting;

static uint64_t count_and_answer_0(void *self, go_decision_kind kind, uint64_t options) {
    (void)kind, (void)options;
    ((counting *)self)->calls++;
    return 0;
}

/* Every operation that could decide, each with a single possible answer:
 * a yield with nobody else runnable, a select with one ready case and no
 * default, a datum over one value, a mutex nobody waits for. */
static void one_answer_main(void *arg) {
    uint64_t *datum = arg;
    go_chan *c = go_make_chan(1);
    go_send(c, 7);
    go_yield();
    go_case cases[] = {go_case_recv(c, NULL)};
    go_select_at(GO_SITE, cases, 1, false);
    *datum = go_fz_intn(1);
    go_mutex *mu = go_mutex_new();
    go_mutex_lock(mu);
    go_mutex_unlock(mu);
}

Test(decide_fast, a_question_with_one_answer_asks_no_source_and_logs_nothing) {
    counting count = {0};
    uint64_t datum = 99;
    go_config cfg = {.decider = {count_and_answer_0, &count}, .record_trace = true};
    go_exec *e = go_exec_run(&cfg, one_answer_main, &datum);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    size_t n;
    go_exec_decisions(e, &n);
    cr_expect_eq(count.calls, 0);
    cr_expect_eq(n, 0);
    cr_expect_eq(datum, 0);
    go_exec_free(e);
}

Test(decide_fast, a_question_with_one_answer_reads_no_input_byte) {
    uint8_t bytes[64];
    memset(bytes, 0x01, sizeof bytes); /* would preempt and pick 1 everywhere */
    chanfuzz_fuzz_bytes src;
    uint64_t datum = 99;
    go_exec *e = run_bytes(one_answer_main, &datum, bytes, sizeof bytes, &src);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(src.front_used + src.tail_used, 0, "%zu bytes read",
                 src.front_used + src.tail_used);
    go_exec_free(e);
}

/* ---- inline answers are the long way's answers ---------------------------- */

/* Not a built-in, so cf_decide takes the long way (side stack, indirect
 * call) to the built-in's own function. */
typedef struct forwarding {
    go_decider inner;
} forwarding;

static uint64_t forward(void *self, go_decision_kind kind, uint64_t options) {
    forwarding *f = self;
    return f->inner.decide(f->inner.self, kind, options);
}

static char *trace_of(go_decider decider, go_exec **out) {
    go_config cfg = {.decider = decider, .record_trace = true};
    go_exec *e = go_exec_run(&cfg, mixed_main, NULL);
    char *text = trace_text(e);
    *out = e;
    return text;
}

static void expect_same_logs(const go_exec *a, const go_exec *b, uint64_t seed) {
    size_t na, nb;
    const go_decision *da = go_exec_decisions(a, &na), *db = go_exec_decisions(b, &nb);
    cr_assert_eq(na, nb, "seed %llu", (unsigned long long)seed);
    for (size_t i = 0; i < na; i++)
        cr_assert(da[i].kind == db[i].kind && da[i].options == db[i].options &&
                      da[i].answer == db[i].answer,
                  "seed %llu, decision %zu", (unsigned long long)seed, i);
}

Test(decide_fast, the_prng_answered_inline_gives_the_long_ways_trace) {
    for (uint64_t seed = 1; seed <= 30; seed++) {
        go_prng_source inline_src, long_src;
        forwarding f = {go_decider_prng(&long_src, seed, 3)};
        go_exec *a, *b;
        char *inline_trace = trace_of(go_decider_prng(&inline_src, seed, 3), &a);
        char *long_trace = trace_of((go_decider){forward, &f}, &b);
        cr_assert_str_eq(inline_trace, long_trace, "seed %llu", (unsigned long long)seed);
        expect_same_logs(a, b, seed);
        cr_expect_eq(inline_src.state, long_src.state);
        free(inline_trace);
        free(long_trace);
        go_exec_free(a);
        go_exec_free(b);
    }
}

Test(decide_fast, first_ready_answered_inline_gives_the_long_ways_trace) {
    forwarding f = {go_decider_first()};
    go_exec *a, *b;
    char *inline_trace = trace_of(go_decider_first(), &a);
    char *long_trace = trace_of((go_decider){forward, &f}, &b);
    cr_assert_str_eq(inline_trace, long_trace);
    expect_same_logs(a, b, 0);
    free(inline_trace);
    free(long_trace);
    go_exec_free(a);
    go_exec_free(b);
}

/* A fuzz-bytes run (the long way) replayed from its log (inline): the same
 * trace, and the same log whether the run recorded its trace or not (the
 * explorer runs without, `chanfuzz replay` with). */
Test(decide_fast, a_fuzz_bytes_run_replayed_inline_gives_the_same_execution) {
    uint64_t state = 17;
    for (int round = 0; round < 200; round++) {
        uint8_t bytes[96];
        random_bytes(&state, bytes, sizeof bytes);
        char *original_trace = bytes_trace(mixed_main, bytes, sizeof bytes);
        chanfuzz_fuzz_bytes src;
        go_config untraced = {.decider = chanfuzz_fuzz_bytes_decider(&src, bytes, sizeof bytes)};
        go_exec *original = go_exec_run(&untraced, mixed_main, NULL);
        size_t n;
        const go_decision *log = go_exec_decisions(original, &n);
        go_replay_source replay;
        go_exec *again;
        char *replayed = trace_of(go_decider_replay(&replay, log, n), &again);
        cr_assert_str_eq(replayed, original_trace, "round %d", round);
        cr_expect_eq(replay.position, n, "round %d", round);
        cr_expect_eq(go_exec_end(again), go_exec_end(original), "round %d", round);
        expect_same_logs(original, again, (uint64_t)round);
        free(replayed);
        free(original_trace);
        go_exec_free(again);
        go_exec_free(original);
    }
}
