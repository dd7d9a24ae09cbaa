/* run_variant.c -- one variant of `chanfuzz run`: executions under the
 * chosen decision source, each judged; a reproducer and a report for every
 * distinct crash state; a progress line on stderr.
 *
 * The wall clock is read here only for the progress line and --time; the
 * model never sees it. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/interrupt.h>
#include <chanfuzz/sources.h>

#include <chanfuzz/isolate.h>
#include "run.h"

const char *run_mode_name(run_mode mode) {
    switch (mode) {
    case RUN_PCT: return "pct";
    case RUN_EXHAUSTIVE: return "exhaustive";
    case RUN_PORTFOLIO: return "portfolio";
    case RUN_RANDOM: break;
    }
    return "random";
}

/* ---- Interleavings: a set of decision-sequence hashes ----------------------- */

static void interleaving_add(run_variant *v, uint64_t hash) {
    if (hash == 0) hash = 1; /* 0 marks an empty slot */
    if (2 * (v->interleaving_count + 1) > v->interleaving_capacity) {
        size_t capacity = v->interleaving_capacity ? 2 * v->interleaving_capacity : 1024;
        /* Shared memory: the parent keeps what a crashed child saw. */
        uint64_t *grown = chanfuzz_shared_calloc(capacity, sizeof *grown);
        for (size_t i = 0; i < v->interleaving_capacity; i++) {
            uint64_t h = v->interleavings[i];
            if (!h) continue;
            size_t at = h & (capacity - 1);
            while (grown[at]) at = (at + 1) & (capacity - 1);
            grown[at] = h;
        }
        v->interleavings = grown;
        v->interleaving_capacity = capacity;
    }
    size_t mask = v->interleaving_capacity - 1, at = hash & mask;
    while (v->interleavings[at]) {
        if (v->interleavings[at] == hash) return;
        at = (at + 1) & mask;
    }
    v->interleavings[at] = hash;
    v->interleaving_count++;
}

/* ---- Progress ------------------------------------------------------------------ */

static void progress(run_variant *v, bool final) {
    double now = cli_now();
    if (!final && (!v->options->tty || now - v->last_progress < 0.25)) return;
    v->last_progress = now;
    double seconds = now - v->started;
    double rate = seconds > 0 ? (double)v->executions / seconds : 0;
    fprintf(stderr, "%schanfuzz run: %s %s: %" PRIu64 " executions, %.0f/s, %zu interleavings, "
                    "%zu finding%s, %.1fs%s",
            v->options->tty ? "\r\033[K" : "", v->name, run_mode_name(v->options->mode),
            v->executions, rate, v->interleaving_count, v->crash_count,
            v->crash_count == 1 ? "" : "s", seconds, final || !v->options->tty ? "\n" : "");
    fflush(stderr);
}

/* Clears a redrawn progress line before a report is printed over it. */
static void progress_clear(const run_variant *v) {
    if (v->options->tty) fputs("\r\033[K", stderr);
}

/* ---- Judging one execution ------------------------------------------------------ */

static run_crash *crash_find(run_variant *v, const char *state) {
    for (size_t i = 0; i < v->crash_count; i++)
        if (!strcmp(v->crashes[i].state, state)) return &v->crashes[i];
    return NULL;
}

static run_crash *crash_add(run_variant *v, const chanfuzz_finding *f) {
    if (v->crash_count == v->crash_capacity) {
        size_t capacity = v->crash_capacity ? 2 * v->crash_capacity : 8;
        v->crashes = chanfuzz_shared_grow(v->crashes, v->crash_capacity * sizeof *v->crashes,
                                     capacity * sizeof *v->crashes);
        v->crash_capacity = capacity;
    }
    run_crash *c = &v->crashes[v->crash_count++];
    memset(c, 0, sizeof *c);
    snprintf(c->state, sizeof c->state, "%s", f->crash_state);
    c->kind = f->kind;
    c->execution = v->executions;
    c->seconds = cli_now() - v->options->record->started;
    return c;
}

/* Writes the reproducer of a new crash state: DIR/<scenario>/<variant>/
 * <kind>-<crash state hash>.trace, the layout corpus/regressions/ uses. */
