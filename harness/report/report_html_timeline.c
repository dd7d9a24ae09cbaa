/* report_html_timeline.c -- a finding's schedule as an SVG swimlane
 * timeline, drawn from the trace-event document of its reproducer's
 * replay (chanfuzz/trace_json.h), so the picture is exactly that
 * execution: no second event model, only a second view of the first.
 *
 * One lane per goroutine (tid), from its spawn to its exit, or to its
 * last blocking point when it ended blocked: a leaked sender's lane ends
 * at its send, and the rest of the run is drawn as its blocked-forever
 * span. Running spans ("X" events) are bars; a block followed by the wake
 * naming the goroutine is a blocking span; every instant event is a mark
 * whose <title> (hover) gives the operation, the object and the source
 * sites. Events a timer fired with no goroutine running sit on lane 0,
 * "timers"; the virtual clock (args.virtual_ns) moving between two events
 * is a vertical line across all lanes.
 *
 * The x axis is the trace's: logical, one unit per runtime event. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

enum { LABEL_WIDTH = 210, LANE_HEIGHT = 30, TOP = 26, BOTTOM = 10 };

typedef struct lane {
    double tid;
    const char *label;
    double start, end;       /* logical units */
    const char *end_kind;    /* "exit", "blocked", "panic", "running" */
    const cJSON *end_event;  /* the exit, block or panic that ends it */
} lane;

typedef struct timeline {
    const cJSON **events;    /* instant events, in trace order */
    size_t event_count;
    lane *lanes;
    size_t lane_count;
    double window_start;     /* the first unit drawn (report_html.c trims) */
    double total;            /* logical units on the axis */
    double unit;             /* pixels per unit */
} timeline;

static const cJSON *args_of(const cJSON *event) {
    return cJSON_GetObjectItemCaseSensitive(event, "args");
}

static bool is(const cJSON *event, const char *cat) {
    return !strcmp(cf_html_string(event, "cat", ""), cat);
}

static double ts_of(const cJSON *event) { return cf_html_number(event, "ts", 0); }
static double tid_of(const cJSON *event) { return cf_html_number(event, "tid", 0); }
static double other_of(const cJSON *event) { return cf_html_number(args_of(event), "other", 0); }

static lane *lane_of(timeline *t, double tid) {
    for (size_t i = 0; i < t->lane_count; i++)
        if (t->lanes[i].tid == tid) return &t->lanes[i];
    t->lanes[t->lane_count] = (lane){.tid = tid, .label = NULL, .end_kind = "running"};
    return &t->lanes[t->lane_count++];
}

static int by_tid(const void *a, const void *b) {
    double x = ((const lane *)a)->tid, y = ((const lane *)b)->tid;
    /* Goroutines by id, the timers lane (0) last. */
    if (x == 0 || y == 0) return x == 0 ? (y == 0 ? 0 : 1) : -1;
    return x < y ? -1 : x > y;
}

/* The first wake of goroutine `tid` after `ts`, or NULL. */
static const cJSON *wake_after(const timeline *t, double tid, double ts) {
    for (size_t i = 0; i < t->event_count; i++) {
        const cJSON *e = t->events[i];
        if (is(e, "wake") && other_of(e) == tid && ts_of(e) > ts) return e;
    }
    return NULL;
}

