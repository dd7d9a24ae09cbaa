/* lock_channel_cycle -- three goroutines in a wait cycle through a Mutex
 * and two channels. The applier takes the cache lock and then waits for
 * an update; the update comes from the forwarder, which waits for a
 * request; the request comes from the client, which needs the cache lock
 * first. When the applier gets the lock before the client, nobody moves
 * again -- while main goes on. When the client is first, all goes well:
 * the scheduler decides, so the fuzzer has to find the bad order.
 *
 * The Go code it models (catalogue pattern 16):
 *
 *  type cache struct {
 *      mu sync.Mutex
 *      m  map[string]int
 *  }
 *
 *  func start(c *cache) {
 *      requests := make(chan int)
 *      updates := make(chan int)
 *      go func() {                     // applier
 *          c.mu.Lock()
 *          v := <-updates              // BUG: waits while holding c.mu
 *          c.m["v"] = v
 *          c.mu.Unlock()
 *      }()
 *      go func() {                     // forwarder
 *          req := <-requests
 *          updates <- req + 1
 *      }()
 *      go func() {                     // client
 *          c.mu.Lock()
 *          n := len(c.m)
 *          c.mu.Unlock()
 *          requests <- n
 *      }()
 *      serveOtherTraffic()             // main goes on
 *  }
 *
 * Fixed: the applier receives before it locks --
 *      v := <-updates; c.mu.Lock(); c.m["v"] = v; c.mu.Unlock()
 *
 * Each closure captures only what its Go literal uses, so the cycle the
 * detector reports is the real one: applier waits on updates (held by the
 * forwarder), forwarder on requests (held by the client), client on c.mu
 * (held by the applier). */
#include <chanfuzz/scenario.h>

#define OTHER_TRAFFIC_MAX (10 * GO_MS)

typedef struct cache {
    go_mutex *mu;
    go_map *m;
} cache;

static void applier_waits_locked(void *env) {
    cache *c = go_env_ptr(env, 0);
    go_chan *updates = go_env_chan(env, 1);
    go_mutex_lock(c->mu);
    go_word v = go_recv(updates); /* BUG */
    go_map_put(c->m, 1, v);
    go_mutex_unlock(c->mu);
}

static void applier_receives_first(void *env) {
    cache *c = go_env_ptr(env, 0);
    go_chan *updates = go_env_chan(env, 1);
    go_word v = go_recv(updates);
    go_mutex_lock(c->mu);
    go_map_put(c->m, 1, v);
    go_mutex_unlock(c->mu);
}

static void forwarder(void *env) {
    go_chan *requests = go_env_chan(env, 0);
    go_chan *updates = go_env_chan(env, 1);
    go_word req = go_recv(requests);
    go_send(updates, req + 1);
}

static void client(void *env) {
    cache *c = go_env_ptr(env, 0);
    go_chan *requests = go_env_chan(env, 1);
    go_mutex_lock(c->mu);
    go_word n = go_map_len(c->m);
    go_mutex_unlock(c->mu);
    go_send(requests, n);
}

static void start(go_func *applier) {
    cache *c = go_alloc(sizeof *c);
    c->mu = go_mutex_new();
    c->m = go_map_new();
    go_chan *requests = go_make_chan(0);
    go_chan *updates = go_make_chan(0);
    go_go(applier, go_closure(c, updates));
    go_go(forwarder, go_closure(requests, updates));
    go_go(client, go_closure(c, requests));
    go_sleep(go_fz_duration(OTHER_TRAFFIC_MAX)); /* serveOtherTraffic() */
}

static void lock_channel_cycle_buggy(void *arg) { start(applier_waits_locked); }
static void lock_channel_cycle_fixed(void *arg) { start(applier_receives_first); }

CHANFUZZ_SCENARIO(lock_channel_cycle) = {
    .name = "lock_channel_cycle",
    .description = "a goroutine waits on a channel while holding a Mutex its sender's sender "
                   "needs: a three-goroutine wait cycle",
    .fix = "the applier does v := <-updates before c.mu.Lock()",
    .tags = "pattern mutex channel",
    .file = CHANFUZZ_HERE,
    .buggy = {lock_channel_cycle_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {lock_channel_cycle_fixed},
};
