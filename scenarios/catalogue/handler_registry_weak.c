/* handler_registry_weak.c -- pattern 9 fixed the other way, stress: the
 * registry holds weak pointers to the subscriptions, so a finished
 * request's handler (and the request it captures) can be collected, and a
 * cleanup deletes its entry. The buggy variant is handler_registry's:
 * strong handlers, never deregistered.
 *
 *  type Request struct {                  // as in handler_registry.c
 *      ID       int
 *      Progress int
 *      Body     [64 << 10]byte
 *  }
 *
 *  type subscription struct{ onProgress func(last bool) }
 *
 *  var (
 *      mu       sync.Mutex
 *      handlers = map[int]*subscription{}
 *      // fixed: handlers = map[int]weak.Pointer[subscription]{}
 *  )
 *
 *  func publish(id int, last bool) {         // the backend's progress events
 *      mu.Lock()
 *      s := handlers[id]                     // fixed: s := handlers[id].Value()
 *      mu.Unlock()
 *      if s != nil {
 *          s.onProgress(last)
 *      }
 *  }
 *
 *  func backend(id int) {
 *      time.Sleep(time.Millisecond)          // the backend's own I/O
 *      for i := rand.Intn(3); i > 0; i-- {
 *          publish(id, false)
 *      }
 *      publish(id, true)
 *  }
 *
 *  func serve(req *Request) {
 *      done := make(chan struct{})
 *      s := &subscription{func(last bool) {  // captures req and done
 *          req.Progress++
 *          if last {
 *              close(done)
 *          }
 *      }}
 *      mu.Lock()
 *      handlers[req.ID] = s                  // never deleted
 *      // fixed:
 *      // w := weak.Make(s)
 *      // handlers[req.ID] = w
 *      // runtime.AddCleanup(s, func(id int) {
 *      //     mu.Lock()
 *      //     if handlers[id] == w {
 *      //         delete(handlers, id)
 *      //     }
 *      //     mu.Unlock()
 *      // }, req.ID)
 *      mu.Unlock()
 *      go backend(req.ID)
 *      <-done
 *      runtime.KeepAlive(s)                  // subscribed until done
 *  }
 *
 *  // stress: for id := 0; id < 60; id++ { serve(&Request{ID: id}) }, a
 *  // checkpoint every 3
 *
 * Differences from Go: the subscription is the closure itself (a model
 * object weak.Make accepts); the registry and mutex are named globals; the
 * cleanup's literal is a closure capturing id and w. keep_alive is C's
 * runtime.KeepAlive: without it the compiler may drop `s` from the stack
 * while serve waits, and the collector (which scans stacks as Go's does)
 * would then collect the subscription before its last event -- the same
 * bug Go code without KeepAlive has. The backend's sleep is its latency:
 * while serve waits on it, the cleanup goroutines run, as Go's cleanup
 * goroutine runs alongside a server waiting on I/O. (Before checkpoints
 * waited for the other goroutines to block, as synctest.Wait does, PCT
 * without that sleep starved them for the whole run and the entries they
 * would delete looked like growth: 1 false finding in 3,000 executions on
 * each of two seeds; now none.) */
#include <chanfuzz/scenario.h>

enum { REQUEST_BYTES = 64 << 10, ROUNDS = 60, CHECKPOINT_EVERY = 3 };

typedef struct request {
    go_word id;
    go_word progress;
    char body[REQUEST_BYTES - 2 * sizeof(go_word)];
} request;

static go_word next_id;
static bool weak_registry;

static go_map *handlers(void) { return (go_map *)go_global_get("handlers"); }
static go_mutex *handlers_mu(void) { return (go_mutex *)go_global_get("mu"); }

/* runtime.KeepAlive(p): p is live, in a register or on the stack, until
 * here. */
static inline void keep_alive(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

/* func(last bool) { req.Progress++; if last { close(done) } } */
static void on_progress(go_env *env, bool last) {
    request *req = go_env_ptr(env, 0);
    req->progress++;
    if (last) go_close(go_env_chan(env, 1));
}

static void publish(go_word id, bool last) {
    go_mutex_lock(handlers_mu());
    go_word held = go_map_get(handlers(), id);
    go_env *s = weak_registry ? go_weak_value((go_weak *)held) : (go_env *)held;
    go_mutex_unlock(handlers_mu());
    if (s) on_progress(s, last);
}

static void backend(void *id) {
    go_sleep(GO_MS);
    for (uint64_t i = go_fz_intn(3); i > 0; i--) publish((go_word)id, false);
    publish((go_word)id, true);
}

/* func(id int) { ... } with w captured. */
static void delete_entry(void *env) {
    go_word id = go_env_word(env, 0);
    go_weak *w = go_env_ptr(env, 1);
    go_mutex_lock(handlers_mu());
    if ((go_weak *)go_map_get(handlers(), id) == w) go_map_delete(handlers(), id);
    go_mutex_unlock(handlers_mu());
}

static void serve(void *arg) {
    (void)arg;
    request *req = go_alloc(sizeof(request));
    req->id = next_id++;
    go_chan *done = go_make_chan(0);
    go_env *s = go_closure(req, done);
    go_mutex_lock(handlers_mu());
    if (weak_registry) {
        go_weak *w = go_weak_make(s);
        go_map_put(handlers(), req->id, w);
        go_add_cleanup(s, delete_entry, go_closure(req->id, w));
    } else {
        go_map_put(handlers(), req->id, s);
    }
    go_mutex_unlock(handlers_mu());
    go_go(backend, (void *)req->id);
    go_recv(done);
    keep_alive(s);
}

static void run(bool weak) {
    next_id = 0;
    weak_registry = weak;
    go_global_set("mu", go_mutex_new());
    go_global_set("handlers", go_map_new());
    go_stress(serve, NULL, ROUNDS, CHECKPOINT_EVERY);
}

static void handler_registry_weak_buggy(void *arg) { (void)arg; run(false); }
static void handler_registry_weak_fixed(void *arg) { (void)arg; run(true); }

CHANFUZZ_SCENARIO(handler_registry_weak) = {
    .name = "handler_registry_weak",
    .description = "a registry holding request handlers strongly; fixed with weak pointers and a cleanup",
    .fix = "map of weak.Pointer; runtime.AddCleanup deletes the entry",
    .tags = "closure map mutex channel weak stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {handler_registry_weak_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_UNRELEASED_CLOSURE) |
                        CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH)},
    .fixed = {handler_registry_weak_fixed},
};