static void build(timeline *t, const cJSON *all) {
    size_t n = (size_t)cJSON_GetArraySize(all);
    t->events = calloc(n + 1, sizeof *t->events);
    t->lanes = calloc(n + 2, sizeof *t->lanes);
    if (!t->events || !t->lanes) abort();
    lane_of(t, 1);
    const cJSON *e;
    cJSON_ArrayForEach(e, all) {
        const char *ph = cf_html_string(e, "ph", "");
        double end = ts_of(e) + cf_html_number(e, "dur", 0);
        if (end + 1 > t->total) t->total = end + 1;
        if (!strcmp(ph, "M"))
            continue;
        else if (!strcmp(ph, "X"))
            lane_of(t, tid_of(e));
        else if (!strcmp(ph, "i")) {
            t->events[t->event_count++] = e;
            lane_of(t, tid_of(e));
            if (is(e, "spawn")) lane_of(t, other_of(e));
        }
    }
    /* Names only for the lanes that have something drawn. */
    cJSON_ArrayForEach(e, all) {
        if (strcmp(cf_html_string(e, "ph", ""), "M") ||
            strcmp(cf_html_string(e, "name", ""), "thread_name"))
            continue;
        for (size_t i = 0; i < t->lane_count; i++)
            if (t->lanes[i].tid == tid_of(e))
                t->lanes[i].label = cf_html_string(args_of(e), "name", NULL);
    }
    for (size_t i = 0; i < t->lane_count; i++) {
        lane *l = &t->lanes[i];
        l->end = t->total;
        l->start = -1;
        if (l->tid <= 1) l->start = t->window_start;
        const cJSON *last = NULL;
        for (size_t k = 0; k < t->event_count; k++) {
            const cJSON *ev = t->events[k];
            if (l->start < 0 && is(ev, "spawn") && other_of(ev) == l->tid) l->start = ts_of(ev);
            if (tid_of(ev) == l->tid) last = ev;
        }
        if (l->start < 0) l->start = t->window_start;
        if (l->tid == 0 || !last) continue;
        if (is(last, "exit") || is(last, "panic")) {
            l->end_kind = is(last, "exit") ? "exit" : "panic";
            l->end = ts_of(last);
            l->end_event = last;
        } else if (is(last, "block") && !wake_after(t, l->tid, ts_of(last))) {
            l->end_kind = "blocked";
            l->end = ts_of(last);
            l->end_event = last;
        }
    }
    qsort(t->lanes, t->lane_count, sizeof *t->lanes, by_tid);
    double drawn = t->total - t->window_start;
    t->unit = drawn <= 30 ? 30 : drawn <= 60 ? 16 : drawn <= 300 ? 9 : drawn <= 1000 ? 5 : 3;
}

static double x_at(const timeline *t, double ts) {
    if (ts < t->window_start) ts = t->window_start;
    return LABEL_WIDTH + (ts - t->window_start) * t->unit;
}

static double y_of(const timeline *t, double tid) {
    for (size_t i = 0; i < t->lane_count; i++)
        if (t->lanes[i].tid == tid) return TOP + (double)i * LANE_HEIGHT + LANE_HEIGHT / 2.0;
    return TOP;
}

/* "block [chan send] by goroutine 2 on chan#1 at x.c:51 (send_result)". */
static void describe(FILE *out, const cJSON *e) {
    const cJSON *args = args_of(e);
    double tid = tid_of(e);
    cf_html_text(out, cf_html_string(e, "name", "event"));
    if (tid) cf_html_textf(out, " by goroutine %.0f", tid);
    else cf_html_text(out, " by a timer firing");
    const char *object = cf_html_string(args, "object", NULL);
    if (object) cf_html_textf(out, " on %s", object);
    const char *site = cf_html_string(args, "site", NULL);
    if (site) cf_html_textf(out, "\nat %s", site);
    const char *other_site = cf_html_string(args, "other_site", NULL);
    if (other_site) cf_html_textf(out, "\nwith %s", other_site);
    char when[32];
    cf_html_duration(when, sizeof when, cf_html_number(args, "virtual_ns", 0));
    cf_html_textf(out, "\nvirtual time %s, event %.0f", when, ts_of(e));
}

/* The mark's classes: what kind of operation it was. */
static const char *classes_of(const cJSON *e) {
    const char *name = cf_html_string(e, "name", "");
    const char *object = cf_html_string(args_of(e), "object", "");
    bool chan = !strncmp(object, "chan#", 5), lock = strstr(name, "Mutex") != NULL;
    if (tid_of(e) == 0) return "mark op-timer";
    if (is(e, "block"))
        return lock ? "mark op-block op-lock" : strstr(name, "select") ? "mark op-block op-select"
                                                                        : "mark op-block";
    if (is(e, "select")) return "mark op-select";
    if (is(e, "meet")) return strstr(name, "lock") ? "mark op-lock" : chan ? "mark op-chan"
                                                                             : "mark op-other";
    if (is(e, "close")) return chan ? "mark op-chan" : "mark op-other";
    if (is(e, "spawn")) return "mark op-spawn";
    if (is(e, "exit")) return "mark op-exit";
    if (is(e, "panic")) return "mark op-panic";
    if (is(e, "wake")) return "mark op-wake";
    return "mark op-other";
}

