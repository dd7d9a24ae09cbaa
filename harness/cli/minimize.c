/* minimize.c -- `chanfuzz minimize FILE [-o OUT]`: the shortest decision
 * sequence, then the fewest preemptions, that still gives the same crash
 * state.
 *
 * Delta debugging over the decision log, re-running the scenario for
 * every candidate and keeping a change when the crash state still appears
 * and the score (below) went down:
 *   1. truncate the tail in halving chunks: past the candidate's end every
 *      decision answers 0, as a dry fuzz input does;
 *   2. set single answers to 0, last first (a PREEMPT 1 -> 0 removes a
 *      preemption; SCHEDULE, SELECT, ... -> 0 takes the plain choice), and
 *      lower the ones that cannot be 0 by one;
 *   3. repeat until a round changes nothing.
 * A changed answer shifts the decisions after it, so candidates run under
 * a lenient replay: a recorded answer is used while the kind and option
 * count still match (or the answer still fits), else 0. What is kept is
 * the decision log the run actually made, so the result replays exactly
 * (go_decider_replay, no divergence).
 *
 * Score, lower is better, compared in order: significant length (up to
 * the last non-zero answer: what the file must say), preemptions,
 * non-zero answers, the sum of the small answers (not DATA), all
 * decisions. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include <chanfuzz/isolate.h>

const char cli_usage_minimize[] =
    "usage: chanfuzz minimize FILE [--scenario NAME:buggy|fixed] [--go-semantics 1.22|1.23] "
    "[-o OUT] [--exec-timeout S] [--no-isolate] [--steps N] [--settle N]";

static const char *const accepted[] = {"--scenario",     "-o",           "--output",
                                       "--go-semantics", "--exec-timeout", "--no-isolate", "--steps",
                                       "--settle",       NULL};

/* ---- The lenient replay ------------------------------------------------------ */

typedef struct lenient {
    const go_decision *log;
    size_t length, position;
} lenient;

static uint64_t lenient_decide(void *self, go_decision_kind kind, uint64_t options) {
    lenient *l = self;
    size_t i = l->position++;
    if (i >= l->length || l->log[i].kind != kind) return 0;
    return l->log[i].answer < options ? l->log[i].answer : 0;
}

/* ---- Scores ------------------------------------------------------------------ */

typedef struct score {
    size_t significant, preemptions, nonzero;
    uint64_t small_sum;
    size_t total;
} score;

static score score_of(const go_decision *log, size_t count) {
    score s = {.total = count};
    for (size_t i = 0; i < count; i++) {
        if (!log[i].answer) continue;
        s.significant = i + 1;
        s.nonzero++;
        if (log[i].kind != GO_DECIDE_DATA) s.small_sum += log[i].answer;
    }
    s.preemptions = cli_preemptions(log, count);
    return s;
}

