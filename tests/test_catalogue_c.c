/* test_catalogue_c.c -- the catalogue's growth, closure-registry and timer
 * scenarios (issue 7, patterns 2, 9, 10 and the request server under
 * stress): every buggy variant is found by the default random mode within
 * its budget on at least 29 of 30 seeds, every fixed variant stays clean
 * under random, PCT and (where small) bounded exhaustive exploration, and
 * each report names what a reader needs: the kind, the growing site, the
 * blocked goroutine's function, the root that holds a closure. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/scenario.h>
#include <chanfuzz/sources.h>

#include "findings_listing.h"
#include "support.h"

#define CATALOGUE "scenarios/catalogue/"

/* ---- helpers ----------------------------------------------------------------- */

static chanfuzz_target target_of(const char *name, chanfuzz_variant_kind variant) {
    const chanfuzz_scenario *s = chanfuzz_scenario_find(name, strlen(name));
    cr_assert_not_null(s, "scenario %s is registered", name);
    cr_assert_not_null(chanfuzz_scenario_variant(s, variant), "%s has a %s variant", name,
                       chanfuzz_variant_name(variant));
    return (chanfuzz_target){s, variant};
}

static uint64_t budget_of(const chanfuzz_target *t) {
    return t->scenario->executions ? t->scenario->executions : CHANFUZZ_DEFAULT_EXECUTIONS;
}

static char *report_text(const chanfuzz_findings *f) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    chanfuzz_write_text(out, NULL, f);
    fclose(out);
    return text;
}

/* One execution of `t` under the seeded random source, judged. */
static chanfuzz_findings *judge_seed(const chanfuzz_target *t, uint64_t seed,
                                     go_semantics semantics) {
    go_prng_source src;
    go_config cfg = chanfuzz_target_config(t, go_decider_prng(&src, seed, 3), semantics);
    go_exec *e = chanfuzz_target_run(t, &cfg);
    chanfuzz_findings *f = chanfuzz_target_judge(t, e, NULL);
    cr_assert_not_null(f);
    go_exec_free(e);
    return f;
}

/* As `chanfuzz run NAME:buggy --seed S` does: execution i seeded
 * chanfuzz_execution_seed(S, i), ...
 * until every expected kind has shown, or the budget ran out. Returns the
 * executions it took, 0 when not found; an unexpected kind fails. */
static uint64_t executions_to_find(const chanfuzz_target *t, uint64_t seed,
                                   go_semantics semantics) {
    chanfuzz_expectation x;
    chanfuzz_target_expect_init(t, &x);
    uint64_t budget = budget_of(t);
    for (uint64_t i = 0; i < budget; i++) {
        chanfuzz_findings *f = judge_seed(t, chanfuzz_execution_seed(seed, i), semantics);
        chanfuzz_expect_note(&x, f);
        chanfuzz_kind_set unexpected = 0;
        chanfuzz_verdict v = chanfuzz_expect_verdict(&x, NULL, &unexpected);
        cr_expect_neq(v, CHANFUZZ_UNEXPECTED_FINDING, "%s:buggy seed %llu: unexpected %#x:\n%s",
                      t->scenario->name, (unsigned long long)seed, unexpected, listing(f));
        chanfuzz_findings_free(f);
        if (v == CHANFUZZ_AS_EXPECTED) return i + 1;
        if (v == CHANFUZZ_UNEXPECTED_FINDING) return 0;
    }
    return 0;
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The buggy variant is found on >= 29 of seeds 1..30; prints the median
 * and p95 executions to detection, as the README table reports them. */
static void expect_found(const char *name, go_semantics semantics) {
    chanfuzz_target t = target_of(name, CHANFUZZ_BUGGY);
    uint64_t needed[30];
    int found = 0;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        uint64_t n = executions_to_find(&t, seed, semantics);
        needed[seed - 1] = n ? n : UINT64_MAX;
        found += n != 0;
    }
    qsort(needed, 30, sizeof *needed, by_value);
    cr_log_info("%s:buggy (Go %s): found on %d/30 seeds, median %llu, p95 %llu executions",
                name, go_semantics_name(semantics), found, (unsigned long long)needed[14],
                (unsigned long long)needed[28]);
    cr_expect_geq(found, 29, "%s:buggy found on only %d of 30 seeds", name, found);
}

