/* test_tracefile.c -- the decision-trace file format. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sources_fixtures.h"

/* ---- trace files ------------------------------------------------------------------ */

static char *written(const chanfuzz_trace_file *trace, const char *comment) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert(chanfuzz_trace_file_write(out, trace, comment));
    fclose(out);
    return text;
}

Test(tracefile, a_written_file_reads_back_the_same_and_writes_the_same_bytes) {
    go_decision decisions[25];
    for (int i = 0; i < 25; i++)
        decisions[i] = (go_decision){.kind = (uint8_t)(i % GO_DECIDE_KIND_COUNT),
                                     .options = 2 + (uint64_t)i * 1000000007ull,
                                     .answer = (uint64_t)i};
    decisions[24] = (go_decision){GO_DECIDE_DATA, UINT64_MAX, UINT64_MAX - 1};
    const char *names[] = {"timeout_worker/buggy", ""};
    for (int variant = 0; variant < 2; variant++) {
        chanfuzz_trace_file trace = {.scenario = (char *)names[variant],
                                     .semantics = variant ? GO_SEMANTICS_1_22 : GO_SEMANTICS_1_23,
                                     .decisions = decisions, .count = 25};
        char *text = written(&trace, "found: lost update\nby: test");
        chanfuzz_trace_file back;
        chanfuzz_trace_error error;
        cr_assert(chanfuzz_trace_file_parse("t.trace", text, strlen(text), &back, &error), "%s",
                  error.message);
        cr_expect_str_eq(back.scenario, names[variant]);
        cr_expect_eq(back.semantics, trace.semantics);
        cr_assert_eq(back.count, 25);
        for (int i = 0; i < 25; i++) { /* field by field: padding is not compared */
            cr_expect_eq(back.decisions[i].kind, decisions[i].kind, "decision %d", i + 1);
            cr_expect_eq(back.decisions[i].options, decisions[i].options, "decision %d", i + 1);
            cr_expect_eq(back.decisions[i].answer, decisions[i].answer, "decision %d", i + 1);
        }
        char *again = written(&back, "found: lost update\nby: test");
        cr_expect_str_eq(again, text);
        free(again);
        free(text);
        chanfuzz_trace_file_free(&back);
    }
}

Test(tracefile, the_format_is_the_documented_text) {
    go_decision decisions[] = {{GO_DECIDE_PREEMPT, 2, 1}, {GO_DECIDE_SCHEDULE, 3, 2}};
    chanfuzz_trace_file trace = {.scenario = "demo", .semantics = GO_SEMANTICS_1_23,
                                 .decisions = decisions, .count = 2};
    char *text = written(&trace, "a comment");
    cr_expect_str_eq(text, "chanfuzz-trace 1\n"
                           "# a comment\n"
                           "scenario demo\n"
                           "go-semantics 1.23\n"
                           "preempt over 2 -> 1\n"
                           "schedule over 3 -> 2\n"
                           "end 2\n");
    free(text);
}

Test(tracefile, comments_blank_lines_and_crlf_are_accepted) {
    const char *text = "chanfuzz-trace 1   # magic\r\n"
                       "\n"
                       "# the scenario\n"
                       "scenario\n"
                       "go-semantics 1.22\n"
                       "   \t\n"
                       "select over 3 -> 2   # the third case\r\n"
                       "end 1\n"
                       "# trailing comment\n";
    chanfuzz_trace_file trace;
    chanfuzz_trace_error error;
    cr_assert(chanfuzz_trace_file_parse("t.trace", text, strlen(text), &trace, &error), "%s",
              error.message);
    cr_expect_str_eq(trace.scenario, "");
    cr_expect_eq(trace.semantics, GO_SEMANTICS_1_22);
    cr_assert_eq(trace.count, 1);
    cr_expect_eq(trace.decisions[0].kind, GO_DECIDE_SELECT);
    cr_expect_eq(trace.decisions[0].options, 3);
    cr_expect_eq(trace.decisions[0].answer, 2);
    chanfuzz_trace_file_free(&trace);
}

