/* send_after_close -- fetch times out and closes the result channel "to
 * release the worker". A receiver-side close does not release a sender: a
 * send on a closed channel panics, whether the worker was already blocked
 * in it (close wakes it into the panic) or gets there later. It happens
 * only when the timeout wins the race with the worker, which depends on
 * the work time (input) and on the schedule.
 *
 * The Go code it models (catalogue pattern 17):
 *
 *  func fetch(timeout time.Duration) (int, error) {
 *      ch := make(chan int)
 *      go func() {
 *          ch <- slowCall()                // panics once ch is closed
 *      }()
 *      select {
 *      case v := <-ch:
 *          return v, nil
 *      case <-time.After(timeout):
 *          close(ch)                       // BUG: "unblocks" the sender into a panic
 *          return 0, errTimeout
 *      }
 *  }
 *
 * Fixed: ch := make(chan int, 1) and no close -- the late send lands in
 * the buffer, the worker exits, and the channel is garbage. Only the
 * sender may close a channel.
 *
 * Both the worker's blocked send woken by close and a send begun after it
 * panic with "send on closed channel"; the finding names the worker's
 * send. */
#include <chanfuzz/scenario.h>

#define TIMEOUT (50 * GO_MS)
#define CALL_TIME_MAX (100 * GO_MS)

/* go func() { ch <- slowCall() }() */
static void worker(void *env) {
    go_chan *ch = go_env_chan(env, 0);
    go_sleep(go_fz_duration(CALL_TIME_MAX)); /* slowCall() */
    go_send(ch, 42);
}

static void fetch(size_t capacity, bool close_on_timeout) {
    go_chan *ch = go_make_chan(capacity);
    go_go(worker, go_closure(ch));
    int chosen = go_select(go_case_recv(ch, NULL), go_case_recv(go_after(TIMEOUT), NULL));
    if (chosen == 1 && close_on_timeout) {
        go_close(ch); /* BUG */
    }
}

static void send_after_close_buggy(void *arg) { fetch(0, true); }
static void send_after_close_fixed(void *arg) { fetch(1, false); }

CHANFUZZ_SCENARIO(send_after_close) = {
    .name = "send_after_close",
    .description = "the caller closes the result channel on timeout: the late sender panics",
    .fix = "make(chan int, 1) and no close(ch) on timeout",
    .tags = "pattern channel select timer",
    .file = CHANFUZZ_HERE,
    .buggy = {send_after_close_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PANIC)},
    .fixed = {send_after_close_fixed},
};
