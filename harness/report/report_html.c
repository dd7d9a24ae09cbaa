/* report_html.c -- the HTML report's page: head, style, the findings
 * table (grouped by crash state, sortable by script), one section per
 * finding (its text, timeline, graph, growth), the run's figures, the
 * embedded JSON and the little script (chanfuzz/report_html.h).
 *
 * The tables and the text are written here, in C, so they read without
 * JS; the script only sorts the table. Nothing is loaded from anywhere:
 * no URL appears in the page but the fragment links between its parts. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/report_html.h>

#include "report_html.h"

struct chanfuzz_html {
    char *title;
    cJSON *entries;   /* per finding: {"finding", "schedule", "first_seen",
                         "schedule_note"} */
    cJSON *summaries; /* summary objects, in the order given */
};

/* ---- Shared helpers (report_html.h) ------------------------------------- */

void cf_html_text(FILE *out, const char *text) {
    for (const char *c = text; c && *c; c++) {
        switch (*c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*c, out); break;
        }
    }
}

void cf_html_textf(FILE *out, const char *format, ...) {
    char text[4096];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    cf_html_text(out, text);
}

const char *cf_html_string(const cJSON *object, const char *key, const char *fallback) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsString(item) ? item->valuestring : fallback;
}

double cf_html_number(const cJSON *object, const char *key, double fallback) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
    return cJSON_IsNumber(item) ? item->valuedouble : fallback;
}

void cf_html_site(char *out, size_t size, const cJSON *site) {
    out[0] = '\0';
    if (!cJSON_IsObject(site)) return;
    snprintf(out, size, "%s:%d (%s)", cf_html_string(site, "file", "?"),
             (int)cf_html_number(site, "line", 0), cf_html_string(site, "function", "?"));
}

void cf_html_duration(char *out, size_t size, double ns) {
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{3600e9, "h"}, {60e9, "m"}, {1e9, "s"}, {1e6, "ms"}, {1e3, "us"}, {1, "ns"}};
    if (ns <= 0) {
        snprintf(out, size, "0s");
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (ns >= units[i].scale || units[i].scale == 1) {
            snprintf(out, size, "%.4g%s", ns / units[i].scale, units[i].unit);
            return;
        }
}

/* ---- Building the page ---------------------------------------------------- */

chanfuzz_html *chanfuzz_html_new(const char *title) {
    chanfuzz_html *page = calloc(1, sizeof *page);
    if (!page) return NULL;
    page->title = strdup(title ? title : "chanfuzz report");
    page->entries = cJSON_CreateArray();
    page->summaries = cJSON_CreateArray();
    if (!page->title || !page->entries || !page->summaries) {
        chanfuzz_html_free(page);
        return NULL;
    }
    return page;
}

void chanfuzz_html_free(chanfuzz_html *page) {
    if (!page) return;
    free(page->title);
    cJSON_Delete(page->entries);
    cJSON_Delete(page->summaries);
    free(page);
}

size_t chanfuzz_html_count(const chanfuzz_html *page) {
    return (size_t)cJSON_GetArraySize(page->entries);
}

/* A schedule longer than this many runtime events is drawn (and kept in
 * the page) from its last CF_HTML_WINDOW events: where a leak ends up.
 * Each goroutine's last event is kept even before that, so a lane that
 * blocked early still shows where. A catalogue finding's schedule has
 * at most ~1,600 events; a step-budget run has 10,000. */
#define CF_HTML_WINDOW 2000

static bool last_of_its_goroutine(const cJSON *event) {
    double tid = cf_html_number(event, "tid", 0);
    for (const cJSON *later = event->next; later; later = later->next)
        if (!strcmp(cf_html_string(later, "ph", ""), "i") &&
            cf_html_number(later, "tid", -1) == tid)
            return false;
    return true;
}

static void trim_schedule(cJSON *schedule) {
    cJSON *events = cJSON_GetObjectItemCaseSensitive(schedule, "traceEvents");
    double last = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, events) {
        double end = cf_html_number(e, "ts", 0) + cf_html_number(e, "dur", 0);
        if (end > last) last = end;
    }
    if (last <= CF_HTML_WINDOW) return;
    double window_start = last - CF_HTML_WINDOW, dropped = 0;
    for (cJSON *item = events->child, *next; item; item = next) {
        next = item->next;
        const char *ph = cf_html_string(item, "ph", "");
        double end = cf_html_number(item, "ts", 0) + cf_html_number(item, "dur", 0);
        bool keep = !strcmp(ph, "M") || end >= window_start ||
                    (!strcmp(ph, "i") && last_of_its_goroutine(item));
        if (!keep) {
            cJSON_Delete(cJSON_DetachItemViaPointer(events, item));
            dropped++;
        }
    }
    cJSON *other = cJSON_GetObjectItemCaseSensitive(schedule, "otherData");
    if (!other) cJSON_AddItemToObject(schedule, "otherData", other = cJSON_CreateObject());
    cJSON_AddNumberToObject(other, "window_start", window_start);
    cJSON_AddNumberToObject(other, "events_left_out", dropped);
}

