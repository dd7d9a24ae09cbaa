/* test_report.c -- the three report formats (chanfuzz/findings.h, section
 * 5): the text dump pinned as a snapshot of its essentials, JSON parsed
 * back with cJSON field by field, and SARIF's required fields, with the
 * line a result points at read back from this very file. */
#define _GNU_SOURCE /* vasprintf */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/findings.h>

#include "support.h"


#define THIS_FILE "tests/test_report.c"

/* ---- scenarios ----------------------------------------------------------------- */

/*  func fetch() {
 *      fetched := make(chan int)
 *      go func() { time.Sleep(10ms); fetched <- 1 }()   // blocks forever
 *      select { case <-fetched: case <-time.After(5ms): }
 *      time.Sleep(20ms)
 *  }
 */
static go_chan *fetched;
static int send_line, go_line, panic_line, ctx_line;

static void timeout_worker(void *arg) {
    go_sleep(10 * GO_MS);
    send_line = __LINE__; go_send(fetched, 1);
}

static void timeout_fetch(void *arg) {
    fetched = go_make_chan(0);
    go_line = __LINE__; go_go(timeout_worker, NULL);
    go_select(go_case_recv(fetched, NULL), go_case_recv(go_after(5 * GO_MS), NULL));
    go_sleep(20 * GO_MS);
}

static void panicker(void *arg) { panic_line = __LINE__; go_panic("bad \"input\"\n\tat\\end"); }

static void starts_panicker(void *arg) {
    go_go(panicker, NULL);
    go_sleep(GO_MS);
}

static void loses_cancel(void *arg) {
    go_cancel_func *cancel;
    ctx_line = __LINE__; go_with_cancel(go_background(), &cancel);
}

/* ---- helpers --------------------------------------------------------------------- */

typedef struct judged {
    go_exec *exec;
    chanfuzz_findings *findings;
} judged;

static judged judge(go_func *fn) {
    judged j = {run_first(fn, NULL), NULL};
    j.findings = chanfuzz_detect(j.exec, NULL);
    cr_assert_not_null(j.findings);
    cr_assert_geq(j.findings->count, 1);
    return j;
}

static void release(judged j) {
    chanfuzz_findings_free(j.findings);
    go_exec_free(j.exec);
}

static const chanfuzz_report_info buggy = {
    .scenario = "timeout_worker",
    .variant = "buggy",
    .reproducer = "crash-1.trace",
    .replay_command = "chanfuzz replay crash-1.trace",
};

typedef void writer(FILE *out, const chanfuzz_report_info *info, const chanfuzz_findings *f);

static char *written(writer *write, const chanfuzz_report_info *info,
                     const chanfuzz_findings *f) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    write(out, info, f);
    fclose(out);
    return text;
}

static void write_json(FILE *out, const chanfuzz_report_info *info, const chanfuzz_findings *f) {
    cr_assert_eq(chanfuzz_write_json(out, info, f), 0);
}

static void write_sarif(FILE *out, const chanfuzz_report_info *info, const chanfuzz_findings *f) {
    cr_assert_eq(chanfuzz_write_sarif(out, info, f), 0);
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...) {
    char *out;
    va_list args;
    va_start(args, fmt);
    cr_assert_geq(vasprintf(&out, fmt, args), 0);
    va_end(args);
    return out;
}

static const cJSON *field(const cJSON *object, const char *name) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    cr_assert_not_null(item, "no field \"%s\"", name);
    return item;
}

static const char *string_field(const cJSON *object, const char *name) {
    const cJSON *item = field(object, name);
    cr_assert(cJSON_IsString(item), "\"%s\" is not a string", name);
    return item->valuestring;
}

static double number_field(const cJSON *object, const char *name) {
    const cJSON *item = field(object, name);
    cr_assert(cJSON_IsNumber(item), "\"%s\" is not a number", name);
    return item->valuedouble;
}

