/* run.c -- `chanfuzz run SCENARIO|all|tag:T [...]`: explore every selected
 * variant (run_variant.c), then the findings table and the exit status.
 *
 * Exit status: 0 when every variant that ran got its expected verdict
 * (each buggy variant showed every kind it expects and nothing it does
 * not allow; each fixed variant stayed clean), 1 otherwise, 2 on a usage
 * or input error. A CI job runs `chanfuzz run all` and needs exactly this:
 * "the catalogue behaves" is 0, a missed bug or a false alarm is 1. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <chanfuzz/report_html.h>
#include <chanfuzz/interrupt.h>

#include <chanfuzz/isolate.h>
#include "run.h"

const char cli_usage_run[] =
    "usage: chanfuzz run SCENARIO|all|tag:T [--mode portfolio|random|pct|exhaustive] [--budget N] "
    "[--time S] [--seed S] [--rate N] [--bound K] [--go-semantics 1.22|1.23] [--json] "
    "[--sarif FILE] [--html FILE] [--out DIR] [--ignore RULE]... [--exec-timeout S] [--no-isolate] "
    "[--steps N] [--settle N]";

static const char *const value_flags[] = {"--mode",         "--budget", "--time",  "--seed",
                                           "--rate",         "--bound",  "--sarif", "--out",
                                           "--go-semantics", "--ignore", "--html",  "--exec-timeout",
                                           "--steps",        "--settle", NULL};

static size_t flag_index(const char *flag) {
    size_t i = 0;
    while (strcmp(value_flags[i], flag)) i++;
    return i;
}

static int parse(int argc, char **argv, run_options *o, const char **spec, const char **sarif) {
    const char *given[sizeof value_flags / sizeof value_flags[0]] = {0}; /* the values seen */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value;
        uint64_t number;
        if (cli_repeated_flag("run", argc, argv, i, value_flags, given, "--ignore"))
            return CHANFUZZ_EXIT_USAGE;
        if (!cli_is_flag(arg)) {
            if (*spec) return cli_fail("run", "one scenario argument only, got '%s' after '%s'",
                                       arg, *spec);
            *spec = arg;
        } else if (!strcmp(arg, "--json")) {
            o->json = true;
        } else if (!strcmp(arg, "--no-isolate")) {
            o->isolate = false;
        } else if (!cli_flag_in(arg, value_flags)) {
            return cli_fail("run", "unknown flag '%s' (%s)", arg, cli_usage_run);
        } else if (!(value = cli_flag_value("run", argc, argv, &i))) {
            return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--mode")) {
            if (!strcmp(value, "portfolio")) o->mode = RUN_PORTFOLIO;
            else if (!strcmp(value, "random")) o->mode = RUN_RANDOM;
            else if (!strcmp(value, "pct")) o->mode = RUN_PCT;
            else if (!strcmp(value, "exhaustive")) o->mode = RUN_EXHAUSTIVE;
            else return cli_fail("run", "--mode: '%s' is not portfolio, random, pct or exhaustive", value);
        } else if (!strcmp(arg, "--budget")) {
            if (!cli_parse_u64("run", arg, value, &o->budget)) return CHANFUZZ_EXIT_USAGE;
            if (!o->budget) return cli_fail("run", "--budget: must be at least 1");
        } else if (!strcmp(arg, "--time")) {
            if (!cli_parse_seconds("run", arg, value, &o->time_limit)) return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--seed")) {
            if (!cli_parse_u64("run", arg, value, &o->seed)) return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--rate")) {
            if (!cli_parse_u64("run", arg, value, &o->rate)) return CHANFUZZ_EXIT_USAGE;
            if (!o->rate) return cli_fail("run", "--rate: must be at least 1");
        } else if (!strcmp(arg, "--bound")) {
            if (!cli_parse_u64("run", arg, value, &number)) return CHANFUZZ_EXIT_USAGE;
            if (number > 64) return cli_fail("run", "--bound: %s preemptions is beyond reach; "
                                                    "at most 64", value);
            o->bound = (uint32_t)number;
        } else if (!strcmp(arg, "--go-semantics")) {
            if (!cli_parse_semantics("run", value, &o->semantics)) return CHANFUZZ_EXIT_USAGE;
        } else if (cli_is_budget_flag(arg)) {
            if (!cli_parse_budget_flag("run", arg, value)) return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--exec-timeout")) {
            if (!cli_parse_exec_timeout("run", value, &o->exec_timeout))
                return CHANFUZZ_EXIT_USAGE;
        } else if (!strcmp(arg, "--sarif")) {
            *sarif = value;
        } else if (!strcmp(arg, "--out")) {
            o->out_dir = value;
        } else if (!strcmp(arg, "--html")) {
            o->html = value;
        } else if (!strcmp(arg, "--ignore")) {
            if (!chanfuzz_ignore_parse(o->ignore, value))
                return cli_fail("run", "--ignore: '%s' is not top:FUNCTION, site:FILE[:LINE] "
                                       "or created-by:FUNCTION", value);
        } else {
            return cli_fail("run", "unknown flag '%s' (%s)", arg, cli_usage_run);
        }
    }
    if (!*spec) return cli_fail("run", "which scenario? (%s)", cli_usage_run);
    if (cli_check_output_dir("run", "--out", o->out_dir) ||
        (*sarif && cli_check_output_file("run", "--sarif", *sarif, NULL)))
        return CHANFUZZ_EXIT_USAGE;
    if (given[flag_index("--bound")] && o->mode != RUN_EXHAUSTIVE)
        return cli_fail("run", "--bound is the exhaustive mode's preemption bound, not "
                               "used by --mode %s: add --mode exhaustive or leave --bound out",
                        run_mode_name(o->mode));
    if (given[flag_index("--seed")] && o->mode == RUN_EXHAUSTIVE)
        return cli_fail("run", "--seed: --mode exhaustive runs every schedule within --bound, "
                               "it has no seed: leave --seed out");
    if (o->rate && o->budget) return cli_fail("run", "--rate N runs exactly N executions: "
                                                     "leave --budget out");
    if (o->rate && o->time_limit > 0) return cli_fail("run", "--rate N runs exactly N "
                                                             "executions: leave --time out");
    return CHANFUZZ_EXIT_CLEAN;
}