static cJSON *string_or_null(const char *text) {
    return text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

int chanfuzz_html_add(chanfuzz_html *page, const char *finding_json, const char *schedule_json,
                      const char *first_seen, const char *schedule_note) {
    cJSON *finding = cJSON_Parse(finding_json);
    cJSON *schedule = schedule_json ? cJSON_Parse(schedule_json) : cJSON_CreateNull();
    cJSON *entry = cJSON_CreateObject();
    bool ok = cJSON_IsObject(finding) && schedule && entry &&
              (!schedule_json || cJSON_IsObject(schedule));
    if (ok) {
        if (schedule_json) trim_schedule(schedule);
        cJSON_AddItemToObject(entry, "finding", finding);
        cJSON_AddItemToObject(entry, "schedule", schedule);
        finding = schedule = NULL;
        ok = cJSON_AddItemToObject(entry, "first_seen", string_or_null(first_seen)) &&
             cJSON_AddItemToObject(entry, "schedule_note", string_or_null(schedule_note)) &&
             cJSON_AddItemToArray(page->entries, entry);
        if (ok) entry = NULL;
    }
    cJSON_Delete(finding);
    cJSON_Delete(schedule);
    cJSON_Delete(entry);
    return ok ? 0 : -1;
}

int chanfuzz_html_add_summary(chanfuzz_html *page, const char *summary_json) {
    cJSON *summary = cJSON_Parse(summary_json);
    if (!cJSON_IsObject(summary) || !cJSON_AddItemToArray(page->summaries, summary)) {
        cJSON_Delete(summary);
        return -1;
    }
    return 0;
}

/* ---- The findings table ----------------------------------------------------- */

static const cJSON *entry_finding(const cJSON *entry) {
    return cJSON_GetObjectItemCaseSensitive(entry, "finding");
}

/* Entries in table order: grouped by crash state, groups in the order
 * their first finding was added, as the run reports them. */
static size_t group_order(const cJSON *entries, const cJSON **order, size_t count) {
    size_t placed = 0;
    bool *done = calloc(count ? count : 1, sizeof *done);
    if (!done) abort();
    for (size_t i = 0; i < count; i++) {
        if (done[i]) continue;
        const char *state = cf_html_string(entry_finding(cJSON_GetArrayItem(entries, (int)i)),
                                           "crash_state", "");
        for (size_t k = i; k < count; k++) {
            const cJSON *other = cJSON_GetArrayItem(entries, (int)k);
            if (!done[k] && !strcmp(cf_html_string(entry_finding(other), "crash_state", ""),
                                    state)) {
                done[k] = true;
                order[placed++] = other;
            }
        }
    }
    free(done);
    return placed;
}

static int entry_index(const cJSON *entries, const cJSON *entry) {
    int i = 0;
    for (const cJSON *e = entries->child; e; e = e->next, i++)
        if (e == entry) return i;
    return -1;
}

static void cell(FILE *out, const char *cls, const char *text, const char *sort_key) {
    fprintf(out, "<td class=\"%s\"", cls);
    if (sort_key) {
        fputs(" data-sort=\"", out);
        cf_html_text(out, sort_key);
        fputc('"', out);
    }
    fputc('>', out);
    if (text) cf_html_text(out, text);
    else fputs("&#8211;", out);
    fputs("</td>", out);
}

static void write_table(FILE *out, const cJSON *entries) {
    size_t count = (size_t)cJSON_GetArraySize(entries);
    fprintf(out, "<section id=\"findings\"><h2>Findings (%zu)</h2>\n", count);
    if (!count) {
        fputs("<p class=\"clean\">No findings.</p></section>\n", out);
        return;
    }
    const cJSON **order = calloc(count, sizeof *order);
    if (!order) abort();
    group_order(entries, order, count);
    fputs("<table id=\"findings-table\" class=\"sortable\"><thead><tr>"
          "<th data-type=\"text\">kind</th><th data-type=\"text\">scenario or Go test</th>"
          "<th data-type=\"text\">variant</th><th data-type=\"text\">crash state</th>"
          "<th data-type=\"text\">first seen</th><th data-type=\"number\">executions to find</th>"
          "<th data-type=\"text\">reproducer</th><th data-type=\"text\">replay command</th>"
          "</tr></thead>\n",
          out);
    const char *group = NULL;
    for (size_t i = 0; i < count; i++) {
        const cJSON *entry = order[i], *f = entry_finding(entry);
        const char *state = cf_html_string(f, "crash_state", "");
        if (!group || strcmp(group, state)) {
            if (group) fputs("</tbody>\n", out);
            group = state;
            fputs("<tbody class=\"group\"><tr class=\"group-head\"><th colspan=\"8\">"
                  "<span class=\"hash\">",
                  out);
            cf_html_text(out, cf_html_string(f, "crash_state_hash", ""));
            fputs("</span> ", out);
            cf_html_text(out, state);
            fputs("</th></tr>\n", out);
        }
        int index = entry_index(entries, entry);
        fprintf(out, "<tr class=\"finding-row\" data-finding=\"%d\">", index);
        fprintf(out, "<td class=\"kind\" data-sort=\"");
        cf_html_text(out, cf_html_string(f, "kind", ""));
        fprintf(out, "\"><a href=\"#finding-%d\">", index);
        cf_html_text(out, cf_html_string(f, "kind_name", cf_html_string(f, "kind", "?")));
        fputs("</a></td>", out);
        cell(out, "scenario", cf_html_string(f, "scenario", NULL), NULL);
        cell(out, "variant", cf_html_string(f, "variant", NULL), NULL);
        cell(out, "crash-state", state, NULL);
        cell(out, "first-seen", cf_html_string(entry, "first_seen", NULL), NULL);
        double found_at = cf_html_number(f, "found_at_execution", -1);
        char executions[32], key[32];
        snprintf(executions, sizeof executions, "%.0f", found_at);
        snprintf(key, sizeof key, "%.0f", found_at < 0 ? 1e18 : found_at);
        cell(out, "executions", found_at < 0 ? NULL : executions, key);
        cell(out, "reproducer", cf_html_string(f, "reproducer", NULL), NULL);
        fputs("<td class=\"replay\">", out);
        const char *replay = cf_html_string(f, "replay_command", NULL);
        if (replay) {
            fputs("<code>", out);
            cf_html_text(out, replay);
            fputs("</code>", out);
        } else {
            fputs("&#8211;", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></section>\n", out);
    free(order);
}

/* ---- One finding's section --------------------------------------------------- */

static void write_goroutines(FILE *out, const cJSON *f) {
    const cJSON *goroutines = cJSON_GetObjectItemCaseSensitive(f, "goroutines");
    if (!cJSON_GetArraySize(goroutines)) return;
    fputs("<table class=\"goroutines\"><thead><tr><th>goroutine</th><th>state</th>"
          "<th>waits</th><th>at</th><th>on</th><th>created at</th></tr></thead><tbody>\n",
          out);
    const cJSON *g;
    cJSON_ArrayForEach(g, goroutines) {
        char site[600], created[600] = "";
        cf_html_site(site, sizeof site, cJSON_GetObjectItemCaseSensitive(g, "wait_site"));
        const cJSON *by = cJSON_GetObjectItemCaseSensitive(g, "created_by");
        if (cJSON_IsObject(by)) {
            char where[560];
            cf_html_site(where, sizeof where, cJSON_GetObjectItemCaseSensitive(by, "site"));
            snprintf(created, sizeof created, "%s, by goroutine %.0f", where,
                     cf_html_number(by, "goroutine", 0));
        }
        const cJSON *object = cJSON_GetObjectItemCaseSensitive(g, "object");
        char on[600] = "";
        if (cJSON_IsObject(object))
            snprintf(on, sizeof on, "%s#%.0f (%s)", cf_html_string(object, "kind", "?"),
                     cf_html_number(object, "id", 0), cf_html_string(object, "state", ""));
        fprintf(out, "<tr><td>%.0f <span class=\"entry\">", cf_html_number(g, "id", 0));
        cf_html_text(out, cf_html_string(g, "entry", ""));
        fputs("</span></td>", out);
        cell(out, "state", cf_html_string(g, "state", NULL), NULL);
        cell(out, "wait", cf_html_string(g, "wait_reason", NULL), NULL);
        cell(out, "site", site[0] ? site : NULL, NULL);
        cell(out, "object", on[0] ? on : NULL, NULL);
        cell(out, "created", created[0] ? created : NULL, NULL);
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

static void write_finding(FILE *out, const cJSON *entry, int index) {
    const cJSON *f = entry_finding(entry);
    fprintf(out, "<section class=\"finding\" id=\"finding-%d\">\n<h2>", index);
    cf_html_text(out, cf_html_string(f, "kind_name", "?"));
    fputs(" in ", out);
    cf_html_text(out, cf_html_string(f, "scenario", "?"));
    fputs(" (", out);
    cf_html_text(out, cf_html_string(f, "variant", "?"));
    fputs("): ", out);
    cf_html_text(out, cf_html_string(f, "message", ""));
    fputs("</h2>\n<dl class=\"facts\">", out);
    static const struct {
        const char *label, *key;
    } facts[] = {{"crash state", "crash_state"}, {"title", "title"},
                 {"reproducer", "reproducer"}, {"replay", "replay_command"},
                 {"found by", "found_by"}};
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        const char *value = cf_html_string(f, facts[i].key, NULL);
        if (!value) continue;
        fprintf(out, "<dt>%s</dt><dd>", facts[i].label);
        cf_html_text(out, value);
        fputs("</dd>", out);
    }
    const cJSON *witness = cJSON_GetObjectItemCaseSensitive(f, "witness");
    fputs("<dt>witness</dt><dd>", out);
    cf_html_text(out, cf_html_string(witness, "summary", ""));
    fputs("</dd></dl>\n", out);
    write_goroutines(out, f);
    const cJSON *schedule = cJSON_GetObjectItemCaseSensitive(entry, "schedule");
    fputs("<h3>Schedule</h3>\n", out);
    if (cJSON_IsObject(schedule)) {
        cf_html_timeline(out, schedule, index);
    } else {
        fputs("<p class=\"note\">No timeline: ", out);
        cf_html_text(out, cf_html_string(entry, "schedule_note", "no reproducer was replayed"));
        fputs(".</p>\n", out);
    }
    fputs("<h3>Witness</h3>\n", out);
    cf_html_graph(out, f, index);
    cf_html_growth(out, f);
    fputs("</section>\n", out);
}

/* ---- The page ------------------------------------------------------------------ */

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2330;"
    "background:#fafbfc}"
    "header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}"
    "header p{margin:4px 0 0;color:#c6cbd6}"
    "main{padding:8px 24px 40px}section{margin:18px 0}"
    "h2{font-size:17px;border-bottom:1px solid #d8dce4;padding-bottom:4px}h3{font-size:15px}"
    "table{border-collapse:collapse;background:#fff;font-size:13px}"
    "th,td{border:1px solid #d8dce4;padding:4px 7px;text-align:left;vertical-align:top}"
    "thead th{background:#eef1f6;cursor:pointer;user-select:none}"
    "thead th.asc:after{content:' \\25B2'}thead th.desc:after{content:' \\25BC'}"
    "tr.group-head th{background:#fff6e0;font-weight:600;font-family:ui-monospace,monospace;"
    "font-size:12px}"
    ".hash{color:#8a6d1f;margin-right:6px}code,.reproducer,.crash-state{font-family:ui-monospace,"
    "monospace;font-size:12px}"
    "#findings-table{width:100%;table-layout:auto}td.crash-state{min-width:280px;max-width:420px}"
    "td.reproducer,td.replay code,td.crash-state,td.site,td.created,tr.group-head th,"
    "dl.facts dd{overflow-wrap:anywhere}"
    "dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 12px}"
    "dl.facts dt{font-weight:600;color:#555}dl.facts dd{margin:0;font-family:ui-monospace,"
    "monospace;font-size:12px}"
    ".scroll{overflow-x:auto;border:1px solid #d8dce4;background:#fff;max-width:100%}"
    ".note,.clean{color:#666}.entry{color:#666;font-family:ui-monospace,monospace}"
    ".legend{font-size:12px;color:#555}.legend span{margin-right:14px}"
    "svg text{font-family:ui-monospace,monospace}"
    ".lane-line{stroke:#4a7bd0;stroke-width:2}.lane-label{font-size:11px;fill:#1d2330}"
    ".run-span{fill:#4a7bd0;opacity:.85}"
    ".blocked-span{fill:url(#hatch);stroke:#c0392b;stroke-width:1}"
    ".blocked-forever{fill:url(#hatch-forever);stroke:#c0392b;stroke-dasharray:3 2}"
    ".mark{cursor:help}.mark:hover *{stroke:#000;stroke-width:2}"
    ".op-chan{fill:#2e86de}.op-select{fill:#8e44ad}.op-lock{fill:#d35400}"
    ".op-timer{fill:#16a085}.op-spawn{fill:#27ae60}.op-exit{fill:#555}"
    ".op-block{fill:#c0392b}.op-panic{fill:#e31a1c}.op-wake{fill:#f1c40f}.op-other{fill:#95a5a6}"
    ".time-jump{stroke:#16a085;stroke-dasharray:4 3}.time-jump-label{font-size:10px;fill:#16a085}"
    ".link-line{stroke:#aaa;stroke-width:1}"
    ".node rect{stroke:#333;stroke-width:1}.node-goroutine rect{fill:#fde2e0}"
    ".node-object rect{fill:#e3eefc}.node-root rect{fill:#f3f3f3}"
    ".node text{font-size:11px}.node .site{fill:#555;font-size:10px}"
    ".edge path{fill:none;stroke:#555;stroke-width:1.3}.edge-waits path{stroke:#c0392b}"
    ".edge text{font-size:10px;fill:#333}"
    ".chart .axis{stroke:#888}.chart .series{fill:none;stroke:#2e86de;stroke-width:2}"
    ".chart .fit{stroke:#c0392b;stroke-dasharray:5 3;stroke-width:1.5}"
    ".chart text{font-size:11px;fill:#333}.chart .dot{fill:#2e86de}";

/* Sorts the findings table by a column: groups by their first row, rows
 * within a group; numbers by data-sort, text by content. */
static const char script[] =
    "(function(){var t=document.getElementById('findings-table');"
    "if(!t){document.documentElement.setAttribute('data-report-script','ready');return;}"
    "var heads=t.tHead.rows[0].cells;"
    "function key(row,i,num){var c=row.cells[i];var v=c.getAttribute('data-sort');"
    "if(v===null)v=c.textContent;return num?parseFloat(v):v.toLowerCase();}"
    "function cmp(a,b){return a<b?-1:a>b?1:0;}"
    "Array.prototype.forEach.call(heads,function(h,i){h.addEventListener('click',function(){"
    "var num=h.getAttribute('data-type')==='number';var dir=h.classList.contains('asc')?-1:1;"
    "Array.prototype.forEach.call(heads,function(x){x.classList.remove('asc','desc');});"
    "h.classList.add(dir>0?'asc':'desc');"
    "var groups=Array.prototype.slice.call(t.tBodies);"
    "groups.forEach(function(g){var rows=Array.prototype.slice.call("
    "g.querySelectorAll('tr.finding-row'));rows.sort(function(a,b){"
    "return dir*cmp(key(a,i,num),key(b,i,num));});rows.forEach(function(r){g.appendChild(r);});});"
    "groups.sort(function(a,b){return dir*cmp(key(a.querySelector('tr.finding-row'),i,num),"
    "key(b.querySelector('tr.finding-row'),i,num));});"
    "groups.forEach(function(g){t.appendChild(g);});});});"
    "document.documentElement.setAttribute('data-report-script','ready');})();";

/* The embedded JSON. '<' appears in JSON only inside strings, and written
 * as \u003c there it can neither end the script element ("</script>")
 * nor switch the tokenizer into its escaped states ("<!--", "<script"). */
static void write_embedded(FILE *out, const cJSON *document) {
    char *text = cJSON_PrintUnformatted(document);
    if (!text) abort();
    fputs("<script type=\"application/json\" id=\"chanfuzz-report\">", out);
    for (const char *c = text; *c; c++) {
        if (*c == '<') fputs("\\u003c", out);
        else fputc(*c, out);
    }
    fputs("</script>\n", out);
    free(text);
}

int chanfuzz_html_write(const chanfuzz_html *page, FILE *out) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"generator\" content=\"chanfuzz\">\n<title>",
          out);
    cf_html_text(out, page->title);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<header><h1>", style);
    cf_html_text(out, page->title);
    size_t count = chanfuzz_html_count(page);
    fprintf(out, "</h1><p>%zu finding%s. Every picture is drawn from the JSON report embedded "
                 "in this page (#chanfuzz-report) and from the replayed reproducers.</p>"
                 "</header>\n<main>\n",
            count, count == 1 ? "" : "s");
    write_table(out, page->entries);
    cf_html_figures(out, page->summaries);
    int index = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, page->entries) write_finding(out, entry, index++);
    fputs("</main>\n", out);
    cJSON *document = cJSON_CreateObject();
    if (!document) abort();
    cJSON_AddStringToObject(document, "format", "chanfuzz.report/1");
    cJSON_AddStringToObject(document, "title", page->title);
    cJSON_AddItemReferenceToObject(document, "findings", page->entries);
    cJSON_AddItemReferenceToObject(document, "summaries", page->summaries);
    write_embedded(out, document);
    cJSON_Delete(document);
    fprintf(out, "<script>%s</script>\n</body></html>\n", script);
    return ferror(out) ? -1 : 0;
}