/* Line `line` (from 1) of the repository file `path`, malloc'ed. */
static char *source_line(const char *path, int line) {
    char *full = format("%s/%s", CHANFUZZ_SOURCE_DIR, path);
    FILE *in = fopen(full, "r");
    cr_assert_not_null(in, "cannot open %s", full);
    char *text = NULL;
    size_t capacity = 0;
    for (int i = 0; i < line; i++) cr_assert_geq(getline(&text, &capacity, in), 0);
    fclose(in);
    free(full);
    return text;
}

/* ---- text ---------------------------------------------------------------------- */

Test(text, a_leak_reads_like_a_go_goroutine_dump) {
    judged j = judge(timeout_fetch);
    char *text = written(chanfuzz_write_text, &buggy, j.findings);
    const char *state = "unbuffered, 1 sender and 0 receivers waiting, not closed";
    char *expected = format(
        "chanfuzz: leak in scenario timeout_worker (buggy): 1 goroutine blocked\n"
        "crash state: leak: chan send at " THIS_FILE ":%d (timeout_worker) created at " THIS_FILE
        ":%d\n"
        "witness: blocked sender on chan#1 (%s)\n"
        "\n"
        "goroutine 2 [chan send, 15ms]:\n"
        "    timeout_worker at " THIS_FILE ":%d\n"
        "        send on chan#1 (%s)\n"
        "created by timeout_fetch in goroutine 1 at " THIS_FILE ":%d\n"
        "\n"
        "reproducer: crash-1.trace\n"
        "replay: chanfuzz replay crash-1.trace\n",
        send_line, go_line, state, send_line, state, go_line);
    cr_expect_str_eq(text, expected);
    free(text);
    free(expected);
    release(j);
}

Test(text, a_panic_shows_the_failed_goroutine_running) {
    judged j = judge(starts_panicker);
    chanfuzz_report_info unnamed = {0};
    char *text = written(chanfuzz_write_text, &unnamed, j.findings);
    char *head = format("chanfuzz: panic: bad \"input\"\n\tat\\end\n"
                        "crash state: panic: bad \"input\"  at\\end at " THIS_FILE
                        ":%d (panicker)\n",
                        panic_line);
    cr_expect(strncmp(text, head, strlen(head)) == 0, "got:\n%s\nexpected to start:\n%s", text,
              head);
    char *frame = format("goroutine 2 [running]:\n    panicker at " THIS_FILE ":%d\n", panic_line);
    cr_expect(strstr(text, frame) != NULL, "%s", text);
    cr_expect(strstr(text, "reproducer") == NULL, "no reproducer given, none printed");
    free(head);
    free(frame);
    free(text);
    release(j);
}

Test(text, a_context_finding_lists_its_witness_objects_and_site) {
    judged j = judge(loses_cancel);
    chanfuzz_report_info named = {.scenario = "lost_cancel"};
    char *text = written(chanfuzz_write_text, &named, j.findings);
    char *expected = format(
        "chanfuzz: lost cancel in scenario lost_cancel: 1 cancel function never called\n"
        "crash state: lost cancel: context.WithCancel at " THIS_FILE ":%d (loses_cancel)\n"
        "witness: the CancelFunc of context.WithCancel (context#2) is never called; it ended "
        "live\n"
        "    context context#2 (cancelCtx, cancelled: no, 0 children, not registered, 0 Done "
        "waiters) made at " THIS_FILE ":%d (loses_cancel)\n"
        "    cancel function cancel_func#1 (CancelFunc of context#2, never called)\n"
        "\n"
        "    loses_cancel at " THIS_FILE ":%d\n",
        ctx_line, ctx_line, ctx_line);
    cr_expect_str_eq(text, expected);
    free(text);
    free(expected);
    release(j);
}

