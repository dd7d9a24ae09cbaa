/* report_html_figures.c -- the HTML report's charts: the run's
 * executions and findings over (wall-clock) time, from the summaries'
 * `progress` samples ([seconds, executions, findings], harness/cli/README.md),
 * and a growth finding's series per site with the slope the detector
 * fitted over the later half of the checkpoints (detect_growth.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

enum { CHART_WIDTH = 480, CHART_HEIGHT = 230, LEFT = 64, RIGHT = 16, TOP = 28, BELOW = 40 };

static void bounds(const double *v, size_t n, double *low, double *high) {
    *low = 0, *high = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < *low) *low = v[i];
        if (v[i] > *high) *high = v[i];
    }
    if (*high <= *low) *high = *low + 1;
}

void cf_html_draw_chart(FILE *out, const cf_html_chart *c) {
    double x_low, x_high, y_low, y_high;
    bounds(c->x, c->n, &x_low, &x_high);
    bounds(c->y, c->n, &y_low, &y_high);
    double plot_w = CHART_WIDTH - LEFT - RIGHT, plot_h = CHART_HEIGHT - TOP - BELOW;
#define PX(v) (LEFT + ((v) - x_low) / (x_high - x_low) * plot_w)
#define PY(v) (TOP + plot_h - ((v) - y_low) / (y_high - y_low) * plot_h)
    fprintf(out, "<svg class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                 "role=\"img\" data-points=\"%zu\" aria-label=\"",
            CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT, c->n);
    cf_html_text(out, c->title);
    fprintf(out, "\"><text x=\"%d\" y=\"16\" font-weight=\"bold\">", LEFT);
    cf_html_text(out, c->title);
    fprintf(out, "</text><line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
                 "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/>",
            LEFT, TOP + plot_h, LEFT + plot_w, TOP + plot_h, LEFT, TOP, LEFT, TOP + plot_h);
    fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>"
                 "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>",
            LEFT - 4, TOP + plot_h, y_low, LEFT - 4, TOP + 8, y_high);
    fprintf(out, "<text x=\"%d\" y=\"%.1f\">%.4g</text>"
                 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>",
            LEFT, TOP + plot_h + 14, x_low, LEFT + plot_w, TOP + plot_h + 14, x_high);
    fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", LEFT + plot_w / 2,
            CHART_HEIGHT - 6);
    cf_html_text(out, c->x_label);
    fprintf(out, "</text><text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" "
                 "text-anchor=\"middle\">",
            TOP + plot_h / 2, TOP + plot_h / 2);
    cf_html_text(out, c->y_label);
    fputs("</text><polyline class=\"series\" points=\"", out);
    for (size_t i = 0; i < c->n; i++) {
        if (c->steps && i) fprintf(out, "%.1f,%.1f ", PX(c->x[i]), PY(c->y[i - 1]));
        fprintf(out, "%.1f,%.1f ", PX(c->x[i]), PY(c->y[i]));
    }
    fputs("\"/>", out);
    for (size_t i = 0; i < c->n && c->n <= 60; i++) {
        fprintf(out, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"><title>", PX(c->x[i]),
                PY(c->y[i]));
        cf_html_textf(out, "%s %.4g: %s %.6g", c->x_label, c->x[i], c->y_label, c->y[i]);
        fputs("</title></circle>", out);
    }
    if (c->fit_from >= 0 && (size_t)c->fit_from < c->n) {
        /* The least-squares line passes through the mean of the points it
         * was fitted on, with the detector's slope. */
        size_t from = (size_t)c->fit_from, count = c->n - from;
        double mean_x = 0, mean_y = 0;
        for (size_t i = from; i < c->n; i++) mean_x += c->x[i], mean_y += c->y[i];
        mean_x /= (double)count, mean_y /= (double)count;
        double xa = c->x[from], xb = c->x[c->n - 1];
        double ya = mean_y + c->fit_slope * (xa - mean_x), yb = mean_y + c->fit_slope * (xb - mean_x);
        fprintf(out, "<line class=\"fit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\">"
                     "<title>least-squares slope %+.3g per checkpoint over the later half</title>"
                     "</line>",
                PX(xa), PY(ya), PX(xb), PY(yb), c->fit_slope);
    }
    fputs("</svg>\n", out);
