/* trace_json.c -- a replay's schedule as Chrome trace events (trace_json.h).
 *
 * Spans come from SWITCH events: the processor passes from one goroutine
 * to another, so a goroutine's span runs from the switch to it up to the
 * switch away from it. Goroutine 1 runs from the start. Events a timer
 * fires with no goroutine running go on track 0, "timers". */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/site_column.h>
#include <chanfuzz/trace_json.h>

typedef struct span {
    uint64_t goroutine;
    uint64_t start, end;         /* logical µs */
} span;

typedef struct named {
    uint64_t goroutine;
    const char *function;        /* first function seen running it */
} named;

struct chanfuzz_trace_json {
    cJSON *events;               /* instant events, in order */
    span *spans;
    size_t span_count, span_capacity;
    named *names;
    size_t name_count, name_capacity;
    uint64_t clock;              /* logical µs: events so far */
    uint64_t running;            /* the goroutine whose span is open */
    uint64_t running_since;
};

static const char *const event_names[GO_EVENT_KIND_COUNT] = {
    [GO_EVENT_SPAWN] = "spawn",   [GO_EVENT_SWITCH] = "switch", [GO_EVENT_BLOCK] = "block",
    [GO_EVENT_WAKE] = "wake",     [GO_EVENT_MEET] = "meet",     [GO_EVENT_SELECT] = "select",
    [GO_EVENT_CLOSE] = "close",   [GO_EVENT_EXIT] = "exit",     [GO_EVENT_PANIC] = "panic",
    [GO_EVENT_DEFER] = "defer",   [GO_EVENT_COLLECT] = "collect",
};

static const char *const meet_names[] = {"handoff", "buffer", "closed", "lock", "release"};

chanfuzz_trace_json *chanfuzz_trace_json_new(void) {
    chanfuzz_trace_json *t = calloc(1, sizeof *t);
    if (!t || !(t->events = cJSON_CreateArray())) abort();
    t->running = 1;
    return t;
}

void chanfuzz_trace_json_free(chanfuzz_trace_json *t) {
    if (!t) return;
    cJSON_Delete(t->events);
    free(t->spans);
    free(t->names);
    free(t);
}

static void close_span(chanfuzz_trace_json *t) {
    if (t->clock == t->running_since) return; /* nothing ran */
    if (t->span_count == t->span_capacity) {
        t->span_capacity = t->span_capacity ? 2 * t->span_capacity : 64;
        if (!(t->spans = realloc(t->spans, t->span_capacity * sizeof *t->spans))) abort();
    }
    t->spans[t->span_count++] = (span){t->running, t->running_since, t->clock};
}

static void name_goroutine(chanfuzz_trace_json *t, uint64_t goroutine, const go_site *site) {
    if (!site || !site->func) return;
    for (size_t i = 0; i < t->name_count; i++)
        if (t->names[i].goroutine == goroutine) return;
    if (t->name_count == t->name_capacity) {
        t->name_capacity = t->name_capacity ? 2 * t->name_capacity : 16;
        if (!(t->names = realloc(t->names, t->name_capacity * sizeof *t->names))) abort();
    }
    t->names[t->name_count++] = (named){goroutine, site->func};
}

static void add_site(cJSON *args, const char *key, const go_site *site) {
    if (!site) return;
    char text[sizeof(chanfuzz_site_text) + 256];
    snprintf(text, sizeof text, "%s (%s)", chanfuzz_site_position(site).text,
             site->func ? site->func : "?");
    cJSON_AddStringToObject(args, key, text);
}

void chanfuzz_trace_json_hook(void *self, const go_event *event) {
    chanfuzz_trace_json *t = self;
    t->clock++;
    if (event->kind == GO_EVENT_SWITCH) {
        close_span(t);
        t->running = event->other;
        t->running_since = t->clock;
        return;
    }
    /* A spawn's site is the parent's go statement, not the child's code. */
    if (event->kind != GO_EVENT_SPAWN) name_goroutine(t, event->goroutine, event->site);
    cJSON *e = cJSON_CreateObject(), *args = cJSON_CreateObject();
    char name[160];
    const char *kind = event->kind < GO_EVENT_KIND_COUNT ? event_names[event->kind] : "event";
    if (event->kind == GO_EVENT_BLOCK && event->detail > 0 && event->detail < GO_WAIT_REASON_COUNT)
        snprintf(name, sizeof name, "block [%s]",
                 go_wait_reason_name((go_wait_reason)event->detail));
    else if (event->kind == GO_EVENT_SPAWN || event->kind == GO_EVENT_WAKE)
        snprintf(name, sizeof name, "%s g%" PRIu64, kind, event->other);
    else if (event->kind == GO_EVENT_MEET && event->detail >= 0 && event->detail < 5)
        snprintf(name, sizeof name, "meet (%s)", meet_names[event->detail]);
    else if (event->kind == GO_EVENT_SELECT)
        snprintf(name, sizeof name, event->detail < 0 ? "select default" : "select case %" PRId64,
                 event->detail);
    else
        snprintf(name, sizeof name, "%s", kind);
    cJSON_AddStringToObject(e, "name", name);
    cJSON_AddStringToObject(e, "cat", kind);
    cJSON_AddStringToObject(e, "ph", "i");
    cJSON_AddStringToObject(e, "s", "t");
    cJSON_AddNumberToObject(e, "ts", (double)t->clock);
    cJSON_AddNumberToObject(e, "pid", 1);
    cJSON_AddNumberToObject(e, "tid", (double)event->goroutine);
    if (event->object_kind != GO_OBJ_NONE) {
        char object[64];
        snprintf(object, sizeof object, "%s#%" PRIu64, go_object_kind_name(event->object_kind),
                 event->object_id);
        cJSON_AddStringToObject(args, "object", object);
    }
    add_site(args, "site", event->site);
    if (event->other) cJSON_AddNumberToObject(args, "other", (double)event->other);
    add_site(args, "other_site", event->other_site);
    cJSON_AddNumberToObject(args, "detail", (double)event->detail);
    cJSON_AddNumberToObject(args, "virtual_ns", (double)go_now());
    cJSON_AddItemToObject(e, "args", args);
    cJSON_AddItemToArray(t->events, e);
}

