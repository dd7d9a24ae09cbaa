/* feedback.h -- interleaving feedback: the runtime's events hashed into
 * libFuzzer's extra counters, so that a new order of events counts as new
 * coverage even when no new line of code ran.
 *
 * Edge coverage alone cannot see a schedule: a sender blocked before its
 * receiver arrived and one that found it waiting run the same lines. The
 * features (feedback.c says which and why) are hashed into a fixed array
 * of CHANFUZZ_FEEDBACK_BYTES counters in the section libFuzzer scans after
 * every input. Its size is a trade-off measured in harness/fuzz/README.md:
 * libFuzzer clears and scans the whole array on every execution.
 *
 *     chanfuzz_feedback fb;
 *     chanfuzz_feedback_begin(&fb);
 *     findings = chanfuzz_fuzz_judge(t, data, size, sem, chanfuzz_feedback_event, &fb,
 *                                    chanfuzz_feedback_finish, &fb);
 */
#ifndef CHANFUZZ_FEEDBACK_H
#define CHANFUZZ_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/exec.h"

/* Bytes of extra counters: a power of two, a multiple of 64 (libFuzzer
 * clears them 8 bytes at a time; the array is cache-line aligned), or 0
 * for none at all (the baseline of the size measurement). */
#ifndef CHANFUZZ_FEEDBACK_BYTES
#define CHANFUZZ_FEEDBACK_BYTES 4096
#endif

/* Per-execution memory of the features that need history. Small tables
 * indexed by id modulo their size: a collision only blurs a feature. */
#define CHANFUZZ_FEEDBACK_OBJECT_SLOTS 256
#define CHANFUZZ_FEEDBACK_GOROUTINE_SLOTS 64

typedef struct chanfuzz_feedback {
    /* The site that last acted on an object, by hash of (kind, id): the
     * previous half of an "A then B on the same object" feature. */
    uint32_t last_site_on_object[CHANFUZZ_FEEDBACK_OBJECT_SLOTS];
    /* Set when a goroutine blocks, cleared when it is woken: whether the
     * partner of a MEET had to wait. */
    bool blocked[CHANFUZZ_FEEDBACK_GOROUTINE_SLOTS];
    uint64_t events;     /* seen this execution */
} chanfuzz_feedback;

/* Is feedback on? Off when the environment has CHANFUZZ_FEEDBACK=0, so
 * one binary measures both (read once). */
bool chanfuzz_feedback_enabled(void);

/* Bytes of counters this binary has (CHANFUZZ_FEEDBACK_BYTES). */
size_t chanfuzz_feedback_size(void);

/* Forgets the previous execution's history. */
void chanfuzz_feedback_begin(chanfuzz_feedback *feedback);

/* The go_config.event_hook: self is a chanfuzz_feedback. */
void chanfuzz_feedback_event(void *self, const go_event *event);

/* End-state features (a chanfuzz_fuzz_finish): for each goroutine that
 * did not exit, its creation site with its end state and wait reason. */
void chanfuzz_feedback_finish(void *self, const go_exec *exec);

#endif
