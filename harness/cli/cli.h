/* cli.h -- what the subcommands of `chanfuzz` share: option parsing, one-line
 * errors, loading a reproducer (trace file or raw fuzz input), running a
 * target, writing reproducers, and the clock of progress lines.
 *
 * The command line is a contract (harness/cli/README.md): names, flags,
 * exit statuses and JSON fields are what scripts depend on.
 *
 * Sections:
 *   1. Commands      one function per subcommand, argv[0] being its name
 *   2. Errors        one line on stderr, exit status 2
 *   3. Options       flag values: numbers, semantics, seconds
 *   4. Inputs        reproducers: trace files and raw fuzz inputs
 *   5. Reproducers   trace files written by run and minimize
 *   6. Odds and ends wall clock (progress only, never the model), JSON
 */
#ifndef CHANFUZZ_CLI_H
#define CHANFUZZ_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/exec.h>
#include <chanfuzz/findings.h>
#include <chanfuzz/scenario.h>
#include <chanfuzz/tracefile.h>

/* ---- 1. Commands ---------------------------------------------------------- */

/* Each returns the process's exit status: CHANFUZZ_EXIT_CLEAN (0),
 * CHANFUZZ_EXIT_FINDINGS (1) or CHANFUZZ_EXIT_USAGE (2). */