Test(text, no_findings_write_nothing) {
    go_exec *e = run_first(loses_cancel, NULL);
    chanfuzz_ignore *ignore = chanfuzz_ignore_new();
    chanfuzz_ignore_top_function(ignore, "loses_cancel");
    chanfuzz_findings *f = chanfuzz_detect(e, ignore);
    char *text = written(chanfuzz_write_text, &buggy, f);
    cr_expect_str_eq(text, "");
    free(text);
    chanfuzz_ignore_free(ignore);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void expect_site(const cJSON *site, const char *function, int line) {
    cr_expect_str_eq(string_field(site, "file"), THIS_FILE);
    cr_expect_eq(number_field(site, "line"), line);
    cr_expect_str_eq(string_field(site, "function"), function);
}

Test(json, a_finding_round_trips_with_its_documented_field_names) {
    judged j = judge(timeout_fetch);
    char *text = written(write_json, &buggy, j.findings);
    cr_assert_eq(strcspn(text, "\n") + 1, strlen(text), "one line per finding");
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON: %s", text);
    const chanfuzz_finding *leak = &j.findings->items[0];

    cr_expect_str_eq(string_field(root, "format"), "chanfuzz.finding/1");
    cr_expect_str_eq(string_field(root, "kind"), "leak");
    cr_expect_str_eq(string_field(root, "kind_name"), "leak");
    cr_expect_str_eq(string_field(root, "title"), "blocked sender");
    cr_expect_str_eq(string_field(root, "scenario"), "timeout_worker");
    cr_expect_str_eq(string_field(root, "variant"), "buggy");
    cr_expect_str_eq(string_field(root, "reproducer"), "crash-1.trace");
    cr_expect_str_eq(string_field(root, "replay_command"), "chanfuzz replay crash-1.trace");
    cr_expect_str_eq(string_field(root, "crash_state"), leak->crash_state);
    char hash[17];
    chanfuzz_crash_state_hash(leak->crash_state, hash);
    cr_expect_str_eq(string_field(root, "crash_state_hash"), hash);
    cr_expect_str_eq(string_field(root, "message"), "1 goroutine blocked");
    expect_site(field(root, "site"), "timeout_worker", send_line);
    expect_site(field(root, "creation_site"), "timeout_fetch", go_line);
    cr_expect_eq(number_field(root, "occurrences"), 1);

    const cJSON *execution = field(root, "execution");
    cr_expect_str_eq(string_field(execution, "end"), "returned");
    cr_expect_str_eq(string_field(execution, "message"), "");
    cr_expect_eq(number_field(execution, "time_ns"), 25 * GO_MS);
    cr_expect_gt(number_field(execution, "steps"), 0);
    cr_expect_str_eq(string_field(execution, "semantics"), "1.23");
    cr_expect(cJSON_IsFalse(field(execution, "settle_exhausted")));

    const cJSON *goroutines = field(root, "goroutines");
    cr_assert_eq(cJSON_GetArraySize(goroutines), 1);
    const cJSON *g = cJSON_GetArrayItem(goroutines, 0);
    cr_expect_eq(number_field(g, "id"), 2);
    cr_expect_str_eq(string_field(g, "state"), "blocked");
    cr_expect_str_eq(string_field(g, "entry"), "timeout_worker");
    cr_expect_str_eq(string_field(g, "wait_reason"), "chan send");
    expect_site(field(g, "wait_site"), "timeout_worker", send_line);
    const cJSON *object = field(g, "object");
    cr_expect_str_eq(string_field(object, "kind"), "chan");
    cr_expect_eq(number_field(object, "id"), 1);
    cr_expect_str_eq(string_field(object, "state"),
                     "unbuffered, 1 sender and 0 receivers waiting, not closed");
    cr_expect_eq(number_field(g, "blocked_ns"), 15 * GO_MS);
    const cJSON *created = field(g, "created_by");
    cr_expect_eq(number_field(created, "goroutine"), 1);
    expect_site(field(created, "site"), "timeout_fetch", go_line);

    const cJSON *witness = field(root, "witness");
    cr_expect_str_eq(string_field(witness, "kind"), "blocking_object");
    cr_expect_str_eq(string_field(witness, "summary"), leak->witness.summary);
    const cJSON *links = field(witness, "links");
    cr_assert_eq(cJSON_GetArraySize(links), 1);
    const cJSON *link = cJSON_GetArrayItem(links, 0);
    cr_expect_str_eq(string_field(link, "role"), "waited on");
    cr_expect_str_eq(string_field(link, "kind"), "chan");
    cr_expect_eq(number_field(link, "id"), 1);
    cr_expect_str_eq(string_field(link, "state"), leak->witness.links[0].state);
    cr_expect(cJSON_IsNull(field(link, "site")));

    cJSON_Delete(root);
    free(text);
    release(j);
}

Test(json, absent_values_are_null_and_text_is_escaped) {
    judged j = judge(starts_panicker);
    char *line = chanfuzz_finding_json(NULL, j.findings, 0);
    cr_assert_not_null(line);
    cJSON *root = cJSON_Parse(line);
    cr_assert_not_null(root, "not JSON: %s", line);
    const char *nullable[] = {"scenario", "variant", "reproducer", "replay_command"};
    for (size_t i = 0; i < sizeof nullable / sizeof nullable[0]; i++)
        cr_expect(cJSON_IsNull(field(root, nullable[i])), "%s", nullable[i]);
    cr_expect_str_eq(string_field(root, "kind"), "panic");
    cr_expect_str_eq(string_field(root, "message"), "bad \"input\"\n\tat\\end");
    const cJSON *g = cJSON_GetArrayItem(field(root, "goroutines"), 0);
    cr_expect_str_eq(string_field(g, "state"), "failed");
    cr_expect(cJSON_IsNull(field(g, "wait_reason")));
    cr_expect(cJSON_IsNull(field(g, "object")));
    cr_expect_str_eq(string_field(field(root, "witness"), "kind"), "none");
    cr_expect_null(chanfuzz_finding_json(NULL, j.findings, 1), "out of range");
    cJSON_Delete(root);
    free(line);
    release(j);
}

Test(json, context_witness_links_carry_their_sites) {
    judged j = judge(loses_cancel);
    char *text = written(write_json, NULL, j.findings);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root);
    cr_expect_eq(cJSON_GetArraySize(field(root, "goroutines")), 0);
    const cJSON *links = field(field(root, "witness"), "links");
    cr_assert_eq(cJSON_GetArraySize(links), 2);
    const cJSON *context = cJSON_GetArrayItem(links, 0);
    cr_expect_str_eq(string_field(context, "role"), "context");
    cr_expect_str_eq(string_field(context, "kind"), "context");
    expect_site(field(context, "site"), "loses_cancel", ctx_line);
    cr_expect_str_eq(string_field(cJSON_GetArrayItem(links, 1), "kind"), "cancel_func");
    cJSON_Delete(root);
    free(text);
    release(j);
}

