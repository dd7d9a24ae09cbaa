/* test_graph.c -- the object graph: what keeps what alive, the partial
 * deadlock fixed point, holder chains, weak pointers, cleanups, Go 1.23's
 * collected timers, and collections at decided points.
 *
 * Scenarios record what they see in statics (ids, flags) and the test
 * asserts after the execution: a failed assertion must not unwind a
 * goroutine's stack. Values that must die are made in NOINLINE helpers and
 * the stack below is scrubbed before a collection, because the collector
 * scans stacks conservatively: a pointer a returned helper left in dead
 * stack memory could otherwise be read by the collector's own frames. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifndef TEST_ASAN
#define TEST_ASAN 0
#endif
#if TEST_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NO_ASAN
#endif

#define NOINLINE __attribute__((noinline))

/* Zeroes the stack below the caller (uninstrumented, so the array is on
 * the real stack even with ASan's fake stacks). */
static NOINLINE NO_ASAN void scrub_stack(void) {
    volatile char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = 0;
}

static void gc(void) {
    scrub_stack();
    go_gc();
}

static go_exec *run_config(go_func *fn, go_semantics semantics, uint64_t settle_steps) {
    go_config cfg = {.decider = go_decider_first(), .semantics = semantics,
                     .record_trace = true, .settle_steps = settle_steps};
    return go_exec_run(&cfg, fn, NULL);
}

static char *chain_text(const go_exec *e, go_object_kind kind, uint64_t id) {
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    go_exec_write_holder_chain(e, kind, id, f);
    fclose(f);
    return text;
}

/* ---- closures ------------------------------------------------------------ */

static bool kept_by_closure, freed_with_closure;

static NOINLINE go_weak *capture_in_global_closure(void) {
    void *payload = go_alloc(64);
    go_global_set("env", go_closure(payload, 42));
    return go_weak_make(payload);
}

static void closure_main(void *arg) {
    (void)arg;
    go_weak *w = capture_in_global_closure();
    gc();
    kept_by_closure = go_weak_value(w) != NULL;
    go_global_clear("env");
    gc();
    freed_with_closure = go_weak_value(w) == NULL;
}