#define HEADER "chanfuzz-trace 1\nscenario s\ngo-semantics 1.23\n"

static void expect_rejected(const char *text, size_t size, const char *message) {
    chanfuzz_trace_file trace = {.count = 99};
    chanfuzz_trace_error error;
    bool accepted = chanfuzz_trace_file_parse("bad.trace", text, size, &trace, &error);
    cr_assert_not(accepted, "accepted: %s", text);
    cr_expect_str_eq(error.message, message);
    cr_expect_null(strchr(error.message, '\n'), "one line");
    cr_expect_null(trace.decisions);
    cr_expect_eq(trace.count, 0);
}

#define REJECTS(text, message) expect_rejected((text), sizeof(text) - 1, (message))

Test(tracefile, an_empty_file_is_rejected_as_truncated) {
    REJECTS("", "bad.trace:1:1: truncated: the file ends before 'chanfuzz-trace 1'");
}

Test(tracefile, a_file_cut_mid_line_is_rejected_as_truncated) {
    REJECTS(HEADER "preempt over 2 -> 1\nschedule ove",
            "bad.trace:5:13: truncated: the last line has no newline");
}

Test(tracefile, a_file_cut_at_a_line_boundary_is_rejected_as_truncated) {
    REJECTS(HEADER "preempt over 2 -> 1\n",
            "bad.trace:5:1: truncated: the file ends before its 'end' line");
    REJECTS("chanfuzz-trace 1\nscenario s\n",
            "bad.trace:3:1: truncated: the file ends before the 'go-semantics' line");
}

Test(tracefile, a_file_with_lines_lost_is_rejected_by_its_end_count) {
    REJECTS(HEADER "preempt over 2 -> 1\nend 2\n",
            "bad.trace:5:5: the end line counts 2 decisions, the file holds 1");
}

Test(tracefile, a_file_without_the_magic_line_is_rejected) {
    REJECTS("chanfuzz-trac 1\n", "bad.trace:1:1: not a chanfuzz decision trace (the first "
                                 "line must be 'chanfuzz-trace 1')");
    REJECTS("# comment\nchanfuzz-trace 1\n", "bad.trace:1:1: not a chanfuzz decision trace "
                                             "(the first line must be 'chanfuzz-trace 1')");
    REJECTS("\x7f" "ELF\n", "bad.trace:1:1: unexpected control byte 0x7f");
}

Test(tracefile, a_file_of_another_format_version_is_rejected) {
    REJECTS("chanfuzz-trace 2\n", "bad.trace:1:16: unsupported format version 2 (this reader "
                                  "knows 1)");
    REJECTS("chanfuzz-trace\n", "bad.trace:1:15: missing format version");
}

Test(tracefile, an_unknown_decision_kind_is_rejected) {
    REJECTS(HEADER "spawn over 2 -> 1\nend 1\n", "bad.trace:4:1: unknown decision kind 'spawn'");
}

Test(tracefile, an_answer_not_below_the_option_count_is_rejected) {
    REJECTS(HEADER "select over 3 -> 3\nend 1\n",
            "bad.trace:4:18: answer 3 is not below the option count 3");
    REJECTS(HEADER "select over 1 -> 0\nend 1\n",
            "bad.trace:4:13: option count 1 is below 2 (a choice of one is not asked)");
}

Test(tracefile, a_bad_number_is_rejected) {
    REJECTS(HEADER "data over 1x -> 0\nend 1\n",
            "bad.trace:4:11: bad number '1x' for the option count: expected decimal digits");
    REJECTS(HEADER "data over -5 -> 0\nend 1\n",
            "bad.trace:4:11: bad number '-5' for the option count: expected decimal digits");
    REJECTS(HEADER "data over 18446744073709551616 -> 0\nend 1\n",
            "bad.trace:4:11: number '18446744073709551616' for the option count is too large "
            "(at most 18446744073709551615)");
    REJECTS(HEADER "end many\n",
            "bad.trace:4:5: bad number 'many' for the decision count: expected decimal digits");
}

