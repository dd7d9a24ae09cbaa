/* replay.c -- `chanfuzz replay FILE`: run a reproducer once, print every
 * decision and event, then the report.
 *
 * Exit status by verdict: 0 clean, 1 findings, 2 input error -- an
 * unreadable or malformed file, an unknown scenario, or a trace that
 * diverged (the recorded schedule no longer fits the code: "diverged at
 * decision N (expected ..., got ...)"). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/report_html.h>
#include <chanfuzz/trace_json.h>

#include "cli.h"
#include <chanfuzz/isolate.h>

const char cli_usage_replay[] =
    "usage: chanfuzz replay FILE [--scenario NAME:buggy|fixed] [--trace-json OUT] [--json] "
    "[--sarif FILE] [--html FILE] [--go-semantics 1.22|1.23] [--exec-timeout S] [--no-isolate] "
    "[--steps N] [--settle N]";

static const char *const accepted[] = {"--scenario", "--trace-json", "--sarif", "--html",
                                       "--go-semantics", "--json", "--exec-timeout",
                                       "--no-isolate", "--steps", "--settle", NULL};

/* --html: the findings, each with the timeline of this reproducer. */
static bool write_html(const char *path, const char *scenario, const char *html_path) {
    char title[1200];
    snprintf(title, sizeof title, "chanfuzz replay %s", path);
    chanfuzz_html *page = chanfuzz_html_new(title);
    if (!page || !cli_html_add_reproducer(page, path, scenario)) abort();
    bool ok = cli_html_write("replay", page, html_path);
    chanfuzz_html_free(page);
    return ok;
}

/* Writes a whole output through a temporary renamed into place, so the
 * file there stays as it was unless the new one is complete. */
typedef bool output_writer(FILE *out, const void *self);

static bool write_output(const char *path, output_writer *write, const void *self) {
    chanfuzz_atomic_file file = {0};
    if (!chanfuzz_atomic_open(&file, path)) return false;
    if (!write(file.stream, self)) {
        chanfuzz_atomic_abandon(&file);
        return false;
    }
    return chanfuzz_atomic_commit(&file);
}

typedef struct sarif_output {
    const chanfuzz_report_info *info;
    const chanfuzz_findings *findings;
} sarif_output;

static bool write_sarif(FILE *out, const void *self) {
    const sarif_output *s = self;
    return chanfuzz_write_sarif(out, s->info, s->findings) == 0;
}

typedef struct schedule_output {
    chanfuzz_trace_json *schedule;
    const char *name;
} schedule_output;

static bool write_schedule(FILE *out, const void *self) {
    const schedule_output *s = self;
    return chanfuzz_trace_json_write(s->schedule, out, s->name);
}

typedef struct replay {
    cli_file_args args;
    cli_input in;
    char name[300];
} replay;

/* The report of an execution that made `decisions` decisions and ended
 * with findings f (freed here); the exit status. */
static int report(const replay *r, chanfuzz_findings *f, size_t decisions, double seconds) {
    const char *path = r->args.path, *scenario = r->args.scenario;
    int status = CHANFUZZ_EXIT_CLEAN;
    chanfuzz_report_info info = {
        .scenario = r->in.target.scenario->name,
        .variant = chanfuzz_variant_name(r->in.target.variant),
        .reproducer = path,
    };
    char replay_command[1200];
    snprintf(replay_command, sizeof replay_command, "%s %s%s%s",
             cli_replay_command(r->in.target.scenario), path,
             r->in.target_from[0] == '-' ? " --scenario " : "",
             r->in.target_from[0] == '-' ? scenario : "");
    info.replay_command = replay_command;
    if (r->args.json) {
        if (chanfuzz_write_json(stdout, &info, f) != 0) abort();
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "format", "chanfuzz.summary/1");
        cJSON_AddStringToObject(s, "command", "replay");
        cJSON_AddStringToObject(s, "scenario", info.scenario);
        cJSON_AddStringToObject(s, "variant", info.variant);
        cJSON_AddStringToObject(s, "reproducer", path);
        cJSON_AddNumberToObject(s, "executions", 1);
        cJSON_AddNumberToObject(s, "seconds", seconds);
        cJSON_AddNumberToObject(s, "findings", (double)f->count);
        cJSON_AddStringToObject(s, "end", go_end_name(f->end));
        cJSON_AddNumberToObject(s, "decisions", (double)decisions);
        cJSON_AddStringToObject(s, "go_semantics", go_semantics_name(f->semantics));
        char *line = cJSON_PrintUnformatted(s);
        puts(line);
        free(line);
        cJSON_Delete(s);
    } else {
        printf("\n");
        chanfuzz_write_text(stdout, &info, f);
        char *kinds = cli_kind_list(cli_kinds_of(f));
        printf("%sreplay: %s ended as %s after %llu steps, %zu decisions: "
               "%zu finding%s%s%s%s\n",
               f->count ? "\n" : "", r->name, go_end_name(f->end), (unsigned long long)f->steps,
               decisions, f->count, f->count == 1 ? "" : "s", f->count ? " (" : "", kinds,
               f->count ? ")" : "");
        free(kinds);
    }
    if (r->args.html && !write_html(path, scenario, r->args.html)) status = CHANFUZZ_EXIT_USAGE;
    sarif_output sarif = {&info, f};
    if (r->args.sarif && !write_output(r->args.sarif, write_sarif, &sarif))
        status = cli_fail("replay", "%s: cannot write: %m", r->args.sarif);
    if (status == CHANFUZZ_EXIT_CLEAN) status = chanfuzz_exit_status(f);
    chanfuzz_findings_free(f);
    return status;
}

