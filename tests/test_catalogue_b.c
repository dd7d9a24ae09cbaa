/* The report essentials of catalogue patterns 11-18 (issue 7): for each
 * buggy variant, the first execution of the default random mode that shows
 * the expected kind must name the right goroutines, each blocked (or
 * panicking) in the right function, with the right wait reason, at a site
 * whose source line is the blocking statement, and that site must be in the
 * crash state. Witnesses are checked where the pattern is about them: the
 * wait cycles of pattern 16 and 13, the chain of stages of pattern 14.
 *
 * The verdicts themselves (found on 29 of 30 seeds, fixed variants clean
 * under random, PCT and exhaustive) are test_catalogue_verdicts.c's, over
 * the whole catalogue.
 *
 * Random mode as `chanfuzz run` runs it: go_decider_prng, preemption 1 in
 * 3, execution i of run s with seed s * SEED_STRIDE + i. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/findings.h>
#include <chanfuzz/scenario.h>

#define SEED_STRIDE 1000000u
#define PREEMPT_ONE_IN 3u

/* ---- running ------------------------------------------------------------ */

typedef struct judged {
    go_exec *exec;
    chanfuzz_findings *findings;
    uint64_t executions; /* executions run to get here */
} judged;

static chanfuzz_target buggy(const char *name) {
    chanfuzz_target t;
    char spec[128];
    snprintf(spec, sizeof spec, "%s:buggy", name);
    cr_assert(chanfuzz_target_parse(spec, &t), "no scenario %s", spec);
    return t;
}

static bool shows(const chanfuzz_findings *f, chanfuzz_kind kind) {
    return chanfuzz_findings_first(f, kind) != NULL;
}

/* The first execution of run 1 (base seed SEED_STRIDE) that satisfies
 * `wanted` (by default: shows a finding of `kind`), within the scenario's
 * execution budget. Fails the test when there is none. */
typedef bool wanted_fn(const chanfuzz_findings *f, chanfuzz_kind kind);

static void release(judged *j) {
    chanfuzz_findings_free(j->findings);
    go_exec_free(j->exec);
}

/* Execution i of run 1, judged. */
static judged execution(const chanfuzz_target *t, uint64_t i) {
    go_prng_source src;
    go_config cfg = chanfuzz_target_config(
        t, go_decider_prng(&src, SEED_STRIDE + i, PREEMPT_ONE_IN), GO_SEMANTICS_1_23);
    go_exec *e = chanfuzz_target_run(t, &cfg);
    chanfuzz_findings *f = chanfuzz_target_judge(t, e, NULL);
    cr_assert_not_null(f);
    return (judged){e, f, i + 1};
}

static judged first_showing(const char *name, chanfuzz_kind kind, wanted_fn *wanted) {
    chanfuzz_target t = buggy(name);
    uint64_t budget = t.scenario->executions ? t.scenario->executions
                                             : CHANFUZZ_DEFAULT_EXECUTIONS;
    for (uint64_t i = 0; i < budget; i++) {
        judged j = execution(&t, i);
        if (wanted ? wanted(j.findings, kind) : shows(j.findings, kind)) {
            /* Printed for a person reading the test log. */
            chanfuzz_report_info info = {.scenario = name, .variant = "buggy"};
            chanfuzz_write_text(stderr, &info, j.findings);
            return j;
        }
        release(&j);
    }
    cr_assert_fail("%s: no %s within %llu executions", name, chanfuzz_kind_id(kind),
                   (unsigned long long)budget);
    return (judged){0};
}

/* ---- what the report must say --------------------------------------------- */

/* Line `line` of the scenario source a site names. */
static void source_line(const go_site *site, char *out, size_t size) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CHANFUZZ_SOURCE_DIR, site->file);
    FILE *file = fopen(path, "r");
    cr_assert_not_null(file, "cannot read %s", path);
    out[0] = '\0';
    for (int n = 1; n <= site->line && fgets(out, (int)size, file); n++) {
    }
    fclose(file);
}

/* Is goroutine g blocked (or failed) in C function `function`? That is
 * the function at the top of its stack in the report, as in Go's dumps.
 * (Its entry_name is go_go's first argument as written, which is a
 * parameter's name where a scenario passes the buggy or fixed function.) */
static bool in_function(const chanfuzz_goroutine *g, const char *function) {
    return g->info.wait_site && !strcmp(g->info.wait_site->func, function);
}

