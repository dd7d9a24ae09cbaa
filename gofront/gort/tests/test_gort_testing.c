/* test_gort_testing.c -- testing.T under the model, and the glue to sync,
 * time and context. */
#include <criterion/criterion.h>
#include <string.h>

#include "gort_support.h"

typedef void test_fn(void *env, gort_test *t);
#define FUNC(f) ((gort_func){(void *)(f), NULL})

static void run_test(void *arg) { gort_test_main("TestX", FUNC((test_fn *)arg), false); }

static void deferred_note(void *arg) { note("deferred %s", (const char *)arg); }
static void cleanup1(void *env) { (void)env; note("cleanup 1"); }
static void cleanup2(void *env) { (void)env; note("cleanup 2"); }

static void fatal_test(void *env, gort_test *t) {
    (void)env;
    go_defer(deferred_note, "in test");
    gort_t_cleanup(GO_SITE, t, FUNC(cleanup1));
    gort_t_cleanup(GO_SITE, t, FUNC(cleanup2));
    gort_t_log(GO_SITE, t, GORT_STR(""), false, ARGS(BOX_STR("hello"), BOX_INT(1)));
    gort_t_fatal(GO_SITE, t, GORT_STR("boom %d"), true, ARGS(BOX_INT(7)));
}

Test(gort_testing, fatal_is_a_fail_finding) {
    go_exec *e = gort_run(run_test, (void *)fatal_test);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC, "%s", go_exec_message(e));
    const char *m = go_exec_message(e);
    cr_assert(strncmp(m, "--- FAIL: TestX: test_gort_testing.c:", 37) == 0, "%s", m);
    cr_assert(strstr(m, ": hello 1; test_gort_testing.c:") != NULL, "%s", m);
    cr_assert(strstr(m, ": boom 7") != NULL, "%s", m);
    cr_assert_str_eq(notes[0], "deferred in test");
    cr_assert_str_eq(notes[1], "cleanup 2");
    cr_assert_str_eq(notes[2], "cleanup 1");
    cr_assert(gort_test_failed());
    size_t n;
    const char *out = gort_output(&n);
    cr_assert(strstr(out, "    test_gort_testing.c:") == out, "%s", out);
    cr_assert(strstr(out, ": hello 1\n") != NULL, "%s", out);
    go_exec_free(e);
}

static void passing_test(void *env, gort_test *t) {
    (void)env;
    gort_t_log(GO_SITE, t, GORT_STR("fine"), true, NO_ARGS);
}

static void skipping_test(void *env, gort_test *t) {
    (void)env;
    gort_t_skip(GO_SITE, t, GORT_STR("not here"), true, NO_ARGS);
}

Test(gort_testing, pass_and_skip_are_clean) {
    go_exec *e = gort_run(run_test, (void *)passing_test);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert(!gort_test_failed());
    go_exec_free(e);
    e = gort_run(run_test, (void *)skipping_test);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert(!gort_test_failed());
    go_exec_free(e);
}

static void sub_sequential(void *env, gort_test *t) {
    (void)env;
    go_yield();
    go_sleep(GO_MS);
    note("sub %.*s done", (int)gort_t_name(t).len, gort_t_name(t).ptr);
}

static void sub_failing(void *env, gort_test *t) {
    (void)env;
    gort_t_error(GO_SITE, t, GORT_STR("bad"), true, NO_ARGS);
}

static void sub_parallel(void *env, gort_test *t) {
    (void)env;
    gort_t_parallel(GO_SITE, t);
    note("parallel runs");
}

static void parent_test(void *env, gort_test *t) {
    (void)env;
    bool ok = gort_t_run(GO_SITE, t, GORT_STR("first one"), FUNC(sub_sequential));
    note("run returned %d", ok);
    ok = gort_t_run(GO_SITE, t, GORT_STR("par"), FUNC(sub_parallel));
    note("parallel run returned %d", ok);
    ok = gort_t_run(GO_SITE, t, GORT_STR("fails"), FUNC(sub_failing));
    note("failing run returned %d failed=%d", ok, gort_t_failed(t));
}

Test(gort_testing, run_waits_for_subtests) {
    go_exec *e = gort_run(run_test, (void *)parent_test);
    cr_assert_str_eq(notes[0], "sub TestX/first_one done");
    cr_assert_str_eq(notes[1], "run returned 1");
    cr_assert_str_eq(notes[2], "parallel run returned 1");
    cr_assert_str_eq(notes[3], "failing run returned 0 failed=1");
    cr_assert_str_eq(notes[4], "parallel runs");
    cr_assert_eq(note_count, 5);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    const char *m = go_exec_message(e);
    cr_assert(strncmp(m, "--- FAIL: TestX/fails: test_gort_testing.c:", 43) == 0, "%s", m);
    cr_assert(strstr(m, ": bad") != NULL, "%s", m);
    go_exec_free(e);
}