#undef PX
#undef PY
}

void cf_html_figures(FILE *out, const cJSON *summaries) {
    size_t n = 0;
    const cJSON *summary;
    cJSON_ArrayForEach(summary, summaries)
        n += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(summary, "progress"));
    if (!n) return;
    double *seconds = calloc(n, sizeof *seconds), *executions = calloc(n, sizeof *executions),
           *findings = calloc(n, sizeof *findings);
    if (!seconds || !executions || !findings) abort();
    /* Summaries after the first continue its clock and counts. */
    size_t at = 0;
    double seconds_base = 0, executions_base = 0, findings_base = 0;
    cJSON_ArrayForEach(summary, summaries) {
        const cJSON *sample;
        double last_s = 0, last_e = 0, last_f = 0;
        cJSON_ArrayForEach(sample, cJSON_GetObjectItemCaseSensitive(summary, "progress")) {
            if (cJSON_GetArraySize(sample) < 3) continue;
            last_s = cJSON_GetArrayItem(sample, 0)->valuedouble;
            last_e = cJSON_GetArrayItem(sample, 1)->valuedouble;
            last_f = cJSON_GetArrayItem(sample, 2)->valuedouble;
            seconds[at] = seconds_base + last_s;
            executions[at] = executions_base + last_e;
            findings[at] = findings_base + last_f;
            at++;
        }
        seconds_base += last_s, executions_base += last_e, findings_base += last_f;
    }
    fputs("<section id=\"figures\"><h2>The run</h2>\n<div class=\"charts\">\n", out);
    cf_html_chart executions_chart = {"executions over time", "seconds", "executions", seconds,
                                      executions, at, false, -1, 0};
    cf_html_chart findings_chart = {"findings over time", "seconds", "distinct findings", seconds,
                                    findings, at, true, -1, 0};
    cf_html_draw_chart(out, &executions_chart);
    cf_html_draw_chart(out, &findings_chart);
    fprintf(out, "</div><p class=\"note\">%zu samples; %.0f executions and %.0f distinct "
                 "findings in %.2f s (wall clock).</p></section>\n",
            at, at ? executions[at - 1] : 0, at ? findings[at - 1] : 0, at ? seconds[at - 1] : 0);
    free(seconds);
    free(executions);
    free(findings);
}

void cf_html_growth(FILE *out, const cJSON *finding) {
    const cJSON *growth = cJSON_GetObjectItemCaseSensitive(finding, "growth");
    if (!cJSON_GetArraySize(growth)) return;
    fputs("<h3>Growth</h3>\n<div class=\"charts\">\n", out);
    const cJSON *site;
    cJSON_ArrayForEach(site, growth) {
        const cJSON *series = cJSON_GetObjectItemCaseSensitive(site, "series");
        size_t n = (size_t)cJSON_GetArraySize(series);
        if (!n) continue;
        double *x = calloc(n, sizeof *x), *y = calloc(n, sizeof *y);
        if (!x || !y) abort();
        size_t i = 0;
        const cJSON *value;
        cJSON_ArrayForEach(value, series) {
            x[i] = (double)i;
            y[i++] = value->valuedouble;
        }
        char where[400], title[520];
        cf_html_site(where, sizeof where, cJSON_GetObjectItemCaseSensitive(site, "site"));
        snprintf(title, sizeof title, "%s %s at %s", cf_html_string(site, "kind", "?"),
                 cf_html_string(site, "measure", "objects"), where);
        /* detect_growth.c fits the later half: checkpoints n/2 .. n-1. */
        cf_html_chart chart = {title, "checkpoint", cf_html_string(site, "measure", "objects"),
                               x, y, n, false, (long)(n / 2),
                               cf_html_number(site, "slope", 0)};
        cf_html_draw_chart(out, &chart);
        fprintf(out, "<p class=\"note\">%.0f &#8594; %.0f, slope %+.3g per checkpoint "
                     "(%.0f &#8594; %.0f bytes)</p>\n",
                cf_html_number(site, "first", 0), cf_html_number(site, "last", 0),
                cf_html_number(site, "slope", 0), cf_html_number(site, "first_bytes", 0),
                cf_html_number(site, "last_bytes", 0));
        free(x);
        free(y);
    }
    fputs("</div>\n", out);
}
