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

#include "cli.h"
#include <chanfuzz/report_html.h>
#include <chanfuzz/trace_json.h>

static const char usage_line[] =
    "usage: chanfuzz replay FILE [--scenario NAME:buggy|fixed] [--trace-json OUT] [--json] "
    "[--sarif FILE] [--html FILE] [--go-semantics 1.22|1.23]";

static const char *const accepted[] = {"--scenario", "--trace-json", "--sarif", "--html",
                                       "--go-semantics", "--json", NULL};

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

int cli_replay(int argc, char **argv) {
    cli_file_args args;
    if (cli_parse_file_args("replay", argc, argv, accepted, usage_line, &args))
        return CHANFUZZ_EXIT_USAGE;
    const char *path = args.path, *scenario = args.scenario;
    const char *trace_json_path = args.trace_json, *sarif_path = args.sarif;
    bool json = args.json;
    cli_input in;
    if (!cli_input_load("replay", path, scenario, args.semantics, args.semantics_given, &in))
        return CHANFUZZ_EXIT_USAGE;
    /* The outputs' temporaries are made before the replay: an unwritable
     * path is refused before any work, and the files there stay as they
     * were until they are complete. */
    chanfuzz_atomic_file sarif_out = {0}, trace_json_out = {0};
    const char *unwritable = sarif_path && !chanfuzz_atomic_open(&sarif_out, sarif_path)
                                 ? sarif_path
                             : trace_json_path && !chanfuzz_atomic_open(&trace_json_out,
                                                                        trace_json_path)
                                 ? trace_json_path
                                 : NULL;
    if (unwritable) {
        int status = cli_fail("replay", "%s: cannot write: %m", unwritable);
        chanfuzz_atomic_abandon(&sarif_out);
        cli_input_free(&in);
        return status;
    }
    char name[300];
    cli_target_name(&in.target, name, sizeof name);
    if (!chanfuzz_scenario_runs_under(in.target.scenario, in.semantics))
        fprintf(stderr, "chanfuzz replay: note: %s is not meant for Go %s semantics; "
                        "replaying anyway\n", name, go_semantics_name(in.semantics));

    double started = cli_now();
    chanfuzz_trace_json *schedule = trace_json_path ? chanfuzz_trace_json_new() : NULL;
    go_exec *e = cli_input_run(&in, !json, schedule ? chanfuzz_trace_json_hook : NULL, schedule);
    double seconds = cli_now() - started;
    size_t decisions;
    go_exec_decisions(e, &decisions);
    int status = CHANFUZZ_EXIT_CLEAN;

    if (!json) {
        printf("replay %s: %s (%s; scenario from the %s), Go %s semantics, %s\n", path, name,
               in.is_trace ? "trace file" : "raw fuzz input", in.target_from,
               go_semantics_name(in.semantics),
               in.is_trace ? "decisions as recorded" : "decisions from the input's bytes");
        go_exec_write_trace(e, stdout);
    }
    if (go_exec_end(e) == GO_END_STOPPED) {
        fflush(stdout);
        status = cli_fail("replay", "%s: %s (the recorded schedule no longer fits the "
                                    "scenario's code)", path, go_exec_message(e));
    }
    chanfuzz_findings *f = NULL;
    if (status == CHANFUZZ_EXIT_CLEAN) f = chanfuzz_target_judge(&in.target, e, NULL);
    if (status == CHANFUZZ_EXIT_CLEAN && !f) abort();
    if (f) {
        chanfuzz_report_info info = {
            .scenario = in.target.scenario->name,
            .variant = chanfuzz_variant_name(in.target.variant),
            .reproducer = path,
        };
        char replay[1200];
        snprintf(replay, sizeof replay, "%s %s%s%s", cli_replay_command(in.target.scenario), path,
                 in.target_from[0] == '-' ? " --scenario " : "",
                 in.target_from[0] == '-' ? scenario : "");
        info.replay_command = replay;
        if (json) {
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
                   f->count ? "\n" : "", name, go_end_name(f->end), (unsigned long long)f->steps,
                   decisions, f->count, f->count == 1 ? "" : "s", f->count ? " (" : "",
                   kinds, f->count ? ")" : "");
            free(kinds);
        }
        if (args.html && !write_html(path, scenario, args.html)) status = CHANFUZZ_EXIT_USAGE;
        if (sarif_path) {
            if (chanfuzz_write_sarif(sarif_out.stream, &info, f) != 0) abort();
            if (!chanfuzz_atomic_commit(&sarif_out))
                status = cli_fail("replay", "%s: cannot write: %m", sarif_path);
        }
        if (status == CHANFUZZ_EXIT_CLEAN) status = chanfuzz_exit_status(f);
    }
    chanfuzz_atomic_abandon(&sarif_out); /* diverged: no log */
    if (schedule) {
        bool written = chanfuzz_trace_json_write(schedule, trace_json_out.stream, name);
        if (!written) chanfuzz_atomic_abandon(&trace_json_out);
        if (!written || !chanfuzz_atomic_commit(&trace_json_out))
            status = cli_fail("replay", "%s: cannot write: %m", trace_json_path);
        else if (!json)
            printf("schedule: %s (Chrome trace events: open in ui.perfetto.dev or "
                   "chrome://tracing)\n", trace_json_path);
    }
    chanfuzz_trace_json_free(schedule);
    chanfuzz_findings_free(f);
    go_exec_free(e);
    cli_input_free(&in);
    return status;
}