static void expect_no_finding(const chanfuzz_target *t, const go_exec *e, const char *mode,
                              uint64_t which) {
    chanfuzz_findings *f = chanfuzz_target_judge(t, e, NULL);
    cr_assert_not_null(f);
    cr_expect_eq(f->count, 0, "%s:fixed under %s (%llu): false alarm:\n%s", t->scenario->name,
                 mode, (unsigned long long)which, listing(f));
    chanfuzz_findings_free(f);
}

static bool visit_clean(void *self, const go_exec *e) {
    const chanfuzz_target *t = self;
    expect_no_finding(t, e, "exhaustive", 0);
    return true;
}

/* The fixed variant: no finding under random (the full budget) and PCT
 * depth 3 (as many executions; k starts at 1000 and rises to the longest
 * execution seen), and under bounded exhaustive exploration (preemption
 * bound 2) when max_schedules is not 0. */
static void expect_clean(const char *name, go_semantics semantics, uint64_t max_schedules) {
    chanfuzz_target t = target_of(name, CHANFUZZ_FIXED);
    uint64_t budget = budget_of(&t);
    /* The executions of `chanfuzz run NAME:fixed` (--seed 1). */
    for (uint64_t i = 0; i < budget; i++) {
        chanfuzz_findings *f = judge_seed(&t, chanfuzz_execution_seed(1, i), semantics);
        cr_expect_eq(f->count, 0, "%s:fixed (Go %s) execution %llu: false alarm:\n%s", name,
                     go_semantics_name(semantics), (unsigned long long)i + 1, listing(f));
        chanfuzz_findings_free(f);
    }
    chanfuzz_pct pct;
    chanfuzz_pct_init(&pct, 3, 1000);
    for (uint64_t seed = 1; seed <= budget; seed++) {
        go_config cfg = chanfuzz_target_config(&t, chanfuzz_pct_decider(&pct, seed), semantics);
        go_exec *e = chanfuzz_target_run(&t, &cfg);
        expect_no_finding(&t, e, "PCT", seed);
        go_exec_free(e);
        if (pct.steps > pct.steps_estimate) pct.steps_estimate = pct.steps;
    }
    chanfuzz_pct_free(&pct);
    if (!max_schedules) return;
    chanfuzz_explore_options options = {
        .config = chanfuzz_target_config(&t, go_decider_first(), semantics),
        .preemption_bound = 2,
        .max_schedules = max_schedules,
    };
    chanfuzz_explore_result r = chanfuzz_explore(
        &options, chanfuzz_scenario_variant(t.scenario, CHANFUZZ_FIXED)->main, NULL, visit_clean,
        &t);
    cr_expect_not(r.nondeterministic, "%s:fixed: %s", name, r.message);
    cr_log_info("%s:fixed (Go %s): exhaustive, %llu schedules%s", name,
                go_semantics_name(semantics), (unsigned long long)r.schedules,
                r.exhausted ? ", exhausted" : ", capped");
}

/* The first execution (seeds 1, 2, ...) of the buggy variant that shows
 * `kind`, judged; the caller frees it. */
static chanfuzz_findings *first_finding(const char *name, chanfuzz_kind kind,
                                        go_semantics semantics) {
    chanfuzz_target t = target_of(name, CHANFUZZ_BUGGY);
    for (uint64_t seed = 1; seed <= budget_of(&t); seed++) {
        chanfuzz_findings *f = judge_seed(&t, seed, semantics);
        if (chanfuzz_findings_first(f, kind)) return f;
        chanfuzz_findings_free(f);
    }
    cr_assert_fail("%s:buggy never showed %s", name, chanfuzz_kind_id(kind));
    return NULL;
}

static const chanfuzz_growth *growth_of(const chanfuzz_finding *g, go_object_kind kind,
                                        const char *measure) {
    for (size_t i = 0; i < g->growth_count; i++)
        if (g->growth[i].kind == kind && strcmp(g->growth[i].measure, measure) == 0)
            return &g->growth[i];
    return NULL;
}

/* The report, in the test's log: what a user would read. */
static void log_report(const chanfuzz_findings *f) {
    char *text = report_text(f);
    cr_log_info("%.4000s", text);
    free(text);
}

static void expect_contains(const char *text, const char *part) {
    cr_expect(strstr(text, part) != NULL, "expected \"%s\" in:\n%s", part, text);
}

/* ---- verdicts: each variant under each timer semantics it runs under ------------ */

