/* report.c -- `chanfuzz report [OUT_DIR|FINDINGS.json|REPRODUCER ...] -o
 * report.html`, and what `--html FILE` on run and replay uses: one
 * self-contained HTML page (chanfuzz/report_html.h) from the JSON report
 * and the replayed reproducers.
 *
 * Inputs, each:
 *   - a directory: every reproducer under it, recursively, in sorted
 *     order -- *.trace files (run's --out layout) and libFuzzer's crash-*
 *     and minimized-* files in fuzz_<scenario>_<variant>/ folders -- each
 *     replayed and judged, one finding per crash state;
 *   - a JSON Lines file (a name ending in .json or .jsonl, or a first
 *     character '{'): the output of run, replay or fuzz --json; finding
 *     lines are shown as they are (their reproducer replayed for the
 *     timeline), summary lines give the run's figures, fuzz's lines
 *     (no "format") are replayed from their reproducer;
 *   - anything else: one reproducer, as `chanfuzz replay` takes it.
 * Exit 0 when the page was written, 2 on a usage or input error. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chanfuzz/isolate.h>
#include <chanfuzz/report_html.h>
#include <chanfuzz/trace_json.h>

#include "cli.h"

static const char usage_line[] =
    "usage: chanfuzz report [OUT_DIR|FINDINGS.json|REPRODUCER ...] [-o report.html]";

/* ---- Replaying a reproducer ---------------------------------------------------- */

typedef struct replayed {
    cli_input in;
    go_exec *exec;
    chanfuzz_findings *findings;
    char *schedule;          /* trace-event document, one line */
} replayed;

static void replayed_free(replayed *r) {
    chanfuzz_findings_free(r->findings);
    if (r->exec) go_exec_free(r->exec);
    free(r->schedule);
    cli_input_free(&r->in);
}

/* Replays `path` (scenario "NAME:VARIANT" or NULL: from the file) with the
 * trace-event recorder attached. False, with a note, when it cannot be. */
static bool replay(const char *path, const char *scenario, go_semantics semantics, replayed *r,
                   char *note, size_t note_size) {
    memset(r, 0, sizeof *r);
    if (access(path, R_OK) != 0) {
        snprintf(note, note_size, "the reproducer %s cannot be read (%s)", path, strerror(errno));
        return false;
    }
    if (!cli_input_load("report", path, scenario, semantics, false, &r->in)) {
        snprintf(note, note_size, "the reproducer %s could not be loaded", path);
        return false;
    }
    chanfuzz_trace_json *schedule = chanfuzz_trace_json_new();
    r->exec = cli_input_run(&r->in, false, chanfuzz_trace_json_hook, schedule);
    char name[300];
    cli_target_name(&r->in.target, name, sizeof name);
    r->schedule = chanfuzz_trace_json_text(schedule, name);
    chanfuzz_trace_json_free(schedule);
    if (!r->schedule) abort();
    if (go_exec_end(r->exec) == GO_END_STOPPED) {
        snprintf(note, note_size, "replaying %s diverged: %s", path, go_exec_message(r->exec));
        return false;
    }
    r->findings = chanfuzz_target_judge(&r->in.target, r->exec, NULL);
    if (!r->findings) abort();
    return true;
}

static const chanfuzz_finding *with_state(const chanfuzz_findings *f, const char *state) {
    for (size_t i = 0; f && i < f->count; i++)
        if (!strcmp(f->items[i].crash_state, state)) return &f->items[i];
    return NULL;
}

/* A replay for the page runs in a child (chanfuzz/isolate.h): the finding
 * may be a crash or a hang, whose replay would end this process too. What
 * the page needs comes back in shared memory. */
typedef struct page_replay {
    const char *path, *scenario, *state;
    go_semantics semantics;
    char *schedule;          /* shared: the timeline, when it gave `state` */
    char note[1400];
} page_replay;

static int replay_for_page(void *self) {
    page_replay *p = self;
    replayed r;
    bool ran = replay(p->path, p->scenario, p->semantics, &r, p->note, sizeof p->note);
    if (ran && with_state(r.findings, p->state)) {
        size_t length = strlen(r.schedule) + 1;
        p->schedule = chanfuzz_shared_calloc(length, 1);
        memcpy(p->schedule, r.schedule, length);
    } else if (ran) {
        snprintf(p->note, sizeof p->note, "replaying %s did not give this crash state again",
                 p->path);
    }
    replayed_free(&r);
    return 0;
}