static void write_reproducer(run_variant *v, run_crash *c, const run_decisions *made,
                             const char *found_by) {
    const run_options *o = v->options;
    char dir[900], hash[17];
    snprintf(dir, sizeof dir, "%s/%s/%s", o->out_dir, v->target->scenario->name,
             chanfuzz_variant_name(v->target->variant));
    if (!cli_make_dirs(dir)) {
        cli_fail("run", "%s: cannot create: %s", dir, strerror(errno));
        v->write_failed = true;
        return;
    }
    chanfuzz_crash_state_hash(c->state, hash);
    char stem[sizeof c->reproducer - 32];
    snprintf(stem, sizeof stem, "%s/%s-%s", dir, chanfuzz_kind_id(c->kind), hash);
    char comment[CHANFUZZ_CRASH_STATE_MAX + 400];
    snprintf(comment, sizeof comment, "%s\nfound by %s", c->state, found_by);
    chanfuzz_create_outcome outcome =
        cli_create_trace("run", stem, made->log, made->count, made->semantics, v->target, comment,
                         c->reproducer, sizeof c->reproducer);
    if (outcome == CHANFUZZ_CREATE_FAILED) {
        c->reproducer[0] = '\0';
        v->write_failed = true;
    } else if (outcome == CHANFUZZ_CREATE_BESIDE) {
        progress_clear(v);
        fprintf(stderr, "chanfuzz run: note: %s.trace holds another schedule of this crash "
                        "state (an earlier run's): kept; this one is %s\n", stem, c->reproducer);
    }
}

static void report(run_variant *v, const run_crash *c, const chanfuzz_findings *one,
                   const char *found_by) {
    const run_options *o = v->options;
    char replay[sizeof c->reproducer + 32];
    snprintf(replay, sizeof replay, "%s %s", cli_replay_command(v->target->scenario),
             c->reproducer);
    chanfuzz_report_info info = {
        .scenario = v->target->scenario->name,
        .variant = chanfuzz_variant_name(v->target->variant),
        .reproducer = c->reproducer[0] ? c->reproducer : NULL,
        .replay_command = c->reproducer[0] ? replay : NULL,
    };
    if (o->sarif && chanfuzz_isolate_sarif_add(o->sarif, &info, one) != 0) abort();
    if (o->json || o->html) {
        char *text = chanfuzz_finding_json(&info, one, 0);
        cJSON *object = text ? cJSON_Parse(text) : NULL;
        if (!object) abort();
        cJSON_AddStringToObject(object, "mode", run_mode_name(o->mode));
        cJSON_AddNumberToObject(object, "found_at_execution", (double)c->execution);
        cJSON_AddStringToObject(object, "found_by", found_by);
        cJSON_AddNumberToObject(object, "found_at_seconds",
                                (double)(int64_t)(c->seconds * 1000 + 0.5) / 1000);
        char *line = cJSON_PrintUnformatted(object);
        if (!line) abort();
        if (o->json) puts(line);
        if (o->html) run_record_keep_finding(o->record, line);
        free(line);
        cJSON_Delete(object);
        free(text);
    }
    if (!o->json) {
        progress_clear(v);
        chanfuzz_write_text(stdout, &info, one);
        putchar('\n'); /* reports are separated by a blank line */
    }
    fflush(stdout);
}

/* How to run execution number `n` (counting from 1) again. Written only
 * for an execution that made a new crash state: formatting it for every
 * execution was 13% of an empty Go test's (perf). */
static void found_by(const run_variant *v, uint64_t n, char *out, size_t size) {
    const run_options *o = v->options;
    char budgets[64];
    cli_budget_flags(budgets, sizeof budgets);
    if (o->mode == RUN_EXHAUSTIVE)
        snprintf(out, size, "chanfuzz run %s --mode exhaustive --bound %u --go-semantics %s%s "
                            "(schedule %" PRIu64 ")",
                 v->name, o->bound, go_semantics_name(o->semantics), budgets, n);
    else if (o->mode == RUN_PORTFOLIO) {
        char strategy[32];
        chanfuzz_strategy_name(chanfuzz_portfolio_strategy(n - 1), strategy,
                               sizeof strategy);
        snprintf(out, size, "chanfuzz run %s --mode portfolio --seed %" PRIu64
                            " --go-semantics %s%s (execution %" PRIu64 ", %s)",
                 v->name, o->seed, go_semantics_name(o->semantics), budgets, n,
                 strategy);
    } else
        snprintf(out, size, "chanfuzz run %s --mode %s --seed %" PRIu64 " --go-semantics %s%s "
                            "(execution %" PRIu64 ")",
                 v->name, run_mode_name(o->mode), o->seed,
                 go_semantics_name(o->semantics), budgets, n);
}

