/* consumer_returns_early.c -- catalogue pattern 5: the caller stops
 * reading at the first error; the producer blocks on its next send.
 *
 * Go, buggy:
 *
 *   func firstError(n int) error {
 *       results := make(chan error)
 *       go func() {
 *           for i := 0; i < n; i++ {
 *               results <- process(i)  // blocks for ever once the caller left
 *           }
 *           close(results)
 *       }()
 *       for err := range results {
 *           if err != nil {
 *               return err             // stops reading early
 *           }
 *       }
 *       return nil
 *   }
 *
 *   func main() { firstError(3) }
 *
 * Go, fixed: explicit cancellation, as in the Go blog's "Pipelines and
 * cancellation": the caller closes done on its way out, and every send
 * races it.
 *
 *   func firstError(n int) error {
 *       results := make(chan error)
 *       done := make(chan struct{})
 *       defer close(done)
 *       go func() {
 *           defer close(results)
 *           for i := 0; i < n; i++ {
 *               select {
 *               case results <- process(i):
 *               case <-done:
 *                   return
 *               }
 *           }
 *       }()
 *       ...same loop...
 *   }
 *
 * process(i) fails or not as the input says; an error anywhere but in the
 * last result leaves the buggy producer blocked. Channels reach the
 * producer through its closure only, so it is a partial deadlock.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

enum { result_count = 3 };

static const go_error err_process = {"process: failed"};

static go_word process(int i) {
    (void)i;
    return go_fz_bool() ? (go_word)&err_process : 0;
}

static void produce_unguarded(void *env) {
    go_chan *results = go_env_chan(env, 0);
    for (int i = 0; i < result_count; i++)
        go_send(results, process(i)); /* blocks for ever once the caller left */
    go_close(results);
}

static void close_chan(void *ch) { go_close(ch); }

static void produce_until_done(void *env) {
    go_chan *results = go_env_chan(env, 0);
    go_chan *done = go_env_chan(env, 1);
    go_defer(close_chan, results);
    for (int i = 0; i < result_count; i++)
        if (go_select(go_case_send(results, process(i)), go_case_recv(done, NULL)) == 1) return;
}

/* for err := range results { if err != nil { return err } } */
static const go_error *first_error_of(go_chan *results) {
    go_word err;
    while (go_range(results, &err))
        if (err) return (const go_error *)err;
    return NULL;
}

static void consumer_returns_early_buggy(void *arg) {
    go_chan *results = go_make_chan(0);
    go_go(produce_unguarded, go_closure(results));
    first_error_of(results);
}

static void consumer_returns_early_fixed(void *arg) {
    go_chan *results = go_make_chan(0);
    go_chan *done = go_make_chan(0);
    go_defer(close_chan, done);
    go_go(produce_until_done, go_closure(results, done));
    first_error_of(results);
}

CHANFUZZ_SCENARIO(consumer_returns_early) = {
    .name = "consumer_returns_early",
    .description = "caller returns on the first error; the producer blocks sending the next "
                   "result",
    .fix = "defer close(done); the producer's send selects on <-done",
    .tags = "pattern channel select closure defer",
    .file = CHANFUZZ_HERE,
    .buggy = {consumer_returns_early_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {consumer_returns_early_fixed},
};
