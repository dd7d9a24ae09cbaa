/* pct.c -- PCT, probabilistic concurrency testing (Burckhardt et al.,
 * ASPLOS 2010), as a decision source.
 *
 * The algorithm, in the paper's words mapped onto the model:
 *  - each goroutine gets a random initial priority, all distinct, all above
 *    d-1 (here: when the source first sees its id, as the running goroutine
 *    or in the run queue);
 *  - d-1 change points k_1..k_{d-1} are drawn, distinct, uniformly in
 *    [1, k]; when step k_i is taken, the running goroutine's priority
 *    becomes i, below every initial priority;
 *  - the highest-priority runnable goroutine always runs: a PREEMPT is
 *    answered 1 exactly when someone in the run queue outranks the running
 *    goroutine, and a SCHEDULE picks the highest in the queue.
 * A change point's priority is its draw index, not its rank in time, as in
 * the paper: either relative order of two lowered goroutines is reachable,
 * which a "below everyone so far" rule would rule out for d >= 3.
 *
 * A step is a PREEMPT or a SCHEDULE decision: the scheduling points where
 * more than one goroutine could go next. (A SCHEDULE that follows a
 * PREEMPT answered 1 counts again; it only makes k a little larger.) The
 * source counts them in `steps`, so a driver can set k from a first run.
 *
 * Time: the clock jumps when nothing can run, or when a PREEMPT answered 1
 * is followed by a CLOCK decision that the PRNG answers 1 (the running
 * code took that long). A lone goroutine with timers pending is never
 * interrupted by time: PCT preempts for priority only.
 *
 * Fairness: past fair_after steps (4k + 1000 for init's k; a k raised later
 * by the driver does not move it, or a polling loop would push it ahead of
 * itself every execution) PREEMPT is answered 1 one time in
 * FAIR_PREEMPT_ONE_IN and SCHEDULE picks uniformly, as the random mode's
 * PRNG source does: PCT's guarantee is about the first k steps, and a
 * high-priority poller must not starve, for ever, the goroutine it polls
 * for (the GoKer kernels grpc_660, cockroach_1462 and kubernetes_11298 ran
 * their fixed variants into the step budget).
 *
 * Priorities are drawn from 62 random bits and compared together with the
 * goroutine id, so they are distinct even in the 2^-61 case of a tie, and
 * no draw ever needs a check against the others.
 */
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/sources.h"

/* splitmix64, as the runtime's PRNG source: same everywhere. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) by multiplication (Lemire); bias below 2^-32 here. */
static uint64_t random_below(uint64_t *state, uint64_t n) {
    return (uint64_t)(((unsigned __int128)next_random(state) * n) >> 64);
}

#define INITIAL_PRIORITY_FLOOR (1ull << 62)
#define FAIR_PREEMPT_ONE_IN 3

static void *grow(void *array, size_t *capacity, size_t needed, size_t item) {
    if (needed <= *capacity) return array;
    size_t capacity_new = *capacity ? *capacity : 64;
    while (capacity_new < needed) capacity_new *= 2;
    void *grown = realloc(array, capacity_new * item);
    if (!grown) abort(); /* out of memory in a test driver: nothing to save */
    memset((char *)grown + *capacity * item, 0, (capacity_new - *capacity) * item);
    *capacity = capacity_new;
    return grown;
}

/* The priority of goroutine `id`, drawing its initial one at first sight.
 * Id 0 (a timer firing, no goroutine running) outranks everyone: time's
 * own work is never preempted. */
static uint64_t priority_of(chanfuzz_pct *pct, uint64_t id) {
    if (id == 0) return UINT64_MAX;
    pct->priority = grow(pct->priority, &pct->priority_capacity, (size_t)id + 1,
                         sizeof *pct->priority);
    if (pct->priority[id] == 0)
        pct->priority[id] = INITIAL_PRIORITY_FLOOR | (next_random(&pct->random) >> 2);
    return pct->priority[id];
}

