/* cache_weak_readback.c -- pattern 2, the "improved" cache, stress. It
 * makes a weak pointer and stores what the weak pointer reads back -- the
 * same strong *Session -- so nothing changed: the sessions and the entries
 * grow exactly as in cache_unbounded. The fix stores the weak pointer
 * itself and deletes the entry when its session is collected.
 *
 *  var (
 *      mu       sync.Mutex
 *      sessions = map[int]*Session{}
 *      next     int
 *  )
 *
 *  func lookup(id int) *Session {
 *      mu.Lock()
 *      if s, ok := sessions[id]; ok {
 *          mu.Unlock()
 *          return s
 *      }
 *      s := &Session{ID: id}
 *      w := weak.Make(s)
 *      sessions[id] = w.Value()            // "weak" -- a strong pointer again
 *      mu.Unlock()
 *      return s
 *  }
 *
 *  // fixed: var sessions = map[int]weak.Pointer[Session]{}
 *  func lookup(id int) *Session {
 *      mu.Lock()
 *      if w, ok := sessions[id]; ok {
 *          if s := w.Value(); s != nil {
 *              mu.Unlock()
 *              return s
 *          }
 *      }
 *      s := &Session{ID: id}
 *      w := weak.Make(s)
 *      sessions[id] = w
 *      runtime.AddCleanup(s, func(id int) {
 *          mu.Lock()
 *          if sessions[id] == w {
 *              delete(sessions, id)
 *          }
 *          mu.Unlock()
 *      }, id)
 *      mu.Unlock()
 *      return s
 *  }
 *
 *  func nextID() int {
 *      if next > 0 && rand.Intn(4) == 1 {  // a returning client
 *          return next - 1 - rand.Intn(min(next, 8))
 *      }
 *      next++
 *      return next - 1
 *  }
 *
 *  func serve() {
 *      s := lookup(nextID())
 *      time.Sleep(time.Millisecond)        // the request's I/O, using s
 *  }
 *
 *  // stress: 200 requests, a checkpoint every 10
 *
 * Differences from Go: as in cache_weak_values (a C static `next`, named
 * globals for the map and mutex, the cleanup's literal as a closure). */
#include <chanfuzz/scenario.h>

enum { SESSION_BYTES = 4 << 10, ROUNDS = 200, CHECKPOINT_EVERY = 10 };

static go_word next_id;

static go_map *sessions(void) { return (go_map *)go_global_get("sessions"); }
static go_mutex *sessions_mu(void) { return (go_mutex *)go_global_get("mu"); }

static void *lookup_read_back(go_word id) {
    go_mutex_lock(sessions_mu());
    bool ok;
    void *s = (void *)go_map_get2(sessions(), id, &ok);
    if (ok) {
        go_mutex_unlock(sessions_mu());
        return s;
    }
    s = go_alloc(SESSION_BYTES);
    *(go_word *)s = id;
    go_weak *w = go_weak_make(s);
    go_map_put(sessions(), id, go_weak_value(w));
    go_mutex_unlock(sessions_mu());
    return s;
}

/* func(id int) { ... } with w captured. */
static void delete_entry(void *env) {
    go_word id = go_env_word(env, 0);
    go_weak *w = go_env_ptr(env, 1);
    go_mutex_lock(sessions_mu());
    if ((go_weak *)go_map_get(sessions(), id) == w) go_map_delete(sessions(), id);
    go_mutex_unlock(sessions_mu());
}

static void *lookup_weak(go_word id) {
    go_mutex_lock(sessions_mu());
    bool ok;
    go_weak *w = (go_weak *)go_map_get2(sessions(), id, &ok);
    if (ok) {
        void *s = go_weak_value(w);
        if (s) {
            go_mutex_unlock(sessions_mu());
            return s;
        }
    }
    void *s = go_alloc(SESSION_BYTES);
    *(go_word *)s = id;
    w = go_weak_make(s);
    go_map_put(sessions(), id, w);
    go_add_cleanup(s, delete_entry, go_closure(id, w));
    go_mutex_unlock(sessions_mu());
    return s;
}

static go_word next_request_id(void) {
    if (next_id > 0 && go_fz_intn(4) == 1) {
        go_word recent = next_id < 8 ? next_id : 8;
        return next_id - 1 - go_fz_intn(recent);
    }
    return next_id++;
}

static void serve_read_back(void *arg) {
    (void)arg;
    void *s = lookup_read_back(next_request_id());
    go_sleep(GO_MS);
    (void)s;
}

static void serve_weak(void *arg) {
    (void)arg;
    void *s = lookup_weak(next_request_id());
    go_sleep(GO_MS);
    (void)s;
}

static void run(go_func *serve) {
    next_id = 0;
    go_global_set("mu", go_mutex_new());
    go_global_set("sessions", go_map_new());
    go_stress(serve, NULL, ROUNDS, CHECKPOINT_EVERY);
}

static void cache_weak_readback_buggy(void *arg) { (void)arg; run(serve_read_back); }
static void cache_weak_readback_fixed(void *arg) { (void)arg; run(serve_weak); }

CHANFUZZ_SCENARIO(cache_weak_readback) = {
    .name = "cache_weak_readback",
    .description = "stores weak.Make(v).Value(), a strong pointer again: the cache still grows",
    .fix = "store weak.Make(s) itself; runtime.AddCleanup deletes the entry",
    .tags = "map mutex weak stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {cache_weak_readback_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH)},
    .fixed = {cache_weak_readback_fixed},
};
