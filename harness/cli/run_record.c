/* run_record.c -- what `chanfuzz run` records as it goes (run.h,
 * run_record): progress samples for the figures of --html and the
 * `progress` field of the --json summary, and the finding lines --html
 * shows. Wall clock only; the model never sees it. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* Samples beyond this are thinned to every other one: a long run keeps
 * its shape in bounded memory. */
#define RUN_SAMPLES_MAX 4096

static void sample(run_record *r, double now) {
    if (r->sample_count == RUN_SAMPLES_MAX) {
        for (size_t i = 0; i < RUN_SAMPLES_MAX / 2; i++) r->samples[i] = r->samples[2 * i + 1];
        r->sample_count = RUN_SAMPLES_MAX / 2;
    }
    if (r->sample_count == r->sample_capacity) {
        r->sample_capacity = r->sample_capacity ? 2 * r->sample_capacity : 64;
        r->samples = realloc(r->samples, r->sample_capacity * sizeof *r->samples);
        if (!r->samples) abort();
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
    r->finding_lines = realloc(r->finding_lines, (r->finding_count + 1) * sizeof *r->finding_lines);
    if (!r->finding_lines || !(r->finding_lines[r->finding_count] = strdup(line))) abort();
    r->finding_count++;
}

void run_record_free(run_record *r) {
    free(r->samples);
    for (size_t i = 0; i < r->finding_count; i++) free(r->finding_lines[i]);
    free(r->finding_lines);
}