static bool outranks(chanfuzz_pct *pct, uint64_t a, uint64_t b) {
    uint64_t pa = priority_of(pct, a), pb = priority_of(pct, b);
    return pa != pb ? pa > pb : a < b;
}

/* Queue position of the highest-priority runnable goroutine; *count gets
 * the queue length (0: nobody else is runnable). */
static size_t highest_runnable(chanfuzz_pct *pct, size_t *count) {
    size_t n = go_decide_runnable(NULL, 0);
    pct->runnable = grow(pct->runnable, &pct->runnable_capacity, n, sizeof *pct->runnable);
    go_decide_runnable(pct->runnable, n);
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (outranks(pct, pct->runnable[i], pct->runnable[best])) best = i;
    *count = n;
    return best;
}

/* One step: at a change point the running goroutine drops to the point's
 * priority. */
static void take_step(chanfuzz_pct *pct) {
    pct->steps++;
    uint64_t current = go_decide_current();
    for (uint32_t i = 0; i + 1 < pct->depth; i++) {
        if (pct->change_points[i] != pct->steps) continue;
        if (current != 0) {
            priority_of(pct, current); /* seen, so it is not redrawn later */
            pct->priority[current] = i + 1;
            pct->changes++;
        }
        break;
    }
}

static uint64_t decide_pct(void *self, go_decision_kind kind, uint64_t options) {
    chanfuzz_pct *pct = self;
    size_t count, best;
    if ((kind == GO_DECIDE_PREEMPT || kind == GO_DECIDE_SCHEDULE) && pct->steps >= pct->fair_after) {
        pct->steps++;
        pct->fair = true;
        if (kind == GO_DECIDE_PREEMPT) return random_below(&pct->random, FAIR_PREEMPT_ONE_IN) == 0;
        return random_below(&pct->random, options);
    }
    switch (kind) {
    case GO_DECIDE_PREEMPT:
        take_step(pct);
        best = highest_runnable(pct, &count);
        return count > 0 && outranks(pct, pct->runnable[best], go_decide_current());
    case GO_DECIDE_SCHEDULE:
        take_step(pct);
        best = highest_runnable(pct, &count);
        return best < options ? best : 0;
    default:
        return random_below(&pct->random, options);
    }
}

void chanfuzz_pct_init(chanfuzz_pct *pct, uint32_t depth, uint64_t steps_estimate) {
    *pct = (chanfuzz_pct){
        .depth = depth ? depth : 1,
        .steps_estimate = steps_estimate ? steps_estimate : 1,
    };
    pct->fair_after = 4 * pct->steps_estimate + 1000;
    pct->change_points = calloc(pct->depth, sizeof *pct->change_points);
    if (!pct->change_points) abort();
}

go_decider chanfuzz_pct_decider(chanfuzz_pct *pct, uint64_t seed) {
    pct->random = seed;
    pct->steps = 0;
    pct->changes = 0;
    pct->fair = false;
    if (pct->priority) memset(pct->priority, 0, pct->priority_capacity * sizeof *pct->priority);
    /* d-1 distinct points in [1, k]; with d-1 > k there are only k, and
     * the rest stay 0, a step never taken. */
    size_t points = pct->depth - 1;
    memset(pct->change_points, 0, pct->depth * sizeof *pct->change_points);
    for (size_t i = 0; i < points && i < pct->steps_estimate; i++) {
        uint64_t point;
        bool taken;
        do { /* rejection keeps them distinct; d is small, so this is cheap */
            point = 1 + random_below(&pct->random, pct->steps_estimate);
            taken = false;
            for (size_t j = 0; j < i; j++) taken |= pct->change_points[j] == point;
        } while (taken);
        pct->change_points[i] = point;
    }
    go_decider d = {decide_pct, pct};
    return d;
}

void chanfuzz_pct_free(chanfuzz_pct *pct) {
    free(pct->change_points);
    free(pct->priority);
    free(pct->runnable);
    *pct = (chanfuzz_pct){0};
}
