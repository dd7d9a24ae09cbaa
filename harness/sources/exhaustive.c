/* exhaustive.c -- bounded exhaustive exploration (stateless model checking,
 * as CHESS does it: Musuvathi and Qadeer, "Iterative Context Bounding for
 * Systematic Testing of Multithreaded Programs", PLDI 2007).
 *
 * No state is saved: every schedule runs the scenario from scratch. The
 * explorer keeps one path, the decisions of the last execution. The next
 * schedule replays the path up to its deepest decision that has an answer
 * left to try, takes that answer, and answers 0 to every decision after
 * it. When no decision on the path has an answer left, every sequence
 * within the bounds has run. Decisions are asked by meaning, so a re-run
 * that meets another kind or option count than the path recorded has
 * found a scenario that is not deterministic, and exploration stops: going
 * on would count schedules that were never run.
 *
 * Bounds (definitions in chanfuzz/sources.h):
 *  - preemptions: a PREEMPT may be answered 1 only while fewer than
 *    `preemption_bound` PREEMPTs before it on the path were. A path's new
 *    decisions answer 0, so only backtracking needs the check;
 *  - large DATA: only 0, options/2 and options-1 are tried;
 *  - max_schedules: a cap on executions; the result says whether the space
 *    was exhausted before it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "chanfuzz/sources.h"

typedef struct explorer {
    go_decision *path;          /* the decisions of the schedule being run */
    size_t length, capacity;
    size_t prefix;              /* path[0, prefix) is replayed; after it,
                                   decisions are new and answer 0 */
    size_t position;            /* decisions asked so far in this run */
    uint32_t preemption_bound;
    uint64_t max_data_options;
    bool restricted;            /* a large DATA decision was met */
    bool diverged;              /* this run left the path it replayed */
    char message[200];
} explorer;

static const char *kind_name(uint8_t kind) {
    return go_decision_kind_name((go_decision_kind)kind);
}

static void path_push(explorer *x, go_decision d) {
    if (x->length == x->capacity) {
        size_t capacity = x->capacity ? x->capacity * 2 : 256;
        go_decision *path = realloc(x->path, capacity * sizeof *path);
        if (!path) abort(); /* out of memory in a driver: nothing to save */
        x->path = path;
        x->capacity = capacity;
    }
    x->path[x->length++] = d;
}

static uint64_t decide_explore(void *self, go_decision_kind kind, uint64_t options) {
    explorer *x = self;
    size_t index = x->position++;
    if (index < x->prefix) {
        const go_decision *d = &x->path[index];
        if (d->kind == kind && d->options == options) return d->answer;
        x->diverged = true;
        snprintf(x->message, sizeof x->message,
                 "scenario is not deterministic: decision %zu was %s over %llu, "
                 "then %s over %llu",
                 index + 1, kind_name(d->kind), (unsigned long long)d->options,
                 kind_name((uint8_t)kind), (unsigned long long)options);
        go_exec_stop(x->message);
        return 0;
    }
    if (kind == GO_DECIDE_DATA && options > x->max_data_options) x->restricted = true;
    path_push(x, (go_decision){.kind = (uint8_t)kind, .options = options, .answer = 0});
    return 0;
}

/* The answer to try after d's current one, if any. */
static bool next_answer(const explorer *x, const go_decision *d, uint32_t preemptions_before,
                        uint64_t *next) {
    switch (d->kind) {
    case GO_DECIDE_PREEMPT:
        *next = 1;
        return d->answer == 0 && preemptions_before < x->preemption_bound;
    case GO_DECIDE_DATA:
        if (d->options > x->max_data_options) {
            /* 0 -> middle -> largest: options > max_data_options >= 2 keeps
             * the three apart. */
            uint64_t middle = d->options / 2, largest = d->options - 1;
            *next = d->answer < middle ? middle : largest;
            return d->answer < largest;
        }
        break;
    default:
        break;
    }
    *next = d->answer + 1;
    return *next < d->options;
}

/* Moves to the next schedule: the deepest decision with an answer left
 * takes it, and the path is cut after it. False when none is left. */
static bool backtrack(explorer *x) {
    uint32_t preemptions = 0;
    for (size_t i = 0; i < x->length; i++)
        preemptions += x->path[i].kind == GO_DECIDE_PREEMPT && x->path[i].answer == 1;
    for (size_t i = x->length; i-- > 0;) {
        go_decision *d = &x->path[i];
        if (d->kind == GO_DECIDE_PREEMPT && d->answer == 1) preemptions--;
        uint64_t next;
        if (!next_answer(x, d, preemptions, &next)) continue;
        d->answer = next;
        x->length = x->prefix = i + 1;
        return true;
    }
    return false;
}

chanfuzz_explore_result chanfuzz_explore(const chanfuzz_explore_options *options,
                                         go_func *main, void *arg,
                                         chanfuzz_explore_visit *visit, void *visit_self) {
    chanfuzz_explore_result result = {0};
    explorer x = {
        .preemption_bound = options->preemption_bound,
        .max_data_options = options->max_data_options ? options->max_data_options
                                                      : CHANFUZZ_EXPLORE_MAX_DATA_OPTIONS,
    };
    if (x.max_data_options < 2) x.max_data_options = 2;
    uint64_t cap = options->max_schedules ? options->max_schedules
                                          : CHANFUZZ_EXPLORE_MAX_SCHEDULES;
    go_config config = options->config;
    config.decider = (go_decider){decide_explore, &x};
    for (;;) {
        x.length = x.prefix;
        x.position = 0;
        go_exec *exec = go_exec_run(&config, main, arg);
        if (!x.diverged && x.position < x.prefix) {
            x.diverged = true;
            snprintf(x.message, sizeof x.message,
                     "scenario is not deterministic: it ended after %zu decisions, "
                     "the schedule being replayed has %zu",
                     x.position, x.prefix);
        }
        if (x.diverged) {
            go_exec_free(exec);
            result.nondeterministic = true;
            snprintf(result.message, sizeof result.message, "%s", x.message);
            break;
        }
        result.schedules++;
        if (x.length > result.longest) result.longest = x.length;
        bool go_on = visit ? visit(visit_self, exec) : true;
        go_exec_free(exec);
        if (!backtrack(&x)) {
            result.exhausted = true;
            break;
        }
        if (!go_on) {
            result.stopped = true;
            break;
        }
        if (result.schedules >= cap) break;
    }
    result.data_restricted = x.restricted;
    free(x.path);
    return result;
}