bool cli_html_add_finding(void *page, const char *finding_json, const char *first_seen) {
    cJSON *finding = cJSON_Parse(finding_json);
    if (!cJSON_IsObject(finding)) {
        cJSON_Delete(finding);
        return false;
    }
    const cJSON *reproducer = cJSON_GetObjectItemCaseSensitive(finding, "reproducer");
    const cJSON *scenario = cJSON_GetObjectItemCaseSensitive(finding, "scenario");
    const cJSON *variant = cJSON_GetObjectItemCaseSensitive(finding, "variant");
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(finding, "crash_state");
    const cJSON *semantics = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(finding, "execution"), "semantics");
    char note[1400] = "the finding names no reproducer";
    const char *schedule = NULL;
    if (cJSON_IsString(reproducer) && cJSON_IsString(scenario) && cJSON_IsString(variant) &&
        cJSON_IsString(state)) {
        char target[600];
        snprintf(target, sizeof target, "%s:%s", scenario->valuestring, variant->valuestring);
        page_replay *p = chanfuzz_shared_calloc(1, sizeof *p);
        *p = (page_replay){.path = reproducer->valuestring, .scenario = target,
                           .state = state->valuestring, .semantics = GO_SEMANTICS_1_23};
        if (cJSON_IsString(semantics))
            cli_parse_semantics("report", semantics->valuestring, &p->semantics);
        chanfuzz_crash crash;
        if (chanfuzz_isolate_run(replay_for_page, p, &crash) == CHANFUZZ_ISOLATE_DIED) {
            /* The finding's own crash or hang: no timeline, the rest of
             * the page stands. */
            if (crash.kind == CHANFUZZ_HANG)
                snprintf(note, sizeof note, "replaying %s hung past --exec-timeout: no timeline "
                                            "for it", p->path);
            else
                snprintf(note, sizeof note, "replaying %s crashed (%s): no timeline for it",
                         p->path, crash.error);
            chanfuzz_crash_free(&crash);
        } else {
            schedule = p->schedule;
            snprintf(note, sizeof note, "%s", p->note);
        }
    }
    bool ok = chanfuzz_html_add(page, finding_json, schedule, first_seen,
                                schedule ? NULL : note) == 0;
    cJSON_Delete(finding);
    return ok;
}

bool cli_html_write(const char *command, void *page, const char *path) {
    FILE *out = fopen(path, "w");
    if (!out) return !cli_fail(command, "%s: cannot write: %s", path, strerror(errno));
    bool ok = chanfuzz_html_write(page, out) == 0;
    if (fclose(out) != 0) ok = false;
    if (!ok) cli_fail(command, "%s: write failed", path);
    return ok;
}

/* ---- Reproducer files: directories and single files ----------------------------- */

/* Crash states shown so far (per scenario and variant), so a folder
 * holding several inputs of one bug shows it once. */
typedef struct seen {
    char **keys;
    size_t count;
} seen;

static bool seen_before(seen *s, const char *target, const char *state) {
    size_t length = strlen(target) + strlen(state) + 2;
    char *key = malloc(length);
    if (!key) abort();
    snprintf(key, length, "%s %s", target, state);
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->keys[i], key)) {
            free(key);
            return true;
        }
    s->keys = realloc(s->keys, (s->count + 1) * sizeof *s->keys);
    if (!s->keys) abort();
    s->keys[s->count++] = key;
    return false;
}

/* What a trace file's comments say run found it with: "found by ...
 * (execution N)". */
static void found_by_comment(const char *path, cJSON *finding) {
    uint8_t *data;
    size_t size;
    if (!cli_read_file(path, &data, &size)) return;
    const char *line = strstr((const char *)data, "# found by ");
    if (line) {
        line += strlen("# found by ");
        size_t length = strcspn(line, "\n");
        char *text = strndup(line, length);
        const char *execution = text ? strstr(text, "(execution ") : NULL;
        if (!execution && text) execution = strstr(text, "(schedule ");
        if (text) cJSON_AddStringToObject(finding, "found_by", text);
        if (execution) cJSON_AddNumberToObject(finding, "found_at_execution",
                                               strtod(strchr(execution, ' ') + 1, NULL));
        free(text);
    }
    free(data);
}