Test(tracefile, a_line_with_missing_or_extra_fields_is_rejected) {
    REJECTS(HEADER "preempt\nend 1\n", "bad.trace:4:8: missing 'over OPTIONS -> ANSWER'");
    REJECTS(HEADER "preempt over\nend 1\n", "bad.trace:4:13: missing option count");
    REJECTS(HEADER "preempt over 2\nend 1\n", "bad.trace:4:15: missing '-> ANSWER'");
    REJECTS(HEADER "preempt over 2 ->\nend 1\n", "bad.trace:4:18: missing answer");
    REJECTS(HEADER "preempt over 2 => 1\nend 1\n", "bad.trace:4:16: expected '->', found '=>'");
    REJECTS(HEADER "preempt 2 1\nend 1\n", "bad.trace:4:9: expected 'over', found '2'");
    REJECTS(HEADER "preempt over 2 -> 1 0\nend 1\n",
            "bad.trace:4:21: unexpected '0' after the answer");
    REJECTS(HEADER "end\n", "bad.trace:4:4: missing decision count");
    REJECTS("chanfuzz-trace 1\ngo-semantics 1.23\n",
            "bad.trace:2:1: expected 'scenario NAME', found 'go-semantics'");
    REJECTS("chanfuzz-trace 1\nscenario a b\n",
            "bad.trace:2:12: unexpected 'b' after the scenario name");
    REJECTS("chanfuzz-trace 1\nscenario s\ngo-semantics\n",
            "bad.trace:3:13: missing the Go version after 'go-semantics'");
}

Test(tracefile, an_unknown_go_semantics_is_rejected) {
    REJECTS("chanfuzz-trace 1\nscenario s\ngo-semantics 1.21\n",
            "bad.trace:3:14: unknown go-semantics '1.21' (expected 1.23 or 1.22)");
}

Test(tracefile, anything_after_the_end_line_is_rejected) {
    REJECTS(HEADER "end 0\npreempt over 2 -> 1\n",
            "bad.trace:5:1: unexpected 'preempt' after the end line");
}

Test(tracefile, a_control_byte_is_rejected_where_it_stands) {
    REJECTS(HEADER "preempt over 2 -> \0\nend 1\n", "bad.trace:4:19: unexpected control byte 0x00");
}

Test(tracefile, the_reader_survives_20000_mutated_files_with_one_line_verdicts) {
    go_decision decisions[12];
    for (int i = 0; i < 12; i++)
        decisions[i] = (go_decision){(uint8_t)(i % (GO_DECIDE_TIMER + 1)), 3 + (uint64_t)i * 999,
                                     (uint64_t)i};
    chanfuzz_trace_file trace = {.scenario = "s", .decisions = decisions, .count = 12};
    char *valid = written(&trace, "seed");
    size_t valid_size = strlen(valid);
    uint64_t rng = 5;
    char mutated[1024];
    size_t accepted = 0;
    for (int trial = 0; trial < 20000; trial++) {
        size_t size = valid_size;
        memcpy(mutated, valid, size);
        for (int edits = 1 + (int)(splitmix(&rng) % 4); edits > 0; edits--) {
            size_t at = size ? (size_t)(splitmix(&rng) % size) : 0;
            switch (splitmix(&rng) % 4) {
            case 0: /* overwrite a byte with anything */
                if (size) mutated[at] = (char)splitmix(&rng);
                break;
            case 1: /* cut the file */
                size = at;
                break;
            case 2: /* delete a byte */
                if (size) {
                    memmove(mutated + at, mutated + at + 1, size - at - 1);
                    size--;
                }
                break;
            default: /* insert a digit, a space or a newline */
                if (size + 1 < sizeof mutated) {
                    memmove(mutated + at + 1, mutated + at, size - at);
                    mutated[at] = "0 \n9"[splitmix(&rng) % 4];
                    size++;
                }
            }
        }
        chanfuzz_trace_file back;
        chanfuzz_trace_error error;
        if (chanfuzz_trace_file_parse("bad.trace", mutated, size, &back, &error)) {
            accepted++;
            for (size_t i = 0; i < back.count; i++)
                cr_assert_lt(back.decisions[i].answer, back.decisions[i].options);
            chanfuzz_trace_file_free(&back);
        } else {
            cr_assert(strncmp(error.message, "bad.trace:", 10) == 0, "%s", error.message);
            cr_assert_null(strchr(error.message, '\n'), "%s", error.message);
            cr_assert_geq(error.line, 1);
            cr_assert_geq(error.column, 1);
        }
    }
    cr_expect_gt(accepted, 0, "some edits (in comments, digits) keep a file valid");
    free(valid);
}