/* The finding of `kind` with a goroutine blocked in `function`. */
static const chanfuzz_finding *finding_with(const chanfuzz_findings *f, chanfuzz_kind kind,
                                            const char *function) {
    for (size_t i = 0; i < f->count; i++) {
        const chanfuzz_finding *x = &f->items[i];
        if (x->kind != kind) continue;
        for (size_t g = 0; g < x->goroutine_count; g++)
            if (in_function(&x->goroutines[g], function)) return x;
    }
    cr_assert_fail("no %s finding with a goroutine in %s", chanfuzz_kind_id(kind), function);
    return NULL;
}

/* How many goroutines of the finding are blocked in `function`. */
static size_t count_in(const chanfuzz_finding *x, const char *function) {
    size_t n = 0;
    for (size_t g = 0; g < x->goroutine_count; g++) n += in_function(&x->goroutines[g], function);
    return n;
}

/* Every goroutine of `x` blocked in `function` waits for `reason` at a
 * line containing `statement`, and the crash state names that site as
 * "<reason> at <file>:<line> (<function>)". Returns the first of them. */
static const chanfuzz_goroutine *check_blocked(const chanfuzz_finding *x, const char *function,
                                               go_wait_reason reason, const char *statement) {
    const chanfuzz_goroutine *first = NULL;
    for (size_t g = 0; g < x->goroutine_count; g++) {
        const go_goroutine_info *info = &x->goroutines[g].info;
        if (!in_function(&x->goroutines[g], function)) continue;
        if (!first) first = &x->goroutines[g];
        cr_expect_eq(info->wait_reason, reason, "%s waits for %s, not %s", function,
                     go_wait_reason_name(info->wait_reason), go_wait_reason_name(reason));
        char line[512];
        source_line(info->wait_site, line, sizeof line);
        cr_expect(strstr(line, statement), "%s:%d is `%s`, expected `%s`", info->wait_site->file,
                  info->wait_site->line, line, statement);
        char where[512];
        snprintf(where, sizeof where, "%s at %s:%d (%s)", go_wait_reason_name(reason),
                 info->wait_site->file, info->wait_site->line, function);
        cr_expect(strstr(x->crash_state, where), "crash state `%s` lacks `%s`", x->crash_state,
                  where);
    }
    cr_assert_not_null(first, "no goroutine in %s", function);
    return first;
}

/* A cycle witness through exactly these object kinds, in some rotation. */
static void check_cycle(const chanfuzz_finding *x, const go_object_kind *kinds, size_t n) {
    const chanfuzz_witness *w = &x->witness;
    cr_assert_eq(w->kind, CHANFUZZ_WITNESS_CYCLE, "witness %s: %s",
                 chanfuzz_witness_kind_id(w->kind), w->summary);
    cr_assert_eq(w->link_count, n, "cycle of %zu, expected %zu: %s", w->link_count, n, w->summary);
    bool rotation_found = false;
    for (size_t r = 0; r < n && !rotation_found; r++) {
        bool same = true;
        for (size_t i = 0; i < n; i++) same &= w->links[(r + i) % n].object_kind == kinds[i];
        rotation_found = same;
    }
    cr_expect(rotation_found, "cycle through the wrong objects: %s", w->summary);
}

/* ---- 11. WaitGroup ---------------------------------------------------------- */

Test(catalogue_b, waitgroup_missing_done_leaves_the_waiter_in_wait) {
    judged j = first_showing("waitgroup_missing_done", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *x = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "waiter");
    cr_expect_eq(x->goroutine_count, 1);
    const chanfuzz_goroutine *g =
        check_blocked(x, "waiter", GO_WAIT_WAITGROUP_WAIT, "go_waitgroup_wait(wg)");
    cr_expect_eq(g->info.object_kind, GO_OBJ_WAITGROUP);
    cr_expect(strstr(g->object_state, "counter 1"), "%s", g->object_state);
    release(&j);
}

