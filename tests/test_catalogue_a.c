/* The catalogue's patterns 1 and 3-8 (scenarios/catalogue): what each
 * buggy variant's report must say -- the finding's kind, the goroutine it
 * blames and the site in its crash state, checked against the scenario's
 * own source line -- and what "clean" means where the fixed variant
 * promises more than "no findings". Verdicts over many seeds and every
 * mode are test_catalogue_verdicts.c's job. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <chanfuzz/findings.h>
#include <chanfuzz/scenario.h>

#include "support.h"

/* ---- helpers ----------------------------------------------------------- */

static chanfuzz_target target(const char *spec) {
    chanfuzz_target t;
    cr_assert(chanfuzz_target_parse(spec, &t), "no scenario variant %s", spec);
    return t;
}

static go_exec *run(const chanfuzz_target *t, uint64_t seed) {
    go_prng_source src;
    go_config cfg = chanfuzz_target_config(t, go_decider_prng(&src, seed, 3), GO_SEMANTICS_1_23);
    return chanfuzz_target_run(t, &cfg);
}

/* A buggy execution showing every kind its variant expects. */
typedef struct caught {
    go_exec *exec;
    chanfuzz_findings *findings;
} caught;

/* Runs seeds 1, 2, ... until one execution shows every expected kind;
 * prints its report (the test log then shows what was checked). */
static caught catch_buggy(const char *name) {
    char spec[128];
    snprintf(spec, sizeof spec, "%s:buggy", name);
    chanfuzz_target t = target(spec);
    chanfuzz_kind_set expected = chanfuzz_scenario_variant(t.scenario, t.variant)->expect;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        go_exec *e = run(&t, seed);
        chanfuzz_findings *f = chanfuzz_target_judge(&t, e, NULL);
        cr_assert_not_null(f);
        chanfuzz_kind_set kinds = 0;
        for (size_t i = 0; i < f->count; i++) kinds |= CHANFUZZ_KIND_BIT(f->items[i].kind);
        if ((kinds & expected) == expected) {
            chanfuzz_report_info info = {.scenario = name, .variant = "buggy"};
            chanfuzz_write_text(stdout, &info, f);
            fflush(stdout);
            return (caught){e, f};
        }
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
    cr_assert_fail("%s: no seed in 1..200 shows every expected kind", spec);
    return (caught){0};
}

static void release(caught c) {
    chanfuzz_findings_free(c.findings);
    go_exec_free(c.exec);
}

static const chanfuzz_finding *finding(caught c, chanfuzz_kind kind) {
    const chanfuzz_finding *f = chanfuzz_findings_first(c.findings, kind);
    cr_assert_not_null(f, "no %s finding", chanfuzz_kind_id(kind));
    return f;
}

/* Does line `site->line` of the scenario's source contain `text`? The
 * site is where the report points; the text is the call it must be. */
static bool source_line_has(const go_site *site, const char *text) {
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/%s", CHANFUZZ_SOURCE_DIR, site->file);
    FILE *source = fopen(path, "r");
    cr_assert_not_null(source, "cannot open %s", path);
    bool found = false;
    for (int n = 1; fgets(line, sizeof line, source); n++)
        if (n == site->line) {
            found = strstr(line, text) != NULL;
            break;
        }
    fclose(source);
    return found;
}

/* The crash state names `site` as "<file>:<line> (<func>)". */
static void expect_crash_state_names(const chanfuzz_finding *f, const go_site *site) {
    char where[512];
    snprintf(where, sizeof where, "%s:%d (%s)", site->file, site->line, site->func);
    cr_expect(strstr(f->crash_state, where), "crash state '%s' lacks '%s'", f->crash_state,
              where);
}

/* A blocked goroutine's finding: its kind, the goroutine's entry
 * function, Go's wait reason, and a blocking site that is `call` in
 * `func` of the scenario's file, named in the crash state. */
static const chanfuzz_goroutine *expect_blocked(const chanfuzz_finding *f, const char *entry,
                                                go_wait_reason reason, const char *func,
                                                const char *call) {
    const chanfuzz_goroutine *g = NULL;
    for (size_t i = 0; i < f->goroutine_count; i++)
        if (!strcmp(f->goroutines[i].info.entry_name, entry)) g = &f->goroutines[i];
    cr_assert_not_null(g, "no goroutine running %s in '%s'", entry, f->crash_state);
    cr_expect_eq(g->info.state, GO_STATE_BLOCKED);
    cr_expect_str_eq(go_wait_reason_name(g->info.wait_reason), go_wait_reason_name(reason));
    const go_site *site = g->info.wait_site;
    cr_assert_not_null(site);
    cr_expect(strstr(site->file, "scenarios/catalogue/"), "%s", site->file);
    cr_expect_str_eq(site->func, func);
    cr_expect(source_line_has(site, call), "%s:%d is not a %s", site->file, site->line, call);
    expect_crash_state_names(f, site);
    return g;
}

/* ---- 1. resource_not_closed --------------------------------------------- */