Test(tracefile, loading_names_the_file_and_a_missing_one_says_why) {
    chanfuzz_trace_file trace;
    chanfuzz_trace_error error;
    cr_expect_not(chanfuzz_trace_file_load("/nonexistent/x.trace", &trace, &error));
    cr_expect_str_eq(error.message, "/nonexistent/x.trace: cannot read: No such file or directory");
    char path[] = "/tmp/test_sources_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char text[] = HEADER "mutex over 2 -> 1\nend 2\n";
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    char expected[128];
    snprintf(expected, sizeof expected, "%s:5:5: the end line counts 2 decisions, the file holds 1",
             path);
    cr_expect_not(chanfuzz_trace_file_load(path, &trace, &error));
    cr_expect_str_eq(error.message, expected);
    cr_expect_eq(error.line, 5);
    cr_expect_eq(error.column, 5);
    unlink(path);
}

Test(tracefile, the_writer_refuses_a_scenario_name_the_format_cannot_hold) {
    chanfuzz_trace_file trace = {.scenario = "two words"};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_expect_not(chanfuzz_trace_file_write(out, &trace, NULL));
    fclose(out);
    cr_expect_eq(size, 0, "nothing written");
    free(text);
    cr_expect_not(chanfuzz_trace_scenario_name_valid("a#b"));
    cr_expect_not(chanfuzz_trace_scenario_name_valid("a\nb"));
    cr_expect(chanfuzz_trace_scenario_name_valid("leaky_timeout/buggy"));
    cr_expect(chanfuzz_trace_scenario_name_valid(""));
}

Test(tracefile, a_raw_input_as_a_trace_file_replays_to_the_same_trace_and_end) {
    uint64_t rng = 31337;
    size_t ends[GO_END_STOPPED + 1] = {0};
    for (int trial = 0; trial < 300; trial++) {
        uint8_t input[160];
        size_t size = (size_t)(splitmix(&rng) % sizeof input);
        random_bytes(&rng, input, size);
        chanfuzz_fuzz_bytes src;
        go_exec *raw = run_bytes(mixed_main, NULL, input, size, &src);
        chanfuzz_trace_file trace;
        cr_assert(chanfuzz_trace_file_from_exec(&trace, raw, "mixed"));
        char *text = written(&trace, NULL);
        chanfuzz_trace_file_free(&trace);

        chanfuzz_trace_file read;
        chanfuzz_trace_error error;
        cr_assert(chanfuzz_trace_file_parse("raw.trace", text, strlen(text), &read, &error),
                  "%s", error.message);
        cr_expect_str_eq(read.scenario, "mixed");
        go_replay_source replay;
        go_config cfg = {.record_trace = true};
        chanfuzz_trace_file_replay_config(&read, &replay, &cfg);
        go_exec *again = go_exec_run(&cfg, mixed_main, NULL);
        char *expected = trace_text(raw), *got = trace_text(again);
        cr_assert_str_eq(got, expected, "trial %d", trial);
        cr_assert_eq(go_exec_end(again), go_exec_end(raw));
        cr_expect_eq(replay.position, read.count, "every decision replayed");
        ends[go_exec_end(raw)]++;
        free(got);
        free(expected);
        free(text);
        chanfuzz_trace_file_free(&read);
        go_exec_free(again);
        go_exec_free(raw);
    }
    cr_expect_gt(ends[GO_END_PANIC], 0);
    cr_expect_gt(ends[GO_END_RETURNED], 0);
}
