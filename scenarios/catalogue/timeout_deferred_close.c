/* timeout_deferred_close.c -- catalogue pattern 4, the common belief that
 * closing the channel fixes the blocked sender.
 *
 * Go, buggy: `defer close(result)` runs when the goroutine returns, and
 * it never returns: the send before it blocks first. A close would not
 * help anyway -- a sender is woken by a receiver, not by a close (and a
 * close while it waited would make it panic).
 *
 *   func fetch() (int, error) {
 *       result := make(chan int)
 *       go func() {
 *           defer close(result)        // never runs
 *           result <- slowCall()       // blocks for ever after a timeout
 *       }()
 *       select {
 *       case v, ok := <-result:
 *           if !ok {
 *               return 0, errNoResult
 *           }
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
 * Go, fixed: what fixes it is room for the result; the deferred close may
 * stay (it now runs, and is harmless).
 *
 *       result := make(chan int, 1)
 */
#include <chanfuzz/go.h>
#include <chanfuzz/scenario.h>

static const go_error err_timeout = {"fetch: timeout"};
static const go_error err_no_result = {"fetch: no result"};

static go_word slow_call(void) {
    go_sleep(go_fz_duration(100 * GO_MS));
    return 42;
}

static void close_chan(void *ch) { go_close(ch); }

static void send_then_close(void *env) {
    go_chan *result = go_env_chan(env, 0);
    go_defer(close_chan, result); /* never runs: the send blocks first */
    go_send(result, slow_call());
}

static const go_error *fetch(size_t capacity, go_word *value) {
    go_chan *result = go_make_chan(capacity);
    go_go(send_then_close, go_closure(result));
    bool ok;
    go_chan *timeout = go_after(50 * GO_MS);
    switch (go_select(go_case_recv2(result, value, &ok), go_case_recv(timeout, NULL))) {
    case 0: return ok ? NULL : &err_no_result;
    default: return &err_timeout;
    }
}

static void timeout_deferred_close_buggy(void *arg) {
    go_word value;
    fetch(0, &value);
}

static void timeout_deferred_close_fixed(void *arg) {
    go_word value;
    fetch(1, &value);
}

CHANFUZZ_SCENARIO(timeout_deferred_close) = {
    .name = "timeout_deferred_close",
    .description = "worker's defer close(ch) never runs: its unbuffered send blocks first "
                   "after the caller timed out",
    .fix = "make(chan int, 1): the send never waits, so defer close runs",
    .tags = "pattern channel select timer closure defer",
    .file = CHANFUZZ_HERE,
    .buggy = {timeout_deferred_close_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {timeout_deferred_close_fixed},
};