static int score_compare(score a, score b) {
    size_t x[] = {a.significant, a.preemptions, a.nonzero, (size_t)a.small_sum, a.total};
    size_t y[] = {b.significant, b.preemptions, b.nonzero, (size_t)b.small_sum, b.total};
    for (int i = 0; i < 5; i++)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

/* ---- One execution, isolated ---------------------------------------------------- */

/* What one execution in a child showed (isolate.h), in shared memory: a
 * candidate may crash or hang where the original did not, or the
 * original itself be a crash. */
typedef struct outcome {
    bool stopped;                     /* the trace no longer fits */
    char message[256];                /* the stop message */
    char keep[CHANFUZZ_CRASH_STATE_MAX]; /* the crash state to keep: the
                                            first of a kind the variant
                                            expects, else the first; "" */
    bool same;                        /* it shows the search's crash state */
    go_decision *log;                 /* the decisions made (shared) */
    size_t count, capacity;
} outcome;

typedef struct execution {
    const cli_input *in;
    const go_decision *candidate;     /* NULL: the input as it is */
    size_t candidate_count;
    const char *crash_state;          /* to look for; NULL for the original */
    outcome *result;
} execution;

static void note_findings(const execution *x, const chanfuzz_findings *f,
                          const go_decision *log, size_t count) {
    outcome *o = x->result;
    const chanfuzz_variant *variant = chanfuzz_scenario_variant(x->in->target.scenario,
                                                                x->in->target.variant);
    const chanfuzz_finding *keep = f->count ? &f->items[0] : NULL;
    for (size_t i = 0; i < f->count; i++)
        if (variant->expect & CHANFUZZ_KIND_BIT(f->items[i].kind)) {
            keep = &f->items[i];
            break;
        }
    snprintf(o->keep, sizeof o->keep, "%s", keep ? keep->crash_state : "");
    o->same = false;
    for (size_t i = 0; x->crash_state && i < f->count; i++)
        if (!strcmp(f->items[i].crash_state, x->crash_state)) o->same = true;
    if (count > o->capacity) {
        o->log = chanfuzz_shared_grow(NULL, 0, 2 * count * sizeof *o->log);
        o->capacity = 2 * count;
    }
    memcpy(o->log, log, count * sizeof *log);
    o->count = count;
}

static int execute(void *self) {
    const execution *x = self;
    lenient l = {x->candidate, x->candidate_count, 0};
    go_exec *e;
    if (x->candidate) {
        go_config cfg = chanfuzz_target_config(&x->in->target, (go_decider){lenient_decide, &l},
                                               x->in->semantics);
        e = chanfuzz_target_run(&x->in->target, &cfg);
    } else {
        e = cli_input_run(x->in, false, NULL, NULL);
    }
    x->result->stopped = go_exec_end(e) == GO_END_STOPPED;
    snprintf(x->result->message, sizeof x->result->message, "%s", go_exec_message(e));
    chanfuzz_findings *f = chanfuzz_target_judge(&x->in->target, e, NULL);
    if (!f) abort();
    size_t count;
    const go_decision *log = go_exec_decisions(e, &count);
    note_findings(x, f, log, count);
    chanfuzz_findings_free(f);
    go_exec_free(e);
    return 0;
}

/* Runs x in a child; a death is judged as its crash finding. */
static void execute_isolated(const execution *x) {
    chanfuzz_crash crash;
    if (chanfuzz_isolate_run(execute, (void *)x, &crash) != CHANFUZZ_ISOLATE_DIED) return;
    chanfuzz_findings *f = chanfuzz_crash_findings(&crash);
    x->result->stopped = false;
    note_findings(x, f, crash.decisions, crash.decision_count);
    chanfuzz_findings_free(f);
    chanfuzz_crash_free(&crash);
}

/* ---- The search ------------------------------------------------------------------ */

typedef struct search {
    const cli_input *in;
    const char *crash_state;     /* what must still appear */
    go_decision *best;           /* the kept log, significant prefix only */
    size_t best_count;
    score best_score;
    uint64_t tries;
    outcome *result;             /* shared with the children */
} search;

/* Runs `candidate`; keeps what the run did when it still shows the crash
 * state and scores lower. */
static bool try_candidate(search *s, const go_decision *candidate, size_t count) {
    s->tries++;
    execution x = {s->in, candidate, count, s->crash_state, s->result};
    execute_isolated(&x);
    score sc = score_of(s->result->log, s->result->count);
    bool kept = s->result->same && score_compare(sc, s->best_score) < 0;
    if (kept) {
        free(s->best);
        s->best_count = sc.significant;
        s->best = malloc((s->best_count ? s->best_count : 1) * sizeof *s->best);
        if (!s->best) abort();
        memcpy(s->best, s->result->log, s->best_count * sizeof *s->best);
        s->best_score = sc;
    }
    return kept;
}

static bool truncate_tail(search *s) {
    bool changed = false;
    size_t chunk = s->best_count > 1 ? s->best_count / 2 : s->best_count;
    while (chunk >= 1) {
        /* A kept cut is tried again at the same size: its score fell, so
         * this ends. */
        if (try_candidate(s, s->best, s->best_count - chunk))
            changed = true;
        else
            chunk /= 2;
        if (chunk > s->best_count) chunk = s->best_count;
    }
    return changed;
}

static bool lower_answers(search *s) {
    bool changed = false;
    for (size_t i = s->best_count; i-- > 0;) {
        if (i >= s->best_count || !s->best[i].answer) continue;
        go_decision *candidate = malloc(s->best_count * sizeof *candidate);
        if (!candidate) abort();
        memcpy(candidate, s->best, s->best_count * sizeof *candidate);
        uint64_t answer = candidate[i].answer;
        candidate[i].answer = 0;
        bool kept = try_candidate(s, candidate, s->best_count);
        if (!kept && answer > 1 && candidate[i].kind != GO_DECIDE_DATA) {
            candidate[i].answer = answer - 1;
            kept = try_candidate(s, candidate, s->best_count);
        }
        free(candidate);
        changed |= kept;
    }
    return changed;
}

static void default_output(const char *path, char *out, size_t size) {
    size_t n = strlen(path);
    if (n > 6 && !strcmp(path + n - 6, ".trace"))
        snprintf(out, size, "%.*s.min.trace", (int)(n - 6), path);
    else
        snprintf(out, size, "%s.min.trace", path);
}

int cli_minimize(int argc, char **argv) {
    cli_file_args args;
    if (cli_parse_file_args("minimize", argc, argv, accepted, cli_usage_minimize, &args))
        return CHANFUZZ_EXIT_USAGE;
    const char *path = args.path, *out_path = args.output;
    cli_input in;
    if (!cli_input_load("minimize", path, args.scenario, args.semantics, args.semantics_given,
                        &in))
        return CHANFUZZ_EXIT_USAGE;
    char default_out[4096];
    if (!out_path) {
        default_output(path, default_out, sizeof default_out);
        out_path = default_out;
    }

    /* The original run: what it found, and the decisions it made. */
    outcome *result = chanfuzz_shared_calloc(1, sizeof *result);
    execution original = {.in = &in, .result = result};
    execute_isolated(&original);
    int status = CHANFUZZ_EXIT_CLEAN;
    if (result->stopped)
        status = cli_fail("minimize", "%s: %s (the recorded schedule no longer fits the "
                                      "scenario's code)", path, result->message);
    else if (!result->keep[0])
        status = cli_fail("minimize", "%s: nothing to minimize: the replay is clean", path);
    if (status != CHANFUZZ_EXIT_CLEAN) {
        cli_input_free(&in);
        return status;
    }
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
    snprintf(crash_state, sizeof crash_state, "%s", result->keep);

    search s = {.in = &in, .crash_state = crash_state, .result = result};
    s.best_score = score_of(result->log, result->count);
    s.best_count = s.best_score.significant;
    s.best = malloc((s.best_count ? s.best_count : 1) * sizeof *s.best);
    if (!s.best) abort();
    memcpy(s.best, result->log, s.best_count * sizeof *s.best);
    score before = s.best_score;

    for (int round = 0; round < 16; round++) {
        bool changed = truncate_tail(&s);
        changed |= lower_answers(&s);
        if (!changed) break;
    }

    /* The result: replay the kept prefix exactly and write what it did. */
    execution final = {&in, s.best, s.best_count, crash_state, result};
    execute_isolated(&final);
    char comment[CHANFUZZ_CRASH_STATE_MAX + 4200];
    snprintf(comment, sizeof comment, "%s\nminimized from %s by chanfuzz minimize", crash_state,
             path);
    if (!cli_write_decisions("minimize", out_path, result->log, result->count, in.semantics,
                             &in.target, comment))
        status = CHANFUZZ_EXIT_USAGE;
    score after = s.best_score;
    char name[300];
    cli_target_name(&in.target, name, sizeof name);
    if (status == CHANFUZZ_EXIT_CLEAN) {
        printf("minimize %s: %s\n", path, name);
        printf("  crash state: %s\n", crash_state);
        printf("  before: %zu decisions (last non-zero answer at %zu), %zu preemption%s\n",
               before.total, before.significant, before.preemptions,
               before.preemptions == 1 ? "" : "s");
        printf("  after:  %zu decisions (last non-zero answer at %zu), %zu preemption%s\n",
               after.total, after.significant, after.preemptions,
               after.preemptions == 1 ? "" : "s");
        printf("  %llu candidate executions\n", (unsigned long long)s.tries);
        printf("wrote %s (replay: chanfuzz replay %s)\n", out_path, out_path);
    }
    free(s.best);
    cli_input_free(&in);
    return status;
}
