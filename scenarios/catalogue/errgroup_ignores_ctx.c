/* errgroup_ignores_ctx -- errgroup-style fan-in: a WaitGroup, a context
 * cancelled on the first error (recorded once with sync.Once), and a
 * reader that stops at ctx.Done(). Two workers select on ctx.Done() when
 * they send; the third, a legacy backend, sends unconditionally. After a
 * failure the reader is gone, so the legacy worker blocks on its send and
 * the closer blocks in wg.Wait(), waiting for it.
 *
 * The Go code it models (catalogue pattern 13):
 *
 *  func search(parent context.Context) ([]int, error) {
 *      ctx, cancel := context.WithCancel(parent)
 *      defer cancel()
 *      var (
 *          wg       sync.WaitGroup
 *          errOnce  sync.Once
 *          firstErr error
 *      )
 *      fail := func(err error) {
 *          errOnce.Do(func() { firstErr = err; cancel() })
 *      }
 *      results := make(chan int)
 *      for i := 0; i < 2; i++ {
 *          wg.Add(1)
 *          go func() {                             // honours ctx
 *              defer wg.Done()
 *              r, err := query()
 *              if err != nil {
 *                  fail(err)
 *                  return
 *              }
 *              select {
 *              case results <- r:
 *              case <-ctx.Done():
 *              }
 *          }()
 *      }
 *      wg.Add(1)
 *      go func() {                                 // legacy backend
 *          defer wg.Done()
 *          r := legacyQuery()
 *          results <- r                            // BUG: no ctx.Done() arm
 *      }()
 *      go func() {
 *          wg.Wait()
 *          close(results)
 *      }()
 *      var out []int
 *      for {
 *          select {
 *          case r, ok := <-results:
 *              if !ok {
 *                  return out, firstErr
 *              }
 *              out = append(out, r)
 *          case <-ctx.Done():
 *              return nil, firstErr                // stop at the first error
 *          }
 *      }
 *  }
 *
 * Fixed: the legacy worker sends as the others do,
 *      select { case results <- r: case <-ctx.Done(): }
 *
 * Captured variables live in closures (Go moves them to the heap); firstErr,
 * which a closure assigns, is a heap cell. The legacy worker and the closer
 * then wait on objects only they reach: a partial deadlock, a wait cycle
 * (the worker waits on results, which the closer holds; the closer waits
 * on the WaitGroup, which the worker holds). */
#include <chanfuzz/scenario.h>

#define HONEST_WORKERS 2
#define QUERY_TIME_MAX (10 * GO_MS)

static go_error err_backend = {"backend unavailable"};

static void wg_done(void *wg) { go_waitgroup_done((go_waitgroup *)wg); }
static void cancel_ctx(void *cancel) { go_cancel((go_cancel_func *)cancel); }

/* query(): fuzz-chosen latency and outcome. */
static const go_error *query(go_word *r) {
    go_sleep(go_fz_duration(QUERY_TIME_MAX));
    *r = go_fz_intn(100);
    return go_fz_bool() ? &err_backend : NULL;
}

/* errOnce.Do(func() { firstErr = err; cancel() }): the function literal
 * captures firstErr's cell, cancel and the error being recorded. */
static void record_first_error(void *env) {
    const go_error **first_err = go_env_ptr(env, 0);
    go_cancel_func *cancel = go_env_ptr(env, 1);
    *first_err = go_env_ptr(env, 2);
    go_cancel(cancel);
}

/* fail := func(err error) { ... }, capturing errOnce, firstErr, cancel. */
static void fail(go_env *fail_env, const go_error *err) {
    go_once *err_once = go_env_ptr(fail_env, 0);
    go_env *first = go_closure(go_env_ptr(fail_env, 1), go_env_ptr(fail_env, 2), err);
    go_once_do(err_once, record_first_error, first);
}

/* The well-behaved worker: captures wg, fail, results, ctx. */
static void honest_worker(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_env *fail_env = go_env_ptr(env, 1);
    go_chan *results = go_env_chan(env, 2);
    go_context *ctx = go_env_ptr(env, 3);
    go_defer(wg_done, wg);
    go_word r;
    const go_error *err = query(&r);
    if (err != NULL) {
        fail(fail_env, err);
        return;
    }
    go_select(go_case_send(results, r), go_case_recv(go_ctx_done(ctx), NULL));
}

/* The legacy worker, buggy: a bare send. */
static void legacy_worker_buggy(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_chan *results = go_env_chan(env, 1);
    go_defer(wg_done, wg);
    go_sleep(go_fz_duration(QUERY_TIME_MAX)); /* r := legacyQuery() */
    go_send(results, 1000);                   /* BUG: no ctx.Done() arm */
}

/* The legacy worker, fixed: it gives up when ctx is done. */
static void legacy_worker_fixed(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_chan *results = go_env_chan(env, 1);
    go_context *ctx = go_env_ptr(env, 2);
    go_defer(wg_done, wg);
    go_sleep(go_fz_duration(QUERY_TIME_MAX));
    go_select(go_case_send(results, 1000), go_case_recv(go_ctx_done(ctx), NULL));
}

/* go func() { wg.Wait(); close(results) }() */
static void closer(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_chan *results = go_env_chan(env, 1);
    go_waitgroup_wait(wg);
    go_close(results);
}

static void search(go_func *legacy_worker) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_cancel(go_background(), &cancel);
    go_defer(cancel_ctx, cancel);
    go_waitgroup *wg = go_waitgroup_new();
    go_once *err_once = go_once_new();
    const go_error **first_err = go_alloc(sizeof *first_err);
    go_env *fail_env = go_closure(err_once, first_err, cancel);
    go_chan *results = go_make_chan(0);
    for (int i = 0; i < HONEST_WORKERS; i++) {
        go_waitgroup_add(wg, 1);
        go_go(honest_worker, go_closure(wg, fail_env, results, ctx));
    }
    go_waitgroup_add(wg, 1);
    go_go(legacy_worker, go_closure(wg, results, ctx));
    go_go(closer, go_closure(wg, results));
    go_word out_count = 0, r;
    for (;;) {
        bool ok;
        go_chan *done = go_ctx_done(ctx);
        int chosen = go_select(go_case_recv2(results, &r, &ok), go_case_recv(done, NULL));
        if (chosen == 1) return; /* return nil, firstErr */
        if (!ok) return;         /* return out, firstErr */
        out_count++;
    }
}

static void errgroup_ignores_ctx_buggy(void *arg) { search(legacy_worker_buggy); }
static void errgroup_ignores_ctx_fixed(void *arg) { search(legacy_worker_fixed); }

CHANFUZZ_SCENARIO(errgroup_ignores_ctx) = {
    .name = "errgroup_ignores_ctx",
    .description = "fan-in cancelled on the first error: a worker without a ctx.Done() arm "
                   "blocks on its send, and the closer in wg.Wait()",
    .fix = "the legacy worker's send selects on ctx.Done() like the others",
    .tags = "pattern context waitgroup once channel select",
    .file = CHANFUZZ_HERE,
    .buggy = {errgroup_ignores_ctx_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {errgroup_ignores_ctx_fixed},
};