static cJSON *metadata(const char *what, uint64_t tid, const char *name) {
    cJSON *m = cJSON_CreateObject(), *args = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "name", what);
    cJSON_AddStringToObject(m, "ph", "M");
    cJSON_AddNumberToObject(m, "pid", 1);
    cJSON_AddNumberToObject(m, "tid", (double)tid);
    cJSON_AddStringToObject(args, "name", name);
    cJSON_AddItemToObject(m, "args", args);
    return m;
}

static cJSON *document(const chanfuzz_trace_json *t, const char *title) {
    /* The open span is closed in the output only, so writing twice gives
     * the same file. */
    cJSON *all = cJSON_CreateArray();
    cJSON_AddItemToArray(all, metadata("process_name", 0, title));
    uint64_t *tracks = calloc(t->span_count + t->name_count + 2, sizeof *tracks);
    size_t track_count = 0;
    if (!tracks) abort();
    tracks[track_count++] = 1;
    for (size_t i = 0; i < t->span_count; i++) tracks[track_count++] = t->spans[i].goroutine;
    for (size_t i = 0; i < t->name_count; i++) tracks[track_count++] = t->names[i].goroutine;
    for (size_t i = 0; i < track_count; i++) {
        bool again = false;
        for (size_t k = 0; k < i && !again; k++) again = tracks[k] == tracks[i];
        if (again) continue;
        char name[200];
        const char *function = NULL;
        for (size_t k = 0; k < t->name_count; k++)
            if (t->names[k].goroutine == tracks[i]) function = t->names[k].function;
        if (tracks[i] == 0)
            snprintf(name, sizeof name, "timers");
        else
            snprintf(name, sizeof name, "goroutine %" PRIu64 "%s%s", tracks[i],
                     function ? " " : "", function ? function : "");
        cJSON_AddItemToArray(all, metadata("thread_name", tracks[i], name));
        cJSON *order = metadata("thread_sort_index", tracks[i], "");
        cJSON_DeleteItemFromObject(order, "args");
        cJSON *args = cJSON_CreateObject();
        cJSON_AddNumberToObject(args, "sort_index", (double)tracks[i]);
        cJSON_AddItemToObject(order, "args", args);
        cJSON_AddItemToArray(all, order);
    }
    free(tracks);
    for (size_t i = 0; i <= t->span_count; i++) {
        span s;
        if (i < t->span_count)
            s = t->spans[i];
        else if (t->clock + 1 > t->running_since)
            s = (span){t->running, t->running_since, t->clock + 1};
        else
            continue;
        cJSON *e = cJSON_CreateObject();
        char name[64];
        snprintf(name, sizeof name, "g%" PRIu64 " running", s.goroutine);
        cJSON_AddStringToObject(e, "name", name);
        cJSON_AddStringToObject(e, "cat", "run");
        cJSON_AddStringToObject(e, "ph", "X");
        cJSON_AddNumberToObject(e, "ts", (double)s.start);
        cJSON_AddNumberToObject(e, "dur", (double)(s.end - s.start));
        cJSON_AddNumberToObject(e, "pid", 1);
        cJSON_AddNumberToObject(e, "tid", (double)s.goroutine);
        cJSON_AddItemToArray(all, e);
    }
    for (cJSON *e = t->events->child; e; e = e->next)
        cJSON_AddItemToArray(all, cJSON_Duplicate(e, true));
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "traceEvents", all);
    cJSON_AddStringToObject(root, "displayTimeUnit", "ns");
    cJSON *other = cJSON_CreateObject();
    cJSON_AddStringToObject(other, "scenario", title);
    cJSON_AddStringToObject(other, "time_axis", "logical: 1 us per runtime event; "
                                                "virtual time in args.virtual_ns");
    cJSON_AddItemToObject(root, "otherData", other);
    return root;
}

bool chanfuzz_trace_json_write(const chanfuzz_trace_json *t, FILE *out, const char *title) {
    cJSON *root = document(t, title);
    char *text = cJSON_Print(root);
    bool ok = text && fputs(text, out) >= 0 && fputc('\n', out) != EOF;
    free(text);
    cJSON_Delete(root);
    return ok;
}

char *chanfuzz_trace_json_text(const chanfuzz_trace_json *t, const char *title) {
    cJSON *root = document(t, title);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return text;
}