/* ---- sync, time, context glue ---------------------------------------------------------- */

typedef struct counter {
    void *mu[1];               /* sync.Mutex: word 0 */
    void *wg[2];               /* sync.WaitGroup */
    int64_t n;
} counter;

static void incr(void *arg) {
    counter *c = arg;
    go_mutex_lock_at(GO_SITE, gort_mutex(GO_SITE, c->mu));
    c->n++;
    go_mutex_unlock_at(GO_SITE, gort_mutex(GO_SITE, c->mu));
    gort_atomic_add(GO_SITE, &c->n, 8, 10);
    go_waitgroup_add_at(GO_SITE, gort_waitgroup(GO_SITE, c->wg), -1);
}

static int once_calls;
static void once_body(void *env) { (void)env; once_calls++; }
static void after_body(void *env) { note("after func %s", (const char *)env); }

static void glue(void *arg) {
    (void)arg;
    counter *c = go_alloc(sizeof *c);
    go_mutex *mu = gort_mutex(GO_SITE, c->mu);
    note("lazy same=%d", mu == gort_mutex(GO_SITE, c->mu));
    go_waitgroup_add_at(GO_SITE, gort_waitgroup(GO_SITE, c->wg), 3);
    for (int i = 0; i < 3; i++) go_go(incr, c);
    go_waitgroup_wait_at(GO_SITE, gort_waitgroup(GO_SITE, c->wg));
    note("n=%lld load=%lld", (long long)c->n, (long long)gort_atomic_load(GO_SITE, &c->n, 8));
    int32_t w = 5;
    bool cas = gort_atomic_cas(GO_SITE, &w, 4, 5, 6);
    int64_t old = gort_atomic_swap(GO_SITE, &w, 4, 9);
    note("cas=%d swap=%lld w=%d", cas, (long long)old, w);
    void *once[2] = {NULL, NULL};
    once_calls = 0;
    gort_once_do(GO_SITE, once, FUNC(once_body));
    gort_once_do(GO_SITE, once, FUNC(once_body));
    note("once=%d", once_calls);
    /* time */
    gort_time t0 = gort_time_now();
    void *timer[4] = {0};
    gort_timer_init(GO_SITE, timer, 5 * GO_MS, false);
    note("C set=%d", timer[0] == go_timer_chan(gort_timer(GO_SITE, timer)));
    go_word v = go_recv_at(GO_SITE, timer[0], NULL);
    (void)v;
    gort_time t1 = gort_time_now();
    note("elapsed=%lld epoch=%d", (long long)(t1.ext - t0.ext), t0.ext >= GORT_TIME_EPOCH);
    void *af[4] = {0};
    gort_after_func_init(GO_SITE, af, GO_MS, (gort_func){(void *)after_body, "fired"});
    go_sleep(2 * GO_MS);
    /* context */
    go_cancel_func *cancel;
    go_context *ctx = go_with_timeout(go_background(), GO_S, &cancel);
    gort_iface key = BOX_STR("k"), same_key = box(&gort_type_string, &(gort_string){
                                        gort_string_concat(GO_SITE, GORT_STR("k"), GORT_STR("")).ptr, 1});
    go_context *vctx = go_with_value(ctx, gort_context_key(GO_SITE, key),
                                     gort_context_boxed_value(GO_SITE, BOX_INT(99)));
    gort_iface cv = gort_context_from_model(vctx);
    note("key interned=%d", gort_context_key(GO_SITE, key) == gort_context_key(GO_SITE, same_key));
    typedef gort_iface value_fn(void *, gort_iface);
    typedef gort_iface err_fn(void *);
    typedef struct { gort_time r0; bool r1; } deadline_r;
    typedef deadline_r deadline_fn(void *);
    gort_iface got = ((value_fn *)cv.tab->fns[3])(cv.data, same_key);
    gort_int out = 0;
    gort_assert_type(GO_SITE, got, &gort_type_int, &out, true, NULL);
    note("value=%lld missing=%d", (long long)out,
         ((value_fn *)cv.tab->fns[3])(cv.data, BOX_STR("nope")).tab == NULL);
    deadline_r d = ((deadline_fn *)cv.tab->fns[0])(cv.data);
    note("deadline ok=%d in=%lld", d.r1, (long long)(d.r0.ext - gort_time_now().ext));
    note("err nil=%d", ((err_fn *)cv.tab->fns[2])(cv.data).tab == NULL);
    gort_func cf = gort_cancel_func_value(cancel);
    ((void (*)(void *))cf.fn)(cf.env);
    gort_iface err = ((err_fn *)cv.tab->fns[2])(cv.data);
    note_str(gort_error_text(GO_SITE, err));
    note("done closed=%d", go_ctx_done(gort_context_to_model(GO_SITE, cv)) ==
                               ((go_chan * (*)(void *)) cv.tab->fns[1])(cv.data));
    note("%d", gort_errors_is(GO_SITE, err, gort_error_from_model(&go_canceled)));
}

