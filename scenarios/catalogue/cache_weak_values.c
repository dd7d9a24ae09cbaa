/* cache_weak_values.c -- pattern 2 with Go 1.24 weak pointers, stress.
 * Making the values weak lets the sessions be collected, but the map still
 * keeps one entry (and one weak handle) per id ever seen: the entries grow
 * where the values no longer do. The fix deletes the entry when its session
 * is collected, with runtime.AddCleanup.
 *
 *  var (
 *      mu       sync.Mutex
 *      sessions = map[int]weak.Pointer[Session]{}
 *      next     int
 *  )
 *
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
 *      sessions[id] = w                    // the entry outlives the session
 *      // fixed:
 *      // runtime.AddCleanup(s, func(id int) {
 *      //     mu.Lock()
 *      //     if sessions[id] == w {       // not a newer session's entry
 *      //         delete(sessions, id)
 *      //     }
 *      //     mu.Unlock()
 *      // }, id)
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
 * Differences from Go: `next` is a C static int (reset by main); the map
 * and mutex are named globals; the cleanup's func literal is a closure
 * capturing w, passed as the cleanup's argument together with id (Go's
 * AddCleanup passes id and the literal captures w: both are held by the
 * runtime until the cleanup runs, and neither reaches the session). The
 * request's sleep matters: it is where the cleanup goroutines get to run,
 * as Go's cleanup goroutine runs alongside a server that waits on I/O. */
#include <chanfuzz/scenario.h>

enum { SESSION_BYTES = 4 << 10, ROUNDS = 200, CHECKPOINT_EVERY = 10 };

static go_word next_id;
static bool clean_up_entries;

static go_map *sessions(void) { return (go_map *)go_global_get("sessions"); }
static go_mutex *sessions_mu(void) { return (go_mutex *)go_global_get("mu"); }

/* func(id int) { ... } with w captured. */
static void delete_entry(void *env) {
    go_word id = go_env_word(env, 0);
    go_weak *w = go_env_ptr(env, 1);
    go_mutex_lock(sessions_mu());
    if ((go_weak *)go_map_get(sessions(), id) == w) go_map_delete(sessions(), id);
    go_mutex_unlock(sessions_mu());
}

static void *lookup(go_word id) {
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
    if (clean_up_entries) go_add_cleanup(s, delete_entry, go_closure(id, w));
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

static void serve(void *arg) {
    (void)arg;
    void *s = lookup(next_request_id());
    go_sleep(GO_MS);
    (void)s;
}

static void run(bool clean_up) {
    next_id = 0;
    clean_up_entries = clean_up;
    go_global_set("mu", go_mutex_new());
    go_global_set("sessions", go_map_new());
    go_stress(serve, NULL, ROUNDS, CHECKPOINT_EVERY);
}

static void cache_weak_values_buggy(void *arg) { (void)arg; run(false); }
static void cache_weak_values_fixed(void *arg) { (void)arg; run(true); }

CHANFUZZ_SCENARIO(cache_weak_values) = {
    .name = "cache_weak_values",
    .description = "a cache of weak values: the sessions are collected, the map's entries still grow",
    .fix = "runtime.AddCleanup(s, ...) deletes the entry once s is collected",
    .tags = "map mutex weak stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {cache_weak_values_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH)},
    .fixed = {cache_weak_values_fixed},
};
