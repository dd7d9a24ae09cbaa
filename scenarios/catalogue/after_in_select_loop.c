/* after_in_select_loop.c -- pattern 10, stress: time.After in a hot select
 * loop, the near miss. Every iteration makes a timer that the select
 * forgets as soon as a message wins.
 *   - Go <= 1.22 keeps each one until it fires: they pile up to rate x
 *     duration (a message every 10ms, a 250ms timeout: about 25) and then
 *     stay flat, as many firing as are made. A plateau, not growth: the
 *     growth detector must not flag it.
 *   - Go 1.23+ collects a timer nothing refers to at once: nothing piles up.
 * Clean under both, so the scenario has only its (correct) variant.
 *
 *  func consume(msgs <-chan Msg) {
 *      for {
 *          select {
 *          case m, ok := <-msgs:
 *              if !ok {
 *                  return
 *              }
 *              handle(m)
 *          case <-time.After(250 * time.Millisecond):
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
 * Differences from Go: the loop's body is go_stress's round (400 rounds,
 * one per message, a checkpoint every 10); the final receive of the close
 * follows the rounds; produce's deferred Stop is its last statement (it has
 * one return). The producer paces itself with a Ticker rather than a Sleep
 * after each send on purpose: a pending tick is never more than 10ms away,
 * so when the decision source lets the clock run ahead ("that code took a
 * while") it moves by at most one tick, and the message rate -- and with it
 * the plateau, rate x duration -- stays steady. With a Sleep there are
 * moments with only the 250ms timers pending; a jump to one of those slows
 * the rate for a stretch, the plateau sinks, and a late return to the full
 * rate climbs back in the half of the run the growth detector judges
 * (with 500ms timers and 20 checkpoints, 3.5% of random schedules and 16%
 * of PCT's were flagged that way). Even with the Ticker the rate jitters
 * (a tick is dropped when the clock runs ahead twice before the consumer
 * receives), and the plateau with it: at 500ms timers it wandered between
 * 32 and 46, which over the judged half of 20 checkpoints read as a slope
 * in 5.5% of random schedules, and over 40 checkpoints still in 1 of 1000.
 * A lower plateau (250ms: about 25) jitters less in absolute terms, and with
 * 40 checkpoints none of 3000 random or 3000 PCT schedules was flagged. */
#include <chanfuzz/scenario.h>

enum { MESSAGES = 400, CHECKPOINT_EVERY = 10 };

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

/* One iteration of consume's loop; false once msgs is closed. */
static bool consume_one(go_chan *msgs) {
    go_word m;
    bool ok;
    switch (go_select(go_case_recv2(msgs, &m, &ok), go_case_recv(go_after(250 * GO_MS), NULL))) {
    case 0:
        if (!ok) return false;
        handle(m);
        break;
    case 1: /* log.Print("idle") */ break;
    }
    return true;
}

static void consume_round(void *msgs) { consume_one((go_chan *)msgs); }

static void after_in_select_loop_fixed(void *arg) {
    (void)arg;
    go_chan *msgs = go_make_chan(0);
    go_go(produce, msgs);
    go_stress(consume_round, msgs, MESSAGES, CHECKPOINT_EVERY);
    while (consume_one(msgs)) {
    }
}

CHANFUZZ_SCENARIO(after_in_select_loop) = {
    .name = "after_in_select_loop",
    .description = "near miss: time.After in a hot select loop plateaus under Go 1.22, is collected under 1.23",
    .fix = "fixed only: time.After timers plateau (<= 1.22) or are collected (1.23+)",
    .tags = "timer select channel stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .fixed = {after_in_select_loop_fixed},
};
