/* test_detect_growth.c -- stress mode (go_checkpoint, go_stress) and the
 * growth detector: a cache that only grows is growth, with the sites that
 * grew; a cache pruned to a bound, and Go 1.22's pending time.After timers
 * in a hot loop, plateau and are clean; a map of weak values grows by its
 * entries even though its values are collected. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/findings.h>

#include "findings_listing.h"
#include "support.h"

#define THIS_FILE "tests/test_detect_growth.c"

/* ---- helpers ----------------------------------------------------------------- */

static void expect_clean(go_func *fn, go_semantics semantics, const char *what) {
    go_exec *e = run_under(fn, semantics);
    cr_expect_eq(go_exec_end(e), GO_END_RETURNED, "%s", what);
    cr_expect_geq(go_exec_checkpoint_count(e), 6, "%s: enough checkpoints to judge", what);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_not_null(f);
    cr_expect_eq(f->count, 0, "%s (Go %s): expected no finding, got:\n%s", what,
                 go_semantics_name(semantics), listing(f));
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static const chanfuzz_growth *grown(const chanfuzz_finding *f, go_object_kind kind,
                                    const char *measure) {
    for (size_t i = 0; i < f->growth_count; i++)
        if (f->growth[i].kind == kind && strcmp(f->growth[i].measure, measure) == 0)
            return &f->growth[i];
    return NULL;
}

/* The live objects of `kind` made at `line` at checkpoint c. */
static size_t live_at(const go_exec *e, size_t c, go_object_kind kind, int line) {
    const go_checkpoint_info *info = go_exec_checkpoint(e, c);
    for (size_t i = 0; i < info->site_count; i++)
        if (info->sites[i].kind == kind && info->sites[i].site &&
            info->sites[i].site->line == line)
            return info->sites[i].objects;
    return 0;
}

static go_map *cache;      /* a C static: a root, as a package variable is */
static uint64_t next_key;
static int alloc_line, map_line, weak_line, after_line;

/* ---- a cache that only grows -------------------------------------------------- */

/*  var cache = map[int]*item{}
 *  func cachePut() { cache[next] = new(item); next++ }   // never evicted */
static void cache_put(void *arg) {
    alloc_line = __LINE__; void *item = go_alloc(64);
    go_map_put(cache, next_key++, item);
}

static void grows_forever(void *arg) {
    next_key = 0;
    map_line = __LINE__; cache = go_map_new();
    go_stress(cache_put, NULL, 120, 10);
}

Test(growth, a_cache_that_only_grows_is_growth_with_its_sites) {
    go_exec *e = run_under(grows_forever, GO_SEMANTICS_1_23);
    cr_assert_eq(go_exec_checkpoint_count(e), 12);
    cr_expect_eq(live_at(e, 0, GO_OBJ_HEAP, alloc_line), 10);
    cr_expect_eq(live_at(e, 11, GO_OBJ_HEAP, alloc_line), 120);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_finding *g = &f->items[0];
    cr_assert_eq(g->kind, CHANFUZZ_GROWTH);
    char expected[CHANFUZZ_CRASH_STATE_MAX];
    snprintf(expected, sizeof expected,
             "growth: heap objects at " THIS_FILE ":%d (cache_put); map entries at " THIS_FILE
             ":%d (grows_forever)", alloc_line, map_line);
    cr_expect_str_eq(g->crash_state, expected);
    cr_expect_str_eq(g->title, "live objects keep growing");
    cr_expect_str_eq(g->message, "2 sites keep growing over 12 checkpoints");
    cr_assert_eq(g->growth_count, 2);
    const chanfuzz_growth *items = grown(g, GO_OBJ_HEAP, "objects");
    const chanfuzz_growth *entries = grown(g, GO_OBJ_MAP, "entries");
    cr_assert_not_null(items);
    cr_assert_not_null(entries);
    cr_expect_eq(items->first, 10);
    cr_expect_eq(items->last, 120);
    cr_expect_float_eq(items->slope, 10.0, 1e-9);
    cr_expect_eq(items->series_count, 12);
    cr_expect_eq(items->series[5], 60);
    cr_expect_eq(entries->first, 10);
    cr_expect_eq(entries->last, 120);
    /* Items and entries rise alike: the map that holds them leads. */
    cr_expect_eq(g->site->line, entries->site->line, "located at the map that holds the rest");
    /* The witness: a link per site, and the summary in words. */
    cr_expect_eq(g->witness.kind, CHANFUZZ_WITNESS_GROWTH);
    cr_assert_eq(g->witness.link_count, 2);
    cr_expect_str_eq(g->witness.links[0].role, "grew");
    snprintf(expected, sizeof expected,
             "10 -> 120 map entries at " THIS_FILE ":%d (grows_forever), +10.0 per "
             "checkpoint; 1 more site", map_line);
    cr_expect_str_eq(g->witness.summary, expected);
    cr_expect_eq(chanfuzz_exit_status(f), CHANFUZZ_EXIT_FINDINGS);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* The same cache, judged from fewer than six checkpoints: too little to
 * tell growth from warm-up. */
static void grows_briefly(void *arg) {
    next_key = 0;
    cache = go_map_new();
    go_stress(cache_put, NULL, 50, 10);
}

Test(growth, five_checkpoints_are_too_few_to_judge) {
    go_exec *e = run_under(grows_briefly, GO_SEMANTICS_1_23);
    cr_expect_eq(go_exec_checkpoint_count(e), 5);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_expect_eq(f->count, 0, "%s", listing(f));
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- a cache pruned to a bound: a plateau ------------------------------------------ */

/*  cache[next] = new(item); next++
 *  if len(cache) > 32 { delete(cache, next-33) }     // evicts the oldest */
static void bounded_put(void *arg) {
    go_map_put(cache, next_key, go_alloc(64));
    next_key++;
    if (go_map_len(cache) > 32) go_map_delete(cache, next_key - 33);
}

static void pruned_cache(void *arg) {
    next_key = 0;
    cache = go_map_new();
    go_stress(bounded_put, NULL, 200, 10);
}

/* ---- a consumer behind its producer ------------------------------------------- */

/*  work := make(chan *item, 1024)
 *  go func() { for it := range work { use(it) } }()
 *  for i := 0; i < 120; i++ { work <- new(item) }   // a checkpoint every 10
 * Under the plain schedule nothing preempts the producer: without the
 * checkpoint's wait (synctest.Wait) the consumer would not run until the
 * loop ended, and the queue, 10 items more at every checkpoint, would be
 * growth. In Go the consumer keeps up on another P. */
static go_chan *work;

static void consume(void *arg) {
    go_word item;
    while (go_range(work, &item)) {}
}

static void produce(void *arg) { go_send(work, (go_word)go_alloc(64)); }

static void hands_work_to_a_consumer(void *arg) {
    work = go_make_chan(1024);
    go_go(consume, NULL);
    go_stress(produce, NULL, 120, 10);
    go_close(work);
}

Test(growth, a_consumer_that_is_only_behind_is_not_growth) {
    expect_clean(hands_work_to_a_consumer, GO_SEMANTICS_1_23, "a consumer behind");
}

Test(growth, a_cache_pruned_to_a_bound_plateaus_and_is_clean) {
    expect_clean(pruned_cache, GO_SEMANTICS_1_23, "pruned cache");
}

/* ---- Go 1.22: pending time.After timers pile up, then stay flat ----------------- */

/*  for {                                          // each round, 10ms apart
 *      select { case <-ready: case <-time.After(time.Second): }
 *      time.Sleep(10 * time.Millisecond)
 *  }
 * Go <= 1.22 keeps each After timer until it fires: 100 live at once,
 * never more. */
static go_chan *ready;

static void select_with_timeout(void *arg) {
    go_send(ready, 1);
    after_line = __LINE__; go_select(go_case_recv(ready, NULL), go_case_recv(go_after(GO_S), NULL));
    go_sleep(10 * GO_MS);
}

static void hot_loop_with_after(void *arg) {
    ready = go_make_chan(1);
    go_stress(select_with_timeout, NULL, 400, 20);
}

Test(growth, go_1_22_pending_after_timers_in_a_hot_loop_plateau_and_are_clean) {
    expect_clean(hot_loop_with_after, GO_SEMANTICS_1_22, "time.After plateau");
    expect_clean(hot_loop_with_after, GO_SEMANTICS_1_23, "time.After collected");
    go_exec *e = run_under(hot_loop_with_after, GO_SEMANTICS_1_22);
    size_t n = go_exec_checkpoint_count(e);
    cr_assert_eq(n, 20);
    /* It did pile up (and then stopped): the plateau is real. */
    cr_expect_eq(live_at(e, 0, GO_OBJ_TIMER, after_line), 20);
    cr_expect_geq(live_at(e, n - 1, GO_OBJ_TIMER, after_line), 99);
    cr_expect_leq(live_at(e, n - 1, GO_OBJ_TIMER, after_line), 101);
    go_exec_free(e);
}

/* ---- weak values: the values go, the entries stay ------------------------------- */

/*  cache[next] = weak.Make(new(item)); next++   // the item is collected,
 *                                               // its entry never is */
static int value_line;

static void weak_put(void *arg) {
    value_line = __LINE__; void *item = go_alloc(64);
    weak_line = __LINE__; go_map_put(cache, next_key++, go_weak_make(item));
}

static void weak_cache(void *arg) {
    next_key = 0;
    map_line = __LINE__; cache = go_map_new();
    go_stress(weak_put, NULL, 120, 10);
}

Test(growth, a_map_of_weak_values_grows_by_its_entries_not_its_values) {
    go_exec *e = run_under(weak_cache, GO_SEMANTICS_1_23);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_assert_eq(f->count, 1, "%s", listing(f));
    const chanfuzz_finding *g = &f->items[0];
    cr_assert_eq(g->kind, CHANFUZZ_GROWTH);
    /* The values were collected at every checkpoint: they did not grow. */
    cr_expect_null(grown(g, GO_OBJ_HEAP, "objects"), "the values are collected");
    cr_expect_leq(live_at(e, go_exec_checkpoint_count(e) - 1, GO_OBJ_HEAP, value_line), 1);
    const chanfuzz_growth *entries = grown(g, GO_OBJ_MAP, "entries");
    const chanfuzz_growth *handles = grown(g, GO_OBJ_WEAK, "objects");
    cr_assert_not_null(entries, "the map's entries grow");
    cr_assert_not_null(handles, "and so do the weak handles they hold");
    cr_expect_eq(entries->site->line, map_line);
    cr_expect_eq(handles->site->line, weak_line);
    cr_expect_eq(entries->last, 120);
    cr_expect(strstr(g->crash_state, "map entries at " THIS_FILE) != NULL, "%s", g->crash_state);
    cr_expect(strstr(g->crash_state, "weak objects at " THIS_FILE) != NULL, "%s", g->crash_state);
    /* The report says it is the map's entries that grow. */
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    chanfuzz_write_text(out, NULL, f);
    fclose(out);
    char expected[256];
    snprintf(expected, sizeof expected,
             "grew map at " THIS_FILE ":%d (weak_cache): 10 -> 120 entries, +10.0 per checkpoint",
             map_line);
    cr_expect(strstr(text, expected) != NULL, "expected \"%s\" in:\n%s", expected, text);
    free(text);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- contexts the program lost: Go collects them, the model's table keeps
 * them for inspection; only what the program keeps counts ----------------- */

/*  for { ctx, cancel := context.WithCancel(parent); use(ctx); cancel() } */
static go_context *parent_ctx;
static int ctx_line;

static void cancelled_each_round(void *arg) {
    go_cancel_func *cancel;
    ctx_line = __LINE__; go_context *ctx = go_with_cancel(parent_ctx, &cancel);
    go_ctx_done(ctx);
    go_cancel(cancel);
}

static void context_per_round(void *arg) {
    go_cancel_func *cancel;
    parent_ctx = go_with_cancel(go_background(), &cancel);
    go_stress(cancelled_each_round, NULL, 120, 10);
    go_cancel(cancel);
}

Test(growth, contexts_cancelled_every_round_are_not_growth) {
    expect_clean(context_per_round, GO_SEMANTICS_1_23, "cancelled contexts");
    go_exec *e = run_under(context_per_round, GO_SEMANTICS_1_23);
    /* The runtime's table still has all 120; the samples count none of
     * the lost ones (the newest may sit in a dead stack slot). */
    cr_expect_eq(go_exec_context_count(e), 122, "Background, the parent, 120 children");
    cr_expect_leq(live_at(e, 11, GO_OBJ_CONTEXT, ctx_line), 1);
    go_exec_free(e);
}

/*  for { ctx, _ := context.WithCancel(parent); use(ctx) }   // cancel lost:
 *  every child stays registered in the live parent */
static int child_line;

static void registered_each_round(void *arg) {
    child_line = __LINE__; go_with_cancel(parent_ctx, NULL);
}

static void registered_per_round(void *arg) {
    go_cancel_func *cancel;
    parent_ctx = go_with_cancel(go_background(), &cancel);
    go_stress(registered_each_round, NULL, 120, 10);
    go_cancel(cancel);
}

Test(growth, children_left_registered_in_a_live_parent_are_growth) {
    go_exec *e = run_under(registered_per_round, GO_SEMANTICS_1_23);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    const chanfuzz_finding *g = chanfuzz_findings_first(f, CHANFUZZ_GROWTH);
    cr_assert_not_null(g, "%s", listing(f));
    const chanfuzz_growth *contexts = grown(g, GO_OBJ_CONTEXT, "objects");
    cr_assert_not_null(contexts);
    cr_expect_eq(contexts->site->line, child_line);
    cr_expect_eq(contexts->last, 120);
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

/* ---- checkpoints themselves ---------------------------------------------------------- */

static int kept_line, dropped_line;

static void three_rounds(void *arg) {
    static go_chan *kept[3];
    for (int i = 0; i < 3; i++) {
        kept_line = __LINE__; kept[i] = go_make_chan(1);
        go_send(kept[i], 7);
        dropped_line = __LINE__; go_make_chan(0); /* garbage at the next checkpoint */
        go_checkpoint();
    }
}

Test(checkpoint, records_what_the_collection_kept_by_site) {
    go_exec *e = run_under(three_rounds, GO_SEMANTICS_1_23);
    cr_assert_eq(go_exec_checkpoint_count(e), 3);
    for (size_t c = 0; c < 3; c++) {
        const go_checkpoint_info *info = go_exec_checkpoint(e, c);
        cr_expect_eq(info->index, c);
        cr_expect_eq(info->round, c + 1);
        cr_expect_str_eq(info->site->func, "three_rounds");
        cr_expect_eq(info->goroutine, 1);
        cr_expect_eq(live_at(e, c, GO_OBJ_CHAN, kept_line), c + 1);
        /* The stack is scanned conservatively: the newest dropped channel
         * may still sit in a dead slot; the older ones are gone. */
        cr_expect_leq(live_at(e, c, GO_OBJ_CHAN, dropped_line), 1);
        cr_expect_eq(info->kind_objects[GO_OBJ_CHAN], info->objects);
        const go_site_sample *kept = NULL;
        for (size_t i = 0; i < info->site_count; i++)
            if (info->sites[i].site->line == kept_line) kept = &info->sites[i];
        cr_assert_not_null(kept);
        cr_expect_eq(kept->entries, c + 1, "one value buffered in each");
        cr_expect_gt(kept->bytes, 0);
    }
    cr_expect_null(go_exec_checkpoint(e, 3));
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    cr_expect_eq(f->count, 0, "%s", listing(f));
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

static void nothing(void *arg) { (void)arg; }
static void bad_stress(void *arg) { go_stress(nothing, NULL, 10, 0); }

Test(checkpoint, go_stress_without_a_checkpoint_interval_panics) {
    go_exec *e = run_under(bad_stress, GO_SEMANTICS_1_23);
    cr_expect_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "go_stress: checkpoint_every must be positive");
    go_exec_free(e);
}

/* ---- jitter is not growth ------------------------------------------------------ */

/* The live count follows a given series, one checkpoint per round: items
 * beyond it are dropped (Go: set to nil), new ones made up to it. */
static void *in_flight[64];
static const size_t *series;
static size_t series_round;

static void follow_series(void *arg) {
    size_t want = series[series_round++];
    for (size_t i = want; i < 64; i++) in_flight[i] = NULL;
    for (size_t i = 0; i < want; i++)
        if (!in_flight[i]) in_flight[i] = go_alloc(32);
}

static void run_series(void *arg) {
    memset(in_flight, 0, sizeof in_flight);
    series_round = 0;
    go_stress(follow_series, NULL, 10, 1);
    memset(in_flight, 0, sizeof in_flight);
}

static bool series_is_growth(const size_t *values) {
    series = values;
    go_exec *e = run_under(run_series, GO_SEMANTICS_1_23);
    cr_assert_eq(go_exec_checkpoint_count(e), 10);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    bool growth = chanfuzz_findings_first(f, CHANFUZZ_GROWTH) != NULL;
    chanfuzz_findings_free(f);
    go_exec_free(e);
    return growth;
}

/* Both were false alarms on fixed stress scenarios before the detector
 * asked for a rise above the earlier peak (detect_growth.c). */
Test(growth, a_handful_in_flight_is_not_growth) {
    static const size_t few[] = {0, 1, 1, 1, 1, 0, 0, 1, 1, 2};
    cr_expect_not(series_is_growth(few));
}

Test(growth, jitter_on_a_plateau_is_not_growth) {
    static const size_t jitter[] = {40, 39, 38, 36, 37, 40, 41, 43, 44, 46};
    cr_expect_not(series_is_growth(jitter));
}

Test(growth, a_slow_steady_climb_is_growth) {
    static const size_t climb[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    cr_expect(series_is_growth(climb));
}
