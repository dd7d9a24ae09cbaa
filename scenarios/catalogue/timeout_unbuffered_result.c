/* timeout_unbuffered_result.c -- catalogue pattern 4: the caller times
 * out, the worker blocks for ever sending its result.
 *
 * Go, buggy: nobody receives once fetch has returned on the timeout, and
 * an unbuffered send completes only at the hand-off.
 *
 *   func fetch() (int, error) {
 *       result := make(chan int)
 *       go func() {
 *           result <- slowCall()       // blocks for ever after a timeout
 *       }()
 *       select {
 *       case v := <-result:
 *           return v, nil
 *       case <-time.After(50 * time.Millisecond):
 *           return 0, errTimeout
 *       }
 *   }
 *
 *   func slowCall() int {
 *       time.Sleep(work)               // 0..100ms, depends on the input
 *       return 42
 *   }
 *
 *   func main() { fetch() }
 *
 * Go, fixed: room for the one result, so the send never waits for a
 * receiver (the value is dropped with the channel).
 *
 *       result := make(chan int, 1)
 *
 * The channel reaches the worker through its closure only, as in Go: once
 * fetch returned, nothing live can reach the blocked sender, so it is a
 * partial deadlock (Go 1.26's goroutine leak profile reports the same).
 * The other fix, a ctx.Done() arm in the worker, is
 * timeout_worker_ignores_ctx; the `defer close(result)` non-fix is
 * timeout_deferred_close.
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static const go_error err_timeout = {"fetch: timeout"};

static go_word slow_call(void) {
    go_sleep(go_fz_duration(100 * GO_MS));
    return 42;
}

static void send_result(void *env) {
    go_chan *result = go_env_chan(env, 0);
    go_send(result, slow_call()); /* blocks for ever after a timeout */
}

static const go_error *fetch(size_t capacity, go_word *value) {
    go_chan *result = go_make_chan(capacity);
    go_go(send_result, go_closure(result));
    switch (go_select(go_case_recv(result, value), go_case_recv(go_after(50 * GO_MS), NULL))) {
    case 0: return NULL;
    default: return &err_timeout;
    }
}

static void timeout_unbuffered_result_buggy(void *arg) {
    go_word value;
    fetch(0, &value);
}

static void timeout_unbuffered_result_fixed(void *arg) {
    go_word value;
    fetch(1, &value);
}

CHANFUZZ_SCENARIO(timeout_unbuffered_result) = {
    .name = "timeout_unbuffered_result",
    .description = "caller returns on time.After; the worker's unbuffered send blocks for ever",
    .fix = "make(chan int, 1): the send never waits for a receiver",
    .tags = "pattern channel select timer closure",
    .file = CHANFUZZ_HERE,
    .buggy = {timeout_unbuffered_result_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {timeout_unbuffered_result_fixed},
};