/* A scenario's verdict checks: buggy found on >= 29 of 30 seeds, fixed
 * clean under random and PCT, and under bounded exhaustive exploration
 * capped at `exhaustive` schedules (0: not run; a fifth of it under ASan).
 * found_122 / found_123: whether the buggy variant is checked (a
 * fixed-only baseline has none); clean_122 / clean_123 likewise. */
typedef struct verdict_case {
    char name[32]; /* by value: Criterion passes parameters to a new
                      process, where a pointer would not be valid */
    bool found_123, found_122, clean_123, clean_122;
    uint64_t exhaustive_123, exhaustive_122;
} verdict_case;

static verdict_case verdict_cases[] = {
    {"cache_unbounded", true, false, true, false, 0, 0},
    {"cache_weak_values", true, false, true, false, 0, 0},
    {"cache_weak_readback", true, false, true, false, 0, 0},
    {"handler_registry", true, false, true, false, 0, 0},
    {"handler_registry_weak", true, false, true, false, 0, 0},
    {"afterfunc_not_stopped", true, true, true, true, 2000, 500},
    {"ticker_range_after_stop", true, true, true, true, 2000, 500},
    {"after_in_select_loop", false, false, true, true, 0, 0},
    {"tick_in_select_loop", false, true, false, true, 0, 0},
    {"request_server_timeout", true, true, true, true, 0, 0},
    {"ticker_not_stopped", true, true, true, true, 2000, 500},
};

ParameterizedTestParameters(verdicts, buggy_is_found_within_its_budget) {
    return cr_make_param_array(verdict_case, verdict_cases,
                               sizeof verdict_cases / sizeof verdict_cases[0]);
}

ParameterizedTest(verdict_case *c, verdicts, buggy_is_found_within_its_budget) {
    if (c->found_123) expect_found(c->name, GO_SEMANTICS_1_23);
    if (c->found_122) expect_found(c->name, GO_SEMANTICS_1_22);
}

ParameterizedTestParameters(verdicts, fixed_is_clean) {
    return cr_make_param_array(verdict_case, verdict_cases,
                               sizeof verdict_cases / sizeof verdict_cases[0]);
}

ParameterizedTest(verdict_case *c, verdicts, fixed_is_clean) {
    uint64_t divisor = UNDER_ASAN ? 5 : 1;
    if (c->clean_123) expect_clean(c->name, GO_SEMANTICS_1_23, c->exhaustive_123 / divisor);
    if (c->clean_122) expect_clean(c->name, GO_SEMANTICS_1_22, c->exhaustive_122 / divisor);
}

/* ---- pattern 2: caches that only grow ------------------------------------------ */

Test(cache_unbounded, report_names_the_sessions_and_the_map_that_grow) {
    chanfuzz_findings *f = first_finding("cache_unbounded", CHANFUZZ_GROWTH, GO_SEMANTICS_1_23);
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    cr_expect_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_growth *sessions = growth_of(g, GO_OBJ_HEAP, "objects");
    const chanfuzz_growth *entries = growth_of(g, GO_OBJ_MAP, "entries");
    cr_assert_not_null(sessions, "%s", g->crash_state);
    cr_assert_not_null(entries, "%s", g->crash_state);
    cr_expect_str_eq(sessions->site->func, "lookup");
    cr_expect_str_eq(entries->site->func, "run");
    expect_contains(g->crash_state, "growth: heap objects at " CATALOGUE "cache_unbounded.c:");
    expect_contains(g->crash_state, "map entries at " CATALOGUE "cache_unbounded.c:");
    chanfuzz_findings_free(f);
}

/* The values were collected; the report must say the map's entries (and
 * the weak handles they hold) grow, and must not blame the sessions. */
Test(cache_weak_values, report_says_the_entries_grow_not_the_values) {
    chanfuzz_findings *f = first_finding("cache_weak_values", CHANFUZZ_GROWTH, GO_SEMANTICS_1_23);
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    cr_expect_eq(f->count, 1, "%s", listing(f));
    cr_expect_null(growth_of(g, GO_OBJ_HEAP, "objects"), "the sessions are collected: %s",
                   g->crash_state);
    const chanfuzz_growth *entries = growth_of(g, GO_OBJ_MAP, "entries");
    cr_assert_not_null(entries, "%s", g->crash_state);
    cr_expect_str_eq(entries->site->func, "run");
    const chanfuzz_growth *handles = growth_of(g, GO_OBJ_WEAK, "objects");
    cr_assert_not_null(handles, "%s", g->crash_state);
    cr_expect_str_eq(handles->site->func, "lookup");
    expect_contains(g->crash_state, "map entries at " CATALOGUE "cache_weak_values.c:");
    cr_expect(strstr(g->crash_state, "heap objects") == NULL, "%s", g->crash_state);
    char *text = report_text(f);
    char line[160];
    snprintf(line, sizeof line, "grew map at " CATALOGUE "cache_weak_values.c:%d (run): %zu -> %zu entries",
             entries->site->line, entries->first, entries->last);
    expect_contains(text, line);
    cr_log_info("%s", text);
    free(text);
    chanfuzz_findings_free(f);
}

