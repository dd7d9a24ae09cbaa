/* ops_command.c -- `chanfuzz ops`: look at, write and run fuzz_ops inputs.
 *
 *   chanfuzz ops print FILE              raw input (or FILE.ops text) -> text program
 *   chanfuzz ops encode TEXTFILE -o OUT  text program -> raw input
 *   chanfuzz ops run FILE [--seed S]     run once, print the findings
 *
 * Exit status as every chanfuzz command: 0 clean, 1 findings, 2 usage or
 * input error with one line on stderr naming the file (and the position,
 * for text). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/atomic_file.h"
#include "chanfuzz/findings.h"
#include "chanfuzz/output_path.h"
#include "chanfuzz/sources.h"
#include "ops_table.h"

#define MAX_INPUT (1u << 20)  /* far beyond any program: a guard, not a limit */

#define OPS_USAGE "usage: chanfuzz ops print FILE | encode TEXTFILE -o OUT | run FILE [--seed S]"

static int usage(const char *message) {
    fprintf(stderr, "chanfuzz ops: %s (" OPS_USAGE ")\n", message);
    return CHANFUZZ_EXIT_USAGE;
}

/* The whole file, malloc'ed; NULL after printing why. */
static uint8_t *read_file(const char *path, size_t *size) {
    FILE *in = fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "chanfuzz ops: %s: cannot read: %s\n", path, strerror(errno));
        return NULL;
    }
    uint8_t *data = malloc(MAX_INPUT + 1);
    *size = data ? fread(data, 1, MAX_INPUT + 1, in) : 0;
    bool failed = !data || ferror(in);
    fclose(in);
    if (failed || *size > MAX_INPUT) {
        fprintf(stderr, "chanfuzz ops: %s: cannot read: %s\n", path,
                failed ? "read error" : "larger than 1 MiB");
        free(data);
        return NULL;
    }
    return data;
}

static bool ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

/* A program from FILE: text when it ends in .ops, else a raw input whose
 * rest is the schedule (*schedule_offset is where it starts). */
static bool load_program(const char *path, chanfuzz_program *p, uint8_t **data, size_t *size,
                         size_t *schedule_offset) {
    *data = read_file(path, size);
    if (!*data) return false;
    if (ends_with(path, ".ops")) {
        char error[512];
        if (!chanfuzz_ops_parse((const char *)*data, *size, path, p, error, sizeof error)) {
            fprintf(stderr, "chanfuzz ops: %s\n", error);
            free(*data);
            *data = NULL;
            return false;
        }
        *schedule_offset = *size; /* no schedule bytes: the plain schedule */
        return true;
    }
    *schedule_offset = chanfuzz_ops_decode(*data, *size, p);
    return true;
}

static int command_print(int argc, char **argv) {
    if (argc != 1) return usage("print takes one FILE");
    size_t size, used;
    uint8_t *data;
    chanfuzz_program p;
    /* A text program (FILE.ops) is parsed, not read as raw bytes: print
     * shows it as the interpreter will run it. */
    if (!load_program(argv[0], &p, &data, &size, &used)) return CHANFUZZ_EXIT_USAGE;
    if (ends_with(argv[0], ".ops"))
        printf("# %s: a text program (no schedule bytes: the plain schedule)\n", argv[0]);
    else
        printf("# %s: %zu bytes of program, %zu of schedule\n", argv[0], used, size - used);
    chanfuzz_ops_print(stdout, &p);
    free(data);
    return CHANFUZZ_EXIT_CLEAN;
}