Test(catalogue_b, waitgroup_wait_in_loop_deadlocks_main_and_the_worker) {
    judged j = first_showing("waitgroup_wait_in_loop", CHANFUZZ_GLOBAL_DEADLOCK, NULL);
    const chanfuzz_finding *x = chanfuzz_findings_first(j.findings, CHANFUZZ_GLOBAL_DEADLOCK);
    cr_expect_eq(x->goroutines[0].info.id, 1, "main is listed first");
    const go_goroutine_info *main_info = &x->goroutines[0].info;
    cr_expect_eq(main_info->wait_reason, GO_WAIT_WAITGROUP_WAIT);
    cr_expect_str_eq(main_info->wait_site->func, "collect");
    char line[512];
    source_line(main_info->wait_site, line, sizeof line);
    cr_expect(strstr(line, "if (wait_in_loop) go_waitgroup_wait(wg)"), "%s", line);
    /* The third worker, stuck on the full buffer, is the one whose Done
     * main waits for. */
    cr_expect_eq(count_in(x, "worker"), 1);
    check_blocked(x, "worker", GO_WAIT_CHAN_SEND, "go_send(results, i * i)");
    release(&j);
}

/* ---- 12. Mutex ---------------------------------------------------------------- */

Test(catalogue_b, mutex_not_unlocked_leaves_requests_in_lock) {
    judged j = first_showing("mutex_not_unlocked", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *x =
        finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "withdraw_leaving_locked");
    const chanfuzz_goroutine *g =
        check_blocked(x, "withdraw_leaving_locked", GO_WAIT_MUTEX_LOCK, "go_mutex_lock(a->mu)");
    cr_expect_eq(g->info.object_kind, GO_OBJ_MUTEX);
    /* Who holds it: a request that returned early, at the same Lock. */
    cr_expect(strstr(g->object_state, "locked by goroutine"), "%s", g->object_state);
    cr_expect_str_eq(x->title, "blocked in sync.Mutex.Lock");
    release(&j);
}

/* ---- 13. errgroup-style fan-in ---------------------------------------------- */

Test(catalogue_b, errgroup_ignores_ctx_leaves_worker_and_closer_in_a_cycle) {
    judged j = first_showing("errgroup_ignores_ctx", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *worker =
        finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "legacy_worker_buggy");
    check_blocked(worker, "legacy_worker_buggy", GO_WAIT_CHAN_SEND, "go_send(results, 1000)");
    const chanfuzz_finding *closer = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "closer");
    check_blocked(closer, "closer", GO_WAIT_WAITGROUP_WAIT, "go_waitgroup_wait(wg)");
    /* The worker waits on results, which the closer holds; the closer on
     * the WaitGroup, which the worker holds. */
    const go_object_kind cycle[] = {GO_OBJ_CHAN, GO_OBJ_WAITGROUP};
    check_cycle(worker, cycle, 2);
    check_cycle(closer, cycle, 2);
    /* The honest workers and the reader are gone; cancel was deferred. */
    cr_expect_not(shows(j.findings, CHANFUZZ_LOST_CANCEL));
    release(&j);
}

/* ---- 14. Pipeline ----------------------------------------------------------------- */

/* The whole chain: gen and both sq stages blocked. */
static bool whole_chain(const chanfuzz_findings *f, chanfuzz_kind kind) {
    size_t blocked = 0;
    for (size_t i = 0; i < f->count; i++)
        if (f->items[i].kind == kind) blocked += f->items[i].goroutine_count;
    return blocked == 3;
}

Test(catalogue_b, pipeline_early_return_shows_every_blocked_stage) {
    judged j = first_showing("pipeline_early_return", CHANFUZZ_PARTIAL_DEADLOCK, whole_chain);
    const chanfuzz_finding *gen = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "gen_loop");
    const chanfuzz_finding *sq = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "sq_loop");
    cr_assert_neq(gen, sq, "gen and sq have different sites: two findings");
    check_blocked(gen, "gen_loop", GO_WAIT_CHAN_SEND, "go_send(out, n)");
    /* Both sq stages share their sites: one finding lists both. */
    cr_expect_eq(count_in(sq, "sq_loop"), 2);
    check_blocked(sq, "sq_loop", GO_WAIT_CHAN_SEND, "go_send(out, n * n)");
    /* A chain, not a heap: each stage waits on its own output channel,
     * made in pipeline order (gen's first), which only the next stage
     * holds, as its input. The witness is that wait chain: gen's runs
     * gen -> chan -> sq -> chan -> sq -> chan, and ends where no other
     * goroutine holds the channel (the consumer left). */
    uint64_t waited[3] = {gen->goroutines[0].info.object_id, sq->goroutines[0].info.object_id,
                          sq->goroutines[1].info.object_id};
    cr_expect(waited[0] < waited[1] && waited[1] < waited[2], "chan#%llu, #%llu, #%llu",
              (unsigned long long)waited[0], (unsigned long long)waited[1],
              (unsigned long long)waited[2]);
    const chanfuzz_witness *w = &gen->witness;
    cr_assert_eq(w->kind, CHANFUZZ_WITNESS_WAIT_CHAIN, "%s", w->summary);
    cr_assert_eq(w->link_count, 3, "%s", w->summary);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_eq(w->links[i].object_kind, GO_OBJ_CHAN);
        cr_expect_eq(w->links[i].object_id, waited[i], "link %zu: %s", i, w->summary);
    }
    cr_expect(strstr(w->summary, "reachable from no other goroutine"), "%s", w->summary);
    cr_expect_eq(sq->witness.kind, CHANFUZZ_WITNESS_WAIT_CHAIN, "%s", sq->witness.summary);
    cr_expect_eq(sq->witness.link_count, 2, "%s", sq->witness.summary);
    release(&j);
}