/* The read-back value is the strong pointer: the sessions themselves grow,
 * as in cache_unbounded, and the report shows them. */
Test(cache_weak_readback, report_shows_the_sessions_still_grow) {
    chanfuzz_findings *f = first_finding("cache_weak_readback", CHANFUZZ_GROWTH, GO_SEMANTICS_1_23);
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    cr_expect_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_growth *sessions = growth_of(g, GO_OBJ_HEAP, "objects");
    cr_assert_not_null(sessions, "%s", g->crash_state);
    cr_expect_str_eq(sessions->site->func, "lookup_read_back");
    cr_assert_not_null(growth_of(g, GO_OBJ_MAP, "entries"), "%s", g->crash_state);
    expect_contains(g->crash_state, "growth: heap objects at " CATALOGUE "cache_weak_readback.c:");
    chanfuzz_findings_free(f);
}

/* ---- pattern 9: a global registry of handler closures ---------------------------- */

/* Both the closures held by the named global and the growth they make. */
static void expect_registry_report(const char *name) {
    chanfuzz_findings *f = first_finding(name, CHANFUZZ_UNRELEASED_CLOSURE, GO_SEMANTICS_1_23);
    const chanfuzz_finding *c = chanfuzz_findings_first(f, CHANFUZZ_UNRELEASED_CLOSURE);
    expect_contains(c->crash_state, "unreleased closure: closure at " CATALOGUE);
    expect_contains(c->crash_state, "(serve) held by global \"handlers\"");
    cr_expect_eq(c->witness.kind, CHANFUZZ_WITNESS_HOLDER_CHAIN);
    cr_assert_geq(c->witness.link_count, 2);
    cr_expect_eq(c->witness.links[0].object_kind, GO_OBJ_NONE, "the chain starts at the root");
    /* The chain ends at the closure; what it captured follows it. */
    const chanfuzz_witness_link *held = NULL, *request = NULL;
    for (size_t i = 0; i < c->witness.link_count; i++) {
        const chanfuzz_witness_link *l = &c->witness.links[i];
        if (strcmp(l->role, "held") == 0) held = l;
        if (strcmp(l->role, "retained") == 0 && l->object_kind == GO_OBJ_HEAP) request = l;
    }
    cr_assert_not_null(held, "%s", c->witness.summary);
    cr_expect_eq(held->object_kind, GO_OBJ_CLOSURE);
    cr_assert_not_null(request, "the request buffer it captured: %s", c->witness.summary);
    cr_expect_str_eq(request->site->func, "serve");
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    cr_assert_not_null(g, "%s", listing(f));
    const chanfuzz_growth *closures = growth_of(g, GO_OBJ_CLOSURE, "objects");
    const chanfuzz_growth *requests = growth_of(g, GO_OBJ_HEAP, "objects");
    cr_assert_not_null(closures, "%s", g->crash_state);
    cr_assert_not_null(requests, "%s", g->crash_state);
    cr_expect_str_eq(closures->site->func, "serve");
    cr_expect_str_eq(requests->site->func, "serve");
    log_report(f);
    chanfuzz_findings_free(f);
}

Test(handler_registry, report_shows_the_global_holding_the_closures_and_their_growth) {
    expect_registry_report("handler_registry");
}

Test(handler_registry_weak, report_shows_the_global_holding_the_closures_and_their_growth) {
    expect_registry_report("handler_registry_weak");
}

/* ---- pattern 10: timers ------------------------------------------------------------ */