static void shape(FILE *out, const cJSON *e, double x, double y) {
    if (tid_of(e) == 0 || is(e, "spawn"))
        fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"/>", x - 5, y - 6, x + 6, y,
                x - 5, y + 6);
    else if (is(e, "block"))
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"18\"/>", x - 2, y - 9);
    else if (is(e, "select"))
        fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"/>", x, y - 7, x + 7,
                y, x, y + 7, x - 7, y);
    else if (strstr(classes_of(e), "op-lock"))
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\"/>", x - 5, y - 5);
    else if (is(e, "exit"))
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"3\" height=\"14\"/>", x - 1.5, y - 7);
    else if (is(e, "panic"))
        fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"#e31a1c\" "
                     "stroke-width=\"3\"/>", x - 6, y - 6, x + 6, y + 6, x - 6, y + 6, x + 6,
                y - 6);
    else
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"/>", x, y,
                is(e, "wake") ? "3.5" : "5");
}

static void write_lane(FILE *out, const timeline *t, const lane *l, int index) {
    double y = y_of(t, l->tid), x1 = x_at(t, l->start), x2 = x_at(t, l->end);
    fprintf(out, "<g class=\"lane\" id=\"lane-%d-%.0f\" data-goroutine=\"%.0f\" "
                 "data-start=\"%.0f\" data-end=\"%.0f\" data-end-kind=\"%s\"",
            index, l->tid, l->tid, l->start, l->end, l->end_kind);
    if (l->end_event) {
        fputs(" data-end-event=\"", out);
        cf_html_text(out, cf_html_string(l->end_event, "name", ""));
        fputs("\" data-end-site=\"", out);
        cf_html_text(out, cf_html_string(args_of(l->end_event), "site", ""));
        fputc('"', out);
    }
    fputs(">", out);
    fprintf(out, "<text class=\"lane-label\" x=\"6\" y=\"%.1f\">", y + 4);
    if (l->tid == 0) cf_html_text(out, "timers");
    else if (l->label) cf_html_text(out, l->label);
    else cf_html_textf(out, "goroutine %.0f", l->tid);
    fputs("</text>", out);
    fprintf(out, "<line class=\"lane-line\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"%s/>",
            x1, y, x2, y, l->tid == 0 ? " stroke-dasharray=\"2 4\"" : "");
    if (!strcmp(l->end_kind, "blocked")) {
        fprintf(out, "<rect class=\"blocked-forever\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"12\"><title>",
                x2, y - 6, x_at(t, t->total) - x2);
        cf_html_text(out, "blocked until the end: ");
        describe(out, l->end_event);
        fputs("</title></rect>", out);
    }
    fputs("</g>\n", out);
}

static void write_spans(FILE *out, const timeline *t, const cJSON *all) {
    const cJSON *e;
    cJSON_ArrayForEach(e, all) {
        if (strcmp(cf_html_string(e, "ph", ""), "X")) continue;
        double start = ts_of(e), dur = cf_html_number(e, "dur", 0), y = y_of(t, tid_of(e));
        fprintf(out, "<rect class=\"run-span\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"6\"><title>goroutine %.0f runs, events %.0f to %.0f</title></rect>\n",
                x_at(t, start), y - 3, x_at(t, start + dur) - x_at(t, start), tid_of(e), start,
                start + dur);
    }
    /* Blocking spans that a wake ended. */
    for (size_t i = 0; i < t->event_count; i++) {
        const cJSON *block = t->events[i];
        if (!is(block, "block")) continue;
        const cJSON *wake = wake_after(t, tid_of(block), ts_of(block));
        if (!wake) continue;
        double x1 = x_at(t, ts_of(block)), x2 = x_at(t, ts_of(wake)), y = y_of(t, tid_of(block));
        fprintf(out, "<rect class=\"blocked-span\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"12\"><title>",
                x1, y - 6, x2 - x1);
        describe(out, block);
        fputs("\nwoken: ", out);
        describe(out, wake);
        fputs("</title></rect>\n", out);
    }
}

/* Vertical connectors: a spawn to its child's lane, a wake to the woken,
 * a meeting to its peer. */