/* "2026-12-06 22:59 UTC, file time": when the reproducer was written. */
static void file_time(const char *path, char *out, size_t size) {
    struct stat st;
    struct tm when;
    out[0] = '\0';
    if (stat(path, &st) != 0 || !gmtime_r(&st.st_mtime, &when)) return;
    strftime(out, size, "%Y-%m-%d %H:%M UTC (file time)", &when);
}

static bool add_reproducer(chanfuzz_html *page, const char *path, const char *scenario,
                           seen *shown) {
    replayed r;
    char note[1400];
    if (!replay(path, scenario, GO_SEMANTICS_1_23, &r, note, sizeof note)) {
        fprintf(stderr, "chanfuzz report: %s: skipped: %s\n", path, note);
        replayed_free(&r);
        return true;
    }
    char target[300], replay_command[1400], first_seen[64];
    cli_target_name(&r.in.target, target, sizeof target);
    file_time(path, first_seen, sizeof first_seen);
    snprintf(replay_command, sizeof replay_command, "%s %s%s%s",
             cli_replay_command(r.in.target.scenario), path,
             r.in.is_trace ? "" : " --scenario ", r.in.is_trace ? "" : target);
    chanfuzz_report_info info = {
        .scenario = r.in.target.scenario->name,
        .variant = chanfuzz_variant_name(r.in.target.variant),
        .reproducer = path,
        .replay_command = replay_command,
    };
    bool ok = true;
    for (size_t i = 0; ok && i < r.findings->count; i++) {
        if (seen_before(shown, target, r.findings->items[i].crash_state)) continue;
        char *text = chanfuzz_finding_json(&info, r.findings, i);
        cJSON *finding = text ? cJSON_Parse(text) : NULL;
        if (!finding) abort();
        if (r.in.is_trace) found_by_comment(path, finding);
        char *line = cJSON_PrintUnformatted(finding);
        ok = line && chanfuzz_html_add(page, line, r.schedule, first_seen, NULL) == 0;
        free(line);
        cJSON_Delete(finding);
        free(text);
    }
    replayed_free(&r);
    return ok;
}

static void seen_free(seen *s) {
    for (size_t i = 0; i < s->count; i++) free(s->keys[i]);
    free(s->keys);
}

bool cli_html_add_reproducer(void *page, const char *path, const char *scenario) {
    seen shown = {0};
    bool ok = add_reproducer(page, path, scenario, &shown);
    seen_free(&shown);
    return ok;
}

static bool has_suffix(const char *name, const char *suffix) {
    size_t n = strlen(name), s = strlen(suffix);
    return n >= s && !strcmp(name + n - s, suffix);
}

/* A reproducer a directory walk takes: run's traces, libFuzzer's crashes. */
static bool is_reproducer(const char *folder, const char *name) {
    if (has_suffix(name, ".trace")) return true;
    const char *base = strrchr(folder, '/');
    base = base ? base + 1 : folder;
    bool fuzz_folder = !strncmp(base, "fuzz_", 5) || !strncmp(base, "fuzz-", 5);
    return fuzz_folder && (!strncmp(name, "crash-", 6) || !strncmp(name, "minimized-", 10));
}