Test(afterfunc_not_stopped, report_shows_the_pending_timer_holding_the_buffer) {
    chanfuzz_findings *f = first_finding("afterfunc_not_stopped", CHANFUZZ_UNRELEASED_CLOSURE,
                                         GO_SEMANTICS_1_23);
    cr_expect_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_finding *c = chanfuzz_findings_first(f, CHANFUZZ_UNRELEASED_CLOSURE);
    expect_contains(c->crash_state, "unreleased closure: closure at " CATALOGUE
                                    "afterfunc_not_stopped.c:");
    expect_contains(c->crash_state, "(process) held by a pending timer");
    cr_expect_str_eq(c->site->func, "process");
    log_report(f);
    chanfuzz_findings_free(f);
}

/* The poller is blocked receiving on the stopped ticker's channel, which
 * nothing live can reach any more. */
Test(ticker_range_after_stop, report_shows_the_poller_blocked_on_the_ticker_channel) {
    chanfuzz_findings *f = first_finding("ticker_range_after_stop", CHANFUZZ_PARTIAL_DEADLOCK,
                                         GO_SEMANTICS_1_23);
    cr_expect_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_finding *p = chanfuzz_findings_first(f, CHANFUZZ_PARTIAL_DEADLOCK);
    expect_contains(p->crash_state, "partial deadlock: chan receive at " CATALOGUE
                                    "ticker_range_after_stop.c:");
    expect_contains(p->crash_state, "(poll_ticks) created at " CATALOGUE "ticker_range_after_stop.c:");
    cr_assert_eq(p->goroutine_count, 1);
    cr_expect_str_eq(p->goroutines[0].info.entry_name, "poll_ticks");
    cr_expect_eq(p->goroutines[0].info.wait_reason, GO_WAIT_CHAN_RECV);
    cr_expect_str_eq(p->creation_site->func, "start_poller");
    log_report(f);
    chanfuzz_findings_free(f);
}

/* Live timers made in `func` at checkpoint c. */
static size_t live_timers(const go_exec *e, size_t c, const char *func) {
    const go_checkpoint_info *info = go_exec_checkpoint(e, c);
    size_t n = 0;
    for (size_t i = 0; i < info->site_count; i++)
        if (info->sites[i].kind == GO_OBJ_TIMER && info->sites[i].site &&
            strcmp(info->sites[i].site->func, func) == 0)
            n += info->sites[i].objects;
    return n;
}

static go_exec *run_variant(const char *name, chanfuzz_variant_kind variant, uint64_t seed,
                            go_semantics semantics) {
    chanfuzz_target t = target_of(name, variant);
    go_prng_source src;
    go_config cfg = chanfuzz_target_config(&t, go_decider_prng(&src, seed, 3), semantics);
    return chanfuzz_target_run(&t, &cfg);
}

/* The near miss is real: under 1.22 the pending timers do pile up, to
 * about rate x duration (a message every 10ms, 250ms timers: 25), and stay
 * there (seen on the plain schedule, where no clock jump changes the
 * rate); under 1.23 they are collected as soon as the select forgets them. */
Test(after_in_select_loop, go_1_22_timers_plateau_and_go_1_23_timers_are_collected) {
    chanfuzz_target t = target_of("after_in_select_loop", CHANFUZZ_FIXED);
    go_config cfg = chanfuzz_target_config(&t, go_decider_first(), GO_SEMANTICS_1_22);
    go_exec *e = chanfuzz_target_run(&t, &cfg);
    size_t n = go_exec_checkpoint_count(e);
    cr_assert_eq(n, 40);
    size_t peak = 0;
    for (size_t c = 0; c < n; c++)
        if (live_timers(e, c, "consume_one") > peak) peak = live_timers(e, c, "consume_one");
    cr_expect_geq(peak, 24, "1.22: the pending timers pile up (peak %zu)", peak);
    cr_expect_leq(peak, 26, "1.22: but only to rate x duration (peak %zu)", peak);
    for (size_t c = n / 2; c < n; c++)
        cr_expect_geq(live_timers(e, c, "consume_one"), 24, "1.22: flat at checkpoint %zu", c);
    go_exec_free(e);
    e = run_variant("after_in_select_loop", CHANFUZZ_FIXED, 1, GO_SEMANTICS_1_23);
    for (size_t c = 0; c < go_exec_checkpoint_count(e); c++)
        cr_expect_leq(live_timers(e, c, "consume_one"), 1, "1.23: collected at checkpoint %zu", c);
    go_exec_free(e);
}

Test(tick_in_select_loop, runs_only_under_go_1_22) {
    const chanfuzz_scenario *s = chanfuzz_scenario_find("tick_in_select_loop", 19);
    cr_assert_not_null(s);
    cr_expect(chanfuzz_scenario_runs_under(s, GO_SEMANTICS_1_22));
    cr_expect_not(chanfuzz_scenario_runs_under(s, GO_SEMANTICS_1_23));
}

