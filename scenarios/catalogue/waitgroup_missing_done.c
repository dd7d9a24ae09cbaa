/* waitgroup_missing_done -- a worker returns on its error path without
 * wg.Done(), so the goroutine that waits for all of them blocks in
 * wg.Wait() forever; the caller gave up on a timeout and goes on.
 *
 * The Go code it models (catalogue pattern 11):
 *
 *  func waitAll(jobs int, timeout time.Duration) error {
 *      var wg sync.WaitGroup
 *      for i := 0; i < jobs; i++ {
 *          wg.Add(1)
 *          go func() {
 *              if err := job(); err != nil {
 *                  return                      // BUG: wg.Done() skipped
 *              }
 *              wg.Done()
 *          }()
 *      }
 *      done := make(chan struct{})
 *      go func() {
 *          wg.Wait()                           // blocks forever after a failure
 *          close(done)
 *      }()
 *      select {
 *      case <-done:
 *          return nil
 *      case <-time.After(timeout):
 *          return errTimeout                   // the waiter above is left behind
 *      }
 *  }
 *
 *  func job() error {
 *      time.Sleep(workTime())                  // up to 5ms
 *      if failed() { return errJob }
 *      return nil
 *  }
 *
 * Fixed: `defer wg.Done()` as the worker's first statement, so every path
 * counts down.
 *
 * Why the timeout: with a bare wg.Wait() in the caller, Go itself reports
 * "all goroutines are asleep - deadlock!" once the workers are gone. The
 * timeout is how real callers look, and it turns the bug into the silent
 * kind: the waiter goroutine leaks while the program goes on. Nothing live
 * reaches the WaitGroup once the workers have exited, so the verdict is a
 * partial deadlock. The WaitGroup and channel travel in closures (Go's
 * captured variables), not in statics, which would be GC roots. */
#include <chanfuzz/scenario.h>

#define JOBS 3
#define WORK_TIME_MAX (5 * GO_MS)
#define TIMEOUT (100 * GO_MS)

static go_error err_job = {"job failed"};

/* job(): the fuzzer picks how long it takes and whether it fails. */
static const go_error *job(void) {
    go_sleep(go_fz_duration(WORK_TIME_MAX));
    if (go_fz_bool()) return &err_job;
    return NULL;
}

static void wg_done(void *wg) { go_waitgroup_done((go_waitgroup *)wg); }

/* go func() { if err := job(); err != nil { return }; wg.Done() }() */
static void worker_forgets_done(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    if (job() != NULL) {
        return; /* BUG: wg.Done() skipped */
    }
    go_waitgroup_done(wg);
}

/* go func() { defer wg.Done(); if err := job(); err != nil { return } }() */
static void worker_defers_done(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_defer(wg_done, wg);
    if (job() != NULL) return;
}

/* go func() { wg.Wait(); close(done) }() */
static void waiter(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_chan *done = go_env_chan(env, 1);
    go_waitgroup_wait(wg);
    go_close(done);
}

static void wait_all(go_func *worker) {
    go_waitgroup *wg = go_waitgroup_new();
    for (int i = 0; i < JOBS; i++) {
        go_waitgroup_add(wg, 1);
        go_go(worker, go_closure(wg));
    }
    go_chan *done = go_make_chan(0);
    go_go(waiter, go_closure(wg, done));
    go_chan *timeout = go_after(TIMEOUT);
    /* case <-done: return nil; case <-timeout: return errTimeout */
    go_select(go_case_recv(done, NULL), go_case_recv(timeout, NULL));
}

static void waitgroup_missing_done_buggy(void *arg) { wait_all(worker_forgets_done); }
static void waitgroup_missing_done_fixed(void *arg) { wait_all(worker_defers_done); }

CHANFUZZ_SCENARIO(waitgroup_missing_done) = {
    .name = "waitgroup_missing_done",
    .description = "a worker's error path skips wg.Done(): the waiter blocks in Wait forever",
    .fix = "defer wg.Done() as the worker's first statement",
    .tags = "pattern waitgroup channel select timer",
    .file = CHANFUZZ_HERE,
    .buggy = {waitgroup_missing_done_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {waitgroup_missing_done_fixed},
};