static bool add_directory(chanfuzz_html *page, const char *folder, seen *shown) {
    struct dirent **names;
    int n = scandir(folder, &names, NULL, alphasort);
    if (n < 0) return !cli_fail("report", "%s: cannot read: %s", folder, strerror(errno));
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (ok && name[0] != '.') {
            size_t length = strlen(folder) + strlen(name) + 2;
            char *path = malloc(length);
            if (!path) abort();
            snprintf(path, length, "%s/%s", folder, name);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                ok = add_directory(page, path, shown);
            else if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && is_reproducer(folder, name))
                ok = add_reproducer(page, path, NULL, shown);
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

/* ---- JSON Lines ------------------------------------------------------------------ */

static bool is_json_lines(const char *path, const uint8_t *data) {
    if (has_suffix(path, ".json") || has_suffix(path, ".jsonl")) return true;
    while (*data == ' ' || *data == '\n' || *data == '\t' || *data == '\r') data++;
    return *data == '{';
}

/* "0.02s into the run", from run's found_at_seconds. */
static void seconds_into_run(const cJSON *finding, char *out, size_t size) {
    const cJSON *seconds = cJSON_GetObjectItemCaseSensitive(finding, "found_at_seconds");
    out[0] = '\0';
    if (cJSON_IsNumber(seconds))
        snprintf(out, size, "%.3gs into the run", seconds->valuedouble);
}

static bool add_json_line(chanfuzz_html *page, const char *path, size_t number, char *line,
                          seen *shown) {
    cJSON *object = cJSON_Parse(line);
    if (!cJSON_IsObject(object)) {
        cJSON_Delete(object);
        return !cli_fail("report", "%s:%zu:1: not a JSON object (a line of chanfuzz run, "
                                   "replay or fuzz --json)", path, number);
    }
    const char *format = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, "format"));
    /* fuzz --json names the trace written beside a raw reproducer. */
    const char *reproducer = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, "trace"));
    if (!reproducer)
        reproducer = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, "reproducer"));
    const char *scenario = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, "scenario"));
    const char *variant = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, "variant"));
    const char *state = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(object, "crash_state"));
    bool ok = true;
    if (format && !strcmp(format, "chanfuzz.summary/1")) {
        ok = chanfuzz_html_add_summary(page, line) == 0;
    } else if (format && !strcmp(format, "chanfuzz.finding/1")) {
        char first_seen[64], target[600];
        seconds_into_run(object, first_seen, sizeof first_seen);
        snprintf(target, sizeof target, "%s/%s", scenario ? scenario : "", variant ? variant : "");
        seen_before(shown, target, state ? state : "");
        ok = cli_html_add_finding(page, line, first_seen[0] ? first_seen : NULL);
    } else if (!format && reproducer && state) {
        /* chanfuzz fuzz --json: the reproducer is the whole finding. */
        ok = add_reproducer(page, reproducer, NULL, shown);
    } else if (!format && cJSON_GetObjectItemCaseSensitive(object, "executions")) {
        /* fuzz's summary line: no progress samples to draw. */
    } else {
        ok = !cli_fail("report", "%s:%zu:1: neither a finding nor a summary line (format %s)",
                       path, number, format ? format : "missing");
    }
    cJSON_Delete(object);
    return ok;
}

static bool add_json_file(chanfuzz_html *page, const char *path, char *text, seen *shown) {
    size_t number = 0;
    bool ok = true;
    for (char *line = text, *next; ok && line && *line; line = next) {
        number++;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (strspn(line, " \t\r") == strlen(line)) continue;
        ok = add_json_line(page, path, number, line, shown);
    }
    return ok;
}

static bool add_input(chanfuzz_html *page, const char *path, seen *shown) {
    struct stat st;
    if (stat(path, &st) != 0) return !cli_fail("report", "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode)) return add_directory(page, path, shown);
    uint8_t *data;
    size_t size;
    if (!cli_read_file(path, &data, &size))
        return !cli_fail("report", "%s: cannot read: %s", path, strerror(errno));
    bool ok;
    if (is_json_lines(path, data)) {
        ok = add_json_file(page, path, (char *)data, shown);
    } else {
        ok = add_reproducer(page, path, NULL, shown);
    }
    free(data);
    return ok;
}

int cli_report(int argc, char **argv) {
    const char *output = "report.html";
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t count = 0;
    if (!inputs) abort();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
            if (!(output = cli_flag_value("report", argc, argv, &i))) {
                free(inputs);
                return CHANFUZZ_EXIT_USAGE;
            }
        } else if (cli_is_flag(argv[i])) {
            free(inputs);
            return cli_fail("report", "unknown flag '%s' (%s)", argv[i], usage_line);
        } else {
            inputs[count++] = argv[i];
        }
    }
    if (!count) inputs[count++] = "chanfuzz-out";
    char title[1024] = "chanfuzz report";
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(title);
        snprintf(title + used, sizeof title - used, " %s", inputs[i]);
    }
    chanfuzz_html *page = chanfuzz_html_new(title);
    if (!page) abort();
    seen shown = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) ok = add_input(page, inputs[i], &shown);
    if (ok) ok = cli_html_write("report", page, output);
    if (ok)
        fprintf(stderr, "chanfuzz report: wrote %s: %zu finding%s\n", output,
                chanfuzz_html_count(page), chanfuzz_html_count(page) == 1 ? "" : "s");
    seen_free(&shown);
    chanfuzz_html_free(page);
    free(inputs);
    return ok ? CHANFUZZ_EXIT_CLEAN : CHANFUZZ_EXIT_USAGE;
}