/* Why the scenario is for 1.22 only: under 1.23 the same code leaks
 * nothing, the unreferenced Tickers being collected. */
Test(tick_in_select_loop, buggy_code_leaks_nothing_under_go_1_23) {
    chanfuzz_target t = target_of("tick_in_select_loop", CHANFUZZ_BUGGY);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        chanfuzz_findings *f = judge_seed(&t, seed, GO_SEMANTICS_1_23);
        cr_expect_eq(f->count, 0, "seed %llu:\n%s", (unsigned long long)seed, listing(f));
        chanfuzz_findings_free(f);
    }
}

Test(tick_in_select_loop, report_shows_the_tickers_growing_and_left_running) {
    chanfuzz_findings *f = first_finding("tick_in_select_loop", CHANFUZZ_GROWTH, GO_SEMANTICS_1_22);
    cr_expect_eq(f->count, 2, "%s", listing(f));
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    const chanfuzz_growth *tickers = growth_of(g, GO_OBJ_TIMER, "objects");
    cr_assert_not_null(tickers, "%s", g->crash_state);
    cr_expect_str_eq(tickers->site->func, "idle_timeout");
    const chanfuzz_finding *t = chanfuzz_findings_first(f, CHANFUZZ_TIMER_NOT_STOPPED);
    cr_assert_not_null(t, "%s", listing(f));
    expect_contains(t->crash_state, "timer never stopped: time.NewTicker at " CATALOGUE
                                    "tick_in_select_loop.c:");
    expect_contains(t->crash_state, "(idle_timeout)");
    log_report(f);
    chanfuzz_findings_free(f);
}

/* ---- stress: a goroutine-per-request server leaking on timeouts --------------- */

/* The leaked handlers grow (their closures, channels and requests) and
 * each is a blocked sender nothing can reach. */
Test(request_server_timeout, report_shows_the_leaked_handlers_and_their_growth) {
    chanfuzz_findings *f = first_finding("request_server_timeout", CHANFUZZ_GROWTH,
                                         GO_SEMANTICS_1_23);
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    const chanfuzz_growth *closures = growth_of(g, GO_OBJ_CLOSURE, "objects");
    const chanfuzz_growth *requests = growth_of(g, GO_OBJ_HEAP, "objects");
    cr_assert_not_null(closures, "%s", g->crash_state);
    cr_assert_not_null(requests, "%s", g->crash_state);
    cr_expect_str_eq(closures->site->func, "serve");
    cr_expect_str_eq(requests->site->func, "accept_one");
    const chanfuzz_finding *p = chanfuzz_findings_first(f, CHANFUZZ_PARTIAL_DEADLOCK);
    cr_assert_not_null(p, "%s", listing(f));
    expect_contains(p->crash_state, "partial deadlock: chan send at " CATALOGUE
                                    "request_server_timeout.c:");
    expect_contains(p->crash_state, "(handler) created at " CATALOGUE "request_server_timeout.c:");
    cr_assert_geq(p->goroutine_count, 2, "the leaked handlers accumulate");
    cr_expect_str_eq(p->goroutines[0].info.entry_name, "handler");
    cr_expect_eq(p->goroutines[0].info.wait_reason, GO_WAIT_CHAN_SEND);
    cr_expect_str_eq(p->title, "blocked sender");
    char *text = report_text(f);
    cr_log_info("%.3000s", text);
    free(text);
    chanfuzz_findings_free(f);
}

/* Under 1.23 the ticker counts because the global still holds it. */
Test(ticker_not_stopped, report_names_the_ticker_and_the_global_holding_it) {
    chanfuzz_findings *f = first_finding("ticker_not_stopped", CHANFUZZ_TIMER_NOT_STOPPED,
                                         GO_SEMANTICS_1_23);
    cr_expect_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_finding *t = chanfuzz_findings_first(f, CHANFUZZ_TIMER_NOT_STOPPED);
    expect_contains(t->crash_state, "timer never stopped: time.NewTicker at " CATALOGUE
                                    "ticker_not_stopped.c:");
    expect_contains(t->crash_state, "(start_flusher)");
    expect_contains(t->witness.summary, "was never stopped");
    expect_contains(t->witness.summary, "global \"flusher\"");
    log_report(f);
    chanfuzz_findings_free(f);
}