/* ---- SARIF ----------------------------------------------------------------------- */

Test(sarif, a_result_has_the_required_fields_and_points_at_the_real_line) {
    judged j = judge(timeout_fetch);
    char *text = written(write_sarif, &buggy, j.findings);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root, "not JSON: %s", text);
    cr_expect_str_eq(string_field(root, "version"), "2.1.0");
    cr_expect(strstr(string_field(root, "$schema"), "sarif") != NULL);
    const cJSON *run = cJSON_GetArrayItem(field(root, "runs"), 0);
    cr_assert_not_null(run);
    const cJSON *driver = field(field(run, "tool"), "driver");
    cr_expect_str_eq(string_field(driver, "name"), "chanfuzz");
    const cJSON *rules = field(driver, "rules");
    cr_assert_eq(cJSON_GetArraySize(rules), 1);
    cr_expect_str_eq(string_field(cJSON_GetArrayItem(rules, 0), "id"), "leak");

    const cJSON *results = field(run, "results");
    cr_assert_eq(cJSON_GetArraySize(results), 1);
    const cJSON *result = cJSON_GetArrayItem(results, 0);
    cr_expect_str_eq(string_field(result, "ruleId"), "leak");
    cr_expect_eq(number_field(result, "ruleIndex"), 0);
    cr_expect_str_eq(string_field(result, "level"), "error");
    cr_expect(strstr(string_field(field(result, "message"), "text"),
                     "leak in scenario timeout_worker (buggy)") != NULL);
    const cJSON *physical =
        field(cJSON_GetArrayItem(field(result, "locations"), 0), "physicalLocation");
    const char *uri = string_field(field(physical, "artifactLocation"), "uri");
    cr_expect_str_eq(uri, THIS_FILE);
    int line = (int)number_field(field(physical, "region"), "startLine");
    cr_expect_eq(line, send_line);
    char *source = source_line(uri, line);
    cr_expect(strstr(source, "go_send(fetched, 1)") != NULL, "line %d of %s is: %s", line, uri,
              source);
    free(source);

    const cJSON *related = cJSON_GetArrayItem(field(result, "relatedLocations"), 0);
    const cJSON *created = field(field(related, "physicalLocation"), "region");
    source = source_line(uri, (int)number_field(created, "startLine"));
    cr_expect(strstr(source, "go_go(timeout_worker") != NULL, "%s", source);
    free(source);

    char hash[17];
    chanfuzz_crash_state_hash(j.findings->items[0].crash_state, hash);
    cr_expect_str_eq(string_field(field(result, "partialFingerprints"), "chanfuzzCrashState/v1"),
                     hash);
    const cJSON *properties = field(result, "properties");
    cr_expect_str_eq(string_field(properties, "crashState"), j.findings->items[0].crash_state);
    cr_expect_str_eq(string_field(field(properties, "chanfuzz"), "kind"), "leak");
    cJSON_Delete(root);
    free(text);
    release(j);
}

