/* timeout_worker_ignores_ctx.c -- catalogue pattern 4, fixed the context
 * way: the caller gives up when its context times out; the worker must
 * give up too.
 *
 * Go, buggy: the worker has the context but its send does not look at it.
 *
 *   func fetch(parent context.Context) (int, error) {
 *       ctx, cancel := context.WithTimeout(parent, 50*time.Millisecond)
 *       defer cancel()
 *       result := make(chan int)
 *       go func() {
 *           v := slowCall()
 *           result <- v                // blocks for ever after the timeout
 *       }()
 *       select {
 *       case v := <-result:
 *           return v, nil
 *       case <-ctx.Done():
 *           return 0, ctx.Err()
 *       }
 *   }
 *
 *   func slowCall() int {
 *       time.Sleep(work)               // 0..100ms, depends on the input
 *       return 42
 *   }
 *
 *   func main() { fetch(context.Background()) }
 *
 * Go, fixed: the send races the context, so the worker leaves when
 * nobody will receive.
 *
 *           select {
 *           case result <- v:
 *           case <-ctx.Done():
 *           }
 *
 * The closure captures ctx and result, as Go's does.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static go_word slow_call(void) {
    go_sleep(go_fz_duration(100 * GO_MS));
    return 42;
}

static void send_ignoring_ctx(void *env) {
    go_chan *result = go_env_chan(env, 1);
    go_word v = slow_call();
    go_send(result, v); /* blocks for ever after the timeout */
}

static void send_or_give_up(void *env) {
    go_context *ctx = go_env_ptr(env, 0);
    go_chan *result = go_env_chan(env, 1);
    go_word v = slow_call();
    go_select(go_case_send(result, v), go_case_recv(go_ctx_done(ctx), NULL));
}

static void cancel_context(void *cancel) { go_cancel(cancel); }

/* The go statement names its function, so that the dump does too (a
 * go_go through a function-pointer variable would show the variable). */
static const go_error *fetch(go_context *parent, bool worker_watches_ctx, go_word *value) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_timeout(parent, 50 * GO_MS, &cancel);
    /* fetch is a plain C call sharing main's frame: the deferred cancel
     * runs when main returns, right after fetch, as it does in Go here. */
    go_defer(cancel_context, cancel);
    go_chan *result = go_make_chan(0);
    if (worker_watches_ctx)
        go_go(send_or_give_up, go_closure(ctx, result));
    else
        go_go(send_ignoring_ctx, go_closure(ctx, result));
    switch (go_select(go_case_recv(result, value), go_case_recv(go_ctx_done(ctx), NULL))) {
    case 0: return NULL;
    default: return go_ctx_err(ctx);
    }
}

static void timeout_worker_ignores_ctx_buggy(void *arg) {
    go_word value;
    fetch(go_background(), false, &value);
}

static void timeout_worker_ignores_ctx_fixed(void *arg) {
    go_word value;
    fetch(go_background(), true, &value);
}

CHANFUZZ_SCENARIO(timeout_worker_ignores_ctx) = {
    .name = "timeout_worker_ignores_ctx",
    .description = "caller returns when its context times out; the worker's send has no "
                   "ctx.Done() arm and blocks for ever",
    .fix = "select on ctx.Done() beside the worker's result send",
    .tags = "pattern channel select context timer closure defer",
    .file = CHANFUZZ_HERE,
    .buggy = {timeout_worker_ignores_ctx_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {timeout_worker_ignores_ctx_fixed},
};
