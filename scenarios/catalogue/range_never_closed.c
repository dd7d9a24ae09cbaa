/* range_never_closed.c -- catalogue pattern 6: `for range` over a channel
 * whose producer never closes it.
 *
 * Go, buggy: range ends only at close; the producer returns after its
 * last send without closing, so the consumer waits for ever.
 *
 *   func generate(n int) <-chan int {
 *       ch := make(chan int)
 *       go func() {
 *           for i := 0; i < n; i++ {
 *               ch <- i
 *           }
 *       }()                            // returns without close(ch)
 *       return ch
 *   }
 *
 *   func main() {
 *       go func() {                    // a background consumer
 *           total := 0
 *           for v := range generate(rand.Intn(4)) {
 *               total += v
 *           }
 *           report(total)              // never reached
 *       }()
 *       serve()                        // main goes on with its own work
 *   }
 *
 * Go, fixed: the producer closes on its way out, whatever way that is.
 *
 *       go func() {
 *           defer close(ch)
 *           for i := 0; i < n; i++ {
 *               ch <- i
 *           }
 *       }()
 *
 * The item count comes from the input (0 included: a range over a
 * channel that never gets anything). Once the producer has returned,
 * nothing live reaches ch: the consumer is partially deadlocked.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static void close_chan(void *ch) { go_close(ch); }

static void produce_without_close(void *env) {
    go_chan *ch = go_env_chan(env, 0);
    uint64_t n = go_env_word(env, 1);
    for (uint64_t i = 0; i < n; i++) go_send(ch, i);
}

static void produce_then_close(void *env) {
    go_chan *ch = go_env_chan(env, 0);
    uint64_t n = go_env_word(env, 1);
    go_defer(close_chan, ch);
    for (uint64_t i = 0; i < n; i++) go_send(ch, i);
}

/* The go statement names its function, so that the dump does too (a
 * go_go through a function-pointer variable would show the variable). */
static go_chan *generate(bool close_when_done, uint64_t n) {
    go_chan *ch = go_make_chan(0);
    if (close_when_done)
        go_go(produce_then_close, go_closure(ch, n));
    else
        go_go(produce_without_close, go_closure(ch, n));
    return ch;
}

/* report(total): where a consumer that finished would go next. */
static void report(go_word total) { (void)total; }

static void consume(bool close_when_done) {
    go_word total = 0, v;
    go_chan *ch = generate(close_when_done, go_fz_intn(4));
    while (go_range(ch, &v)) total += v; /* waits for ever for a close */
    report(total);
}

static void consume_unclosed(void *arg) { consume(false); }

static void consume_closed(void *arg) { consume(true); }

/* serve(): main's own work while the consumer runs. */
static void serve(void) { go_yield(); }

static void range_never_closed_buggy(void *arg) {
    go_go(consume_unclosed, NULL);
    serve();
}

static void range_never_closed_fixed(void *arg) {
    go_go(consume_closed, NULL);
    serve();
}

CHANFUZZ_SCENARIO(range_never_closed) = {
    .name = "range_never_closed",
    .description = "consumer ranges over a channel its producer never closes: it waits for ever",
    .fix = "the producer does defer close(ch)",
    .tags = "pattern channel closure defer",
    .file = CHANFUZZ_HERE,
    .buggy = {range_never_closed_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {range_never_closed_fixed},
};