Test(resource_not_closed, report_names_the_open_whose_error_path_skips_close) {
    caught c = catch_buggy("resource_not_closed");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_RESOURCE_NOT_CLOSED);
    cr_assert_not_null(f->site);
    cr_expect_str_eq(f->site->func, "load_config_leaky");
    cr_expect(source_line_has(f->site, "go_open("));
    expect_crash_state_names(f, f->site);
    cr_expect(strstr(f->crash_state, "os.Open at "), "%s", f->crash_state);
    release(c);
}

Test(resource_not_closed, fixed_closes_every_file_it_opened_through_the_defer) {
    chanfuzz_target t = target("resource_not_closed:fixed");
    size_t opened = 0;
    for (uint64_t seed = 1; seed <= 100; seed++) {
        go_exec *e = run(&t, seed);
        for (size_t i = 0; i < go_exec_resource_count(e); i++) {
            const go_resource_info *r = go_exec_resource(e, i);
            cr_expect(r->closed, "seed %llu: %s left open", (unsigned long long)seed, r->name);
            cr_expect(r->close_site && !strcmp(r->close_site->func, "close_file"));
            opened++;
        }
        go_exec_free(e);
    }
    cr_expect_gt(opened, 0);
}

/* ---- 3. goroutine_exits_cleanly ------------------------------------------ */

Test(goroutine_exits_cleanly, releases_its_stack_and_captures_on_every_exit_path) {
    chanfuzz_target t = target("goroutine_exits_cleanly:fixed");
    bool path_seen[3] = {false};
    for (uint64_t seed = 1; seed <= 60; seed++) {
        go_exec *e = run(&t, seed);
        cr_expect_eq(go_exec_end(e), GO_END_RETURNED);
        cr_expect_eq(go_exec_goroutines_started(e), 2);
        cr_expect_eq(go_exec_goroutine_count(e), 0, "a goroutine did not exit");
        /* The request and the closure capturing it: garbage once the
         * goroutine has exited (freed, or left unreachable). */
        for (size_t i = 0; i < go_exec_object_count(e); i++) {
            const go_object_info *o = go_exec_object(e, i);
            if (o->kind == GO_OBJ_HEAP || o->kind == GO_OBJ_CLOSURE)
                cr_expect_not(o->reachable, "seed %llu: %s#%llu still reachable",
                              (unsigned long long)seed, o->kind == GO_OBJ_HEAP ? "heap" : "closure",
                              (unsigned long long)o->id);
        }
        chanfuzz_findings *f = chanfuzz_target_judge(&t, e, NULL);
        cr_expect_eq(f->count, 0);
        chanfuzz_findings_free(f);
        /* Which way out the input chose: the one 3-way datum. */
        size_t count;
        const go_decision *log = go_exec_decisions(e, &count);
        for (size_t i = 0; i < count; i++)
            if (log[i].kind == GO_DECIDE_DATA && log[i].options == 3)
                path_seen[log[i].answer] = true;
        go_exec_free(e);
    }
    cr_expect(path_seen[0] && path_seen[1] && path_seen[2],
              "exit paths seen: return %d, early return %d, Goexit %d", path_seen[0],
              path_seen[1], path_seen[2]);
}

Test(goroutine_exits_cleanly, returns_its_stack_to_the_pool_every_time) {
    chanfuzz_target t = target("goroutine_exits_cleanly:fixed");
    go_exec_free(run(&t, 1)); /* the pool now holds the stacks it needs */
    size_t mappings = mapping_count();
    for (uint64_t seed = 2; seed <= 300; seed++) go_exec_free(run(&t, seed));
    /* A stack kept by each execution would add 300 mappings or more. */
    cr_expect_leq(mapping_count(), mappings + 4, "mappings %zu -> %zu", mappings,
                  mapping_count());
}

/* ---- 4. the blocked sender after a timeout, three ways ------------------- */

Test(timeout_unbuffered_result, report_blames_the_workers_send) {
    caught c = catch_buggy("timeout_unbuffered_result");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_PARTIAL_DEADLOCK);
    expect_blocked(f, "send_result", GO_WAIT_CHAN_SEND, "send_result", "go_send(");
    cr_expect_eq(c.findings->count, 1, "one bug, one finding");
    release(c);
}

Test(timeout_worker_ignores_ctx, report_blames_the_send_without_a_done_arm) {
    caught c = catch_buggy("timeout_worker_ignores_ctx");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_PARTIAL_DEADLOCK);
    expect_blocked(f, "send_ignoring_ctx", GO_WAIT_CHAN_SEND, "send_ignoring_ctx", "go_send(");
    /* The caller's deferred cancel ran: no context finding besides. */
    cr_expect_eq(c.findings->count, 1);
    release(c);
}

Test(timeout_deferred_close, report_shows_the_deferred_close_never_ran) {
    caught c = catch_buggy("timeout_deferred_close");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_PARTIAL_DEADLOCK);
    const chanfuzz_goroutine *g =
        expect_blocked(f, "send_then_close", GO_WAIT_CHAN_SEND, "send_then_close", "go_send(");
    cr_expect(strstr(g->object_state, "not closed"), "%s", g->object_state);
    release(c);
}