/* Notes the findings of one execution that made `made`'s decisions:
 * a reproducer and a report for each new crash state. */
static void note_findings(run_variant *v, const run_decisions *made, chanfuzz_findings *f) {
    v->executions++;
    interleaving_add(v, cli_decisions_hash(made->log, made->count));
    chanfuzz_expect_note(&v->expectation, f);
    chanfuzz_kind_set kinds = cli_kinds_of(f);
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
        if (kinds & CHANFUZZ_KIND_BIT(k)) v->kind_executions[k]++;
    if (!v->detected_at && (kinds & v->expectation.expected)) v->detected_at = v->executions;
    size_t new_findings = 0;
    for (size_t i = 0; i < f->count; i++) {
        if (crash_find(v, f->items[i].crash_state)) continue;
        new_findings++;
        run_crash *c = crash_add(v, &f->items[i]);
        char how[400];
        found_by(v, v->executions, how, sizeof how);
        write_reproducer(v, c, made, how);
        chanfuzz_findings one = *f;
        one.items = &f->items[i];
        one.count = 1;
        report(v, c, &one, how);
    }
    chanfuzz_findings_free(f);
    run_record_execution(v->options->record, new_findings);
    /* A buggy variant is done once every kind it must show has shown,
     * unless --rate asks for exactly N executions. */
    chanfuzz_kind_set expected = v->expectation.expected;
    if (v->target->variant == CHANFUZZ_BUGGY && !v->options->rate && expected &&
        (v->expectation.seen & expected) == expected)
        v->stop = true;
    progress(v, false);
}

/* Judges one finished execution. */
static void observe(run_variant *v, const go_exec *exec) {
    run_decisions made = {.semantics = go_exec_semantics(exec)};
    made.log = go_exec_decisions(exec, &made.count);
    chanfuzz_findings *f = chanfuzz_target_judge(v->target, exec, v->options->ignore);
    if (!f) abort(); /* out of memory */
    note_findings(v, &made, f);
    chanfuzz_isolate_execution_done();
}

/* Out of time, or asked to stop (SIGINT, SIGTERM): either way the
 * findings so far are reported. --time always lets one execution run: a
 * limit below one execution's length made a variant of none, and a fixed
 * variant of none passed "as expected" having tried nothing. */
static bool out_of_time(const run_variant *v) {
    return chanfuzz_interrupted() ||
           (v->options->time_limit > 0 && v->executions > 0 &&
            cli_now() - v->started >= v->options->time_limit);
}

/* ---- The four modes --------------------------------------------------------------- */

/* Execution i under the random walk. */
static void run_random_execution(run_variant *v, uint64_t i) {
    uint64_t seed = chanfuzz_execution_seed(v->options->seed, i);
    go_prng_source prng;
    go_config cfg = chanfuzz_target_config(
        v->target, go_decider_prng(&prng, seed, RUN_PREEMPT_ONE_IN), v->options->semantics);
    go_exec *e = chanfuzz_target_run(v->target, &cfg);
    observe(v, e);
    go_exec_free(e);
}

/* Execution i under PCT; pct's k is raised to the most steps it saw. */
static void run_pct_execution(run_variant *v, chanfuzz_pct *pct, uint64_t i) {
    uint64_t seed = chanfuzz_execution_seed(v->options->seed, i);
    go_config cfg = chanfuzz_target_config(v->target, chanfuzz_pct_decider(pct, seed),
                                           v->options->semantics);
    go_exec *e = chanfuzz_target_run(v->target, &cfg);
    observe(v, e);
    go_exec_free(e);
    if (pct->steps > pct->steps_estimate) pct->steps_estimate = pct->steps;
}

static void explore_random(run_variant *v) {
    /* From v->executions: after a crash the next child goes on there. */
    for (uint64_t i = v->executions; i < v->limit && !v->stop && !out_of_time(v); i++)
        run_random_execution(v, i);
}

static void explore_pct(run_variant *v) {
    /* k, PCT's steps per execution: measured on the plain schedule, then
     * raised to the most any execution took. */
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, RUN_PCT_DEPTH,
                      chanfuzz_target_pct_steps(v->target, v->options->semantics));
    for (uint64_t i = v->executions; i < v->limit && !v->stop && !out_of_time(v); i++)
        run_pct_execution(v, &pct, i);
    chanfuzz_pct_free(&pct);
}

