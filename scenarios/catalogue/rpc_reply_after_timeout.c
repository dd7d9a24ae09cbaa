/* rpc_reply_after_timeout -- an RPC client's read loop looks up the caller
 * waiting for a reply, then hands the reply over on an unbuffered channel.
 * If the caller's timer fires between the lookup and the hand-off, the
 * caller's select takes the timeout case, the caller leaves, and the read
 * loop -- the one goroutine serving every call of the connection -- blocks
 * on its send forever.
 *
 * The window is narrow. The clock moves to the next timer only, and the
 * keepalive ticker fires every 100us, so the reply must, as a rule, come
 * in during the last tick before the 10ms deadline (one latency in a
 * thousand: the server's latency is up to 100ms); then the clock must move
 * right between two statements of the read loop, so that the caller's
 * select ends with its timeout case after the read loop took the reply
 * channel out of pending. The plain schedule a unit test runs never shows
 * it, whatever the latency; random schedules need hundreds of executions
 * (tag "rare": a case for fuzzing).
 *
 * The Go code it models (catalogue pattern 18):
 *
 *  type Client struct {
 *      mu      sync.Mutex
 *      pending map[uint64]chan int
 *      replies chan reply                  // from the connection
 *      done    chan struct{}
 *  }
 *
 *  func (c *Client) readLoop() {
 *      for {
 *          select {
 *          case r := <-c.replies:
 *              c.mu.Lock()
 *              ch, ok := c.pending[r.id]
 *              delete(c.pending, r.id)
 *              c.mu.Unlock()
 *              if ok {
 *                  ch <- r.value           // BUG: the caller may have left
 *              }
 *          case <-c.done:
 *              return
 *          }
 *      }
 *  }
 *
 *  func (c *Client) keepalive() {
 *      t := time.NewTicker(100 * time.Microsecond)
 *      defer t.Stop()
 *      for {
 *          select {
 *          case <-t.C:                     // ping
 *          case <-c.done:
 *              return
 *          }
 *      }
 *  }
 *
 *  func (c *Client) Call(id uint64, timeout time.Duration) (int, error) {
 *      ch := make(chan int)                // fixed: make(chan int, 1)
 *      c.mu.Lock()
 *      c.pending[id] = ch
 *      c.mu.Unlock()
 *      go c.conn.roundTrip(id)             // the reply comes back on c.replies
 *      select {
 *      case v := <-ch:
 *          return v, nil
 *      case <-time.After(timeout):
 *          c.mu.Lock()
 *          delete(c.pending, id)
 *          c.mu.Unlock()
 *          return 0, errTimeout
 *      }
 *  }
 *
 *  func main() {
 *      c := Dial()                         // starts readLoop and keepalive
 *      c.Call(1, 10*time.Millisecond)
 *      c.Close()                           // close(c.done)
 *  }
 *
 * Fixed: the reply channel has room for the one reply, so the read loop
 * never waits for a caller that may be gone.
 *
 * The connection (roundTrip) is a goroutine that sleeps for the
 * fuzz-chosen latency and then delivers the reply unless the client is
 * closed. The Client is a model heap object reached through closures. */
#include <chanfuzz/scenario.h>

#define CALL_ID 1
#define TIMEOUT (10 * GO_MS)
#define LATENCY_MAX (10 * TIMEOUT)
#define KEEPALIVE (100 * GO_US)

typedef struct client {
    go_mutex *mu;
    go_map *pending;    /* call id -> chan int */
    go_chan *replies;   /* the connection's replies: the call id */
    go_chan *done;
} client;

static void stop_ticker(void *t) { go_timer_stop((go_timer *)t); }
static void close_chan(void *ch) { go_close((go_chan *)ch); }

static void read_loop(void *env) {
    client *c = go_env_ptr(env, 0);
    for (;;) {
        go_word id;
        if (go_select(go_case_recv(c->replies, &id), go_case_recv(c->done, NULL)) == 1) return;
        go_mutex_lock(c->mu);
        bool ok;
        go_chan *ch = (go_chan *)go_map_get2(c->pending, id, &ok);
        go_map_delete(c->pending, id);
        go_mutex_unlock(c->mu);
        if (ok) {
            go_send(ch, 42); /* BUG in the buggy variant: the caller may have left */
        }
    }
}

static void keepalive(void *env) {
    client *c = go_env_ptr(env, 0);
    go_timer *t = go_ticker_new(KEEPALIVE);
    go_defer(stop_ticker, t);
    for (;;) {
        if (go_select(go_case_recv(go_timer_chan(t), NULL), go_case_recv(c->done, NULL)) == 1)
            return;
    }
}

/* c.conn.roundTrip(id): the reply comes back after the latency. */
static void round_trip(void *env) {
    client *c = go_env_ptr(env, 0);
    go_word id = go_env_word(env, 1);
    go_sleep(go_fz_duration(LATENCY_MAX));
    go_select(go_case_send(c->replies, id), go_case_recv(c->done, NULL));
}

static client *dial(void) {
    client *c = go_alloc(sizeof *c);
    c->mu = go_mutex_new();
    c->pending = go_map_new();
    c->replies = go_make_chan(0);
    c->done = go_make_chan(0);
    go_go(read_loop, go_closure(c));
    go_go(keepalive, go_closure(c));
    return c;
}

static void call(client *c, go_word id, size_t reply_capacity) {
    go_chan *ch = go_make_chan(reply_capacity);
    go_mutex_lock(c->mu);
    go_map_put(c->pending, id, ch);
    go_mutex_unlock(c->mu);
    go_go(round_trip, go_closure(c, id));
    int chosen = go_select(go_case_recv(ch, NULL), go_case_recv(go_after(TIMEOUT), NULL));
    if (chosen == 1) { /* timed out */
        go_mutex_lock(c->mu);
        go_map_delete(c->pending, id);
        go_mutex_unlock(c->mu);
    }
}

static void run(size_t reply_capacity) {
    client *c = dial();
    go_defer(close_chan, c->done); /* defer c.Close() */
    call(c, CALL_ID, reply_capacity);
}

static void rpc_reply_after_timeout_buggy(void *arg) { run(0); }
static void rpc_reply_after_timeout_fixed(void *arg) { run(1); }

CHANFUZZ_SCENARIO(rpc_reply_after_timeout) = {
    .name = "rpc_reply_after_timeout",
    .description = "the caller's timer fires between the read loop's lookup and its "
                   "unbuffered hand-off: the read loop blocks forever",
    .fix = "make(chan int, 1) for the reply: the read loop's send never waits",
    .tags = "pattern channel select timer mutex rare",
    .file = CHANFUZZ_HERE,
    .executions = 10000,
    .buggy = {rpc_reply_after_timeout_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {rpc_reply_after_timeout_fixed},
};
