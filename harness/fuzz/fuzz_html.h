/* fuzz_html.h -- `chanfuzz fuzz --html FILE` (fuzz_html.c). Internal to
 * harness/fuzz/ (fuzz_command.c). */
#ifndef CHANFUZZ_FUZZ_HTML_H
#define CHANFUZZ_FUZZ_HTML_H

#include "fuzz_buckets.h"

/* Executions and buckets so far, after one target's share. */
typedef struct chanfuzz_fuzz_sample {
    double seconds;
    unsigned long long executions;
    size_t findings;
} chanfuzz_fuzz_sample;

/* Writes the page; false when it could not be written. `semantics` is
 * --go-semantics when semantics_given, else each target's own. */
bool chanfuzz_fuzz_write_html(const char *path, const char *spec, const chanfuzz_buckets *buckets,
                              bool semantics_given, go_semantics semantics,
                              const chanfuzz_fuzz_sample *samples, size_t sample_count);

#endif