/* ---- 5. consumer_returns_early ------------------------------------------- */

Test(consumer_returns_early, report_blames_the_producers_next_send) {
    caught c = catch_buggy("consumer_returns_early");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_PARTIAL_DEADLOCK);
    expect_blocked(f, "produce_unguarded", GO_WAIT_CHAN_SEND, "produce_unguarded", "go_send(");
    release(c);
}

/* ---- 6. range_never_closed ------------------------------------------------- */

Test(range_never_closed, report_blames_the_consumers_range) {
    caught c = catch_buggy("range_never_closed");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_PARTIAL_DEADLOCK);
    const chanfuzz_goroutine *g =
        expect_blocked(f, "consume_unclosed", GO_WAIT_CHAN_RECV, "consume", "go_range(");
    cr_expect(strstr(g->object_state, "not closed"), "%s", g->object_state);
    release(c);
}

/* ---- 7. the worker loop: blocking and polling ------------------------------ */

Test(worker_blocks_without_done, report_blames_the_receive_without_a_done_arm) {
    caught c = catch_buggy("worker_blocks_without_done");
    const chanfuzz_finding *f = finding(c, CHANFUZZ_PARTIAL_DEADLOCK);
    expect_blocked(f, "worker_ignoring_ctx", GO_WAIT_CHAN_RECV, "worker_ignoring_ctx",
                   "go_recv(");
    /* The caller cancelled as it should: the context is not the bug. */
    cr_expect_null(chanfuzz_findings_first(c.findings, CHANFUZZ_LOST_CANCEL));
    release(c);
}

Test(poll_loop_cancel_skipped, report_shows_the_spinning_poller_and_the_lost_cancel) {
    caught c = catch_buggy("poll_loop_cancel_skipped");
    const chanfuzz_finding *spin = finding(c, CHANFUZZ_STEP_BUDGET);
    cr_assert_eq(spin->goroutine_count, 1);
    cr_expect_str_eq(spin->goroutines[0].info.entry_name, "poll");
    cr_expect_eq(spin->goroutines[0].info.state, GO_STATE_RUNNABLE);
    cr_expect(strstr(spin->crash_state, "runnable poll created at "), "%s", spin->crash_state);
    const chanfuzz_finding *lost = finding(c, CHANFUZZ_LOST_CANCEL);
    cr_assert_not_null(lost->site);
    cr_expect_str_eq(lost->site->func, "run_cancel_at_end");
    cr_expect(source_line_has(lost->site, "go_with_cancel("));
    expect_crash_state_names(lost, lost->site);
    /* Spinning is not blocking: nothing calls it a leak or a deadlock. */
    cr_expect_null(chanfuzz_findings_first(c.findings, CHANFUZZ_LEAK));
    cr_expect_null(chanfuzz_findings_first(c.findings, CHANFUZZ_PARTIAL_DEADLOCK));
    release(c);
}

/* ---- 8. lost_cancel_timeout ------------------------------------------------ */

Test(lost_cancel_timeout, report_names_the_dropped_cancel_and_the_parent_it_pins) {
    caught c = catch_buggy("lost_cancel_timeout");
    const chanfuzz_finding *lost = finding(c, CHANFUZZ_LOST_CANCEL);
    cr_assert_not_null(lost->site);
    cr_expect_str_eq(lost->site->func, "handle_dropping_cancel");
    cr_expect(source_line_has(lost->site, "go_with_timeout("));
    expect_crash_state_names(lost, lost->site);
    cr_expect(strstr(lost->crash_state, "context.WithTimeout at "), "%s", lost->crash_state);

    /* The same context is still registered in the server's, and the
     * witness says where that one was made. */
    const chanfuzz_finding *pinned = finding(c, CHANFUZZ_CONTEXT_REGISTERED);
    expect_crash_state_names(pinned, lost->site);
    const chanfuzz_witness_link *parent = NULL;
    for (size_t i = 0; i < pinned->witness.link_count; i++)
        if (!strcmp(pinned->witness.links[i].role, "registered in"))
            parent = &pinned->witness.links[i];
    cr_assert_not_null(parent, "no 'registered in' link");
    cr_assert_not_null(parent->site);
    cr_expect_str_eq(parent->site->func, "start_server");
    cr_expect(source_line_has(parent->site, "go_with_cancel("));
    char in_parent[512];
    snprintf(in_parent, sizeof in_parent, " in context.WithCancel at %s:%d", parent->site->file,
             parent->site->line);
    cr_expect(strstr(pinned->crash_state, in_parent), "%s", pinned->crash_state);
    /* The server context's own cancel is never called on purpose: the
     * scenario's ignore rule leaves it out, and says so in the count. */
    cr_expect_geq(c.findings->ignored, 1);
    for (size_t i = 0; i < c.findings->count; i++)
        cr_expect_not(strstr(c.findings->items[i].crash_state, "(start_server)"), "%s",
                      c.findings->items[i].crash_state);
    release(c);
}