/* ---- 15. Nil channels --------------------------------------------------------------- */

Test(catalogue_b, nil_chan_send_blocks_with_gos_wait_reason) {
    judged j = first_showing("nil_chan_send", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *x = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "reporter");
    const chanfuzz_goroutine *g =
        check_blocked(x, "reporter", GO_WAIT_CHAN_SEND_NIL, "go_send(errc,");
    cr_expect_eq(g->info.object_kind, GO_OBJ_NONE, "a nil channel is no object");
    cr_expect(strstr(x->crash_state, "chan send (nil chan) at"), "%s", x->crash_state);
    cr_expect(strstr(x->witness.summary, "nil channel"), "%s", x->witness.summary);
    release(&j);
}

Test(catalogue_b, merge_nil_select_blocks_in_select_not_select_no_cases) {
    judged j = first_showing("merge_nil_select", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *x =
        finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "merge_loop");
    /* Go parks a select whose cases are all nil with waitReasonSelect;
     * "select (no cases)" is `select {}` only (runtime/select.go). */
    check_blocked(x, "merge_loop", GO_WAIT_SELECT, "go_select(go_case_recv2(a");
    cr_expect_str_eq(x->title, "blocked in select");
    release(&j);
}

/* ---- 16. Partial deadlocks: wait cycles --------------------------------------------- */

Test(catalogue_b, two_channel_cycle_reports_the_cycle) {
    judged j = first_showing("two_channel_cycle", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *a =
        finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "peer_a_waits_first");
    const chanfuzz_finding *b = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "peer_b");
    check_blocked(a, "peer_a_waits_first", GO_WAIT_CHAN_RECV, "go_recv(to_a)");
    check_blocked(b, "peer_b", GO_WAIT_CHAN_RECV, "go_recv(to_b)");
    const go_object_kind cycle[] = {GO_OBJ_CHAN, GO_OBJ_CHAN};
    check_cycle(a, cycle, 2);
    check_cycle(b, cycle, 2);
    /* Each waits on the channel the other would send on. */
    cr_expect_neq(a->goroutines[0].info.object_id, b->goroutines[0].info.object_id);
    release(&j);
}

Test(catalogue_b, lock_channel_cycle_reports_the_three_goroutine_cycle) {
    judged j = first_showing("lock_channel_cycle", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *applier =
        finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "applier_waits_locked");
    const chanfuzz_finding *forwarder =
        finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "forwarder");
    const chanfuzz_finding *client = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "client");
    check_blocked(applier, "applier_waits_locked", GO_WAIT_CHAN_RECV, "go_recv(updates)");
    check_blocked(forwarder, "forwarder", GO_WAIT_CHAN_RECV, "go_recv(requests)");
    const chanfuzz_goroutine *g =
        check_blocked(client, "client", GO_WAIT_MUTEX_LOCK, "go_mutex_lock(c->mu)");
    cr_expect(strstr(g->object_state, "locked by goroutine"), "%s", g->object_state);
    /* The client's witness is the whole cycle: c.mu (held by the applier),
     * updates (held by the forwarder), requests (held by the client). */
    const go_object_kind cycle[] = {GO_OBJ_MUTEX, GO_OBJ_CHAN, GO_OBJ_CHAN};
    check_cycle(client, cycle, 3);
    release(&j);
}

/* What the applier's and forwarder's witnesses say too: the same three
 * links. Before the cycle search followed only what a goroutine holds
 * itself, the applier closed a false 2-cycle through requests, which it
 * reaches only through c.mu's waiter, the client (prng seed 1000002 showed
 * it; the loop covers that seed). */
