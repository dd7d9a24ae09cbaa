/* goroutine_exits_cleanly.c -- catalogue pattern 3: the clean baseline.
 *
 * A goroutine that captures a large request and a done channel, and leaves
 * by any of the ways a Go function can: returning normally, returning early
 * on an error, or runtime.Goexit (what t.Fatal does). Its deferred close
 * runs on every one of them, main waits for it, and once it has exited its
 * stack and everything it captured are garbage. Any finding here is a false
 * alarm of the runtime or the detectors.
 *
 *   type request struct{ body [64 << 10]byte }
 *
 *   func main() {
 *       req := &request{}
 *       done := make(chan struct{})
 *       go func() {
 *           defer close(done)
 *           if err := validate(req); err != nil {
 *               return                    // early return: close still runs
 *           }
 *           if mustAbort(req) {
 *               runtime.Goexit()          // deferred calls run, then it ends
 *           }
 *           process(req)
 *       }()
 *       <-done
 *   }
 *
 * Only a fixed variant: there is no bug to model. A "buggy" twin without
 * the close would be range_never_closed's leak again under another name,
 * and the registry allows a scenario with no buggy variant. Tests check
 * what "released" means: no goroutine left, and neither the request nor
 * the closure reachable after the final collection.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

enum { request_size = 64 << 10 };

/* How the input makes the goroutine leave. */
enum exit_path { exit_return = 0, exit_early_return = 1, exit_goexit = 2 };

static void close_chan(void *ch) { go_close(ch); }

static void handle_request(void *env) {
    unsigned char *req = go_env_ptr(env, 0);
    go_chan *done = go_env_chan(env, 1);
    go_defer(close_chan, done);
    uint64_t path = go_fz_intn(3);
    if (path == exit_early_return) return;  /* validate(req) failed */
    if (path == exit_goexit) go_goexit();   /* mustAbort(req) */
    req[0] = 1;                             /* process(req) */
}

static void goroutine_exits_cleanly_fixed(void *arg) {
    unsigned char *req = go_alloc(request_size);
    go_chan *done = go_make_chan(0);
    go_go(handle_request, go_closure(req, done));
    go_recv(done);
}

CHANFUZZ_SCENARIO(goroutine_exits_cleanly) = {
    .name = "goroutine_exits_cleanly",
    .description = "baseline: a goroutine that exits (return, early return, Goexit) "
                   "releases its stack and captures",
    .fix = "fixed only: defer close(done) runs on return, early return and Goexit",
    .tags = "pattern channel closure defer goexit",
    .file = CHANFUZZ_HERE,
    .fixed = {goroutine_exits_cleanly_fixed},
};