/* One PCT source per depth, each refining its own k as --mode pct does. */
static void explore_portfolio(run_variant *v) {
    chanfuzz_pct pct[CHANFUZZ_PORTFOLIO_MAX_DEPTH];
    uint64_t steps = chanfuzz_target_pct_steps(v->target, v->options->semantics);
    for (uint32_t d = 0; d < CHANFUZZ_PORTFOLIO_MAX_DEPTH; d++)
        chanfuzz_pct_init(&pct[d], d + 1, steps);
    for (uint64_t i = v->executions; i < v->limit && !v->stop && !out_of_time(v); i++) {
        chanfuzz_strategy s = chanfuzz_portfolio_strategy(i);
        if (s.kind == CHANFUZZ_STRATEGY_PCT)
            run_pct_execution(v, &pct[s.depth - 1], i);
        else
            run_random_execution(v, i);
    }
    for (uint32_t d = 0; d < CHANFUZZ_PORTFOLIO_MAX_DEPTH; d++) chanfuzz_pct_free(&pct[d]);
}

static bool visit(void *self, const go_exec *exec) {
    run_variant *v = self;
    observe(v, exec);
    return !v->stop && !out_of_time(v);
}

static void explore_exhaustive(run_variant *v) {
    chanfuzz_explore_options options = {
        .config = chanfuzz_target_config(v->target, go_decider_first(), v->options->semantics),
        .preemption_bound = v->options->bound,
        .max_schedules = v->limit,
    };
    const chanfuzz_variant *variant = chanfuzz_scenario_variant(v->target->scenario,
                                                                v->target->variant);
    v->explore = chanfuzz_explore(&options, variant->main, NULL, visit, v);
}

static int explore_isolated(void *self) {
    run_variant *v = self;
    switch (v->options->mode) {
    case RUN_RANDOM: explore_random(v); break;
    case RUN_PCT: explore_pct(v); break;
    case RUN_EXHAUSTIVE: explore_exhaustive(v); break;
    case RUN_PORTFOLIO: explore_portfolio(v); break;
    }
    return 0;
}

/* The execution a child died in, as a finding like any other. */
static void observe_death(run_variant *v, const chanfuzz_crash *crash) {
    run_decisions made = {.log = crash->decisions, .count = crash->decision_count,
                          .semantics = crash->in_goroutine ? crash->semantics
                                                           : v->options->semantics};
    note_findings(v, &made, chanfuzz_crash_findings(crash));
}

bool run_variant_explore(run_variant *v) {
    chanfuzz_target_expect_init(v->target, &v->expectation);
    v->started = v->last_progress = cli_now();
    /* Each child explores from where the last one died, until the
     * variant is done; the exhaustive search cannot resume mid-tree, so
     * a death ends it (the schedules after it go unexplored). */
    chanfuzz_crash crash;
    while (chanfuzz_isolate_run(explore_isolated, v, &crash) == CHANFUZZ_ISOLATE_DIED) {
        observe_death(v, &crash);
        chanfuzz_crash_free(&crash);
        if (v->options->mode == RUN_EXHAUSTIVE) {
            v->explore.schedules = v->executions;
            v->explore.stopped = true;
            break;
        }
        if (v->stop || v->executions >= v->limit || out_of_time(v)) break;
    }
    v->seconds = cli_now() - v->started;
    progress(v, true);
    return !v->write_failed;
}

void run_variant_free(run_variant *v) {
    /* Its tables are in shared memory (chanfuzz_shared_calloc), kept to the end. */
    v->interleavings = NULL;
    v->crashes = NULL;
}

const char *run_variant_verdict(const run_variant *v, bool *ok) {
    *ok = true;
    if (v->skipped) return "skipped";
    chanfuzz_verdict verdict = chanfuzz_expect_verdict(&v->expectation, NULL, NULL);
    *ok = verdict == CHANFUZZ_AS_EXPECTED;
    if (verdict == CHANFUZZ_AS_EXPECTED) return "as expected";
    if (verdict == CHANFUZZ_MISSING_EXPECTED) return "MISSED";
    if (v->target->variant != CHANFUZZ_FIXED) return "UNEXPECTED";
    /* A Go test that states no verdict is expected clean: what it shows is
     * a finding of the user's code, not an alarm of the tool's. */
    return chanfuzz_program_is_go(v->target->scenario->program) ? "FOUND" : "FALSE ALARM";
}