/* ---- The end: table, rates, JSON summary ------------------------------------- */

static void print_table(const run_options *o, run_variant *variants, size_t count) {
    FILE *out = o->table;
    fprintf(out, "\n%-26s %-7s %-10s %10s %-12s %9s %8s  %s\n", "scenario", "variant", "mode",
            "executions", "verdict", "to detect", "distinct", "first crash state");
    for (size_t i = 0; i < count; i++) {
        const run_variant *v = &variants[i];
        bool ok;
        const char *verdict = run_variant_verdict(v, &ok);
        char detect[24] = "-";
        if (v->detected_at) snprintf(detect, sizeof detect, "%" PRIu64, v->detected_at);
        fprintf(out, "%-26s %-7s %-10s %10" PRIu64 " %-12s %9s %8zu  %s\n",
                v->target->scenario->name, chanfuzz_variant_name(v->target->variant),
                run_mode_name(o->mode), v->executions, verdict, detect, v->crash_count,
                v->crash_count ? v->crashes[0].state : "-");
    }
    for (size_t i = 0; i < count; i++) {
        const run_variant *v = &variants[i];
        if (v->skipped || o->mode != RUN_EXHAUSTIVE) continue;
        fprintf(out, "exhaustive %s: %" PRIu64 " schedules with at most %u preemption%s: %s%s%s\n",
                v->name, v->explore.schedules, o->bound, o->bound == 1 ? "" : "s",
                v->explore.exhausted ? "exhausted"
                : v->explore.stopped ? "stopped early"
                                     : "NOT exhausted (cap reached)",
                v->explore.data_restricted ? ", data restricted to min/mid/max" : "",
                v->explore.nondeterministic ? ", NONDETERMINISTIC" : "");
        if (v->explore.nondeterministic) fprintf(out, "  %s\n", v->explore.message);
    }
    if (o->rate) {
        fprintf(out, "\nreproduction rate (executions in which each kind appeared):\n");
        for (size_t i = 0; i < count; i++) {
            const run_variant *v = &variants[i];
            if (v->skipped) continue;
            fprintf(out, "  %-34s", v->name);
            bool any = false;
            for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
                if (v->kind_executions[k]) {
                    fprintf(out, "%s%s %" PRIu64 "/%" PRIu64, any ? ", " : " ",
                            chanfuzz_kind_id((chanfuzz_kind)k), v->kind_executions[k],
                            v->executions);
                    any = true;
                }
            if (!any) fprintf(out, " no finding in %" PRIu64, v->executions);
            fprintf(out, "\n");
        }
    }
}

