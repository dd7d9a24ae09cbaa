/* decide.c -- the built-in decision sources and scenario data.
 *
 * The runtime asks every nondeterministic question through cf_decide
 * (sched.c), which records the answer by meaning. Sources only answer. */
#include <stdio.h>

#include "sched.h"

static const char *const kind_names[GO_DECIDE_KIND_COUNT] = {
    [GO_DECIDE_PREEMPT] = "preempt",
    [GO_DECIDE_SCHEDULE] = "schedule",
    [GO_DECIDE_SELECT] = "select",
    [GO_DECIDE_MUTEX] = "mutex",
    [GO_DECIDE_DATA] = "data",
    [GO_DECIDE_CLOCK] = "clock",
    [GO_DECIDE_TIMER] = "timer",
    [GO_DECIDE_COLLECT] = "collect",
};

const char *go_decision_kind_name(go_decision_kind kind) {
    return (unsigned)kind < GO_DECIDE_KIND_COUNT ? kind_names[kind] : "unknown";
}

/* ---- first-ready ------------------------------------------------------- */

static uint64_t decide_first(void *self, go_decision_kind kind, uint64_t options) {
    (void)self, (void)kind, (void)options;
    return 0;
}

go_decider go_decider_first(void) {
    go_decider d = {decide_first, NULL};
    return d;
}

/* ---- seeded PRNG ------------------------------------------------------- */

/* splitmix64: tiny, seedable from any value, and the same everywhere. */
static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Maps a random word onto [0, n) by multiplication (Lemire), avoiding the
 * modulo's division; the bias is below 2^-32 for the option counts here. */
static uint64_t below(uint64_t random, uint64_t n) {
    return (uint64_t)(((unsigned __int128)random * n) >> 64);
}

static uint64_t decide_prng(void *self, go_decision_kind kind, uint64_t options) {
    go_prng_source *src = self;
    uint64_t r = splitmix64(&src->state);
    if (kind == GO_DECIDE_PREEMPT) return below(r, src->preempt_one_in) == 0;
    return below(r, options);
}

go_decider go_decider_prng(go_prng_source *src, uint64_t seed, uint32_t preempt_one_in) {
    src->state = seed;
    src->preempt_one_in = preempt_one_in < 2 ? 2 : preempt_one_in;
    go_decider d = {decide_prng, src};
    return d;
}

/* ---- replay ------------------------------------------------------------ */

static uint64_t decide_replay(void *self, go_decision_kind kind, uint64_t options) {
    go_replay_source *src = self;
    if (src->position >= src->length) return 0;
    const go_decision *rec = &src->log[src->position++];
    if (rec->kind != kind || rec->options != options) {
        char message[160];
        snprintf(message, sizeof message,
                 "diverged at decision %zu (expected %s over %llu, got %s over %llu)",
                 src->position, go_decision_kind_name((go_decision_kind)rec->kind),
                 (unsigned long long)rec->options, go_decision_kind_name(kind),
                 (unsigned long long)options);
        go_exec_stop(message);
        return 0;
    }
    return rec->answer;
}

go_decider go_decider_replay(go_replay_source *src, const go_decision *log, size_t length) {
    src->log = log;
    src->length = length;
    src->position = 0;
    go_decider d = {decide_replay, src};
    return d;
}

/* ---- scenario data ------------------------------------------------------ */

uint64_t go_fz_intn_at(const go_site *site, uint64_t n) {
    go_exec *e = cf_exec();
    (void)site;
    if (n < 2) return 0;
    return cf_decide(e, GO_DECIDE_DATA, n);
}
