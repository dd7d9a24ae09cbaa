/* ticker_not_stopped.c -- pattern 10: the done-channel fix of a ticker
 * loop that forgets the ticker. The loop goroutine exits, but the Ticker
 * it selected on is never stopped and a package variable still holds it,
 * so it keeps ticking for the life of the program -- under Go 1.23 too,
 * which collects only unreferenced Tickers (and under 1.22 it would run for
 * ever even unreferenced).
 *
 *  type Flusher struct {
 *      ticker *time.Ticker
 *      done   chan struct{}
 *  }
 *
 *  var flusher *Flusher
 *
 *  func StartFlusher(interval time.Duration) {
 *      flusher = &Flusher{ticker: time.NewTicker(interval), done: make(chan struct{})}
 *      go flusher.loop()
 *  }
 *
 *  func (f *Flusher) loop() {
 *      for {
 *          select {
 *          case <-f.ticker.C:
 *              flush()
 *          case <-f.done:
 *              return
 *          }
 *      }
 *  }
 *
 *  func StopFlusher() {
 *      // fixed: flusher.ticker.Stop()
 *      close(flusher.done)
 *  }
 *
 *  func main() {
 *      StartFlusher(time.Second)
 *      time.Sleep(rand duration up to 5s)   // the program's work
 *      StopFlusher()
 *  }
 *
 * Differences from Go: the method value flusher.loop is loop(f); the
 * package variable is a named global. */
#include <chanfuzz/scenario.h>

typedef struct flusher {
    go_timer *ticker;
    go_chan *done;
} flusher;

static bool stop_ticker;

static void flush(void) {}

static flusher *the_flusher(void) { return (flusher *)go_global_get("flusher"); }

static void loop(void *arg) {
    flusher *f = arg;
    for (;;) {
        switch (go_select(go_case_recv(go_timer_chan(f->ticker), NULL), go_case_recv(f->done, NULL))) {
        case 0: flush(); break;
        case 1: return;
        }
    }
}

static void start_flusher(go_duration interval) {
    flusher *f = go_alloc(sizeof(flusher));
    f->ticker = go_ticker_new(interval);
    f->done = go_make_chan(0);
    go_global_set("flusher", f);
    go_go(loop, f);
}

static void stop_flusher(void) {
    if (stop_ticker) go_timer_stop(the_flusher()->ticker);
    go_close(the_flusher()->done);
}

static void run(bool stop) {
    stop_ticker = stop;
    start_flusher(GO_S);
    go_sleep(go_fz_duration(5 * GO_S));
    stop_flusher();
}

static void ticker_not_stopped_buggy(void *arg) { (void)arg; run(false); }
static void ticker_not_stopped_fixed(void *arg) { (void)arg; run(true); }

CHANFUZZ_SCENARIO(ticker_not_stopped) = {
    .name = "ticker_not_stopped",
    .description = "a ticker loop stopped through its done channel, its Ticker held by a global and never stopped",
    .fix = "StopFlusher calls flusher.ticker.Stop() before close(done)",
    .tags = "timer select channel pattern",
    .file = CHANFUZZ_HERE,
    .buggy = {ticker_not_stopped_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_TIMER_NOT_STOPPED)},
    .fixed = {ticker_not_stopped_fixed},
};
