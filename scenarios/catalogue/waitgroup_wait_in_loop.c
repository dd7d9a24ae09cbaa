/* waitgroup_wait_in_loop -- wg.Wait() sits inside the loop that starts the
 * workers, so the caller waits for each worker before it starts the next,
 * and before anyone reads the results. Each worker's Done comes only after
 * its send; once the buffer is full the send needs the reader, which is the
 * caller, stuck in Wait: the Done never comes.
 *
 * The Go code it models (catalogue pattern 11):
 *
 *  func collect(n int) int {
 *      results := make(chan int, 2)
 *      var wg sync.WaitGroup
 *      for i := 0; i < n; i++ {
 *          wg.Add(1)
 *          go func(i int) {
 *              defer wg.Done()
 *              results <- work(i)
 *          }(i)
 *          wg.Wait()                   // BUG: belongs after the loop
 *      }
 *      go func() {
 *          wg.Wait()
 *          close(results)
 *      }()
 *      sum := 0
 *      for r := range results {
 *          sum += r
 *      }
 *      return sum
 *  }
 *
 * Fixed: delete the Wait inside the loop; the closer goroutine already
 * waits for everyone, concurrently with the reader.
 *
 * With n <= 2 the buffer hides the bug (each send completes at once): the
 * number of items is fuzz-chosen, so the fuzzer has to find n >= 3. Then
 * every goroutine is blocked -- main in Wait, the third worker in its send
 * -- and Go's own "all goroutines are asleep - deadlock!" is the verdict.
 * Objects travel in closures, as Go's captured variables. */
#include <chanfuzz/scenario.h>

#define RESULTS_BUFFER 2
#define MAX_ITEMS 5

static void wg_done(void *wg) { go_waitgroup_done((go_waitgroup *)wg); }

/* go func(i int) { defer wg.Done(); results <- work(i) }(i) */
static void worker(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_chan *results = go_env_chan(env, 1);
    go_word i = go_env_word(env, 2);
    go_defer(wg_done, wg);
    go_send(results, i * i); /* work(i) */
}

/* go func() { wg.Wait(); close(results) }() */
static void closer(void *env) {
    go_waitgroup *wg = go_env_ptr(env, 0);
    go_chan *results = go_env_chan(env, 1);
    go_waitgroup_wait(wg);
    go_close(results);
}

static void collect(bool wait_in_loop) {
    go_word n = 1 + go_fz_intn(MAX_ITEMS);
    go_chan *results = go_make_chan(RESULTS_BUFFER);
    go_waitgroup *wg = go_waitgroup_new();
    for (go_word i = 0; i < n; i++) {
        go_waitgroup_add(wg, 1);
        go_go(worker, go_closure(wg, results, i));
        if (wait_in_loop) go_waitgroup_wait(wg); /* BUG */
    }
    go_go(closer, go_closure(wg, results));
    go_word sum = 0, r;
    while (go_range(results, &r)) sum += r;
    (void)sum; /* return sum */
}

static void waitgroup_wait_in_loop_buggy(void *arg) { collect(true); }
static void waitgroup_wait_in_loop_fixed(void *arg) { collect(false); }

CHANFUZZ_SCENARIO(waitgroup_wait_in_loop) = {
    .name = "waitgroup_wait_in_loop",
    .description = "wg.Wait() inside the spawn loop waits for a Done that needs the reader",
    .fix = "delete the wg.Wait() inside the spawn loop",
    .tags = "pattern waitgroup channel",
    .file = CHANFUZZ_HERE,
    .buggy = {waitgroup_wait_in_loop_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_GLOBAL_DEADLOCK)},
    .fixed = {waitgroup_wait_in_loop_fixed},
};
