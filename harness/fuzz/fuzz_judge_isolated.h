/* fuzz_judge_isolated.h -- one fuzz input judged in a child process, so
 * that an input which crashes or hangs the scenario (exactly what
 * libFuzzer saves as crash-* and timeout-*) is a finding of `chanfuzz
 * fuzz`, not its end. The mechanism is chanfuzz/isolate.h's: the same
 * crash and hang findings, with the same crash states, as `chanfuzz run`
 * reports for the same fault. Internal to harness/fuzz/. */
#ifndef CHANFUZZ_FUZZ_JUDGE_ISOLATED_H
#define CHANFUZZ_FUZZ_JUDGE_ISOLATED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_target.h"

typedef struct chanfuzz_judged {
    bool reproduces;               /* a finding: the model's, or the death */
    bool died;                     /* the child crashed or hung */
    chanfuzz_kind kind;            /* the primary finding's */
    chanfuzz_input_verdict verdict;
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
    /* A death's decisions up to the fault: its reproducer, since running
     * the input again in this process would die the same way. */
    go_semantics semantics;
    go_decision *decisions;        /* malloc'ed when died */
    size_t decision_count;
} chanfuzz_judged;

/* Judges (data, size) against target in a child process, under the
 * watchdog that chanfuzz_isolate_configure set. False only when out of
 * memory. */
bool chanfuzz_judge_isolated(const chanfuzz_target *target, go_semantics semantics,
                             const uint8_t *data, size_t size, chanfuzz_judged *out);

void chanfuzz_judged_free(chanfuzz_judged *judged);

#endif