static void write_links(FILE *out, const timeline *t) {
    for (size_t i = 0; i < t->event_count; i++) {
        const cJSON *e = t->events[i];
        double other = other_of(e);
        if (!other || !(is(e, "spawn") || is(e, "wake") || is(e, "meet"))) continue;
        double x = x_at(t, ts_of(e));
        fprintf(out, "<line class=\"link-line\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                x, y_of(t, tid_of(e)), x, y_of(t, other));
    }
}

static void write_time_jumps(FILE *out, const timeline *t, double height) {
    double previous = 0;
    for (size_t i = 0; i < t->event_count; i++) {
        double now = cf_html_number(args_of(t->events[i]), "virtual_ns", 0);
        if (now <= previous) continue;
        double x = x_at(t, ts_of(t->events[i])) - t->unit / 2;
        char jump[32], at[32];
        cf_html_duration(jump, sizeof jump, now - previous);
        cf_html_duration(at, sizeof at, now);
        fprintf(out, "<g class=\"virtual-jump\" data-virtual-ns=\"%.0f\"><line class=\"time-jump\" "
                     "x1=\"%.1f\" y1=\"12\" x2=\"%.1f\" y2=\"%.1f\"/><text class=\"time-jump-label\" "
                     "x=\"%.1f\" y=\"10\">+%s</text><title>virtual time jumps by %s to %s</title></g>\n",
                now, x, x, height - BOTTOM, x + 2, jump, jump, at);
        previous = now;
    }
}

void cf_html_timeline(FILE *out, const cJSON *schedule, int index) {
    const cJSON *all = cJSON_GetObjectItemCaseSensitive(schedule, "traceEvents");
    if (!cJSON_IsArray(all)) {
        fputs("<p class=\"note\">The schedule document has no traceEvents.</p>\n", out);
        return;
    }
    timeline t = {0};
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(schedule, "otherData");
    t.window_start = cf_html_number(other, "window_start", 0);
    build(&t, all);
    double left_out = cf_html_number(other, "events_left_out", 0);
    if (left_out > 0)
        fprintf(out, "<p class=\"note\">A long schedule: the last events are drawn, from event "
                     "%.0f on; %.0f earlier events are left out (each goroutine's last event is "
                     "kept, at the left edge).</p>\n",
                t.window_start, left_out);
    double height = TOP + (double)t.lane_count * LANE_HEIGHT + BOTTOM;
    double width = x_at(&t, t.total) + 20;
    fprintf(out, "<div class=\"scroll\"><svg class=\"timeline\" id=\"timeline-%d\" "
                 "width=\"%.0f\" height=\"%.0f\" "
                 "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"schedule timeline\">\n",
            index, width, height, width, height);
    fputs("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
          "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fbe4e1\"/>"
          "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c0392b\" stroke-width=\"2\"/>"
          "</pattern><pattern id=\"hatch-forever\" width=\"8\" height=\"8\" "
          "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"8\" "
          "height=\"8\" fill=\"#fff0ee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" "
          "stroke=\"#e6a49c\" stroke-width=\"3\"/></pattern></defs>\n",
          out);
    write_time_jumps(out, &t, height);
    for (size_t i = 0; i < t.lane_count; i++) write_lane(out, &t, &t.lanes[i], index);
    write_spans(out, &t, all);
    write_links(out, &t);
    for (size_t i = 0; i < t.event_count; i++) {
        const cJSON *e = t.events[i];
        double x = x_at(&t, ts_of(e)), y = y_of(&t, tid_of(e));
        fprintf(out, "<g class=\"%s\" data-event=\"", classes_of(e));
        cf_html_text(out, cf_html_string(e, "name", ""));
        fprintf(out, "\" data-goroutine=\"%.0f\" data-ts=\"%.0f\" data-x=\"%.1f\" data-site=\"",
                tid_of(e), ts_of(e), x);
        cf_html_text(out, cf_html_string(args_of(e), "site", ""));
        fputs("\"><title>", out);
        describe(out, e);
        fputs("</title>", out);
        shape(out, e, x, y);
        fputs("</g>\n", out);
    }
    fputs("</svg></div>\n<p class=\"legend\"><span>&#9679; channel operation</span>"
          "<span>&#9670; select choice</span><span>&#9632; lock</span>"
          "<span>&#9654; spawn / timer firing (lane 0)</span><span>| block</span>"
          "<span>hatched: blocked (dashed: until the end)</span>"
          "<span>green dashed line: virtual time jumps</span>"
          "<span>bars: running; x axis: one unit per runtime event</span></p>\n",
          out);
    free(t.events);
    free(t.lanes);
}