static int command_encode(int argc, char **argv) {
    const char *input = NULL, *output = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (!input && argv[i][0] != '-')
            input = argv[i];
        else
            return usage("encode takes TEXTFILE -o OUT");
    }
    if (!input || !output) return usage("encode takes TEXTFILE -o OUT");
    char why[8400];
    const char *inputs[] = {input};
    if (chanfuzz_output_file_refused(output, inputs, 1, why, sizeof why)) {
        fprintf(stderr, "chanfuzz ops: -o %s\n", why);
        return CHANFUZZ_EXIT_USAGE;
    }
    size_t size;
    uint8_t *text = read_file(input, &size);
    if (!text) return CHANFUZZ_EXIT_USAGE;
    chanfuzz_program p;
    char error[512];
    bool parsed = chanfuzz_ops_parse((const char *)text, size, input, &p, error, sizeof error);
    free(text);
    if (!parsed) {
        fprintf(stderr, "chanfuzz ops: %s\n", error);
        return CHANFUZZ_EXIT_USAGE;
    }
    uint8_t bytes[2048];
    size_t length = chanfuzz_ops_encode(&p, bytes, sizeof bytes);
    if (length > sizeof bytes) errno = EFBIG;
    if (length > sizeof bytes || !chanfuzz_atomic_write(output, bytes, length)) {
        fprintf(stderr, "chanfuzz ops: %s: cannot write: %s\n", output, strerror(errno));
        return CHANFUZZ_EXIT_USAGE;
    }
    return CHANFUZZ_EXIT_CLEAN;
}

static bool parse_seed(const char *text, uint64_t *seed) {
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (errno || end == text || *end || text[0] == '-') return false;
    *seed = value;
    return true;
}

static int command_run(int argc, char **argv) {
    const char *path = NULL;
    uint64_t seed = 0;
    bool seeded = false;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            if (!parse_seed(argv[++i], &seed)) {
                fprintf(stderr, "chanfuzz ops run: --seed: expected a number, got '%s'\n", argv[i]);
                return CHANFUZZ_EXIT_USAGE;
            }
            seeded = true;
        } else if (!path && argv[i][0] != '-') {
            path = argv[i];
        } else {
            return usage("run takes FILE [--seed S]");
        }
    }
    if (!path) return usage("run takes FILE [--seed S]");
    chanfuzz_program p;
    uint8_t *data;
    size_t size, offset;
    if (!load_program(path, &p, &data, &size, &offset)) return CHANFUZZ_EXIT_USAGE;
    chanfuzz_fuzz_bytes bytes;
    go_prng_source prng;
    const uint8_t *schedule = offset < size ? data + offset : NULL;
    go_config cfg = {.decider = seeded ? go_decider_prng(&prng, seed, 8)
                                       : chanfuzz_fuzz_bytes_decider(&bytes, schedule,
                                                                     size - offset)};
    go_exec *e = chanfuzz_ops_run(&p, &cfg);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    chanfuzz_report_info info = {.scenario = "fuzz_ops", .reproducer = path};
    if (f) chanfuzz_write_text(stdout, &info, f);
    printf("fuzz_ops: %s ended as %s after %llu steps: %zu finding%s\n", path,
           go_end_name(go_exec_end(e)), (unsigned long long)go_exec_steps(e), f ? f->count : 0,
           f && f->count == 1 ? "" : "s");
    /* What the fuzz target checks, on the same schedule: a saved crash
     * of fuzz_ops says here what went wrong. */
    chanfuzz_ops_check_result check;
    chanfuzz_ops_check(&p,
                       seeded ? go_decider_prng(&prng, seed, 8)
                              : chanfuzz_fuzz_bytes_decider(&bytes, schedule, size - offset),
                       &check);
    printf("fuzz_ops: consistency %s%s\n", check.consistent ? "ok" : "FAILED: ",
           check.consistent ? "" : check.problem);
    int status = chanfuzz_exit_status(f);
    chanfuzz_findings_free(f);
    go_exec_free(e);
    free(data);
    return status;
}

int chanfuzz_ops_command(int argc, char **argv) {
    /* argv[0] is "ops" itself. */
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts(OPS_USAGE);
            return CHANFUZZ_EXIT_CLEAN;
        }
    if (argc < 2) return usage("missing subcommand");
    if (strcmp(argv[1], "print") == 0) return command_print(argc - 2, argv + 2);
    if (strcmp(argv[1], "encode") == 0) return command_encode(argc - 2, argv + 2);
    if (strcmp(argv[1], "run") == 0) return command_run(argc - 2, argv + 2);
    fprintf(stderr, "chanfuzz ops: unknown subcommand '%s' (print, encode, run)\n", argv[1]);
    return CHANFUZZ_EXIT_USAGE;
}
