/* decide.c -- the built-in decision sources and scenario data.
 *
 * The runtime asks every nondeterministic question through cf_decide
 * (sched.c), which records the answer by meaning. Sources only answer. */
#include <stdio.h>

#include "decide.h"
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

uint64_t cf_decide_first(void *self, go_decision_kind kind, uint64_t options) {
    (void)self, (void)kind, (void)options;
    return 0;
}

go_decider go_decider_first(void) {
    go_decider d = {cf_decide_first, NULL};
    return d;
}

/* ---- seeded PRNG ------------------------------------------------------- */

uint64_t cf_decide_prng(void *self, go_decision_kind kind, uint64_t options) {
    return cf_prng_answer(self, kind, options);
}

go_decider go_decider_prng(go_prng_source *src, uint64_t seed, uint32_t preempt_one_in) {
    src->state = seed;
    src->preempt_one_in = preempt_one_in < 2 ? 2 : preempt_one_in;
    go_decider d = {cf_decide_prng, src};
    return d;
}

/* ---- replay ------------------------------------------------------------ */

uint64_t cf_decide_replay(void *self, go_decision_kind kind, uint64_t options) {
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
    go_decider d = {cf_decide_replay, src};
    return d;
}

/* ---- scenario data ------------------------------------------------------ */

uint64_t go_fz_intn_at(const go_site *site, uint64_t n) {
    go_exec *e = cf_exec();
    (void)site;
    if (n < 2) return 0;
    return cf_decide(e, GO_DECIDE_DATA, n);
}
