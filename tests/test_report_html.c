/* test_report_html.c -- the HTML page's contract (chanfuzz/report_html.h)
 * on documents made by hand: bad documents are refused, text from the
 * program (crash states, sites, globals' names) cannot become markup or
 * end the embedded JSON early, a long schedule is kept from its last
 * events, and every witness kind draws its graph. The page of a real
 * finding in a real browser is tests/report/. */
#define _GNU_SOURCE /* open_memstream */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/report_html.h>

static char *page_text(const chanfuzz_html *page) {
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    cr_assert(out);
    cr_assert_eq(chanfuzz_html_write(page, out), 0);
    fclose(out);
    return text;
}

/* The embedded report, parsed back. */
static cJSON *embedded(const char *text) {
    const char *start = strstr(text, "id=\"chanfuzz-report\">");
    cr_assert(start);
    start = strchr(start, '>') + 1;
    const char *end = strstr(start, "</script>");
    cr_assert(end);
    char *json = strndup(start, (size_t)(end - start));
    cJSON *document = cJSON_Parse(json);
    free(json);
    cr_assert(document, "the embedded report is not JSON");
    return document;
}

static const char hostile[] =
    "{\"format\":\"chanfuzz.finding/1\",\"kind\":\"unreleased_closure\","
    "\"kind_name\":\"unreleased closure\",\"scenario\":\"x\",\"variant\":\"buggy\","
    "\"crash_state\":\"unreleased closure: closure at x.c:9 (f) held by global "
    "\\\"</script><script>alert(1)</script><b>\\\"\",\"crash_state_hash\":\"0123456789abcdef\","
    "\"message\":\"1 closure\",\"goroutines\":[],\"growth\":[],"
    "\"witness\":{\"kind\":\"holder_chain\",\"summary\":\"s\",\"links\":["
    "{\"role\":\"root\",\"kind\":\"none\",\"id\":0,\"state\":\"global \\\"<i>r</i>\\\"\",\"site\":null},"
    "{\"role\":\"held\",\"kind\":\"closure\",\"id\":1,\"state\":\"1 captures\","
    "\"site\":{\"file\":\"x.c\",\"line\":9,\"function\":\"f\"}},"
    "{\"role\":\"retained\",\"kind\":\"heap\",\"id\":4,\"state\":\"64 bytes\",\"site\":null}]}}";

Test(report_html, refuses_documents_that_are_not_what_they_must_be) {
    chanfuzz_html *page = chanfuzz_html_new("t");
    cr_assert_eq(chanfuzz_html_add(page, "not json", NULL, NULL, NULL), -1);
    cr_assert_eq(chanfuzz_html_add(page, "[1]", NULL, NULL, NULL), -1);
    cr_assert_eq(chanfuzz_html_add(page, hostile, "[]", NULL, NULL), -1, "a schedule array");
    cr_assert_eq(chanfuzz_html_add_summary(page, "{"), -1);
    cr_assert_eq(chanfuzz_html_count(page), 0);
    chanfuzz_html_free(page);
}

Test(report_html, program_text_never_becomes_markup) {
    chanfuzz_html *page = chanfuzz_html_new("<title> & co");
    cr_assert_eq(chanfuzz_html_add(page, hostile, NULL, "now", "no reproducer here"), 0);
    char *text = page_text(page);
    cr_assert_null(strstr(text, "<script>alert"), "a crash state became a script");
    cr_assert_null(strstr(text, "<b>"));
    cr_assert_null(strstr(text, "<i>r</i>"));
    cr_assert(strstr(text, "&lt;b&gt;"), "the crash state is not shown escaped");
    cr_assert(strstr(text, "&lt;title&gt; &amp; co"));
    /* One script element of data, one of code: nothing closed the first. */
    size_t scripts = 0;
    for (const char *at = text; (at = strstr(at, "</script>")); at++) scripts++;
    cr_assert_eq(scripts, 2);
    cJSON *document = embedded(text);
    const cJSON *entry = cJSON_GetArrayItem(cJSON_GetObjectItem(document, "findings"), 0);
    cJSON *original = cJSON_Parse(hostile);
    cr_assert(cJSON_Compare(cJSON_GetObjectItem(entry, "finding"), original, true),
              "the embedded finding is not the one given");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(entry, "schedule_note")),
                     "no reproducer here");
    cr_assert(strstr(text, "No timeline: no reproducer here."));
    /* The holder chain: root -> closure (holds), closure -> heap (retains). */
    cr_assert(strstr(text, "data-from=\"root0\" data-to=\"closure#1\" data-label=\"holds\""));
    cr_assert(strstr(text, "data-from=\"closure#1\" data-to=\"heap#4\" data-label=\"retains\""));
    cJSON_Delete(original);
    cJSON_Delete(document);
    free(text);
    chanfuzz_html_free(page);
}

