/* corpus.c -- `chanfuzz corpus check DIR`: replay every file under DIR
 * against what it must do.
 *
 * What a file must do, first rule that applies:
 *   FILE.expect exists     it lists (one line, comma-separated kind ids;
 *                          empty: clean) exactly the kinds the replay must
 *                          produce
 *   .../regressions/...    its variant's verdict: a buggy variant's file
 *                          must produce at least one kind the variant
 *                          expects and nothing it neither expects nor
 *                          allows; a fixed variant's, nothing it does not
 *                          allow (clean)
 *   .../fuzz_ops/...       a fuzz_ops input: chanfuzz_ops_check_input must
 *                          find the runtime and detectors consistent
 *   FILE.ops               a fuzz_ops program's text form: the same check
 *                          on the plain schedule
 *   anything else          a seed: it must load and run (any verdict)
 * Which scenario a file runs: a trace file's own scenario line, else the
 * path (cli_target_from_path). A trace that diverges is DIVERGED, never a
 * pass. Skipped: README*, *.md, *.expect, *.dict, *.options, dot files,
 * and scenarios not meant for the semantics in force.
 *
 * Exit status: 2 when DIR cannot be read or any file is malformed
 * (ERROR), else 1 when any file FAILed or DIVERGED, else 0. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <chanfuzz/tracefile.h>

#include "cli.h"
#include <chanfuzz/isolate.h>

#ifdef CHANFUZZ_CLI_HAS_OPS
#include <chanfuzz/ops.h>
#endif

typedef struct paths {
    char **items;
    size_t count, capacity;
} paths;

static bool ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && !strcmp(text + n - m, suffix);
}

static bool ignored_name(const char *name) {
    return name[0] == '.' || !strncmp(name, "README", 6) || ends_with(name, ".md") ||
           ends_with(name, ".expect") || ends_with(name, ".dict") || ends_with(name, ".options");
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the regular files under dir; false (after printing) when a
 * directory cannot be read. */
