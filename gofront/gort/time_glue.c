/* time_glue.c -- time.Now, Timer, Ticker and AfterFunc over the model's
 * virtual clock and timers.
 *
 * time.Timer and time.Ticker keep Go's layout: C (word 0) is set to the
 * model timer's channel (NULL for AfterFunc), and word 1 (r.pp in Go
 * 1.19's runtimeTimer) holds the go_timer. AfterFunc's function runs in a
 * goroutine of its own as a Go call; the timer's argument is a go_closure
 * holding f's two words, so the object graph sees what the timer keeps. */
#include "gort_internal.h"

gort_time gort_time_now(void) { return gort_time_at(go_now()); }

void gort_timer_init(const go_site *site, void *timer, go_duration d, bool ticker) {
    void **words = timer;
    go_timer *t = ticker ? go_ticker_new_at(site, d) : go_timer_new_at(site, d);
    words[0] = go_timer_chan(t);
    words[1] = t;
}

static void call_func(void *arg) {
    const gort_func *f = arg;
    ((void (*)(void *))f->fn)(f->env);
}

/* The AfterFunc goroutine's entry: f() as a Go call. */
static void after_func_trampoline(void *arg) {
    static const go_site site = {__FILE__, "time.AfterFunc", __LINE__};
    go_env *env = arg;
    gort_func f = {(void *)go_env_word_at(&site, env, 0), (void *)go_env_word_at(&site, env, 1)};
    go_call_at(&site, call_func, &f);
}

void gort_after_func_init(const go_site *site, void *timer, go_duration d, gort_func f) {
    void **words = timer;
    go_word captured[2] = {(go_word)f.fn, (go_word)f.env};
    go_env *env = go_closure_at(site, 2, captured);
    go_timer *t = go_after_func_at(site, d, "time.AfterFunc", after_func_trampoline, env);
    words[0] = NULL;
    words[1] = t;
}

go_timer *gort_timer(const go_site *site, void *timer) {
    gort_check_nil(site, timer);
    go_timer *t = ((void **)timer)[1];
    /* Go 1.19 panics so for Stop (and "Reset called on ..." for Reset). */
    if (!t) go_panic_at(site, "time: Stop called on uninitialized Timer");
    return t;
}
