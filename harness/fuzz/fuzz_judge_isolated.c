/* fuzz_judge_isolated.c -- an input judged in a child (fuzz_judge_isolated.h). */
#include "fuzz_judge_isolated.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/isolate.h>

typedef struct job {
    const chanfuzz_target *target;
    go_semantics semantics;
    const uint8_t *data;
    size_t size;
    chanfuzz_judged *result; /* shared memory: the parent reads it */
} job;

/* The primary finding of `findings` into *out. */
static void take_primary(const chanfuzz_target *target, const chanfuzz_findings *findings,
                         chanfuzz_judged *out) {
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(target, findings);
    out->reproduces = primary != NULL;
    out->verdict = chanfuzz_fuzz_classify(target, findings);
    if (primary) {
        out->kind = primary->kind;
        snprintf(out->crash_state, sizeof out->crash_state, "%s", primary->crash_state);
    }
}

static int judge_in_child(void *self) {
    const job *j = self;
    chanfuzz_findings *findings =
        chanfuzz_fuzz_judge(j->target, j->data, j->size, j->semantics, NULL, NULL, NULL, NULL);
    if (!findings) return 1;
    take_primary(j->target, findings, j->result);
    chanfuzz_findings_free(findings);
    return 0;
}

bool chanfuzz_judge_isolated(const chanfuzz_target *target, go_semantics semantics,
                             const uint8_t *data, size_t size, chanfuzz_judged *out) {
    /* One slot, reused: shared memory is never given back. */
    static chanfuzz_judged *slot;
    if (!slot) slot = chanfuzz_shared_calloc(1, sizeof *slot);
    *slot = (chanfuzz_judged){0};
    job j = {target, semantics, data, size, slot};
    chanfuzz_crash crash;
    int status = chanfuzz_isolate_run(judge_in_child, &j, &crash);
    *out = (chanfuzz_judged){.semantics = semantics};
    if (status == 0) {
        *out = *slot;
        out->semantics = semantics;
        return true;
    }
    if (status != CHANFUZZ_ISOLATE_DIED) return false; /* out of memory in the child */
    chanfuzz_findings *findings = chanfuzz_crash_findings(&crash);
    take_primary(target, findings, out);
    chanfuzz_findings_free(findings);
    out->died = true;
    if (crash.in_goroutine) out->semantics = crash.semantics;
    out->decisions = crash.decisions;
    out->decision_count = crash.decision_count;
    crash.decisions = NULL;
    chanfuzz_crash_free(&crash);
    return true;
}

void chanfuzz_judged_free(chanfuzz_judged *judged) {
    free(judged->decisions);
    judged->decisions = NULL;
    judged->decision_count = 0;
}