static bool walk(const char *dir, paths *out) {
    DIR *d = opendir(dir);
    if (!d) {
        cli_fail("corpus", "%s: cannot read: %s", dir, strerror(errno));
        return false;
    }
    bool ok = true;
    struct dirent *entry;
    while (ok && (entry = readdir(d))) {
        if (ignored_name(entry->d_name)) continue;
        size_t length = strlen(dir) + strlen(entry->d_name) + 2;
        char *path = malloc(length);
        if (!path) abort();
        snprintf(path, length, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", entry->d_name);
        struct stat st;
        if (stat(path, &st) != 0) {
            cli_fail("corpus", "%s: cannot read: %s", path, strerror(errno));
            free(path);
            ok = false;
        } else if (S_ISDIR(st.st_mode)) {
            ok = walk(path, out);
            free(path);
        } else if (!S_ISREG(st.st_mode)) {
            /* A FIFO would block the check forever, a device read
             * without end: neither is a reproducer. */
            fprintf(stderr, "chanfuzz corpus: %s: skipped: not a regular file\n", path);
            free(path);
        } else {
            if (out->count == out->capacity) {
                out->capacity = out->capacity ? 2 * out->capacity : 64;
                if (!(out->items = realloc(out->items, out->capacity * sizeof *out->items)))
                    abort();
            }
            out->items[out->count++] = path;
        }
    }
    closedir(d);
    return ok;
}

static bool has_component(const char *path, const char *name) {
    size_t n = strlen(name);
    for (const char *at = path; (at = strstr(at, name)); at += n)
        if ((at == path || at[-1] == '/') && at[n] == '/') return true;
    return false;
}

typedef enum outcome { PASS, FAIL, DIVERGED, ERROR, SKIP, OUTCOME_COUNT } outcome;
static const char *const outcome_names[] = {"PASS", "FAIL", "DIVERGED", "ERROR", "SKIP"};

/* Reads FILE.expect when there is one: *set gets its kinds. */
static outcome read_sidecar(const char *path, bool *present, chanfuzz_kind_set *set) {
    char sidecar[4200];
    snprintf(sidecar, sizeof sidecar, "%s.expect", path);
    *present = false;
    uint8_t *data;
    size_t size;
    if (!cli_read_file(sidecar, &data, &size)) {
        if (errno == ENOENT) return PASS;
        cli_fail("corpus", "%s: cannot read: %s", sidecar, strerror(errno));
        return ERROR;
    }
    char line[1024];
    size_t n = 0;
    while (n < size && n < sizeof line - 1 && data[n] != '\n' && data[n] != '\r') {
        line[n] = data[n] == ' ' ? ',' : (char)data[n];
        n++;
    }
    line[n] = '\0';
    free(data);
    /* "leak, lost_cancel": spaces became commas; fold the empty items. */
    char clean[1024];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (line[i] != ',' || (k && clean[k - 1] != ',')) clean[k++] = line[i];
    while (k && clean[k - 1] == ',') k--;
    clean[k] = '\0';
    if (!chanfuzz_kind_set_parse(clean, set)) {
        cli_fail("corpus", "%s:1:1: '%s' is not a comma-separated list of kind ids", sidecar,
                 clean);
        return ERROR;
    }
    *present = true;
    return PASS;
}

/* A fuzz_ops input: raw bytes (under fuzz_ops/), or a program's text form
 * (FILE.ops, anywhere), run on the plain schedule. */
static outcome check_ops(const char *path, char *why, size_t why_size) {
#ifdef CHANFUZZ_CLI_HAS_OPS
    uint8_t *data;
    size_t size;
    if (!cli_read_file(path, &data, &size)) {
        cli_fail("corpus", "%s: cannot read: %s", path, strerror(errno));
        return ERROR;
    }
    chanfuzz_ops_check_result result;
    if (ends_with(path, ".ops")) {
        chanfuzz_program program;
        char error[512];
        chanfuzz_ops_program_init(&program);
        if (!chanfuzz_ops_parse((const char *)data, size, path, &program, error, sizeof error)) {
            free(data);
            cli_fail("corpus", "%s", error);
            snprintf(why, why_size, "cannot parse (see the line above)");
            return ERROR;
        }
        chanfuzz_ops_check(&program, go_decider_first(), &result);
    } else {
        chanfuzz_ops_check_input(data, size, NULL, &result);
    }
    free(data);
    char *kinds = cli_kind_list(result.kinds);
    snprintf(why, why_size, "fuzz_ops: %s%s%s", result.consistent ? "consistent" : result.problem,
             kinds[0] ? ", found " : "", kinds);
    free(kinds);
    return result.consistent ? PASS : FAIL;
#else
    snprintf(why, why_size, "fuzz_ops input, and this chanfuzz was built without fuzz_ops");
    return SKIP;
#endif
}

/* The verdict on findings f of the file at path (its target loaded in in;
 * sidecar and listed from its .expect). */
static outcome verdict(const char *path, const cli_input *in, const chanfuzz_findings *f,
                       bool sidecar, chanfuzz_kind_set listed, char *why, size_t why_size) {
    outcome result = PASS;
    char name[300];
    cli_target_name(&in->target, name, sizeof name);
    chanfuzz_kind_set got = cli_kinds_of(f);
    const chanfuzz_variant *v = chanfuzz_scenario_variant(in->target.scenario, in->target.variant);
    char *got_text = cli_kind_list(got), *want_text = NULL;
    if (sidecar) {
        want_text = cli_kind_list(listed);
        if (got != listed) result = FAIL;
        snprintf(why, why_size, "%s: %s %s, got %s", name, result == PASS ? "produced" : "expected",
                 want_text[0] ? want_text : "clean", got_text[0] ? got_text : "clean");
        if (result == PASS) snprintf(why, why_size, "%s: %s as its .expect says", name,
                                     got_text[0] ? got_text : "clean");
    } else if (has_component(path, "regressions")) {
        chanfuzz_kind_set may = v->expect | v->allow;
        bool ok = in->target.variant == CHANFUZZ_BUGGY ? (got & v->expect) && !(got & ~may)
                                                       : !(got & ~v->allow);
        want_text = cli_kind_list(v->expect);
        result = ok ? PASS : FAIL;
        if (ok)
            snprintf(why, why_size, "%s: %s", name, got_text[0] ? got_text : "clean");
        else
            snprintf(why, why_size, "%s: expected %s, got %s", name,
                     want_text[0] ? want_text : "clean", got_text[0] ? got_text : "clean");
    } else {
        snprintf(why, why_size, "%s: seed ran (%s)", name, got_text[0] ? got_text : "clean");
    }
    free(got_text);
    free(want_text);
    return result;
}

/* Loads path; SKIP or ERROR (with why) when it is not to run here. */
/* A Go test's trace whose test this binary does not have: the C
 * catalogue's check walks corpus/, where the GoKer kernels' regressions
 * live too (corpus/regressions/goker/); `chanfuzz go corpus check`
 * replays them through the runner that has their tests. */
static bool foreign_go_trace(const char *path) {
    if (!ends_with(path, ".trace")) return false;
    chanfuzz_trace_file trace = {0};
    chanfuzz_trace_error error;
    if (!chanfuzz_trace_file_load(path, &trace, &error)) return false;  /* load says why */
    const char *slash = strchr(trace.scenario, '/');
    size_t length = slash ? (size_t)(slash - trace.scenario) : strlen(trace.scenario);
    bool foreign = chanfuzz_program_is_go(trace.program) &&
                   !chanfuzz_scenario_find(trace.scenario, length);
    chanfuzz_trace_file_free(&trace);
    return foreign;
}

static outcome load(const char *path, go_semantics semantics, bool semantics_given,
                    cli_input *in, char *why, size_t why_size) {
    if (foreign_go_trace(path)) {
        snprintf(why, why_size, "a Go trace of a test this chanfuzz does not have "
                                "(chanfuzz go corpus check replays it)");
        return SKIP;
    }
    if (!cli_input_load("corpus", path, NULL, semantics, semantics_given, in)) {
        snprintf(why, why_size, "cannot load (see the line above)");
        return ERROR;
    }
    if (!chanfuzz_scenario_runs_under(in->target.scenario, in->semantics)) {
        char name[300];
        cli_target_name(&in->target, name, sizeof name);
        snprintf(why, why_size, "%s is not meant for Go %s semantics", name,
                 go_semantics_name(in->semantics));
        cli_input_free(in);
        return SKIP;
    }
    return PASS;
}

static outcome check_file(const char *path, go_semantics semantics, bool semantics_given,
                          char *why, size_t why_size) {
    bool sidecar;
    chanfuzz_kind_set listed = 0;
    if (read_sidecar(path, &sidecar, &listed) == ERROR) return ERROR;
    if (!sidecar && (has_component(path, "fuzz_ops") || ends_with(path, ".ops")))
        return check_ops(path, why, why_size);
    cli_input in;
    outcome loaded = load(path, semantics, semantics_given, &in, why, why_size);
    if (loaded != PASS) return loaded;
    go_exec *e = cli_input_run(&in, false, NULL, NULL);
    outcome result;
    if (go_exec_end(e) == GO_END_STOPPED) {
        char name[300];
        cli_target_name(&in.target, name, sizeof name);
        snprintf(why, why_size, "%s: %s", name, go_exec_message(e));
        result = DIVERGED;
    } else {
        chanfuzz_findings *f = chanfuzz_target_judge(&in.target, e, NULL);
        if (!f) abort();
        result = verdict(path, &in, f, sidecar, listed, why, why_size);
        chanfuzz_findings_free(f);
    }
    go_exec_free(e);
    cli_input_free(&in);
    return result;
}

/* The file a child died on: its crash (or hang) is its finding. */
static outcome check_death(const char *path, const chanfuzz_crash *crash, go_semantics semantics,
                           bool semantics_given, char *why, size_t why_size) {
    bool sidecar;
    chanfuzz_kind_set listed = 0;
    cli_input in;
    if (read_sidecar(path, &sidecar, &listed) == ERROR ||
        load(path, semantics, semantics_given, &in, why, why_size) != PASS) {
        snprintf(why, why_size, "%s", crash->message);
        return FAIL;
    }
    chanfuzz_findings *f = chanfuzz_crash_findings(crash);
    outcome result = verdict(path, &in, f, sidecar, listed, why, why_size);
    size_t length = strlen(why);
    snprintf(why + length, why_size - length, " (%s)", f->items[0].crash_state);
    chanfuzz_findings_free(f);
    cli_input_free(&in);
    return result;
}

/* The files left to check, shared with the child checking them. */
typedef struct corpus_walk {
    char **files;
    size_t count, next;
    go_semantics semantics;
    bool semantics_given, quiet;
    size_t tally[OUTCOME_COUNT];
} corpus_walk;

static void print_outcome(corpus_walk *w, outcome o, const char *why) {
    w->tally[o]++;
    if (!w->quiet || (o != PASS && o != SKIP))
        printf("%-8s %s: %s\n", outcome_names[o], w->files[w->next], why);
    fflush(stdout);
    w->next++;
}

/* Runs in a child (isolate.h): from w->next on, until done or dead. */
static int check_files(void *self) {
    corpus_walk *w = self;
    while (w->next < w->count) {
        char why[1024] = "";
        outcome o = check_file(w->files[w->next], w->semantics, w->semantics_given, why,
                               sizeof why);
        print_outcome(w, o, why);
    }
    return 0;
}

const char cli_usage_corpus[] =
    "usage: chanfuzz corpus check DIR... [--go-semantics 1.22|1.23] [--quiet] "
    "[--exec-timeout S] [--no-isolate]";

int cli_corpus(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "check"))
        return cli_fail("corpus", "%s (%s)", argc < 2 ? "which subcommand?" : "unknown subcommand",
                        cli_usage_corpus);
    go_semantics semantics = GO_SEMANTICS_1_23;
    bool semantics_given = false, quiet = false;
    paths files = {0};
    size_t roots = 0;
    bool walked = true;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i], *value;
        if (!cli_is_flag(arg)) {
            struct stat st;
            roots++;
            if (stat(arg, &st) != 0) {
                walked = !cli_fail("corpus", "%s: cannot read: %s", arg, strerror(errno));
            } else if (S_ISDIR(st.st_mode)) {
                walked = walk(arg, &files) && walked;
            } else {
                if (files.count == files.capacity) {
                    files.capacity = files.capacity ? 2 * files.capacity : 64;
                    if (!(files.items = realloc(files.items, files.capacity * sizeof(char *))))
                        abort();
                }
                files.items[files.count++] = strdup(arg);
            }
        } else if (!strcmp(arg, "--quiet")) {
            quiet = true;
        } else if (!strcmp(arg, "--no-isolate")) {
            chanfuzz_isolate_configure(false, 0);
        } else if (!strcmp(arg, "--exec-timeout") &&
                   (value = cli_flag_value("corpus", argc, argv, &i))) {
            double timeout;
            if (!cli_parse_exec_timeout("corpus", value, &timeout)) walked = false;
            else chanfuzz_isolate_configure(chanfuzz_isolate_enabled(), timeout);
        } else if (!strcmp(arg, "--go-semantics") &&
                   (value = cli_flag_value("corpus", argc, argv, &i))) {
            if (!cli_parse_semantics("corpus", value, &semantics)) walked = false;
            semantics_given = true;
        } else {
            if (strcmp(arg, "--go-semantics") && strcmp(arg, "--exec-timeout")) cli_fail("corpus", "unknown flag '%s' (%s)", arg,
                                                        cli_usage_corpus);
            walked = false;
        }
    }
    if (walked && !roots) walked = !cli_fail("corpus", "which directory? (%s)", cli_usage_corpus);
    if (!walked) {
        for (size_t i = 0; i < files.count; i++) free(files.items[i]);
        free(files.items);
        return CHANFUZZ_EXIT_USAGE;
    }
    qsort(files.items, files.count, sizeof *files.items, by_string);
    corpus_walk *w = chanfuzz_shared_calloc(1, sizeof *w);
    *w = (corpus_walk){.files = files.items, .count = files.count, .semantics = semantics,
                       .semantics_given = semantics_given, .quiet = quiet};
    chanfuzz_crash crash;
    while (chanfuzz_isolate_run(check_files, w, &crash) == CHANFUZZ_ISOLATE_DIED) {
        char why[1024] = "";
        outcome o = check_death(w->files[w->next], &crash, semantics, semantics_given, why,
                                sizeof why);
        print_outcome(w, o, why);
        chanfuzz_crash_free(&crash);
    }
    size_t *tally = w->tally;
    for (size_t i = 0; i < files.count; i++) free(files.items[i]);
    free(files.items);
    printf("corpus check: %zu file%s: %zu passed, %zu failed, %zu diverged, %zu error%s, "
           "%zu skipped\n",
           files.count, files.count == 1 ? "" : "s", tally[PASS], tally[FAIL], tally[DIVERGED],
           tally[ERROR], tally[ERROR] == 1 ? "" : "s", tally[SKIP]);
    if (tally[ERROR]) return CHANFUZZ_EXIT_USAGE;
    return tally[FAIL] || tally[DIVERGED] ? CHANFUZZ_EXIT_FINDINGS : CHANFUZZ_EXIT_CLEAN;
}
