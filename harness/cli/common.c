/* common.c -- errors, option values, inputs and reproducers shared by the
 * subcommands (cli.h). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/sources.h>

#include "cli.h"
#include <chanfuzz/isolate.h>

/* ---- Errors and options ---------------------------------------------------- */

int cli_fail(const char *command, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "chanfuzz%s%s: ", command ? " " : "", command ? command : "");
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    return CHANFUZZ_EXIT_USAGE;
}

const char *cli_flag_value(const char *command, int argc, char **argv, int *i) {
    if (*i + 1 >= argc) {
        cli_fail(command, "%s needs a value", argv[*i]);
        return NULL;
    }
    return argv[++*i];
}

bool cli_parse_u64(const char *command, const char *flag, const char *text, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || text[0] == '+' || text[0] == ' ') {
        cli_fail(command, "%s: '%s' is not a non-negative integer", flag, text);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_seconds(const char *command, const char *flag, const char *text, double *out) {
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !(v > 0) || v > 1e9) {
        cli_fail(command, "%s: '%s' is not a number of seconds above 0", flag, text);
        return false;
    }
    *out = v;
    return true;
}

bool cli_parse_semantics(const char *command, const char *text, go_semantics *out) {
    for (int s = GO_SEMANTICS_1_23; s <= GO_SEMANTICS_1_22; s++)
        if (!strcmp(text, go_semantics_name((go_semantics)s))) {
            *out = (go_semantics)s;
            return true;
        }
    cli_fail(command, "--go-semantics: '%s' is not 1.22 or 1.23", text);
    return false;
}

bool cli_flag_in(const char *arg, const char *const *flags) {
    for (; *flags; flags++)
        if (!strcmp(arg, *flags)) return true;
    return false;
}

bool cli_is_flag(const char *arg) { return arg[0] == '-' && arg[1] != '\0'; }

int cli_parse_file_args(const char *command, int argc, char **argv,
                        const char *const *accepted, const char *usage_line,
                        cli_file_args *args) {
    *args = (cli_file_args){.semantics = GO_SEMANTICS_1_23};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value;
        if (!cli_is_flag(arg)) {
            if (args->path)
                return cli_fail(command, "one file only, got '%s' after '%s'", arg, args->path);
            args->path = arg;
        } else if (!cli_flag_in(arg, accepted)) {
            return cli_fail(command, "unknown flag '%s' (%s)", arg, usage_line);
        } else if (!strcmp(arg, "--json")) {
            args->json = true;
        } else if (!strcmp(arg, "--no-isolate")) {
            chanfuzz_isolate_configure(false, 0);
        } else if (!(value = cli_flag_value(command, argc, argv, &i))) {
            return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--scenario")) {
            args->scenario = value;
        } else if (!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
            args->output = value;
        } else if (!strcmp(arg, "--trace-json")) {
            args->trace_json = value;
        } else if (!strcmp(arg, "--sarif")) {
            args->sarif = value;
        } else if (!strcmp(arg, "--html")) {
            args->html = value;
        } else if (!strcmp(arg, "--go-semantics")) {
            if (!cli_parse_semantics(command, value, &args->semantics)) return CHANFUZZ_EXIT_USAGE;
            args->semantics_given = true;
        } else if (cli_is_budget_flag(arg)) {
            if (!cli_parse_budget_flag(command, arg, value)) return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--exec-timeout")) {
            double timeout;
            if (!cli_parse_exec_timeout(command, value, &timeout)) return CHANFUZZ_EXIT_USAGE;
            chanfuzz_isolate_configure(chanfuzz_isolate_enabled(), timeout);
        }
    }
    if (!args->path) return cli_fail(command, "which file? (%s)", usage_line);
    return cli_check_outputs(command, args);
}

/* ---- Inputs ------------------------------------------------------------------- */

void cli_target_name(const chanfuzz_target *target, char *out, size_t size) {
    if (!chanfuzz_target_format(target, out, size) && size) out[0] = '\0';
}

/* Reads the whole file; false with errno set. A NUL byte follows the
 * data (not counted in *size): the trace parser takes a length, but its
 * strndup calls read up to a NUL under ASan's strict_string_checks. */
