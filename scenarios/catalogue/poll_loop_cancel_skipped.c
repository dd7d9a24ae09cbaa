/* poll_loop_cancel_skipped.c -- catalogue pattern 7, the polling loop: the
 * worker checks ctx.Done() on every turn, but an error path in the caller
 * returns without cancelling, so the loop never sees Done and spins.
 *
 * Go, buggy: cancel is called at the end of the happy path only.
 *
 *   func poll(ctx context.Context) {
 *       for {
 *           select {
 *           case <-ctx.Done():
 *               return
 *           default:
 *           }
 *           checkQueue()               // non-blocking: a counter bump
 *       }
 *   }
 *
 *   func run() error {
 *       ctx, cancel := context.WithCancel(context.Background())
 *       go poll(ctx)
 *       if err := setup(); err != nil {
 *           return err                 // cancel skipped: poll spins for ever
 *       }
 *       use()
 *       cancel()
 *       return nil
 *   }
 *
 *   func main() { run() }
 *
 * Go, fixed: cancel deferred right after WithCancel.
 *
 *       ctx, cancel := context.WithCancel(context.Background())
 *       defer cancel()
 *
 * What it leaks: a goroutine that never blocks, so nothing counts it as
 * blocked or unreachable -- it is runnable for ever. The execution ends
 * when settling runs out of steps with it still runnable (step_budget,
 * the livelock kind), and main returned, so the cancel never called is
 * judged too (lost_cancel). No timer is involved (checkQueue does not
 * sleep), so it is not a never-exits loop. A small step budget keeps the
 * spinning executions short.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static const go_error err_setup = {"setup: failed"};

/* var queueChecks atomic.Int64: a Go global, so a named global of the
 * execution rather than a C static (which would outlive the execution). */
static void check_queue(void) { go_atomic_add((go_atomic *)go_global_get("queueChecks"), 1); }

static void poll(void *ctx) {
    for (;;) {
        if (go_select_default(go_case_recv(go_ctx_done(ctx), NULL)) == 0) return;
        check_queue();
    }
}

static const go_error *setup(void) { return go_fz_bool() ? &err_setup : NULL; }
static void use(void) { go_yield(); }

static void cancel_context(void *cancel) { go_cancel(cancel); }

static void run_cancel_at_end(void *arg) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_cancel(go_background(), &cancel);
    go_go(poll, ctx);
    if (setup()) return; /* cancel skipped: poll spins for ever */
    use();
    go_cancel(cancel);
}

static void run_cancel_deferred(void *arg) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_cancel(go_background(), &cancel);
    go_defer(cancel_context, cancel);
    go_go(poll, ctx);
    if (setup()) return;
    use();
}

static void poll_loop_cancel_skipped_buggy(void *arg) {
    go_global_set("queueChecks", go_atomic_new(0));
    go_call(run_cancel_at_end, NULL);
}

static void poll_loop_cancel_skipped_fixed(void *arg) {
    go_global_set("queueChecks", go_atomic_new(0));
    go_call(run_cancel_deferred, NULL);
}

CHANFUZZ_SCENARIO(poll_loop_cancel_skipped) = {
    .name = "poll_loop_cancel_skipped",
    .description = "an error path returns without cancel(): the ctx.Done() polling loop "
                   "spins for ever",
    .fix = "defer cancel() right after WithCancel",
    .tags = "pattern select context atomic defer",
    .file = CHANFUZZ_HERE,
    .step_budget = 20000,
    .buggy = {poll_loop_cancel_skipped_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_STEP_BUDGET) |
                        CHANFUZZ_KIND_BIT(CHANFUZZ_LOST_CANCEL)},
    .fixed = {poll_loop_cancel_skipped_fixed},
};
