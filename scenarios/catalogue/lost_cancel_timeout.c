/* lost_cancel_timeout.c -- catalogue pattern 8: a WithTimeout whose cancel
 * is dropped on one path, under a long-lived parent.
 *
 * Go, buggy: the cache-hit path returns before the defer, so its context
 * stays on the server context's children list (with its timer) until the
 * server stops or the timeout fires -- go vet's lostcancel, at run time.
 *
 *   var serverCtx, stopServer = context.WithCancel(context.Background())
 *
 *   func handle(req int) {
 *       ctx, cancel := context.WithTimeout(serverCtx, 2*time.Hour)
 *       if cached(req) {
 *           return                     // cancel dropped
 *       }
 *       defer cancel()
 *       fetch(ctx, req)
 *   }
 *
 *   func fetch(ctx context.Context, req int) {
 *       select {
 *       case <-time.After(work):       // 0..10ms, depends on the input
 *       case <-ctx.Done():
 *       }
 *   }
 *
 *   func main() {
 *       for req := 0; req < 3; req++ {
 *           handle(req)
 *       }
 *   }
 *
 * Go, fixed: cancel deferred right after WithTimeout, before any return.
 *
 *       ctx, cancel := context.WithTimeout(serverCtx, 2*time.Hour)
 *       defer cancel()
 *
 * Modelling notes:
 * - serverCtx lives as long as the process: the server stops outside the
 *   code modelled here. Its own cancel is never called on purpose, so the
 *   scenario ignores contexts made in start_server (goleak's
 *   IgnoreCurrent, for state set up before the code under test).
 * - The timeout is long (a streaming or long-poll request): settling runs
 *   the clock up to an hour of virtual time through pending deadlines, and
 *   a shorter timeout would fire there, take the child off the parent's
 *   list and leave only the lost cancel to report.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

/* var serverCtx: a Go global, so a named global of the execution rather
 * than a C static (which would outlive the execution that set it). */
static void start_server(void) {
    go_cancel_func *stop_server;
    go_global_set("serverCtx", go_with_cancel(go_background(), &stop_server));
}

static go_context *server_ctx(void) { return (go_context *)go_global_get("serverCtx"); }

static bool cached(uint64_t req) {
    (void)req;
    return go_fz_bool();
}

static void fetch(go_context *ctx, uint64_t req) {
    (void)req;
    go_chan *timeout = go_after(go_fz_duration(10 * GO_MS));
    go_select(go_case_recv(timeout, NULL), go_case_recv(go_ctx_done(ctx), NULL));
}

static void cancel_context(void *cancel) { go_cancel(cancel); }

static void handle_dropping_cancel(void *req) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_timeout(server_ctx(), 2 * 3600 * GO_S, &cancel);
    if (cached((uint64_t)(uintptr_t)req)) return; /* cancel dropped */
    go_defer(cancel_context, cancel);
    fetch(ctx, (uint64_t)(uintptr_t)req);
}

static void handle_deferring_cancel(void *req) {
    go_cancel_func *cancel;
    go_context *ctx = go_with_timeout(server_ctx(), 2 * 3600 * GO_S, &cancel);
    go_defer(cancel_context, cancel);
    if (cached((uint64_t)(uintptr_t)req)) return;
    fetch(ctx, (uint64_t)(uintptr_t)req);
}

static void serve(go_func *handle) {
    start_server();
    for (uint64_t req = 0; req < 3; req++) go_call(handle, (void *)(uintptr_t)req);
}

static void lost_cancel_timeout_buggy(void *arg) { serve(handle_dropping_cancel); }
static void lost_cancel_timeout_fixed(void *arg) { serve(handle_deferring_cancel); }

CHANFUZZ_SCENARIO(lost_cancel_timeout) = {
    .name = "lost_cancel_timeout",
    .description = "a cache-hit path returns before defer cancel(): the WithTimeout child stays "
                   "registered in the server context",
    .fix = "defer cancel() right after WithTimeout, before the cache-hit return",
    .tags = "pattern context timer select defer",
    .file = CHANFUZZ_HERE,
    .ignore = (const char *const[]){"top:start_server", NULL},
    .buggy = {lost_cancel_timeout_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_LOST_CANCEL) |
                        CHANFUZZ_KIND_BIT(CHANFUZZ_CONTEXT_REGISTERED)},
    .fixed = {lost_cancel_timeout_fixed},
};