Test(catalogue_b, lock_channel_cycle_every_witness_is_the_real_cycle) {
    chanfuzz_target t = buggy("lock_channel_cycle");
    const go_object_kind cycle[] = {GO_OBJ_MUTEX, GO_OBJ_CHAN, GO_OBJ_CHAN};
    size_t deadlocked = 0;
    for (uint64_t i = 0; i < 40; i++) {
        judged j = execution(&t, i);
        for (size_t k = 0; k < j.findings->count; k++)
            if (j.findings->items[k].kind == CHANFUZZ_PARTIAL_DEADLOCK) {
                check_cycle(&j.findings->items[k], cycle, 3);
                deadlocked++;
            }
        release(&j);
    }
    cr_expect_gt(deadlocked, 3, "seeds %u.. showed %zu partial deadlocks", SEED_STRIDE,
                 deadlocked);
}

/* ---- 17. Panics -------------------------------------------------------------------------- */

static void check_panic(const char *name, const char *message, const char *function,
                        const char *statement) {
    judged j = first_showing(name, CHANFUZZ_PANIC, NULL);
    const chanfuzz_finding *x = chanfuzz_findings_first(j.findings, CHANFUZZ_PANIC);
    cr_expect_str_eq(x->message, message);
    cr_assert_not_null(x->site);
    cr_expect_str_eq(x->site->func, function);
    char line[512], where[512];
    source_line(x->site, line, sizeof line);
    cr_expect(strstr(line, statement), "%s:%d is `%s`", x->site->file, x->site->line, line);
    snprintf(where, sizeof where, "panic: %s at %s:%d (%s)", message, x->site->file,
             x->site->line, function);
    cr_expect_str_eq(x->crash_state, where);
    cr_expect_eq(count_in(x, function), 1, "the panicking goroutine is listed");
    release(&j);
}

Test(catalogue_b, double_close_guard_panics_at_the_second_close) {
    check_panic("double_close_guard", "close of closed channel", "stop_racy",
                "go_close(s->quit); /* BUG");
}

Test(catalogue_b, send_after_close_panics_in_the_late_sender) {
    check_panic("send_after_close", "send on closed channel", "worker", "go_send(ch, 42)");
}

/* ---- 18. A rare interleaving --------------------------------------------------------------- */

Test(catalogue_b, rpc_reply_after_timeout_blocks_the_read_loop) {
    judged j = first_showing("rpc_reply_after_timeout", CHANFUZZ_PARTIAL_DEADLOCK, NULL);
    const chanfuzz_finding *x = finding_with(j.findings, CHANFUZZ_PARTIAL_DEADLOCK, "read_loop");
    const chanfuzz_goroutine *g =
        check_blocked(x, "read_loop", GO_WAIT_CHAN_SEND, "go_send(ch, 42)");
    cr_expect(strstr(g->object_state, "unbuffered"), "%s", g->object_state);
    /* Rare: far more executions than the others' handful. */
    cr_expect_gt(j.executions, 5, "found after %llu executions", (unsigned long long)j.executions);
    release(&j);
}

/* What a unit test runs -- the plain schedule: no preemption, the clock
 * moving only when everyone waits -- never shows it, whatever the reply's
 * latency: the clock never moves between the lookup and the hand-off. */
static uint64_t plain_schedule_with_latency(void *self, go_decision_kind kind,
                                            uint64_t options) {
    uint64_t twentieths = *(const uint64_t *)self; /* of the latency's range */
    return kind == GO_DECIDE_DATA ? (options - 1) / 20 * twentieths : 0;
}

Test(catalogue_b, rpc_reply_after_timeout_is_invisible_to_the_plain_schedule) {
    chanfuzz_target t = buggy("rpc_reply_after_timeout");
    for (uint64_t twentieths = 0; twentieths <= 20; twentieths++) {
        go_decider plain = {plain_schedule_with_latency, &twentieths};
        go_config cfg = chanfuzz_target_config(&t, plain, GO_SEMANTICS_1_23);
        go_exec *e = chanfuzz_target_run(&t, &cfg);
        chanfuzz_findings *f = chanfuzz_target_judge(&t, e, NULL);
        cr_expect_eq(f->count, 0, "latency %llu/20 of the range", (unsigned long long)twentieths);
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
}
