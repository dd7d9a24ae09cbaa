/* fuzz_html.c -- `chanfuzz fuzz --html FILE`: the buckets as the HTML
 * report (chanfuzz/report_html.h). Each bucket's reproducer is run again
 * with the trace-event recorder attached, judged as the bucket was, and
 * its finding shown with that timeline; the figures are the run's
 * executions and buckets after each target's share. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <chanfuzz/report_html.h>
#include <chanfuzz/trace_json.h>
#include <chanfuzz/tracefile.h>

#include "fuzz_html.h"

/* The finding's JSON with when the fuzzing process first saw it, as
 * `chanfuzz run` gives it (found_at_execution, found_at_seconds). Takes
 * line; NULL when out of memory. */
static char *with_when(const chanfuzz_bucket *b, char *line) {
    if (!line || !b->found_at_execution) return line;
    cJSON *object = cJSON_Parse(line);
    free(line);
    if (!object) return NULL;
    cJSON_AddNumberToObject(object, "found_at_execution", (double)b->found_at_execution);
    cJSON_AddNumberToObject(object, "found_at_seconds",
                            (double)(int64_t)(b->found_at_seconds * 1000 + 0.5) / 1000);
    char *text = cJSON_PrintUnformatted(object);
    cJSON_Delete(object);
    return text;
}

static bool add_bucket(chanfuzz_html *page, const chanfuzz_bucket *b, go_semantics semantics) {
    size_t size;
    unsigned char *data = chanfuzz_read_whole(b->reproducer, &size);
    if (!data) return true; /* gone since: the table still lists it */
    chanfuzz_trace_json *schedule = chanfuzz_trace_json_new();
    chanfuzz_findings *f = chanfuzz_fuzz_judge(&b->target, data, size, semantics,
                                               chanfuzz_trace_json_hook, schedule, NULL, NULL);
    free(data);
    char name[300], replay[1400];
    snprintf(name, sizeof name, "%s/%s", b->target.scenario->name,
             chanfuzz_variant_name(b->target.variant));
    /* The trace written beside the raw input replays on its own (and is
     * what `chanfuzz go replay` takes); the raw input needs its variant. */
    if (b->trace)
        snprintf(replay, sizeof replay, "chanfuzz %sreplay %s",
                 chanfuzz_program_is_go(b->target.scenario->program) ? "go " : "", b->trace);
    else
        snprintf(replay, sizeof replay, "chanfuzz replay %s --scenario %s", b->reproducer, name);
    chanfuzz_report_info info = {.scenario = b->target.scenario->name,
                                 .variant = chanfuzz_variant_name(b->target.variant),
                                 .reproducer = b->trace ? b->trace : b->reproducer,
                                 .replay_command = replay};
    bool ok = f != NULL;
    for (size_t i = 0; ok && i < f->count; i++) {
        if (strcmp(f->items[i].crash_state, b->crash_state)) continue;
        char *line = with_when(b, chanfuzz_finding_json(&info, f, i));
        char *events = chanfuzz_trace_json_text(schedule, name);
        char first_seen[64];
        snprintf(first_seen, sizeof first_seen, "%.3gs into the run", b->found_at_seconds);
        ok = line && events &&
             chanfuzz_html_add(page, line, events, b->found_at_execution ? first_seen : NULL,
                               NULL) == 0;
        free(line);
        free(events);
        break;
    }
    chanfuzz_findings_free(f);
    chanfuzz_trace_json_free(schedule);
    return ok;
}

bool chanfuzz_fuzz_write_html(const char *path, const char *spec, const chanfuzz_buckets *buckets,
                              bool semantics_given, go_semantics semantics,
                              const chanfuzz_fuzz_sample *samples, size_t sample_count) {
    char title[600];
    snprintf(title, sizeof title, "chanfuzz fuzz %s", spec);
    chanfuzz_html *page = chanfuzz_html_new(title);
    if (!page) return false;
    bool ok = true;
    for (size_t i = 0; ok && i < buckets->count; i++) {
        const chanfuzz_bucket *b = &buckets->items[i];
        if (!b->reproduces) continue;
        go_semantics under = semantics_given ? semantics : chanfuzz_fuzz_semantics_for(&b->target);
        ok = add_bucket(page, b, under);
    }
    /* A summary line of its own, with run's field names, for the figures. */
    char *summary = NULL;
    size_t length = 0;
    FILE *text = open_memstream(&summary, &length);
    if (!text) ok = false;
    else {
        fprintf(text, "{\"format\":\"chanfuzz.summary/1\",\"command\":\"fuzz\",\"progress\":[");
        for (size_t i = 0; i < sample_count; i++)
            fprintf(text, "%s[%.3f,%llu,%zu]", i ? "," : "", samples[i].seconds,
                    samples[i].executions, samples[i].findings);
        fprintf(text, "]}");
        fclose(text);
        ok = ok && chanfuzz_html_add_summary(page, summary) == 0;
    }
    free(summary);
    FILE *out = ok ? fopen(path, "w") : NULL;
    ok = out && chanfuzz_html_write(page, out) == 0;
    if (out && fclose(out) != 0) ok = false;
    chanfuzz_html_free(page);
    return ok;
}
