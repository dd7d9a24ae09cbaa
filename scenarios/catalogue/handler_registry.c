/* handler_registry.c -- pattern 9, stress: a global registry of handler
 * closures that capture the request, never deregistered. Each request
 * subscribes a func literal for its progress events; the literal captures
 * the 64 KiB request, and the registry keeps both for ever.
 *
 *  type Request struct {
 *      ID       int
 *      Progress int
 *      Body     [64 << 10]byte
 *  }
 *
 *  var (
 *      mu       sync.Mutex
 *      handlers = map[int]func(last bool){}
 *  )
 *
 *  func subscribe(id int, h func(last bool)) { mu.Lock(); handlers[id] = h; mu.Unlock() }
 *  func unsubscribe(id int)                  { mu.Lock(); delete(handlers, id); mu.Unlock() }
 *
 *  func publish(id int, last bool) {         // the backend's progress events
 *      mu.Lock()
 *      h := handlers[id]
 *      mu.Unlock()
 *      if h != nil {
 *          h(last)
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
 *      subscribe(req.ID, func(last bool) {   // captures req and done
 *          req.Progress++
 *          if last {
 *              close(done)
 *          }
 *      })
 *      // fixed: defer unsubscribe(req.ID)
 *      go backend(req.ID)
 *      <-done
 *  }
 *
 *  // stress: for id := 0; id < 60; id++ { serve(&Request{ID: id}) }, a
 *  // checkpoint every 3
 *
 * Differences from Go: the registry and its mutex are named globals, as
 * package variables are roots; the request's id is the closure's first
 * word so the C can read it back. */
#include <chanfuzz/scenario.h>

enum { REQUEST_BYTES = 64 << 10, ROUNDS = 60, CHECKPOINT_EVERY = 3 };

typedef struct request {
    go_word id;
    go_word progress;
    char body[REQUEST_BYTES - 2 * sizeof(go_word)];
} request;

static go_word next_id;
static bool unsubscribe_when_done;

static go_map *handlers(void) { return (go_map *)go_global_get("handlers"); }
static go_mutex *handlers_mu(void) { return (go_mutex *)go_global_get("mu"); }

static void subscribe(go_word id, go_env *handler) {
    go_mutex_lock(handlers_mu());
    go_map_put(handlers(), id, handler);
    go_mutex_unlock(handlers_mu());
}

static void unsubscribe(void *id) {
    go_mutex_lock(handlers_mu());
    go_map_delete(handlers(), (go_word)id);
    go_mutex_unlock(handlers_mu());
}

/* func(last bool) { req.Progress++; if last { close(done) } } */
static void on_progress(go_env *env, bool last) {
    request *req = go_env_ptr(env, 0);
    req->progress++;
    if (last) go_close(go_env_chan(env, 1));
}

static void publish(go_word id, bool last) {
    go_mutex_lock(handlers_mu());
    go_env *handler = (go_env *)go_map_get(handlers(), id);
    go_mutex_unlock(handlers_mu());
    if (handler) on_progress(handler, last);
}

static void backend(void *id) {
    go_sleep(GO_MS);
    for (uint64_t i = go_fz_intn(3); i > 0; i--) publish((go_word)id, false);
    publish((go_word)id, true);
}

static void serve(void *arg) {
    (void)arg;
    request *req = go_alloc(sizeof(request));
    req->id = next_id++;
    go_chan *done = go_make_chan(0);
    subscribe(req->id, go_closure(req, done));
    if (unsubscribe_when_done) go_defer(unsubscribe, (void *)req->id);
    go_go(backend, (void *)req->id);
    go_recv(done);
}

static void run(bool unsubscribe_it) {
    next_id = 0;
    unsubscribe_when_done = unsubscribe_it;
    go_global_set("mu", go_mutex_new());
    go_global_set("handlers", go_map_new());
    go_stress(serve, NULL, ROUNDS, CHECKPOINT_EVERY);
}

static void handler_registry_buggy(void *arg) { (void)arg; run(false); }
static void handler_registry_fixed(void *arg) { (void)arg; run(true); }

CHANFUZZ_SCENARIO(handler_registry) = {
    .name = "handler_registry",
    .description = "handlers capturing each request stay in a global registry: never deregistered",
    .fix = "defer unsubscribe(req.ID) in serve",
    .tags = "closure map mutex channel stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {handler_registry_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_UNRELEASED_CLOSURE) |
                        CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH)},
    .fixed = {handler_registry_fixed},
};
