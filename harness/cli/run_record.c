/* run_record.c -- what `chanfuzz run` records as it goes (run.h,
 * run_record): progress samples for the figures of --html and the
 * `progress` field of the --json summary, and the finding lines --html
 * shows. Wall clock only; the model never sees it.
 *
 * Everything is in memory shared with the variants' child processes
 * (chanfuzz/isolate.h), which record their executions and findings, and
 * is never freed, as the variants' own tables. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/isolate.h>

#include "run.h"

/* Samples beyond this are thinned to every other one: a long run keeps
 * its shape in bounded memory. */
#define RUN_SAMPLES_MAX 4096

run_record *run_record_new(double started) {
    run_record *r = chanfuzz_shared_calloc(1, sizeof *r);
    r->started = started;
    r->samples = chanfuzz_shared_calloc(RUN_SAMPLES_MAX, sizeof *r->samples);
    return r;
}

static void sample(run_record *r, double now) {
    if (r->sample_count == RUN_SAMPLES_MAX) {
        for (size_t i = 0; i < RUN_SAMPLES_MAX / 2; i++) r->samples[i] = r->samples[2 * i + 1];
        r->sample_count = RUN_SAMPLES_MAX / 2;
    }
    r->samples[r->sample_count++] = (run_sample){now - r->started, r->executions, r->findings};
}

void run_record_execution(run_record *r, size_t new_findings) {
    if (!r->sample_count) sample(r, r->started); /* the origin: nothing yet */
    r->executions++;
    r->findings += new_findings;
    double now = cli_now();
    bool due = !r->sample_count || now - r->started - r->samples[r->sample_count - 1].seconds >=
                                       RUN_SAMPLE_SECONDS;
    if (due || new_findings) sample(r, now);
}

void run_record_finish(run_record *r) { sample(r, cli_now()); }

void *run_record_progress_json(const run_record *r) {
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < r->sample_count; i++) {
        const run_sample *s = &r->samples[i];
        /* Milliseconds are what a chart of a run can show. */
        double numbers[3] = {(double)(int64_t)(s->seconds * 1000 + 0.5) / 1000,
                             (double)s->executions, (double)s->findings};
        cJSON_AddItemToArray(list, cJSON_CreateDoubleArray(numbers, 3));
    }
    return list;
}

void run_record_keep_finding(run_record *r, const char *line) {
    if (r->finding_count == r->finding_capacity) {
        size_t capacity = r->finding_capacity ? 2 * r->finding_capacity : 16;
        r->finding_lines = chanfuzz_shared_grow(r->finding_lines,
                                                r->finding_capacity * sizeof *r->finding_lines,
                                                capacity * sizeof *r->finding_lines);
        r->finding_capacity = capacity;
    }
    size_t length = strlen(line) + 1;
    char *copy = chanfuzz_shared_calloc(length, 1);
    memcpy(copy, line, length);
    /* The line before the count: a child that dies between the two has
     * kept nothing half-made. */
    r->finding_lines[r->finding_count] = copy;
    r->finding_count++;
}
