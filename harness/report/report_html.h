/* report_html.h -- what the parts of the HTML report share. Private to
 * harness/report: report_html.c (the page and the findings table),
 * report_html_timeline.c, report_html_graph.c, report_html_figures.c.
 *
 * Every part draws from cJSON documents only -- the finding objects and
 * the trace-event documents -- so the page shows exactly what the JSON it
 * embeds says. */
#ifndef CF_REPORT_HTML_H
#define CF_REPORT_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* Text as HTML (or SVG) character data or attribute value: & < > " '
 * escaped. NULL writes nothing. */
void cf_html_text(FILE *out, const char *text);

/* printf, then the result escaped as cf_html_text does. */
void cf_html_textf(FILE *out, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* A string member of object, or `fallback` when absent or not a string. */
const char *cf_html_string(const cJSON *object, const char *key, const char *fallback);

/* A number member, or `fallback`. */
double cf_html_number(const cJSON *object, const char *key, double fallback);

/* "file:line (function)" of a site object into out; "" for null. */
void cf_html_site(char *out, size_t size, const cJSON *site);

/* Go's time.Duration words for ns: "5ms", "1.5s", "0s". */
void cf_html_duration(char *out, size_t size, double ns);

/* The schedule of finding `index` as an SVG swimlane timeline, drawn from
 * its trace-event document (chanfuzz/trace_json.h). */
void cf_html_timeline(FILE *out, const cJSON *schedule, int index);

/* The finding's witness as an SVG graph: goroutines, the objects they
 * wait on, the holder chain; sites on the nodes. */
void cf_html_graph(FILE *out, const cJSON *finding, int index);

/* A growth finding's series, one chart per growing site with the fitted
 * slope over the later half; nothing for other kinds. */
void cf_html_growth(FILE *out, const cJSON *finding);

/* The run's figures from the summaries' `progress` samples: executions
 * over time and findings over time. Nothing when no summary has any. */
void cf_html_figures(FILE *out, const cJSON *summaries);

/* One line chart (SVG): n points (x[i], y[i]); `steps` draws a staircase
 * (a count that jumps); `fit_from` >= 0 adds the least-squares line over
 * points fit_from..n-1 with the given slope. */
typedef struct cf_html_chart {
    const char *title, *x_label, *y_label;
    const double *x, *y;
    size_t n;
    bool steps;
    long fit_from;
    double fit_slope;
} cf_html_chart;
void cf_html_draw_chart(FILE *out, const cf_html_chart *chart);

#endif
