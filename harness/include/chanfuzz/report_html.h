/* chanfuzz/report_html.h -- findings as one self-contained HTML page:
 * a sortable findings table grouped by crash state, and per finding the
 * schedule as a swimlane timeline, the witness as a graph, the growth
 * series; the run's figures. Everything inline (CSS, JS, SVG), nothing
 * from the network; the tables and text read without JS.
 *
 * The page is a view of the JSON report (harness/report/README.md): the
 * finding objects it is given are embedded verbatim, in a
 * <script type="application/json" id="chanfuzz-report">, and everything
 * drawn is drawn from them and from the schedule documents (the Chrome
 * trace events of chanfuzz/trace_json.h, from replaying the reproducer).
 *
 *     chanfuzz_html *page = chanfuzz_html_new("chanfuzz run timeout_worker");
 *     chanfuzz_html_add(page, finding_json, schedule_json, "0.02s into the run", NULL);
 *     chanfuzz_html_add_summary(page, summary_json);     (optional: figures)
 *     chanfuzz_html_write(page, out);
 *     chanfuzz_html_free(page);
 */
#ifndef CHANFUZZ_REPORT_HTML_H
#define CHANFUZZ_REPORT_HTML_H

#include <stdio.h>

typedef struct chanfuzz_html chanfuzz_html;

/* An empty page; NULL when out of memory. */
chanfuzz_html *chanfuzz_html_new(const char *title);

/* One finding: `finding_json` is one finding object of the JSON report
 * (a `--json` line, "format": "chanfuzz.finding/1", with or without run's
 * extra fields); `schedule_json` the trace-event document of its
 * reproducer's replay (chanfuzz_trace_json_text), or NULL, and then
 * `schedule_note` (may be NULL) says why there is none; `first_seen`
 * words such as "0.02s into the run" (may be NULL). Returns 0, or -1 when
 * a document is not the JSON it must be or memory ran out. */
int chanfuzz_html_add(chanfuzz_html *page, const char *finding_json, const char *schedule_json,
                      const char *first_seen, const char *schedule_note);

/* A summary line ("format": "chanfuzz.summary/1"): its `progress`
 * samples are drawn as the run's figures. Returns 0 or -1 as above. */
int chanfuzz_html_add_summary(chanfuzz_html *page, const char *summary_json);

/* Findings added so far. */
size_t chanfuzz_html_count(const chanfuzz_html *page);

/* Writes the page. Returns 0, or -1 when writing failed. */
int chanfuzz_html_write(const chanfuzz_html *page, FILE *out);

void chanfuzz_html_free(chanfuzz_html *page);

#endif