bool cli_read_file(const char *path, uint8_t **data, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    /* Refused before reading when its size says so; read no further than
     * the cap when it does not tell (a pipe). */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size > CLI_INPUT_MAX) {
        fclose(f);
        errno = EFBIG;
        return false;
    }
    size_t capacity = 4096, length = 0;
    uint8_t *buffer = malloc(capacity);
    while (buffer) {
        length += fread(buffer + length, 1, capacity - 1 - length, f);
        if (length > CLI_INPUT_MAX) {
            free(buffer);
            fclose(f);
            errno = EFBIG;
            return false;
        }
        if (length < capacity - 1) break;
        uint8_t *grown = realloc(buffer, capacity *= 2);
        if (!grown) free(buffer);
        buffer = grown;
    }
    int saved = ferror(f) ? EIO : ENOMEM;
    bool ok = buffer && !ferror(f);
    fclose(f);
    if (!ok) {
        free(buffer);
        errno = saved;
        return false;
    }
    buffer[length] = 0;
    *data = buffer;
    *size = length;
    return true;
}

static bool ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && !strcmp(text + n - m, suffix);
}

/* Copies path component `index` from the end (0: the file name) into out. */
static bool component_from_end(const char *path, int index, char *out, size_t size) {
    const char *end = path + strlen(path);
    for (int k = 0; k <= index; k++) {
        while (end > path && end[-1] == '/') end--; /* "a//b", "dir/" */
        const char *start = end;
        while (start > path && start[-1] != '/') start--;
        if (start == end) return false;
        if (k == index) {
            size_t length = (size_t)(end - start);
            if (length >= size) return false;
            memcpy(out, start, length);
            out[length] = '\0';
            return true;
        }
        end = start;
    }
    return false;
}

bool cli_target_from_path(const char *path, chanfuzz_target *target) {
    char dir[256], parent[256], spec[600];
    if (!component_from_end(path, 1, dir, sizeof dir)) return false;
    /* .../<scenario>/<variant>/FILE */
    if (component_from_end(path, 2, parent, sizeof parent)) {
        snprintf(spec, sizeof spec, "%s:%s", parent, dir);
        if (chanfuzz_target_parse(spec, target)) return true;
    }
    /* .../[fuzz_]<scenario>_<variant>/FILE */
    const char *name = dir;
    if (!strncmp(name, "fuzz_", 5) || !strncmp(name, "fuzz-", 5)) name += 5;
    for (int attempt = 0; attempt < 2; attempt++) {
        const char *n = attempt ? dir : name;
        const char *split = strrchr(n, '_');
        if (!split) continue;
        snprintf(spec, sizeof spec, "%.*s:%s", (int)(split - n), n, split + 1);
        if (chanfuzz_target_parse(spec, target)) return true;
    }
    return false;
}

/* Where the scenario header line of a trace file's text is, for errors
 * about the name it gives: "FILE:LINE:COLUMN". */
static void scenario_position(const char *path, const uint8_t *text, size_t size, char *out,
                              size_t out_size) {
    size_t line = 1;
    for (size_t at = 0; at < size; line++) {
        const uint8_t *nl = memchr(text + at, '\n', size - at);
        size_t end = nl ? (size_t)(nl - text) : size;
        size_t k = at;
        while (k < end && (text[k] == ' ' || text[k] == '\t')) k++;
        if (end - k > 9 && !memcmp(text + k, "scenario", 8) &&
            (text[k + 8] == ' ' || text[k + 8] == '\t')) {
            size_t column = k + 9;
            while (column < end && (text[column] == ' ' || text[column] == '\t')) column++;
            snprintf(out, out_size, "%s:%zu:%zu", path, line, column - at + 1);
            return;
        }
        at = end + 1;
    }
    snprintf(out, out_size, "%s", path);
}

