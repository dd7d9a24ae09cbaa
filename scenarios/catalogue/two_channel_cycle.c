/* two_channel_cycle -- two peers greet each other over two channels, and
 * each waits for the other's greeting before sending its own. Neither ever
 * sends: both wait forever on a channel only the other could send on,
 * while main goes on with its work. Go's runtime says nothing (main is
 * running); only a partial-deadlock detector sees it.
 *
 * The Go code it models (catalogue pattern 16):
 *
 *  func handshake() {
 *      toB := make(chan string)
 *      toA := make(chan string)
 *      go func() {                     // peer A
 *          hello := <-toA              // BUG: waits for B's hello first...
 *          toB <- "hello from A, got " + hello
 *      }()
 *      go func() {                     // peer B
 *          hello := <-toB              // ...and B waits for A's
 *          toA <- "hello from B, got " + hello
 *      }()
 *      doOtherWork()                   // main goes on
 *  }
 *
 * Fixed: A speaks first -- toB <- "hello from A"; reply := <-toA.
 *
 * The channels are captured by both closures (not statics): after main
 * returns only A and B reach them, and the witness is the wait cycle
 * A -> toA (held by B) -> B -> toB (held by A). */
#include <chanfuzz/scenario.h>

#define OTHER_WORK_MAX (10 * GO_MS)

static void peer_a_waits_first(void *env) {
    go_chan *to_b = go_env_chan(env, 0);
    go_chan *to_a = go_env_chan(env, 1);
    go_word hello = go_recv(to_a); /* BUG */
    go_send(to_b, hello + 1);
}

static void peer_a_speaks_first(void *env) {
    go_chan *to_b = go_env_chan(env, 0);
    go_chan *to_a = go_env_chan(env, 1);
    go_send(to_b, 1);
    go_recv(to_a);
}

static void peer_b(void *env) {
    go_chan *to_b = go_env_chan(env, 0);
    go_chan *to_a = go_env_chan(env, 1);
    go_word hello = go_recv(to_b);
    go_send(to_a, hello + 1);
}

static void handshake(go_func *peer_a) {
    go_chan *to_b = go_make_chan(0);
    go_chan *to_a = go_make_chan(0);
    go_go(peer_a, go_closure(to_b, to_a));
    go_go(peer_b, go_closure(to_b, to_a));
    go_sleep(go_fz_duration(OTHER_WORK_MAX)); /* doOtherWork() */
}

static void two_channel_cycle_buggy(void *arg) { handshake(peer_a_waits_first); }
static void two_channel_cycle_fixed(void *arg) { handshake(peer_a_speaks_first); }

CHANFUZZ_SCENARIO(two_channel_cycle) = {
    .name = "two_channel_cycle",
    .description = "two peers each wait for the other's message first: a wait cycle while "
                   "main goes on",
    .fix = "A speaks first: toB <- hello, then reply := <-toA",
    .tags = "pattern channel",
    .file = CHANFUZZ_HERE,
    .buggy = {two_channel_cycle_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {two_channel_cycle_fixed},
};