static cJSON *variant_summary(const run_options *o, const run_variant *v) {
    bool ok;
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "scenario", v->target->scenario->name);
    cJSON_AddStringToObject(s, "variant", chanfuzz_variant_name(v->target->variant));
    cJSON_AddStringToObject(s, "mode", run_mode_name(o->mode));
    cJSON_AddStringToObject(s, "verdict", run_variant_verdict(v, &ok));
    cJSON_AddBoolToObject(s, "as_expected", ok);
    cJSON_AddBoolToObject(s, "skipped", v->skipped);
    cJSON_AddNumberToObject(s, "executions", (double)v->executions);
    cJSON_AddNumberToObject(s, "seconds", v->seconds);
    cJSON_AddNumberToObject(s, "interleavings", (double)v->interleaving_count);
    cJSON_AddItemToObject(s, "expect", cli_kind_array(v->expectation.expected));
    cJSON_AddItemToObject(s, "seen", cli_kind_array(v->expectation.seen));
    if (v->detected_at)
        cJSON_AddNumberToObject(s, "executions_to_detection", (double)v->detected_at);
    else
        cJSON_AddNullToObject(s, "executions_to_detection");
    cJSON_AddNumberToObject(s, "distinct_crash_states", (double)v->crash_count);
    if (v->crash_count)
        cJSON_AddStringToObject(s, "first_crash_state", v->crashes[0].state);
    else
        cJSON_AddNullToObject(s, "first_crash_state");
    cJSON *rate = cJSON_CreateObject();
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
        if (v->kind_executions[k])
            cJSON_AddNumberToObject(rate, chanfuzz_kind_id((chanfuzz_kind)k),
                                    (double)v->kind_executions[k]);
    cJSON_AddItemToObject(s, "kind_executions", rate);
    if (o->mode == RUN_EXHAUSTIVE && !v->skipped) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "schedules", (double)v->explore.schedules);
        cJSON_AddNumberToObject(e, "preemption_bound", o->bound);
        cJSON_AddBoolToObject(e, "exhausted", v->explore.exhausted);
        cJSON_AddBoolToObject(e, "data_restricted", v->explore.data_restricted);
        cJSON_AddBoolToObject(e, "nondeterministic", v->explore.nondeterministic);
        cJSON_AddItemToObject(s, "exhaustive", e);
    }
    return s;
}

static cJSON *summary_json(const run_options *o, run_variant *variants, size_t count,
                           double seconds, bool all_ok) {
    uint64_t executions = 0;
    size_t findings = 0;
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; i < count; i++) {
        executions += variants[i].executions;
        findings += variants[i].crash_count;
        cJSON_AddItemToArray(list, variant_summary(o, &variants[i]));
    }
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "format", "chanfuzz.summary/1");
    cJSON_AddStringToObject(s, "command", "run");
    cJSON_AddNumberToObject(s, "executions", (double)executions);
    cJSON_AddNumberToObject(s, "seconds", seconds);
    cJSON_AddNumberToObject(s, "findings", (double)findings);
    cJSON_AddBoolToObject(s, "as_expected", all_ok);
    cJSON_AddStringToObject(s, "go_semantics", go_semantics_name(o->semantics));
    cJSON_AddItemToObject(s, "variants", list);
    cJSON_AddItemToObject(s, "progress", run_record_progress_json(o->record));
    return s;
}

/* --html: the findings run reported, each with the timeline of its
 * reproducer, and the summary --json prints, whose samples are figures. */
static bool write_html(const run_options *o, const char *spec, const cJSON *summary) {
    char title[1024];
    snprintf(title, sizeof title, "chanfuzz run %s", spec);
    chanfuzz_html *page = chanfuzz_html_new(title);
    char *line = cJSON_PrintUnformatted(summary);
    if (!page || !line || chanfuzz_html_add_summary(page, line) != 0) abort();
    free(line);
    for (size_t i = 0; i < o->record->finding_count; i++) {
        const char *finding = o->record->finding_lines[i];
        cJSON *parsed = cJSON_Parse(finding);
        char first_seen[64];
        snprintf(first_seen, sizeof first_seen, "%.3gs into the run",
                 cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(parsed, "found_at_seconds")));
        cJSON_Delete(parsed);
        if (!cli_html_add_finding(page, finding, first_seen)) abort();
    }
    bool ok = cli_html_write("run", page, o->html);
    chanfuzz_html_free(page);
    return ok;
}

