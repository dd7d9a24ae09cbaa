/* patterns.h -- a few Go leak patterns for the exploration demo, each in a
 * buggy and a fixed variant. The scenario catalogue proper (with timers,
 * contexts and the detectors' verdicts) replaces these. */
#ifndef CF_DEMO_PATTERNS_H
#define CF_DEMO_PATTERNS_H

#include <chanfuzz/go.h>

typedef struct demo_pattern {
    const char *name;
    const char *summary;   /* what the buggy variant gets wrong */
    go_func *buggy;
    go_func *fixed;
} demo_pattern;

extern const demo_pattern demo_patterns[];
extern const int demo_pattern_count;

#endif
