/* cache_unbounded.c -- pattern 2, stress: a cache keyed by id that only
 * grows. Every new session adds an entry and nothing ever removes one, so
 * the map's entries and the sessions they point to rise with every request.
 *
 *  type Session struct {
 *      ID   int
 *      Data [4 << 10]byte
 *  }
 *
 *  const maxSessions = 32
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
 *      sessions[id] = s                    // never deleted
 *      // fixed: delete(sessions, id-maxSessions)  (evict the oldest)
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
 * The C differs from Go in one place: `next` is a plain int in a C static
 * (reset by main), and the map and its mutex are named globals, as Go's
 * package variables are roots. */
#include <chanfuzz/scenario.h>

enum { SESSION_BYTES = 4 << 10, MAX_SESSIONS = 32, ROUNDS = 200, CHECKPOINT_EVERY = 10 };

static go_word next_id;
static bool evict_oldest;

static go_map *sessions(void) { return (go_map *)go_global_get("sessions"); }
static go_mutex *sessions_mu(void) { return (go_mutex *)go_global_get("mu"); }

static void *lookup(go_word id) {
    go_mutex_lock(sessions_mu());
    bool ok;
    void *s = (void *)go_map_get2(sessions(), id, &ok);
    if (ok) {
        go_mutex_unlock(sessions_mu());
        return s;
    }
    s = go_alloc(SESSION_BYTES);
    *(go_word *)s = id;
    go_map_put(sessions(), id, s);
    /* Go deletes a key that is absent (negative) harmlessly; ids here are
     * unsigned, hence the guard. */
    if (evict_oldest && id >= MAX_SESSIONS) go_map_delete(sessions(), id - MAX_SESSIONS);
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

static void run(bool evict) {
    next_id = 0;
    evict_oldest = evict;
    go_global_set("mu", go_mutex_new());
    go_global_set("sessions", go_map_new());
    go_stress(serve, NULL, ROUNDS, CHECKPOINT_EVERY);
}

static void cache_unbounded_buggy(void *arg) { (void)arg; run(false); }
static void cache_unbounded_fixed(void *arg) { (void)arg; run(true); }

CHANFUZZ_SCENARIO(cache_unbounded) = {
    .name = "cache_unbounded",
    .description = "a session cache keyed by id is never pruned: its entries and sessions grow",
    .fix = "delete(sessions, id-maxSessions): evict the oldest entry",
    .tags = "map mutex stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {cache_unbounded_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH)},
    .fixed = {cache_unbounded_fixed},
};