Test(sarif, a_log_over_many_executions_keeps_one_result_per_crash_state) {
    chanfuzz_sarif *log = chanfuzz_sarif_new();
    cr_assert_not_null(log);
    judged leak1 = judge(timeout_fetch), leak2 = judge(timeout_fetch);
    judged crash = judge(starts_panicker), lost = judge(loses_cancel);
    cr_assert_eq(chanfuzz_sarif_add(log, &buggy, leak1.findings), 0);
    cr_assert_eq(chanfuzz_sarif_add(log, &buggy, leak2.findings), 0);
    cr_assert_eq(chanfuzz_sarif_add(log, NULL, crash.findings), 0);
    cr_assert_eq(chanfuzz_sarif_add(log, NULL, lost.findings), 0);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cr_assert_eq(chanfuzz_sarif_write(log, out), 0);
    fclose(out);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root);
    const cJSON *run = cJSON_GetArrayItem(field(root, "runs"), 0);
    const cJSON *rules = field(field(field(run, "tool"), "driver"), "rules");
    const cJSON *results = field(run, "results");
    cr_assert_eq(cJSON_GetArraySize(results), 3, "the repeated leak is one result");
    cr_assert_eq(cJSON_GetArraySize(rules), 3);
    /* Rules come in kind order; every result's ruleIndex names its rule. */
    cr_expect_str_eq(string_field(cJSON_GetArrayItem(rules, 0), "id"), "panic");
    cr_expect_str_eq(string_field(cJSON_GetArrayItem(rules, 1), "id"), "leak");
    cr_expect_str_eq(string_field(cJSON_GetArrayItem(rules, 2), "id"), "lost_cancel");
    const cJSON *result;
    cJSON_ArrayForEach(result, results) {
        int index = (int)number_field(result, "ruleIndex");
        cr_expect_str_eq(string_field(cJSON_GetArrayItem(rules, index), "id"),
                         string_field(result, "ruleId"));
    }
    /* An object finding is located where the object was made. */
    const cJSON *lost_result = cJSON_GetArrayItem(results, 2);
    cr_expect_str_eq(string_field(lost_result, "level"), "warning");
    const cJSON *physical =
        field(cJSON_GetArrayItem(field(lost_result, "locations"), 0), "physicalLocation");
    int line = (int)number_field(field(physical, "region"), "startLine");
    cr_expect_eq(line, ctx_line);
    char *source = source_line(string_field(field(physical, "artifactLocation"), "uri"), line);
    cr_expect(strstr(source, "go_with_cancel(") != NULL, "%s", source);
    free(source);
    cJSON_Delete(root);
    free(text);
    chanfuzz_sarif_free(log);
    release(leak1);
    release(leak2);
    release(crash);
    release(lost);
}