Test(gort_glue, sync_time_context) {
    go_exec *e = gort_run(glue, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    int i = 0;
    cr_assert_str_eq(notes[i++], "lazy same=1");
    cr_assert_str_eq(notes[i++], "n=33 load=33");
    cr_assert_str_eq(notes[i++], "cas=1 swap=6 w=9");
    cr_assert_str_eq(notes[i++], "once=1");
    cr_assert_str_eq(notes[i++], "C set=1");
    cr_assert_str_eq(notes[i++], "elapsed=5000000 epoch=1");
    cr_assert_str_eq(notes[i++], "after func fired");
    cr_assert_str_eq(notes[i++], "key interned=1");
    cr_assert_str_eq(notes[i++], "value=99 missing=1");
    cr_assert_str_eq(notes[i++], "deadline ok=1 in=1000000000");
    cr_assert_str_eq(notes[i++], "err nil=1");
    cr_assert_str_eq(notes[i++], "context canceled");
    cr_assert_str_eq(notes[i++], "done closed=1");
    cr_assert_str_eq(notes[i++], "1");
    go_exec_free(e);
}

static void rand_values(void *arg) {
    (void)arg;
    gort_int a = gort_rand_intn(GO_SITE, 10);
    int64_t b = gort_rand_int63n(GO_SITE, 100);
    double c = gort_rand_float64(GO_SITE);
    note("%lld %lld %.3f", (long long)a, (long long)b, c);
    gort_rand_intn(GO_SITE, 0);
}

Test(gort_rand, values_are_decisions) {
    uint64_t answers[] = {7, 42, (uint64_t)1 << 52};
    go_exec *e = gort_run_answers(rand_values, NULL, answers, 3);
    cr_assert_str_eq(notes[0], "7 42 0.500");
    cr_assert_str_eq(go_exec_message(e), "invalid argument to Intn");
    go_exec_free(e);
}

/* sync.Cond in Go 1.19's layout {L Locker; notify notifyList; checker},
 * and a Mutex at a 4-byte offset, as Go lays out struct{a int32; mu Mutex}. */
typedef struct go_cond_layout {
    gort_iface L;
    uint8_t notify[32];
    void *checker;
} go_cond_layout;

static const gort_type t_sync_mutex_ptr = {.kind = GORT_POINTER,
                                           .flags = GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED,
                                           .size = 8, .align = 8, .name = "*sync.Mutex"};

typedef struct cond_state {
    uint8_t *mutex;            /* a misaligned sync.Mutex */
    go_cond_layout *cond;
    bool ready;
} cond_state;

static void waiter(void *arg) {
    cond_state *s = arg;
    go_mutex *mu = gort_mutex(GO_SITE, s->mutex);
    go_mutex_lock(mu);
    while (!s->ready) go_cond_wait(gort_cond(GO_SITE, s->cond));
    note("woke");
    go_mutex_unlock(mu);
}

static void cond_glue(void *arg) {
    (void)arg;
    cond_state *s = go_alloc(sizeof *s);
    uint8_t *block = go_alloc(16);
    s->mutex = block + 4;
    s->cond = go_alloc(sizeof *s->cond);
    void *mp = s->mutex;
    gort_cond_init(GO_SITE, s->cond, box(&t_sync_mutex_ptr, &mp));
    note("checker set=%d L kept=%d", s->cond->checker != NULL, s->cond->L.data == mp);
    go_go(waiter, s);
    go_yield();
    go_gc();
    go_mutex *mu = gort_mutex(GO_SITE, s->mutex);
    go_mutex_lock(mu);
    s->ready = true;
    go_cond_signal(gort_cond(GO_SITE, s->cond));
    go_mutex_unlock(mu);
    go_sleep(GO_MS);
    /* &sync.Cond{L: &mu}: made on first use */
    go_cond_layout *lit = go_alloc(sizeof *lit);
    lit->L = box(&t_sync_mutex_ptr, &mp);
    note("lazy=%d", gort_cond(GO_SITE, lit) == gort_cond(GO_SITE, lit));
}

Test(gort_glue, cond_and_misaligned_mutex) {
    go_exec *e = gort_run(cond_glue, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert_str_eq(notes[0], "checker set=1 L kept=1");
    cr_assert_str_eq(notes[1], "woke");
    cr_assert_str_eq(notes[2], "lazy=1");
    go_exec_free(e);
}