int cli_run(int argc, char **argv) {
    run_record *record = run_record_new(cli_now());
    run_options o = {.mode = RUN_PORTFOLIO, .seed = 1, .bound = RUN_DEFAULT_BOUND,
                     .out_dir = "chanfuzz-out", .ignore = chanfuzz_ignore_new(), .record = record,
                     .isolate = true, .exec_timeout = CHANFUZZ_EXEC_TIMEOUT_DEFAULT};
    const char *spec = NULL, *sarif_path = NULL;
    if (!o.ignore) abort();
    int status = parse(argc, argv, &o, &spec, &sarif_path);
    chanfuzz_target *targets = NULL;
    size_t count = 0;
    char error[256];
    if (status == CHANFUZZ_EXIT_CLEAN && !(count = chanfuzz_select(spec, &targets, error,
                                                                   sizeof error)))
        status = cli_fail("run", "%s", error);
    chanfuzz_atomic_file sarif_file = {0};
    if (status == CHANFUZZ_EXIT_CLEAN && sarif_path) {
        /* Its temporary is made now: a path that cannot be written is a
         * usage error before any work, not a surprise after it; and the
         * file there stays as it was until the log is complete. */
        if (!chanfuzz_atomic_open(&sarif_file, sarif_path))
            status = cli_fail("run", "%s: cannot write: %m", sarif_path);
        else if (!(o.sarif = chanfuzz_sarif_new()))
            abort();
    }
    if (status != CHANFUZZ_EXIT_CLEAN) {
        chanfuzz_ignore_free(o.ignore);
        free(targets);
        return status;
    }
    o.tty = isatty(STDERR_FILENO);
    o.table = o.json ? stderr : stdout;

    chanfuzz_isolate_configure(o.isolate, o.exec_timeout);
    run_variant *variants = chanfuzz_shared_calloc(count, sizeof *variants);
    double started = cli_now();
    record->started = started;
    bool all_ok = true, write_ok = true;
    chanfuzz_interrupt_install();
    for (size_t i = 0; i < count; i++) {
        if (chanfuzz_interrupted()) {
            count = i; /* the table shows the variants that ran */
            break;
        }
        run_variant *v = &variants[i];
        v->options = &o;
        v->target = &targets[i];
        snprintf(v->name, sizeof v->name, "%s:%s", v->target->scenario->name,
                 chanfuzz_variant_name(v->target->variant));
        chanfuzz_target_expect_init(v->target, &v->expectation);
        if (!chanfuzz_scenario_runs_under(v->target->scenario, o.semantics)) {
            v->skipped = true;
            fprintf(stderr, "chanfuzz run: %s: skipped: not meant for Go %s timer semantics "
                            "(try --go-semantics %s)\n",
                    v->name, go_semantics_name(o.semantics),
                    go_semantics_name(o.semantics == GO_SEMANTICS_1_23 ? GO_SEMANTICS_1_22
                                                                       : GO_SEMANTICS_1_23));
            continue;
        }
        uint64_t executions = v->target->scenario->executions;
        if (!executions) executions = CHANFUZZ_DEFAULT_EXECUTIONS;
        /* Exhaustive mode means something only when it exhausts: its
         * default cap is the explorer's, not the random walk's budget. */
        if (o.mode == RUN_EXHAUSTIVE && executions < CHANFUZZ_EXPLORE_MAX_SCHEDULES)
            executions = CHANFUZZ_EXPLORE_MAX_SCHEDULES;
        v->limit = o.rate ? o.rate : o.budget ? o.budget : o.time_limit > 0 ? UINT64_MAX
                                                                            : executions;
        if (!run_variant_explore(v)) write_ok = false;
        bool ok;
        run_variant_verdict(v, &ok);
        all_ok = all_ok && ok;
    }
    double seconds = cli_now() - started;
    run_record_finish(record);
    if (chanfuzz_interrupted())
        fprintf(stderr, "chanfuzz run: interrupted (%s): the findings so far\n",
                strsignal(chanfuzz_interrupted()));

    print_table(&o, variants, count);
    cJSON *summary = summary_json(&o, variants, count, seconds, all_ok);
    if (o.html && !write_html(&o, spec, summary)) write_ok = false;
    if (o.json) {
        char *line = cJSON_PrintUnformatted(summary);
        puts(line);
        free(line);
    } else {
        uint64_t executions = 0;
        size_t findings = 0, skipped = 0;
        for (size_t i = 0; i < count; i++) {
            executions += variants[i].executions, findings += variants[i].crash_count;
            skipped += variants[i].skipped;
        }
        char skip_note[48] = "";
        if (skipped) snprintf(skip_note, sizeof skip_note, " (%zu skipped)", skipped);
        printf("\n%zu variant%s%s, %" PRIu64 " executions, %.1fs, %zu distinct finding%s: %s\n",
               count, count == 1 ? "" : "s", skip_note, executions, seconds, findings,
               findings == 1 ? "" : "s",
               all_ok ? "every variant as expected" : "NOT every variant as expected");
    }
    if (sarif_file.stream) {
        if (chanfuzz_sarif_write(o.sarif, sarif_file.stream) != 0) abort();
        if (!chanfuzz_atomic_commit(&sarif_file))
            write_ok = !cli_fail("run", "%s: cannot write: %m", sarif_path);
        chanfuzz_sarif_free(o.sarif);
    }
    cJSON_Delete(summary);
    for (size_t i = 0; i < count; i++) run_variant_free(&variants[i]);
    free(targets);
    chanfuzz_ignore_free(o.ignore);
    if (!write_ok) return CHANFUZZ_EXIT_USAGE;
    if (chanfuzz_interrupted()) return chanfuzz_interrupt_status();
    return all_ok ? CHANFUZZ_EXIT_CLEAN : CHANFUZZ_EXIT_FINDINGS;
}