Test(sarif, no_findings_make_a_valid_empty_log) {
    go_exec *e = run_first(timeout_fetch, NULL);
    chanfuzz_ignore *ignore = chanfuzz_ignore_new();
    chanfuzz_ignore_created_by(ignore, "timeout_fetch");
    chanfuzz_findings *f = chanfuzz_detect(e, ignore);
    cr_assert_eq(f->count, 0);
    char *text = written(write_sarif, NULL, f);
    cJSON *root = cJSON_Parse(text);
    cr_assert_not_null(root);
    const cJSON *run = cJSON_GetArrayItem(field(root, "runs"), 0);
    cr_expect_eq(cJSON_GetArraySize(field(run, "results")), 0);
    cr_expect_eq(cJSON_GetArraySize(field(field(field(run, "tool"), "driver"), "rules")), 0);
    cJSON_Delete(root);
    free(text);
    chanfuzz_ignore_free(ignore);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- memory ---------------------------------------------------------------------- */

static void cycle_half(void *env) {
    go_recv(go_env_chan(env, 1));
    go_send(go_env_chan(env, 0), 1);
}

static void every_witness(void *arg) {
    go_chan *a = go_make_chan(0), *b = go_make_chan(0);
    go_go(cycle_half, go_closure(a, b));
    go_go(cycle_half, go_closure(b, a));
    go_go(timeout_worker, NULL);
    fetched = go_make_chan(0);
    go_map *registry = go_map_new();
    go_global_set("registry", registry);
    go_map_put(registry, 1, go_closure(go_alloc(16)));
    go_open("never-closed");
    loses_cancel(NULL);
}

Test(memory, detection_and_every_writer_leave_nothing_for_lsan) {
    go_func *scenarios[] = {timeout_fetch, starts_panicker, loses_cancel, every_witness};
    chanfuzz_sarif *log = chanfuzz_sarif_new();
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        judged j = judge(scenarios[i]);
        free(written(chanfuzz_write_text, &buggy, j.findings));
        free(written(write_json, &buggy, j.findings));
        free(written(write_sarif, &buggy, j.findings));
        cr_assert_eq(chanfuzz_sarif_add(log, &buggy, j.findings), 0);
        release(j);
    }
    FILE *sink = fopen("/dev/null", "w");
    cr_assert_eq(chanfuzz_sarif_write(log, sink), 0);
    fclose(sink);
    chanfuzz_sarif_free(log);
    chanfuzz_ignore *ignore = chanfuzz_ignore_new();
    cr_assert(chanfuzz_ignore_parse(ignore, "site:" THIS_FILE ":1"));
    chanfuzz_ignore_top_function(ignore, "x");
    chanfuzz_ignore_created_by(ignore, "y");
    chanfuzz_ignore_free(ignore);
#if UNDER_ASAN
    /* LSan's exit-time report does not fail a Criterion test: ask now. */
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "leaks left by detection or reports");
#endif
}