int cli_list(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_replay(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_minimize(int argc, char **argv);
int cli_corpus(int argc, char **argv);
int cli_report(int argc, char **argv);   /* report.c, with the --html helpers */

/* Each command's usage line, for its errors and for `chanfuzz COMMAND
 * --help` (main.c). */
extern const char cli_usage_list[], cli_usage_run[], cli_usage_replay[], cli_usage_convert[],
    cli_usage_minimize[], cli_usage_corpus[];

/* ---- 2. Errors ------------------------------------------------------------ */

/* Prints "chanfuzz COMMAND: <message>" as one line on stderr and returns
 * CHANFUZZ_EXIT_USAGE, so a command can `return cli_fail(...)`. */
int cli_fail(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- 3. Options ----------------------------------------------------------- */

/* The value of flag argv[*i]: argv[*i + 1], advancing *i; NULL (after
 * printing the error) when the flag is the last argument. */
const char *cli_flag_value(const char *command, int argc, char **argv, int *i);

/* A non-negative decimal integer; false (after printing) otherwise. */
bool cli_parse_u64(const char *command, const char *flag, const char *text, uint64_t *out);
/* Seconds, decimal, > 0. */
bool cli_parse_seconds(const char *command, const char *flag, const char *text, double *out);
/* --steps N, --settle N (budgets.c): applied to every target config. */
bool cli_is_budget_flag(const char *arg);
bool cli_parse_budget_flag(const char *command, const char *flag, const char *value);
/* " --steps N --settle M" for those given, "" for none: for found-by lines. */
void cli_budget_flags(char *out, size_t size);
/* --exec-timeout: seconds >= 0, 0 turning the watchdog off. */
bool cli_parse_exec_timeout(const char *command, const char *text, double *out);
/* "1.22" or "1.23". */
bool cli_parse_semantics(const char *command, const char *text, go_semantics *out);

/* The arguments of the commands that take one reproducer (replay,
 * convert, minimize): FILE and the flags `accepted` lists (a
 * NULL-terminated subset of --scenario, -o/--output, --go-semantics,
 * --trace-json, --sarif, --html, --json). */
typedef struct cli_file_args {
    const char *path;
    const char *scenario;        /* --scenario, or NULL */
    const char *output;          /* -o / --output, or NULL */
    const char *trace_json;      /* --trace-json, or NULL */
    const char *sarif;           /* --sarif, or NULL */
    const char *html;            /* --html, or NULL */
    bool json;                   /* --json */
    go_semantics semantics;      /* --go-semantics, default 1.23 */
    bool semantics_given;
} cli_file_args;

/* Parses argv[1..] into *args; a usage error (printed, with usage_line)
 * returns CHANFUZZ_EXIT_USAGE, else CHANFUZZ_EXIT_CLEAN. FILE is required. */
int cli_parse_file_args(const char *command, int argc, char **argv,
                        const char *const *accepted, const char *usage_line,
                        cli_file_args *args);

/* Refuses, before any work, an output of args that is empty, names the
 * input FILE, names another output, or cannot be written
 * (chanfuzz/output_path.h): CHANFUZZ_EXIT_USAGE after one line. */
int cli_check_outputs(const char *command, const cli_file_args *args);
/* The same for one file output of `flag` (input may be NULL) and for a
 * folder (made when missing). */
int cli_check_output_file(const char *command, const char *flag, const char *path,
                          const char *input);
int cli_check_output_dir(const char *command, const char *flag, const char *dir);

/* Is argv[i] a second use of one of the value `flags` (NULL-terminated)?
 * given[k] keeps the value flag k had (all NULL at first, one per flag);
 * `repeatable` may be given again and again (NULL: none may). True after
 * printing "FLAG given twice ('A', then 'B')". */
bool cli_repeated_flag(const char *command, int argc, char **argv, int i,
                       const char *const *flags, const char **given, const char *repeatable);

/* Is `arg` one of the NULL-terminated `flags`? */
bool cli_flag_in(const char *arg, const char *const *flags);

/* Is `arg` a flag (starts with '-', and is not "-" alone)? */
bool cli_is_flag(const char *arg);

/* ---- 4. Inputs -------------------------------------------------------------- */

/* The largest reproducer read: a trace of a whole step budget of
 * decisions (10^6, ~20 bytes a line) is ~20 MiB; 100 MB of garbage took
 * 585 MB and 5 s before its parse error. */
#define CLI_INPUT_MAX (64u << 20)

/* The whole file, malloc'ed and NUL-terminated (caller frees); false with
 * errno set (EFBIG: over CLI_INPUT_MAX). */
bool cli_read_file(const char *path, uint8_t **data, size_t *size);

/* A reproducer read from disk: a trace file (first line starts with the
 * magic "chanfuzz-trace") or anything else, a raw fuzz input. */
typedef struct cli_input {
    const char *path;
    bool is_trace;
    chanfuzz_trace_file trace;   /* is_trace */
    uint8_t *bytes;              /* !is_trace: the raw input, size bytes */
    size_t size;
    chanfuzz_target target;      /* what it runs */
    go_semantics semantics;      /* the trace's; for raw inputs the flag's */
    /* How the target was found: "trace file", "--scenario", "path". */
    const char *target_from;
} cli_input;

/* Loads `path`. The target comes from the trace file's scenario line,
 * else from `scenario` (a --scenario value, may be NULL), else from the
 * path (cli_target_from_path); a trace's own scenario must agree with
 * --scenario when both are given. `semantics` applies to raw inputs;
 * `semantics_given` says the flag was on the command line, and then a
 * trace recorded under the other semantics is an error. On failure prints
 * one line ("FILE:LINE:COL: why") and returns false. */
bool cli_input_load(const char *command, const char *path, const char *scenario,
                    go_semantics semantics, bool semantics_given, cli_input *in);
void cli_input_free(cli_input *in);

/* The target a raw input's path names:
 *   .../<scenario>/<variant>/FILE        (corpus/regressions/..., run's --out)
 *   .../<scenario>_<variant>/FILE        (a libFuzzer target's corpus dir;
 *                                        a "fuzz_" or "fuzz-" prefix is skipped)
 * False when neither fits a registered scenario. */
bool cli_target_from_path(const char *path, chanfuzz_target *target);

/* Runs the input once: a trace replays its decisions (past their end
 * answers 0; a different decision stops it as GO_END_STOPPED), a raw
 * input is read by chanfuzz_fuzz_bytes. `hook` may be NULL. */
go_exec *cli_input_run(const cli_input *in, bool record_trace, go_event_hook *hook,
                       void *hook_self);

/* "scenario/variant" into out (the trace-file form). */
void cli_target_name(const chanfuzz_target *target, char *out, size_t size);

/* ---- 5. Reproducers --------------------------------------------------------- */

/* Creates dir and its parents (mkdir -p); false with errno set. */
bool cli_make_dirs(const char *dir);

/* Writes exec's decisions as a trace file for `target` at `path`, with
 * `comment` in '#' lines (may be NULL), replacing what was there in one
 * step (chanfuzz/atomic_file.h). False (after printing) on error. */
bool cli_write_trace(const char *command, const char *path, const go_exec *exec,
                     const chanfuzz_target *target, const char *comment);
/* The same from a decision log (a crash's: the execution is gone). */
bool cli_write_decisions(const char *command, const char *path, const go_decision *decisions,
                         size_t count, go_semantics semantics, const chanfuzz_target *target,
                         const char *comment);

/* The same for a new finding: at STEM.trace, or, when that holds another
 * schedule (another run's reproducer of the same crash state), beside it
 * at STEM-<hash of the text>.trace; never over another file. The path
 * written goes to out_path. FAILED after printing the error. */
chanfuzz_create_outcome cli_create_trace(const char *command, const char *stem,
                                         const go_decision *decisions, size_t count,
                                         go_semantics semantics, const chanfuzz_target *target,
                                         const char *comment, char *out_path, size_t out_size);

/* ---- 6. Odds and ends ------------------------------------------------------- */

/* Monotonic wall-clock seconds: progress lines and --time only. */
double cli_now(void);

/* A hash of the decisions' (kind, options, answer): one interleaving. */
uint64_t cli_decisions_hash(const go_decision *log, size_t count);

/* PREEMPT decisions answered 1. */
size_t cli_preemptions(const go_decision *log, size_t count);

/* The kinds of a set as a malloc'ed "leak,lost_cancel" ("" for none). */
char *cli_kind_list(chanfuzz_kind_set set);

/* A kind set as a cJSON array of ids (cJSON *; void * keeps cJSON.h out). */
void *cli_kind_array(chanfuzz_kind_set set);

/* The kinds present in findings. */
chanfuzz_kind_set cli_kinds_of(const chanfuzz_findings *findings);

/* "chanfuzz replay", or "chanfuzz go replay" for a scenario translated
 * from Go (its runner is rebuilt from the package first). */
const char *cli_replay_command(const chanfuzz_scenario *scenario);

/* --html (report.c): adds a finding line of the JSON report to `page`
 * (a chanfuzz_html *; void * keeps the header out), with the timeline of
 * its reproducer's replay when that replays to the same crash state
 * (else a note says why not). False when the line is not a finding
 * object or memory ran out. */
bool cli_html_add_finding(void *page, const char *finding_json, const char *first_seen);
/* Adds every finding of reproducer `path` (scenario "NAME:VARIANT" for a
 * raw input, else NULL) as replaying it judges them, each with its
 * timeline; the file's time is "first seen", its found-by comment says
 * how many executions found it. False when memory ran out. */
bool cli_html_add_reproducer(void *page, const char *path, const char *scenario);
/* Writes `page` to path; false after printing "chanfuzz COMMAND: ...". */
bool cli_html_write(const char *command, void *page, const char *path);

/* chanfuzz go ...: execs chanfuzz-go (go.c). */
int cli_go(int argc, char **argv);

#endif