bool cli_input_load(const char *command, const char *path, const char *scenario,
                    go_semantics semantics, bool semantics_given, cli_input *in) {
    *in = (cli_input){.path = path, .semantics = semantics};
    uint8_t *data;
    size_t size;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_fail(command, "%s: is a directory, not a reproducer", path);
        return false;
    }
    if (!cli_read_file(path, &data, &size)) {
        if (errno == EFBIG)
            cli_fail(command, "%s: larger than any reproducer: over %u MiB (a trace of the "
                              "longest execution is a few MiB)", path, CLI_INPUT_MAX >> 20);
        else
            cli_fail(command, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    size_t magic = strlen(CHANFUZZ_TRACE_MAGIC);
    in->is_trace = ends_with(path, ".trace") ||
                   (size >= magic && !memcmp(data, CHANFUZZ_TRACE_MAGIC, magic));
    chanfuzz_target from_flag;
    bool flag_ok = scenario && chanfuzz_target_parse(scenario, &from_flag);
    if (scenario && !flag_ok) {
        free(data);
        cli_fail(command, "--scenario: '%s' names no scenario variant (want NAME:buggy or "
                          "NAME:fixed; chanfuzz list shows them)", scenario);
        return false;
    }
    if (in->is_trace) {
        chanfuzz_trace_error error;
        if (!chanfuzz_trace_file_parse(path, (const char *)data, size, &in->trace, &error)) {
            free(data);
            cli_fail(command, "%s", error.message);
            return false;
        }
        in->semantics = in->trace.semantics;
        if (semantics_given && semantics != in->trace.semantics) {
            free(data);
            cli_fail(command, "%s: recorded under Go %s semantics, not the --go-semantics %s "
                              "asked for (leave the flag out to replay it as recorded)",
                     path, go_semantics_name(in->trace.semantics), go_semantics_name(semantics));
            cli_input_free(in);
            return false;
        }
        if (in->trace.scenario[0]) {
            if (!chanfuzz_target_parse(in->trace.scenario, &in->target)) {
                char where[600];
                scenario_position(path, data, size, where, sizeof where);
                free(data);
                cli_fail(command, "%s: unknown scenario '%s' (chanfuzz list shows them)", where,
                         in->trace.scenario);
                cli_input_free(in);
                return false;
            }
            in->target_from = "trace file";
            const char *program = in->target.scenario->program;
            if (in->trace.program && !chanfuzz_program_same(program, in->trace.program)) {
                free(data);
                cli_fail(command, "%s: recorded from program '%s', but %s is now built from '%s': "
                                  "the code changed since; find the bug again for a new reproducer",
                         path, in->trace.program, in->trace.scenario, program ? program : "C");
                cli_input_free(in);
                return false;
            }
            if (flag_ok && (from_flag.scenario != in->target.scenario ||
                            from_flag.variant != in->target.variant)) {
                free(data);
                cli_fail(command, "%s: the trace is of %s, not of --scenario %s", path,
                         in->trace.scenario, scenario);
                cli_input_free(in);
                return false;
            }
        }
        free(data);
    } else {
        in->bytes = data;
        in->size = size;
    }
    if (!in->target_from) {
        if (flag_ok) {
            in->target = from_flag;
            in->target_from = "--scenario";
        } else if (cli_target_from_path(path, &in->target)) {
            in->target_from = "path";
        } else {
            cli_fail(command, "%s: which scenario? give --scenario NAME:buggy|fixed (or keep "
                              "the file under <scenario>/<variant>/ or <scenario>_<variant>/)",
                     path);
            cli_input_free(in);
            return false;
        }
    }
    /* Raw inputs carry no semantics: without the flag, a scenario meant
     * for one semantics only runs under that one (as its fuzz target does). */
    if (!in->is_trace && !semantics_given &&
        !chanfuzz_scenario_runs_under(in->target.scenario, in->semantics))
        in->semantics = in->semantics == GO_SEMANTICS_1_23 ? GO_SEMANTICS_1_22 : GO_SEMANTICS_1_23;
    return true;
}

void cli_input_free(cli_input *in) {
    chanfuzz_trace_file_free(&in->trace);
    free(in->bytes);
    in->bytes = NULL;
    in->size = 0;
}

go_exec *cli_input_run(const cli_input *in, bool record_trace, go_event_hook *hook,
                       void *hook_self) {
    chanfuzz_fuzz_bytes bytes;
    go_replay_source replay;
    go_config cfg = chanfuzz_target_config(&in->target, go_decider_first(), in->semantics);
    if (in->is_trace)
        chanfuzz_trace_file_replay_config(&in->trace, &replay, &cfg);
    else
        cfg.decider = chanfuzz_fuzz_bytes_decider(&bytes, in->bytes, in->size);
    cfg.record_trace = record_trace;
    cfg.event_hook = hook;
    cfg.event_hook_self = hook_self;
    return chanfuzz_target_run(&in->target, &cfg);
}

/* ---- Reproducers ----------------------------------------------------------------- */

bool cli_make_dirs(const char *dir) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return false;
    }
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) return false;
        *p = '/';
    }
    return mkdir(path, 0777) == 0 || errno == EEXIST;
}

/* The trace file's text for a decision log, malloc'ed in *text (size
 * bytes); false (after printing) when out of memory. */
static bool trace_text(const char *command, const char *path, const go_decision *decisions,
                       size_t count, go_semantics semantics, const chanfuzz_target *target,
                       const char *comment, char **text, size_t *size) {
    char name[300];
    cli_target_name(target, name, sizeof name);
    chanfuzz_trace_file trace = {.semantics = semantics, .count = count};
    FILE *out = NULL;
    trace.scenario = strdup(name);
    trace.decisions = malloc((count ? count : 1) * sizeof *decisions);
    bool ok = trace.scenario && trace.decisions &&
              (!target->scenario->program || (trace.program = strdup(target->scenario->program)));
    if (ok && count) memcpy(trace.decisions, decisions, count * sizeof *decisions);
    if (ok) ok = (out = open_memstream(text, size)) != NULL;
    if (ok) ok = chanfuzz_trace_file_write(out, &trace, comment);
    if (out && fclose(out) != 0) ok = false;
    if (!ok && out) free(*text);
    chanfuzz_trace_file_free(&trace);
    if (!ok) cli_fail(command, "%s: out of memory", path);
    return ok;
}

