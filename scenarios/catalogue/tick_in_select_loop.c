/* tick_in_select_loop.c -- pattern 10, stress, Go <= 1.22 only: time.Tick
 * in a hot select loop. Every iteration starts a Ticker nobody can stop,
 * and before Go 1.23 the runtime never collects an unstopped Ticker: they
 * only accumulate, each still ticking. time.After in the same place (the
 * fix) piles up only to a plateau (see after_in_select_loop). Go 1.23
 * collects unreferenced Tickers, so there the buggy code leaks nothing:
 * the scenario is for 1.22 semantics.
 *
 *  func consume(msgs <-chan Msg) {
 *      for {
 *          select {
 *          case m, ok := <-msgs:
 *              if !ok {
 *                  return
 *              }
 *              handle(m)
 *          case <-time.Tick(250 * time.Millisecond):  // fixed: time.After
 *              log.Print("idle")
 *          }
 *      }
 *  }
 *
 *  func produce(msgs chan<- Msg) {       // a message every 10ms
 *      t := time.NewTicker(10 * time.Millisecond)
 *      defer t.Stop()
 *      for i := 0; i < 400; i++ {
 *          <-t.C
 *          msgs <- Msg{i}
 *      }
 *      close(msgs)
 *  }
 *
 *  func main() {
 *      msgs := make(chan Msg)
 *      go produce(msgs)
 *      consume(msgs)                       // stress: a checkpoint every 10 iterations
 *  }
 *
 * Differences from Go: time.Tick is NewTicker's channel (go.h has no
 * separate call); the loop's body is go_stress's round, and the producer
 * paces itself with a Ticker, as in after_in_select_loop (which says why). */
#include <chanfuzz/scenario.h>

enum { MESSAGES = 400, CHECKPOINT_EVERY = 10 };

static bool tick_per_iteration;

static void handle(go_word m) { (void)m; }

static void produce(void *msgs) {
    go_timer *t = go_ticker_new(10 * GO_MS);
    for (go_word i = 0; i < MESSAGES; i++) {
        go_recv(go_timer_chan(t));
        go_send((go_chan *)msgs, i);
    }
    go_close((go_chan *)msgs);
    go_timer_stop(t);
}

/* time.Tick(d) or time.After(d) */
static go_chan *idle_timeout(go_duration d) {
    if (tick_per_iteration) return go_timer_chan(go_ticker_new(d));
    return go_after(d);
}

/* One iteration of consume's loop; false once msgs is closed. */
static bool consume_one(go_chan *msgs) {
    go_word m;
    bool ok;
    switch (go_select(go_case_recv2(msgs, &m, &ok), go_case_recv(idle_timeout(250 * GO_MS), NULL))) {
    case 0:
        if (!ok) return false;
        handle(m);
        break;
    case 1: /* log.Print("idle") */ break;
    }
    return true;
}

static void consume_round(void *msgs) { consume_one((go_chan *)msgs); }

static void run(bool tick) {
    tick_per_iteration = tick;
    go_chan *msgs = go_make_chan(0);
    go_go(produce, msgs);
    go_stress(consume_round, msgs, MESSAGES, CHECKPOINT_EVERY);
    while (consume_one(msgs)) {
    }
}

static void tick_in_select_loop_buggy(void *arg) { (void)arg; run(true); }
static void tick_in_select_loop_fixed(void *arg) { (void)arg; run(false); }

CHANFUZZ_SCENARIO(tick_in_select_loop) = {
    .name = "tick_in_select_loop",
    .description = "time.Tick in a hot select loop: before Go 1.23 every Ticker lives for ever",
    .fix = "time.After instead of time.Tick: timers plateau, not accumulate",
    .tags = "timer select channel stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .semantics = CHANFUZZ_ONLY_GO122,
    .buggy = {tick_in_select_loop_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH) |
                        CHANFUZZ_KIND_BIT(CHANFUZZ_TIMER_NOT_STOPPED)},
    .fixed = {tick_in_select_loop_fixed},
};