Test(graph, closure_capture_keeps_objects_reachable) {
    go_exec *e = run_first(closure_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect(kept_by_closure, "the closure in a global keeps what it captured");
    cr_expect(freed_with_closure, "with the global cleared, both die");
    cr_expect_null(go_exec_find_object(e, GO_OBJ_CLOSURE, 1), "the closure was freed");
    cr_expect_null(go_exec_find_object(e, GO_OBJ_HEAP, 1), "its capture was freed");
    go_exec_free(e);
}

/* ---- stacks -------------------------------------------------------------- */

static uint64_t inner_id;
static bool inner_on_fake_stack, fake_stacks_on;

static NOINLINE void receive_into(go_chan *from, go_chan **into) {
    *into = (go_chan *)go_recv(from);
}

/* Takes a channel over `handoff` into a local -- its address is taken, so
 * under ASan's detect_stack_use_after_return it lives in a fake frame --
 * then blocks on `wake`, which a global keeps reachable. */
static void keeper(void *env) {
    go_chan *inner = NULL;
    receive_into(go_env_chan(env, 0), &inner);
#if TEST_ASAN
    void *fake_stack = __asan_get_current_fake_stack();
    fake_stacks_on = fake_stack != NULL;
    inner_on_fake_stack =
        fake_stack && __asan_addr_is_in_fake_stack(fake_stack, &inner, NULL, NULL);
#endif
    go_recv(go_env_chan(env, 1));
    go_send(inner, 1);
}

static NOINLINE void send_fresh_channel(go_chan *handoff) {
    go_chan *inner = go_make_chan(1);
    inner_id = 3;
    go_send(handoff, (go_word)inner);
}

static void local_main(void *arg) {
    (void)arg;
    go_chan *handoff = go_make_chan(0), *wake = go_make_chan(0);
    go_global_set("wake", wake);
    go_go(keeper, go_closure(handoff, wake));
    send_fresh_channel(handoff);
}

Test(graph, a_channel_in_a_blocked_goroutines_local_is_reachable) {
    go_exec *e = run_first(local_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    const go_object_info *inner = go_exec_find_object(e, GO_OBJ_CHAN, inner_id);
    cr_assert_not_null(inner);
    cr_expect(inner->reachable, "only keeper's local holds chan#3");
    char *chain = chain_text(e, GO_OBJ_CHAN, inner_id);
    cr_expect_str_eq(chain, "global \"wake\" -> chan#2 -> goroutine 2 -> chan#3");
    free(chain);
    cr_expect_not(go_exec_goroutine_graph(e, 2)->partially_deadlocked);
    /* Under ASan with fake stacks the local must have been in a fake
     * frame: that is the path this test exists to cover there. */
    if (fake_stacks_on) cr_expect(inner_on_fake_stack, "the local was on ASan's fake stack");
    go_exec_free(e);
}

/* volatile: a static nothing reads would have its store optimised away. */
static go_chan *volatile kept_in_static;

static NOINLINE void keep_in_static(void) { kept_in_static = go_make_chan(0); }

static void static_main(void *arg) {
    (void)arg;
    keep_in_static();
}

Test(graph, a_channel_in_a_c_static_is_reachable) {
    go_exec *e = run_first(static_main, NULL);
    const go_object_info *c = go_exec_find_object(e, GO_OBJ_CHAN, 1);
    cr_assert_not_null(c);
    cr_expect(c->reachable);
    go_holder links[2];
    cr_assert_eq(go_exec_holder_chain(e, GO_OBJ_CHAN, 1, links, 2), 2);
    cr_expect_eq(links[0].root, GO_ROOT_DATA);
    cr_expect_eq(links[1].object_kind, GO_OBJ_CHAN);
    kept_in_static = NULL;
    go_exec_free(e);
}

/* GO_NOT_SCANNED: a tool's table, which the collector skips. */
static go_chan *volatile kept_where_not_scanned GO_NOT_SCANNED;

static NOINLINE void keep_where_not_scanned(void) { kept_where_not_scanned = go_make_chan(0); }

static void not_scanned_main(void *arg) {
    (void)arg;
    keep_where_not_scanned();
}

Test(graph, a_static_marked_not_scanned_is_no_root) {
    go_exec *e = run_first(not_scanned_main, NULL);
    const go_object_info *c = go_exec_find_object(e, GO_OBJ_CHAN, 1);
    cr_assert_not_null(c);
    cr_expect_not(c->reachable, "only a GO_NOT_SCANNED static holds it");
    kept_where_not_scanned = NULL;
    go_exec_free(e);
}

static bool interior_kept;

static NOINLINE go_weak *keep_interior_pointer(void) {
    char *payload = go_alloc(64);
    go_global_set("field", payload + 40); /* &x.field */
    return go_weak_make(payload);
}

static void interior_main(void *arg) {
    (void)arg;
    go_weak *w = keep_interior_pointer();
    gc();
    interior_kept = go_weak_value(w) != NULL;
}

Test(graph, an_interior_pointer_keeps_its_object) {
    go_exec *e = run_first(interior_main, NULL);
    cr_expect(interior_kept);
    go_exec_free(e);
}

/* ---- the fixed point -------------------------------------------------------- */

/* Receives on its second channel, then would send on its first. */
static void cycle_half(void *env) {
    go_recv(go_env_chan(env, 1));
    go_send(go_env_chan(env, 0), 1);
}

static void cycle_main(void *arg) {
    (void)arg;
    go_chan *a = go_make_chan(0), *b = go_make_chan(0);
    go_go(cycle_half, go_closure(a, b)); /* holds a, waits on b */
    go_go(cycle_half, go_closure(b, a)); /* holds b, waits on a */
}

static bool retains(const go_exec *e, uint64_t goroutine, go_object_kind kind, uint64_t id) {
    const go_object_info *objects[16];
    size_t n = go_exec_retained(e, goroutine, objects, 16);
    for (size_t i = 0; i < n && i < 16; i++)
        if (objects[i]->kind == kind && objects[i]->id == id) return true;
    return false;
}

Test(graph, the_fixed_point_finds_a_two_goroutine_cycle) {
    go_exec *e = run_first(cycle_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    for (uint64_t g = 2; g <= 3; g++) {
        const go_goroutine_graph *info = go_exec_goroutine_graph(e, g);
        cr_assert_not_null(info);
        cr_expect(info->partially_deadlocked, "goroutine %llu", (unsigned long long)g);
        cr_expect(retains(e, g, GO_OBJ_CHAN, 1) && retains(e, g, GO_OBJ_CHAN, 2),
                  "each retains both channels of the cycle");
        cr_expect_geq(info->retained_bytes, 2 * sizeof(void *));
    }
    cr_expect(retains(e, 2, GO_OBJ_CLOSURE, 1) && retains(e, 2, GO_OBJ_CLOSURE, 2));
    const go_object_info *a = go_exec_find_object(e, GO_OBJ_CHAN, 1);
    cr_expect_not(a->reachable);
    cr_expect_eq(a->retained_by, 2);
    char *chain = chain_text(e, GO_OBJ_CHAN, 1);
    cr_expect_str_eq(chain, "leaked goroutine 2 -> closure#1 -> chan#1");
    free(chain);
    go_exec_free(e);
}

static void orphan(void *arg) {
    (void)arg;
    go_recv(go_make_chan(0));
}

static void orphan_main(void *arg) {
    (void)arg;
    go_go(orphan, NULL);
}

Test(graph, the_fixed_point_finds_an_orphaned_channel) {
    go_exec *e = run_first(orphan_main, NULL);
    const go_goroutine_graph *g = go_exec_goroutine_graph(e, 2);
    cr_assert_not_null(g);
    cr_expect(g->partially_deadlocked);
    cr_expect_eq(g->retained_objects, 1);
    const go_object_info *c = go_exec_find_object(e, GO_OBJ_CHAN, 1);
    cr_assert_not_null(c, "a channel a goroutine waits on is never freed");
    cr_expect_not(c->reachable);
    cr_expect_eq(c->retained_by, 2);
    go_exec_free(e);
}

static void waits_on_env(void *env) { go_recv(go_env_chan(env, 0)); }

static void spins_holding_env(void *env) {
    (void)env;
    for (;;) go_yield();
}

static void spare_main(void *arg) {
    (void)arg;
    go_chan *c = go_make_chan(0);
    go_go(waits_on_env, go_closure(c));
    go_go(spins_holding_env, go_closure(c));
    go_go(orphan, NULL);
}

Test(graph, the_fixed_point_spares_a_goroutine_whose_channel_a_runnable_goroutine_holds) {
    go_exec *e = run_config(spare_main, GO_SEMANTICS_1_23, 1000);
    cr_assert(go_exec_settle_exhausted(e), "the spinner is still runnable at the end");
    cr_expect_eq(go_exec_goroutine_state(e, 3), GO_STATE_RUNNABLE);
    cr_expect_not(go_exec_goroutine_graph(e, 2)->partially_deadlocked,
                  "the spinner's closure reaches the channel goroutine 2 waits on");
    cr_expect(go_exec_goroutine_graph(e, 4)->partially_deadlocked, "the orphan is not spared");
    char *chain = chain_text(e, GO_OBJ_CHAN, 1);
    cr_expect_str_eq(chain, "goroutine 3 -> closure#2 -> chan#1");
    free(chain);
    go_exec_free(e);
}

/* ---- holder chains ----------------------------------------------------------- */

static NOINLINE void register_handler(void) {
    go_map *registry = go_map_new();
    go_global_set("registry", registry);
    go_map_put(registry, 1, go_closure(go_alloc(128)));
}

static void registry_main(void *arg) {
    (void)arg;
    register_handler();
}

Test(graph, the_holder_chain_leads_from_a_global_through_a_map_and_a_closure) {
    go_exec *e = run_first(registry_main, NULL);
    char *chain = chain_text(e, GO_OBJ_HEAP, 1);
    cr_expect_str_eq(chain, "global \"registry\" -> map#1 -> closure#1 -> heap#1");
    free(chain);
    go_holder links[4];
    cr_assert_eq(go_exec_holder_chain(e, GO_OBJ_HEAP, 1, links, 4), 4);
    cr_expect_eq(links[0].root, GO_ROOT_GLOBAL);
    cr_expect_str_eq(links[0].name, "registry");
    cr_expect_eq(links[1].object_kind, GO_OBJ_MAP);
    cr_expect_eq(links[2].object_kind, GO_OBJ_CLOSURE);
    cr_expect_eq(links[3].object_kind, GO_OBJ_HEAP);
    const go_object_info *heap = go_exec_find_object(e, GO_OBJ_HEAP, 1);
    cr_expect(heap->reachable);
    cr_expect_geq(heap->size, 128);
    go_exec_free(e);
}

/* ---- weak pointers and cleanups ------------------------------------------------ */

static bool weak_alive_while_held, weak_nil_after;

static NOINLINE go_weak *hold_in_global(void) {
    void *payload = go_alloc(32);
    go_global_set("holder", payload);
    return go_weak_make(payload);
}

static void weak_main(void *arg) {
    (void)arg;
    go_weak *w = hold_in_global();
    gc();
    weak_alive_while_held = go_weak_value(w) != NULL;
    go_global_clear("holder");
    gc();
    weak_nil_after = go_weak_value(w) == NULL;
}

Test(graph, a_weak_value_reads_nil_after_its_last_strong_holder_goes) {
    go_exec *e = run_first(weak_main, NULL);
    cr_expect(weak_alive_while_held);
    cr_expect(weak_nil_after);
    go_exec_free(e);
}

static size_t len_after_gc, len_after_cleanup;
static bool value_nil_after_gc;

static void delete_entry(void *env) {
    go_map_delete((go_map *)go_env_ptr(env, 0), go_env_word(env, 1));
}

static NOINLINE void cache_value(go_map *cache) {
    void *value = go_alloc(16);
    go_map_put(cache, 7, go_weak_make(value));
    go_add_cleanup(value, delete_entry, go_closure(cache, 7));
}

static void weak_map_main(void *arg) {
    (void)arg;
    go_map *cache = go_map_new();
    go_global_set("cache", cache);
    cache_value(cache);
    gc();
    len_after_gc = go_map_len(cache);
    value_nil_after_gc = go_weak_value((go_weak *)go_map_get(cache, 7)) == NULL;
    go_yield(); /* the cleanup's goroutine runs */
    len_after_cleanup = go_map_len(cache);
}

Test(graph, a_map_of_weak_values_keeps_its_entries_until_a_cleanup_deletes_them) {
    go_exec *e = run_first(weak_map_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(len_after_gc, 1, "the entry stays");
    cr_expect(value_nil_after_gc, "its weak value reads nil");
    cr_expect_eq(len_after_cleanup, 0, "the cleanup deleted it");
    go_exec_free(e);
}

/* ---- timers --------------------------------------------------------------------- */

static NOINLINE void forget_a_timer(void) { go_timer_new(GO_S); }

static void timer_main(void *arg) {
    (void)arg;
    forget_a_timer();
    gc();
}

Test(graph, an_unreferenced_timer_is_collected_under_1_23_and_stays_pending_under_1_22) {
    go_exec *e = run_config(timer_main, GO_SEMANTICS_1_23, 0);
    cr_expect_null(go_exec_find_object(e, GO_OBJ_TIMER, 1), "1.23: collected");
    cr_expect_null(go_exec_find_object(e, GO_OBJ_CHAN, 1), "with its channel");
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event collect g1 freed 2"), "%s", trace);
    free(trace);
    go_exec_free(e);

    e = run_config(timer_main, GO_SEMANTICS_1_22, 0);
    const go_object_info *t = go_exec_find_object(e, GO_OBJ_TIMER, 1);
    cr_assert_not_null(t, "1.22: a pending timer is a root");
    cr_expect(t->reachable);
    char state[64];
    go_exec_describe_object(e, GO_OBJ_TIMER, 1, state, sizeof state);
    cr_expect(strstr(state, "fires at 1s"), "%s", state);
    char *chain = chain_text(e, GO_OBJ_TIMER, 1);
    cr_expect_str_eq(chain, "pending timer -> timer#1");
    free(chain);
    go_exec_free(e);
}

/* ---- collections at decided points ------------------------------------------------ */

static void churn_worker(void *env) {
    go_map *m = go_env_ptr(env, 0);
    for (int i = 0; i < 8; i++) {
        void *v = go_alloc(24);
        go_map_put(m, (go_word)i, go_weak_make(v));
        if (go_fz_bool()) go_global_set("last", v);
        go_yield();
    }
}

static void churn_main(void *arg) {
    (void)arg;
    go_map *m = go_map_new();
    go_global_set("m", m);
    go_go(churn_worker, go_closure(m));
    go_go(churn_worker, go_closure(m));
    for (int i = 0; i < 8; i++) go_closure(go_alloc(8));
}

static go_exec *run_prng(go_func *fn, uint64_t seed) {
    go_prng_source src;
    go_config cfg = {.decider = go_decider_prng(&src, seed, 3), .record_trace = true};
    return go_exec_run(&cfg, fn, NULL);
}

Test(graph, collections_at_decided_points_are_deterministic) {
    bool collected = false;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        go_exec *first = run_prng(churn_main, seed), *second = run_prng(churn_main, seed);
        char *a = trace_text(first), *b = trace_text(second);
        cr_assert_str_eq(a, b, "seed %llu", (unsigned long long)seed);
        collected |= strstr(a, "collect over 2 -> 1") && strstr(a, "event collect");
        /* The same decisions replayed give the same trace. */
        size_t count;
        const go_decision *log = go_exec_decisions(first, &count);
        go_replay_source replay;
        go_config cfg = {.decider = go_decider_replay(&replay, log, count), .record_trace = true};
        go_exec *third = go_exec_run(&cfg, churn_main, NULL);
        char *c = trace_text(third);
        cr_assert_str_eq(a, c, "replay of seed %llu", (unsigned long long)seed);
        free(a), free(b), free(c);
        go_exec_free(first), go_exec_free(second), go_exec_free(third);
    }
    cr_expect(collected, "some seed collected at a decided point");
}

/* ---- many executions --------------------------------------------------------------- */

static void leaky_sender(void *env) { go_send(go_env_chan(env, 0), (go_word)go_alloc(40)); }

static void noop_cleanup(void *arg) { (void)arg; }

static void everything_main(void *arg) {
    (void)arg;
    go_map *m = go_map_new();
    for (int i = 0; i < 40; i++) go_map_put(m, (go_word)i, go_closure(go_alloc(16), i));
    for (int i = 0; i < 30; i++) go_map_delete(m, (go_word)i);
    go_global_set("m", m);
    void *v = go_alloc(8);
    go_add_cleanup(v, noop_cleanup, NULL);
    go_weak_make(v);
    go_go(leaky_sender, go_closure(go_make_chan(0)));
    go_after_func(GO_MS, noop_cleanup, go_closure(go_alloc(8)));
    go_after(GO_S);
    go_ticker_new(GO_MS);
    gc();
    go_sleep(2 * GO_MS);
}

Test(graph, many_executions_leave_nothing_for_lsan) {
    for (uint64_t seed = 0; seed < 200; seed++) {
        go_exec *e = run_prng(everything_main, seed);
        cr_assert_neq(go_exec_end(e), GO_END_PANIC, "%s", go_exec_message(e));
        go_exec_free(e);
    }
#if TEST_ASAN
    /* Checked here: a leak report at exit would not fail the test. */
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "LeakSanitizer found leaks");
#endif
}
