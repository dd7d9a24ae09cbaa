/* decide.h -- the built-in sources, answered inline (sched.c's cf_decide).
 *
 * A decision is the runtime's most frequent call out: one per scheduling
 * point. The built-in sources (first-ready, seeded PRNG, replay) are a few
 * instructions of arithmetic on their own state, so cf_decide answers them
 * in place, without the side-stack switch and the indirect call every
 * other source takes. Why that keeps executions exact is in cf_decide. */
#ifndef CF_DECIDE_H
#define CF_DECIDE_H

#include <stdbool.h>

#include "chanfuzz/exec.h"

uint64_t cf_decide_first(void *self, go_decision_kind kind, uint64_t options);
uint64_t cf_decide_prng(void *self, go_decision_kind kind, uint64_t options);
uint64_t cf_decide_replay(void *self, go_decision_kind kind, uint64_t options);

/* splitmix64: tiny, seedable from any value, and the same everywhere. */
static inline uint64_t cf_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Maps a random word onto [0, n) by multiplication (Lemire), avoiding the
 * modulo's division; the bias is below 2^-32 for the option counts here. */
static inline uint64_t cf_random_below(uint64_t random, uint64_t n) {
    return (uint64_t)(((unsigned __int128)random * n) >> 64);
}

static inline uint64_t cf_prng_answer(go_prng_source *src, go_decision_kind kind,
                                      uint64_t options) {
    uint64_t r = cf_splitmix64(&src->state);
    if (kind == GO_DECIDE_PREEMPT) return cf_random_below(r, src->preempt_one_in) == 0;
    return cf_random_below(r, options);
}

/* Answers `d`'s question inline when d is a built-in source and the answer
 * needs nothing but arithmetic; false sends the question the long way (any
 * other source; a replay past its end or diverging, which formats a
 * message). Same answers, same source state, as calling d->decide. */
static inline bool cf_decide_inline(const go_decider *d, go_decision_kind kind,
                                    uint64_t options, uint64_t *answer) {
    if (d->decide == cf_decide_first) {
        *answer = 0;
        return true;
    }
    if (d->decide == cf_decide_prng) {
        *answer = cf_prng_answer(d->self, kind, options);
        return true;
    }
    if (d->decide == cf_decide_replay) {
        go_replay_source *src = d->self;
        if (src->position >= src->length) return false;
        const go_decision *rec = &src->log[src->position];
        if (rec->kind != kind || rec->options != options) return false;
        src->position++;
        *answer = rec->answer;
        return true;
    }
    return false;
}

#endif