static void print_header(const replay *r) {
    printf("replay %s: %s (%s; scenario from the %s), Go %s semantics, %s\n", r->args.path,
           r->name, r->in.is_trace ? "trace file" : "raw fuzz input", r->in.target_from,
           go_semantics_name(r->in.semantics),
           r->in.is_trace ? "decisions as recorded" : "decisions from the input's bytes");
}

/* Runs in the isolated child (isolate.h). */
static int replay_once(void *self) {
    const replay *r = self;
    const char *path = r->args.path, *trace_json_path = r->args.trace_json;
    bool json = r->args.json;
    double started = cli_now();
    chanfuzz_trace_json *schedule = trace_json_path ? chanfuzz_trace_json_new() : NULL;
    go_exec *e = cli_input_run(&r->in, !json, schedule ? chanfuzz_trace_json_hook : NULL, schedule);
    double seconds = cli_now() - started;
    size_t decisions;
    go_exec_decisions(e, &decisions);
    int status = CHANFUZZ_EXIT_CLEAN;

    if (!json) {
        print_header(r);
        go_exec_write_trace(e, stdout);
    }
    if (go_exec_end(e) == GO_END_STOPPED) {
        fflush(stdout);
        status = cli_fail("replay", "%s: %s (the recorded schedule no longer fits the "
                                    "scenario's code)", path, go_exec_message(e));
    }
    if (status == CHANFUZZ_EXIT_CLEAN) {
        chanfuzz_findings *f = chanfuzz_target_judge(&r->in.target, e, NULL);
        if (!f) abort();
        status = report(r, f, decisions, seconds);
    }
    schedule_output written = {schedule, r->name};
    if (schedule) {
        if (!write_output(trace_json_path, write_schedule, &written))
            status = cli_fail("replay", "%s: cannot write: %m", trace_json_path);
        else if (!json)
            printf("schedule: %s (Chrome trace events: open in ui.perfetto.dev or "
                   "chrome://tracing)\n", trace_json_path);
    }
    chanfuzz_trace_json_free(schedule);
    go_exec_free(e);
    return status;
}

int cli_replay(int argc, char **argv) {
    replay r;
    if (cli_parse_file_args("replay", argc, argv, accepted, cli_usage_replay, &r.args))
        return CHANFUZZ_EXIT_USAGE;
    if (!cli_input_load("replay", r.args.path, r.args.scenario, r.args.semantics,
                        r.args.semantics_given, &r.in))
        return CHANFUZZ_EXIT_USAGE;
    /* Outputs that cannot be written are refused before any work (the
     * probe's temporaries go again at once). */
    const char *outputs[] = {r.args.sarif, r.args.trace_json};
    for (size_t i = 0; i < 2; i++) {
        chanfuzz_atomic_file probe = {0};
        if (!outputs[i]) continue;
        if (!chanfuzz_atomic_open(&probe, outputs[i])) {
            int status = cli_fail("replay", "%s: cannot write: %m", outputs[i]);
            cli_input_free(&r.in);
            return status;
        }
        chanfuzz_atomic_abandon(&probe);
    }
    cli_target_name(&r.in.target, r.name, sizeof r.name);
    if (!chanfuzz_scenario_runs_under(r.in.target.scenario, r.in.semantics))
        fprintf(stderr, "chanfuzz replay: note: %s is not meant for Go %s semantics; "
                        "replaying anyway\n", r.name, go_semantics_name(r.in.semantics));
    double started = cli_now();
    chanfuzz_crash crash;
    int status = chanfuzz_isolate_run(replay_once, &r, &crash);
    if (status == CHANFUZZ_ISOLATE_DIED) {
        /* The child died mid-execution: what it printed of the trace is
         * lost with it; the decisions it had made are the file's. */
        if (!r.args.json) print_header(&r);
        status = report(&r, chanfuzz_crash_findings(&crash), crash.decision_count,
                        cli_now() - started);
        chanfuzz_crash_free(&crash);
    }
    cli_input_free(&r.in);
    return status;
}