bool cli_write_trace(const char *command, const char *path, const go_exec *exec,
                     const chanfuzz_target *target, const char *comment) {
    size_t count;
    const go_decision *decisions = go_exec_decisions(exec, &count);
    return cli_write_decisions(command, path, decisions, count, go_exec_semantics(exec), target,
                               comment);
}

bool cli_write_decisions(const char *command, const char *path, const go_decision *decisions,
                         size_t count, go_semantics semantics, const chanfuzz_target *target,
                         const char *comment) {
    char *text;
    size_t size;
    if (!trace_text(command, path, decisions, count, semantics, target, comment, &text, &size))
        return false;
    bool ok = chanfuzz_atomic_write(path, text, size);
    if (!ok) cli_fail(command, "%s: cannot write: %s", path, strerror(errno));
    free(text);
    return ok;
}

chanfuzz_create_outcome cli_create_trace(const char *command, const char *stem,
                                         const go_decision *decisions, size_t count,
                                         go_semantics semantics, const chanfuzz_target *target,
                                         const char *comment, char *out_path, size_t out_size) {
    char *text;
    size_t size;
    if (!trace_text(command, stem, decisions, count, semantics, target, comment, &text, &size))
        return CHANFUZZ_CREATE_FAILED;
    chanfuzz_create_outcome outcome =
        chanfuzz_atomic_create(stem, ".trace", text, size, out_path, out_size);
    if (outcome == CHANFUZZ_CREATE_FAILED)
        cli_fail(command, "%s.trace: cannot write: %s", stem, strerror(errno));
    free(text);
    return outcome;
}

/* ---- Odds and ends ----------------------------------------------------------------- */

double cli_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t cli_decisions_hash(const go_decision *log, size_t count) {
    /* A word at a time, FNV's multiply, then a mix for the low bits the
     * interleaving table indexes by: a byte at a time (24 multiplies per
     * decision) was about 5% of a Go twin's run. */
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < count; i++) {
        h = (h ^ (uint64_t)log[i].kind) * 0x100000001b3u;
        h = (h ^ (uint64_t)log[i].options) * 0x100000001b3u;
        h = (h ^ (uint64_t)log[i].answer) * 0x100000001b3u;
    }
    return chanfuzz_mix64(h);
}

size_t cli_preemptions(const go_decision *log, size_t count) {
    size_t n = 0;
    for (size_t i = 0; i < count; i++) n += log[i].kind == GO_DECIDE_PREEMPT && log[i].answer;
    return n;
}

char *cli_kind_list(chanfuzz_kind_set set) {
    size_t size = 1;
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
        if (set & CHANFUZZ_KIND_BIT(k)) size += strlen(chanfuzz_kind_id((chanfuzz_kind)k)) + 1;
    char *out = malloc(size);
    if (!out) abort();
    out[0] = '\0';
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
        if (set & CHANFUZZ_KIND_BIT(k)) {
            if (out[0]) strcat(out, ",");
            strcat(out, chanfuzz_kind_id((chanfuzz_kind)k));
        }
    return out;
}

void *cli_kind_array(chanfuzz_kind_set set) {
    cJSON *array = cJSON_CreateArray();
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
        if (set & CHANFUZZ_KIND_BIT(k))
            cJSON_AddItemToArray(array, cJSON_CreateString(chanfuzz_kind_id((chanfuzz_kind)k)));
    return array;
}

chanfuzz_kind_set cli_kinds_of(const chanfuzz_findings *findings) {
    chanfuzz_kind_set set = 0;
    for (size_t i = 0; findings && i < findings->count; i++)
        set |= CHANFUZZ_KIND_BIT(findings->items[i].kind);
    return set;
}

bool cli_parse_exec_timeout(const char *command, const char *text, double *out) {
    char *end;
    errno = 0;
    double seconds = strtod(text, &end);
    if (errno || end == text || *end || !(seconds >= 0) || seconds > 1e6) {
        cli_fail(command, "--exec-timeout: '%s' is not a number of seconds (0: no watchdog)",
                 text);
        return false;
    }
    *out = seconds;
    return true;
}
