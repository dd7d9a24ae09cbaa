/* worker_blocks_without_done.c -- catalogue pattern 7, the blocking loop:
 * a worker's receive has no ctx.Done() arm, so cancelling the context
 * does not reach it.
 *
 * Go, buggy: the caller does everything right (WithCancel, defer cancel),
 * but the worker never looks at ctx.
 *
 *   func worker(ctx context.Context, jobs <-chan int) {
 *       for {
 *           j := <-jobs                // blocks for ever once jobs stop
 *           process(j)
 *       }
 *   }
 *
 *   func main() {
 *       ctx, cancel := context.WithCancel(context.Background())
 *       defer cancel()
 *       jobs := make(chan int)
 *       go worker(ctx, jobs)
 *       n := rand.Intn(4)
 *       for i := 0; i < n; i++ {
 *           jobs <- i
 *       }
 *   }
 *
 * Go, fixed: the receive races ctx.Done(), so the deferred cancel ends
 * the worker.
 *
 *   func worker(ctx context.Context, jobs <-chan int) {
 *       for {
 *           select {
 *           case <-ctx.Done():
 *               return
 *           case j := <-jobs:
 *               process(j)
 *           }
 *       }
 *   }
 *
 * `go worker(ctx, jobs)` evaluates its arguments into the goroutine: the
 * model passes them as the goroutine's closure. Once main has returned,
 * only the blocked worker holds jobs: a partial deadlock.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static void process(go_word job) { (void)job; }

static void worker_ignoring_ctx(void *env) {
    go_chan *jobs = go_env_chan(env, 1);
    for (;;) {
        go_word job = go_recv(jobs); /* blocks for ever once jobs stop */
        process(job);
    }
}

static void worker_watching_ctx(void *env) {
    go_context *ctx = go_env_ptr(env, 0);
    go_chan *jobs = go_env_chan(env, 1);
    for (;;) {
        go_word job;
        if (go_select(go_case_recv(go_ctx_done(ctx), NULL), go_case_recv(jobs, &job)) == 0)
            return;
        process(job);
    }
}

static void cancel_context(void *cancel) { go_cancel(cancel); }

/* The go statement names its function, so that the dump does too (a
 * go_go through a function-pointer variable would show the variable). */
static void feed_worker(bool worker_watches_ctx) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_cancel(go_background(), &cancel);
    /* A plain C call shares main's frame: this runs when main returns. */
    go_defer(cancel_context, cancel);
    go_chan *jobs = go_make_chan(0);
    if (worker_watches_ctx)
        go_go(worker_watching_ctx, go_closure(ctx, jobs));
    else
        go_go(worker_ignoring_ctx, go_closure(ctx, jobs));
    uint64_t n = go_fz_intn(4);
    for (uint64_t i = 0; i < n; i++) go_send(jobs, i);
}

static void worker_blocks_without_done_buggy(void *arg) { feed_worker(false); }
static void worker_blocks_without_done_fixed(void *arg) { feed_worker(true); }

CHANFUZZ_SCENARIO(worker_blocks_without_done) = {
    .name = "worker_blocks_without_done",
    .description = "worker's receive loop has no ctx.Done() arm: the caller's cancel never "
                   "reaches it",
    .fix = "the worker's receive selects on ctx.Done() beside <-jobs",
    .tags = "pattern channel select context closure defer",
    .file = CHANFUZZ_HERE,
    .buggy = {worker_blocks_without_done_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {worker_blocks_without_done_fixed},
};
