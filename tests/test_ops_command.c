/* test_ops_command.c -- `chanfuzz ops print|encode|run`: outputs and exit
 * statuses (0 clean, 1 findings, 2 usage or input error, with one line
 * naming the file and position). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <chanfuzz/ops.h>

#define SEEDS CHANFUZZ_SOURCE_DIR "/harness/ops/seeds"
#define CORPUS CHANFUZZ_SOURCE_DIR "/corpus/fuzz_ops"

#define RUN(...)                                                             \
    (__extension__({                                                         \
        char *argv_[] = {"ops", __VA_ARGS__, NULL};                          \
        int status_ = chanfuzz_ops_command((int)(sizeof argv_ / sizeof argv_[0]) - 1, argv_); \
        fflush(stdout);                                                      \
        fflush(stderr);                                                      \
        status_;                                                             \
    }))

#define USAGE \
    " (usage: chanfuzz ops print FILE | encode TEXTFILE -o OUT | run FILE [--seed S])\n"

static void redirect(void) {
    cr_redirect_stdout();
    cr_redirect_stderr();
}

Test(ops_command, print_shows_a_raw_input_as_its_program, .init = redirect) {
    cr_expect_eq(RUN("print", CORPUS "/lost_cancel"), 0);
    cr_expect_stdout_eq_str("# " CORPUS "/lost_cancel: 11 bytes of program, 0 of schedule\n"
                            "main:\n"
                            "  withtimeout x0 bg 5ms\n"
                            "  withcancel x1 x0\n"
                            "  done x1\n");
}

/* A text program is parsed, not read as raw bytes (which printed an
 * unrelated program). */
Test(ops_command, print_parses_a_text_program, .init = redirect) {
    cr_expect_eq(RUN("print", SEEDS "/blocked_sender.ops"), 0);
    cr_expect_eq(RUN("print", CORPUS "/blocked_sender"), 0);
#define BLOCKED_SENDER \
    "main:\n  make c0 0\n  go g1\n  select recv c0, after 1ms\ng1:\n  sleep 5ms\n  send c0 1\n"
    /* The text program and its encoding print the same program. */
    cr_expect_stdout_eq_str(
        "# " SEEDS "/blocked_sender.ops: a text program (no schedule bytes: the plain "
        "schedule)\n" BLOCKED_SENDER
        "# " CORPUS "/blocked_sender: 19 bytes of program, 0 of schedule\n" BLOCKED_SENDER);
}

Test(ops_command, encode_writes_the_corpus_bytes, .init = redirect) {
    char out[] = "/tmp/test_ops_command_XXXXXX";
    int fd = mkstemp(out);
    cr_assert_geq(fd, 0);
    close(fd);
    cr_expect_eq(RUN("encode", SEEDS "/blocked_sender.ops", "-o", out), 0);
    char written[64], corpus[64];
    FILE *a = fopen(out, "rb"), *b = fopen(CORPUS "/blocked_sender", "rb");
    cr_assert(a && b);
    size_t na = fread(written, 1, sizeof written, a), nb = fread(corpus, 1, sizeof corpus, b);
    fclose(a);
    fclose(b);
    unlink(out);
    cr_expect(na == nb && memcmp(written, corpus, na) == 0);
}

Test(ops_command, run_exits_one_with_findings_and_zero_when_clean, .init = redirect) {
    cr_expect_eq(RUN("run", CORPUS "/close_closed"), 1);
    cr_expect_eq(RUN("run", SEEDS "/waitgroup.ops"), 0);
    cr_expect_eq(RUN("run", SEEDS "/waitgroup.ops", "--seed", "12"), 0);
}

Test(ops_command, a_parse_error_is_one_line_with_file_line_and_column, .init = redirect) {
    char path[] = "/tmp/test_ops_command_XXXXXX.ops";
    int fd = mkstemps(path, 4);
    cr_assert_geq(fd, 0);
    const char text[] = "main:\n  send c9 1\n";
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    cr_expect_eq(RUN("encode", path, "-o", "/tmp/never_written"), 2);
    cr_expect_eq(RUN("run", path), 2);
    unlink(path);
    char expected[512];
    snprintf(expected, sizeof expected,
             "chanfuzz ops: %s:2:8: expected a channel slot (c0-c3), got 'c9'\n"
             "chanfuzz ops: %s:2:8: expected a channel slot (c0-c3), got 'c9'\n",
             path, path);
    cr_expect_stderr_eq_str(expected);
}

Test(ops_command, usage_errors_exit_two, .init = redirect) {
    cr_expect_eq(RUN("print", "/nonexistent/x"), 2);
    cr_expect_eq(RUN("frob"), 2);
    cr_expect_eq(RUN("print"), 2);
    cr_expect_eq(RUN("encode", SEEDS "/waitgroup.ops"), 2);
    cr_expect_eq(RUN("run", SEEDS "/waitgroup.ops", "--seed", "soon"), 2);
    cr_expect_stderr_eq_str(
        "chanfuzz ops: /nonexistent/x: cannot read: No such file or directory\n"
        "chanfuzz ops: unknown subcommand 'frob' (print, encode, run)\n"
        "chanfuzz ops: print takes one FILE" USAGE
        "chanfuzz ops: encode takes TEXTFILE -o OUT" USAGE
        "chanfuzz ops run: --seed: expected a number, got 'soon'\n");
}
