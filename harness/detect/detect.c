/* detect.c -- chanfuzz_detect: every detector over one finished execution.
 *
 * Each detector is a function of the execution as it ended (exec.h,
 * "Inspection") that adds findings of its own kinds; none looks at
 * another's findings, so they run in any order and the list is sorted at
 * the end. A detector for a new kind is one more line in the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

typedef void detector(cf_detection *d);

static detector *const detectors[] = {
    cf_detect_failure,     /* panic, fatal error, stack overflow */
    cf_detect_step_budget, /* livelock */
    cf_detect_deadlock,    /* global deadlock */
    cf_detect_leaks,       /* leak, never exits */
    cf_detect_partial_deadlocks,
    cf_detect_lost_cancel,
    cf_detect_registered,  /* context still registered */
    cf_detect_resources,   /* resource never closed */
    cf_detect_unreleased_closures,
    cf_detect_timers,      /* timer never stopped */
    cf_detect_growth,      /* stress mode: live objects keep rising */
};

chanfuzz_findings *chanfuzz_detect(const go_exec *exec, const chanfuzz_ignore *ignore) {
    chanfuzz_findings *findings = calloc(1, sizeof *findings);
    if (!findings) return NULL;
    findings->end = go_exec_end(exec);
    /* Copied, not formatted: this runs on every fuzz input. */
    const char *message = go_exec_message(exec);
    size_t length = strnlen(message, sizeof findings->end_message - 1);
    memcpy(findings->end_message, message, length);
    findings->end_time = go_exec_time(exec);
    findings->steps = go_exec_steps(exec);
    findings->semantics = go_exec_semantics(exec);
    findings->settle_exhausted = go_exec_settle_exhausted(exec);
    /* A stopped execution replayed something other than what was recorded:
     * whatever state it stopped in says nothing about the program. */
    if (findings->end == GO_END_STOPPED) return findings;

    cf_detection d = {.exec = exec, .ignore = ignore, .findings = findings};
    for (size_t i = 0; i < sizeof detectors / sizeof detectors[0] && !d.failed; i++)
        detectors[i](&d);
    if (d.failed) {
        chanfuzz_findings_free(findings);
        return NULL;
    }
    cf_findings_sort(findings);
    return findings;
}