Test(report_html, wait_cycle_edges_come_from_the_summary) {
    const char *cycle =
        "{\"format\":\"chanfuzz.finding/1\",\"kind\":\"partial_deadlock\",\"crash_state\":\"c\","
        "\"goroutines\":[{\"id\":2,\"wait_reason\":\"chan receive\",\"wait_site\":null,"
        "\"object\":{\"kind\":\"chan\",\"id\":2,\"state\":\"s\"}}],"
        "\"witness\":{\"kind\":\"cycle\",\"summary\":\"wait cycle: goroutine 2 waits on chan#2, "
        "reachable from goroutine 3; goroutine 3 waits on mutex#1, reachable from goroutine 2\",\"links\":["
        "{\"role\":\"waited on\",\"kind\":\"chan\",\"id\":2,\"state\":\"\",\"site\":null},"
        "{\"role\":\"waited on\",\"kind\":\"mutex\",\"id\":1,\"state\":\"\",\"site\":null}]}}";
    chanfuzz_html *page = chanfuzz_html_new("t");
    cr_assert_eq(chanfuzz_html_add(page, cycle, NULL, NULL, NULL), 0);
    char *text = page_text(page);
    static const char *const edges[] = {
        "data-from=\"g2\" data-to=\"chan#2\" data-label=\"waits on\"",
        "data-from=\"g3\" data-to=\"chan#2\" data-label=\"reaches\"",
        "data-from=\"g3\" data-to=\"mutex#1\" data-label=\"waits on\"",
        "data-from=\"g2\" data-to=\"mutex#1\" data-label=\"reaches\""};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        cr_assert(strstr(text, edges[i]), "missing edge %s", edges[i]);
    free(text);
    chanfuzz_html_free(page);
}

Test(report_html, a_long_schedule_keeps_its_end_and_every_goroutines_last_event) {
    /* Goroutine 2 blocks at event 1; goroutine 1 then runs 5,000 events. */
    cJSON *schedule = cJSON_CreateObject(), *events = cJSON_AddArrayToObject(schedule, "traceEvents");
    for (int ts = 1; ts <= 5001; ts++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "ph", "i");
        cJSON_AddStringToObject(e, "cat", ts == 1 ? "block" : "close");
        cJSON_AddStringToObject(e, "name", ts == 1 ? "block [chan send]" : "close");
        cJSON_AddNumberToObject(e, "ts", ts);
        cJSON_AddNumberToObject(e, "tid", ts == 1 ? 2 : 1);
        cJSON_AddItemToObject(e, "args", cJSON_CreateObject());
        cJSON_AddItemToArray(events, e);
    }
    char *schedule_json = cJSON_PrintUnformatted(schedule);
    chanfuzz_html *page = chanfuzz_html_new("t");
    cr_assert_eq(chanfuzz_html_add(page, hostile, schedule_json, NULL, NULL), 0);
    char *text = page_text(page);
    cJSON *document = embedded(text);
    const cJSON *kept = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(document, "findings"), 0), "schedule"), "traceEvents");
    cr_assert_eq(cJSON_GetArraySize(kept), 2001 + 1, "the last 2,000 units and g2's block");
    cr_assert(strstr(text, "data-goroutine=\"2\" data-start=\"3001\""), "g2's lane not clipped");
    cr_assert(strstr(text, "data-end-kind=\"blocked\" data-end-event=\"block [chan send]\""));
    cr_assert(strstr(text, "2999 earlier events are left out"));
    cJSON_Delete(document);
    cJSON_Delete(schedule);
    free(schedule_json);
    free(text);
    chanfuzz_html_free(page);
}
