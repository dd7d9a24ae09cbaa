/* pipeline_early_return -- gen -> sq -> sq -> consumer. The consumer (stage
 * N+1) returns on its first error; the last sq (stage N) blocks sending
 * the value in its hands, the sq before it (N-1) blocks sending to it, and
 * gen behind them: a chain of blocked goroutines, each waiting on a channel
 * only the next blocked one holds.
 *
 * The Go code it models (catalogue pattern 14; the shape of the Go blog's
 * "Go Concurrency Patterns: Pipelines and cancellation"):
 *
 *  func gen(nums ...int) <-chan int {
 *      out := make(chan int)
 *      go func() {
 *          for _, n := range nums {
 *              out <- n
 *          }
 *          close(out)
 *      }()
 *      return out
 *  }
 *
 *  func sq(in <-chan int) <-chan int {
 *      out := make(chan int)
 *      go func() {
 *          for n := range in {
 *              out <- n * n
 *          }
 *          close(out)
 *      }()
 *      return out
 *  }
 *
 *  func storeAll() error {
 *      for v := range sq(sq(gen(1, 2, 3, 4, 5, 6))) {
 *          if err := store(v); err != nil {
 *              return err              // BUG: nobody drains the stages
 *          }
 *      }
 *      return nil
 *  }
 *
 * Fixed, as the blog does it: a done channel that storeAll closes on the
 * way out (defer close(done)); every stage takes it and sends with
 *      select { case out <- v: case <-done: return }
 * and closes its output with defer.
 *
 * Channels are made in the stage constructors and passed in closures, so
 * after storeAll returns only blocked stages reach them: each stage is
 * partially deadlocked, and the witness of each holder chain names the
 * next blocked stage of the pipeline. The two sq goroutines share their
 * sites, so they make one finding with both; gen makes another. */
#include <chanfuzz/scenario.h>

#define ITEMS 6

static void close_chan(void *ch) { go_close((go_chan *)ch); }

/* ---- buggy stages ---------------------------------------------------------- */

static void gen_loop(void *env) {
    go_chan *out = go_env_chan(env, 0);
    for (go_word n = 1; n <= ITEMS; n++) {
        go_send(out, n);
    }
    go_close(out);
}

static go_chan *gen(void) {
    go_chan *out = go_make_chan(0);
    go_go(gen_loop, go_closure(out));
    return out;
}

static void sq_loop(void *env) {
    go_chan *in = go_env_chan(env, 0);
    go_chan *out = go_env_chan(env, 1);
    go_word n;
    while (go_range(in, &n)) {
        go_send(out, n * n);
    }
    go_close(out);
}

static go_chan *sq(go_chan *in) {
    go_chan *out = go_make_chan(0);
    go_go(sq_loop, go_closure(in, out));
    return out;
}

/* ---- fixed stages: gen(done, ...), sq(done, in) ---------------------------- */

static void gen_loop_done(void *env) {
    go_chan *done = go_env_chan(env, 0);
    go_chan *out = go_env_chan(env, 1);
    go_defer(close_chan, out);
    for (go_word n = 1; n <= ITEMS; n++) {
        if (go_select(go_case_send(out, n), go_case_recv(done, NULL)) == 1) return;
    }
}

static go_chan *gen_done(go_chan *done) {
    go_chan *out = go_make_chan(0);
    go_go(gen_loop_done, go_closure(done, out));
    return out;
}

static void sq_loop_done(void *env) {
    go_chan *done = go_env_chan(env, 0);
    go_chan *in = go_env_chan(env, 1);
    go_chan *out = go_env_chan(env, 2);
    go_defer(close_chan, out);
    go_word n;
    while (go_range(in, &n)) {
        if (go_select(go_case_send(out, n * n), go_case_recv(done, NULL)) == 1) return;
    }
}

static go_chan *sq_done(go_chan *done, go_chan *in) {
    go_chan *out = go_make_chan(0);
    go_go(sq_loop_done, go_closure(done, in, out));
    return out;
}

/* ---- the consumer ------------------------------------------------------------ */

/* store(v): fails when the fuzzer says so. */
static bool store_fails(go_word v) { return go_fz_bool(); }

static void store_all(go_chan *results) {
    go_word v;
    while (go_range(results, &v)) {
        if (store_fails(v)) return; /* BUG in the buggy variant */
    }
}

static void pipeline_early_return_buggy(void *arg) { store_all(sq(sq(gen()))); }

static void pipeline_early_return_fixed(void *arg) {
    go_chan *done = go_make_chan(0);
    go_defer(close_chan, done);
    store_all(sq_done(done, sq_done(done, gen_done(done))));
}

CHANFUZZ_SCENARIO(pipeline_early_return) = {
    .name = "pipeline_early_return",
    .description = "the consumer returns on an error: every pipeline stage behind it blocks "
                   "on its send",
    .fix = "defer close(done); every stage selects on <-done beside its send",
    .tags = "pattern channel",
    .file = CHANFUZZ_HERE,
    .buggy = {pipeline_early_return_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {pipeline_early_return_fixed},
};
