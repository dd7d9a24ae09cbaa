/* ticker_range_after_stop.c -- pattern 10: a poller in `for range t.C`.
 * Stop does not close t.C, so after stop() the loop waits for a tick that
 * never comes: the goroutine (and what it captured) is blocked for ever,
 * and nothing else can reach it. Fixed with a done channel in a select,
 * the ticker stopped by the goroutine itself on the way out.
 *
 *  func startPoller(interval time.Duration) (stop func()) {
 *      t := time.NewTicker(interval)
 *      go func() {
 *          for range t.C {               // ends only if t.C is closed
 *              poll()
 *          }
 *      }()
 *      return t.Stop                     // does not close t.C
 *  }
 *
 *  // fixed:
 *  func startPoller(interval time.Duration) (stop func()) {
 *      t := time.NewTicker(interval)
 *      done := make(chan struct{})
 *      go func() {
 *          defer t.Stop()
 *          for {
 *              select {
 *              case <-t.C:
 *                  poll()
 *              case <-done:
 *                  return
 *              }
 *          }
 *      }()
 *      return func() { close(done) }
 *  }
 *
 *  func main() {
 *      stop := startPoller(time.Second)
 *      time.Sleep(rand duration up to 5s)  // the program's work
 *      stop()
 *  }
 *
 * Differences from Go: C has no func values that capture, so startPoller
 * returns what its stop func would capture (the ticker, or done) and main
 * makes the call stop() would make. */
#include <chanfuzz/scenario.h>

static void poll(void) {}

/* func() { for range t.C { poll() } } */
static void poll_ticks(void *ticker) {
    go_word tick;
    while (go_range(go_timer_chan((go_timer *)ticker), &tick)) poll();
}

static go_timer *start_poller(go_duration interval) {
    go_timer *t = go_ticker_new(interval);
    go_go(poll_ticks, t);
    return t;
}

static void ticker_range_after_stop_buggy(void *arg) {
    (void)arg;
    go_timer *stop = start_poller(GO_S);
    go_sleep(go_fz_duration(5 * GO_S));
    go_timer_stop(stop);
}

static void stop_ticker(void *ticker) { go_timer_stop((go_timer *)ticker); }

/* func() { defer t.Stop(); for { select { case <-t.C: poll(); case <-done: return } } } */
static void poll_until_done(void *env) {
    go_timer *t = go_env_ptr(env, 0);
    go_chan *done = go_env_chan(env, 1);
    go_defer(stop_ticker, t);
    for (;;) {
        switch (go_select(go_case_recv(go_timer_chan(t), NULL), go_case_recv(done, NULL))) {
        case 0: poll(); break;
        case 1: return;
        }
    }
}

static go_chan *start_poller_with_done(go_duration interval) {
    go_timer *t = go_ticker_new(interval);
    go_chan *done = go_make_chan(0);
    go_go(poll_until_done, go_closure(t, done));
    return done;
}

static void ticker_range_after_stop_fixed(void *arg) {
    (void)arg;
    go_chan *stop = start_poller_with_done(GO_S);
    go_sleep(go_fz_duration(5 * GO_S));
    go_close(stop);
}

CHANFUZZ_SCENARIO(ticker_range_after_stop) = {
    .name = "ticker_range_after_stop",
    .description = "for range ticker.C never ends: Stop does not close the channel",
    .fix = "select on t.C and a done channel; defer t.Stop() in the poller",
    .tags = "timer channel pattern",
    .file = CHANFUZZ_HERE,
    .buggy = {ticker_range_after_stop_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {ticker_range_after_stop_fixed},
};
