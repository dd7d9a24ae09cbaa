/* patterns.c -- the demo's Go patterns. Each function models the Go code in
 * the comment above it, line for line. Objects shared with goroutines that
 * may outlive their creator live in statics reset per execution (in Go they
 * would escape to the heap). */
#include "patterns.h"

#include <chanfuzz/scenario.h>

/* ---- first_result: the caller returns after the first of three results ---
 *
 *  func first(ctx) int {
 *      results := make(chan int)      // fixed: make(chan int, 3)
 *      for i := 0; i < 3; i++ {
 *          go func() { results <- work() }()
 *      }
 *      return <-results               // the other two senders block forever
 *  }
 */
static go_chan *first_results;

static void first_worker(void *arg) { go_send(first_results, go_fz_intn(100)); }

static void first_result(size_t capacity) {
    first_results = go_make_chan(capacity);
    for (int i = 0; i < 3; i++) go_go(first_worker, NULL);
    go_recv(first_results);
}

static void first_result_buggy(void *arg) { first_result(0); }
static void first_result_fixed(void *arg) { first_result(3); }

/* ---- range_unclosed: a consumer ranges over a channel never closed -------
 *
 *  func pipeline(items []int) {
 *      ch := make(chan int)
 *      go func() { for v := range ch { use(v) } }()
 *      for _, it := range items { ch <- it }
 *                                     // fixed: close(ch)
 *  }
 */
static void range_consumer(void *arg) {
    go_word v;
    while (go_range((go_chan *)arg, &v)) {
    }
}

static void range_unclosed(bool close_it) {
    go_chan *ch = go_make_chan(0);
    go_go(range_consumer, ch);
    for (go_word item = 1; item <= 3; item++) go_send(ch, item);
    if (close_it) go_close(ch);
}

static void range_unclosed_buggy(void *arg) { range_unclosed(false); }
static void range_unclosed_fixed(void *arg) { range_unclosed(true); }

/* ---- waitgroup_error_path: Done skipped when a job fails -----------------
 *
 *  var wg sync.WaitGroup
 *  for i := 0; i < 3; i++ {
 *      wg.Add(1)
 *      go func() {
 *          if err := job(); err != nil { return }   // fixed: defer wg.Done()
 *          wg.Done()
 *      }()
 *  }
 *  wg.Wait()
 */
static go_waitgroup *error_path_wg;
static bool error_path_deferred_done;

static void error_path_job(void *arg) {
    bool failed = go_fz_bool();
    if (failed && !error_path_deferred_done) return;
    go_waitgroup_done(error_path_wg);
}

static void waitgroup_error_path(bool deferred_done) {
    error_path_wg = go_waitgroup_new();
    error_path_deferred_done = deferred_done;
    for (int i = 0; i < 3; i++) {
        go_waitgroup_add(error_path_wg, 1);
        go_go(error_path_job, NULL);
    }
    go_waitgroup_wait(error_path_wg);
}

static void waitgroup_error_path_buggy(void *arg) { waitgroup_error_path(false); }
static void waitgroup_error_path_fixed(void *arg) { waitgroup_error_path(true); }

/* ---- unlock_early_return: a return path that keeps the lock --------------
 *
 *  func (c *cache) get(k int) int {
 *      c.mu.Lock()                    // fixed: defer c.mu.Unlock()
 *      if k == 0 { return -1 }        // returns holding the lock
 *      v := c.m[k]
 *      c.mu.Unlock()
 *      return v
 *  }
 *  go c.get(rand.Intn(3)); go c.get(rand.Intn(3))
 */
static go_mutex *cache_mu;
static go_waitgroup *cache_wg;
static bool cache_deferred_unlock;

static void cache_get(void *arg) {
    go_word key = go_fz_intn(3);
    go_mutex_lock(cache_mu);
    if (key == 0) {
        if (cache_deferred_unlock) go_mutex_unlock(cache_mu);
        go_waitgroup_done(cache_wg);
        return;
    }
    go_mutex_unlock(cache_mu);
    go_waitgroup_done(cache_wg);
}

static void unlock_early_return(bool deferred) {
    cache_mu = go_mutex_new();
    cache_wg = go_waitgroup_new();
    cache_deferred_unlock = deferred;
    go_waitgroup_add(cache_wg, 2);
    go_go(cache_get, NULL);
    go_go(cache_get, NULL);
    go_waitgroup_wait(cache_wg);
}

static void unlock_early_return_buggy(void *arg) { unlock_early_return(false); }
static void unlock_early_return_fixed(void *arg) { unlock_early_return(true); }

/* ---- check_then_close: two goroutines close a channel "once" -------------
 *
 *  if atomic.LoadInt32(&closed) == 0 {   // fixed: closeOnce.Do(...)
 *      atomic.StoreInt32(&closed, 1)
 *      close(done)                       // both may get here: panic
 *  }
 */
static go_chan *close_done;
static go_atomic *close_flag;
static go_once *close_once;

static void close_done_channel(void *arg) { go_close(close_done); }

static void closer_racy(void *arg) {
    if (go_atomic_load(close_flag) == 0) {
        go_atomic_store(close_flag, 1);
        go_close(close_done);
    }
}

static void closer_once(void *arg) { go_once_do(close_once, close_done_channel, NULL); }

static void check_then_close(go_func *closer) {
    close_done = go_make_chan(0);
    close_flag = go_atomic_new(0);
    close_once = go_once_new();
    go_go(closer, NULL);
    go_go(closer, NULL);
    go_recv(close_done);
}

static void check_then_close_buggy(void *arg) { check_then_close(closer_racy); }
static void check_then_close_fixed(void *arg) { check_then_close(closer_once); }

/* ---- recursive_rlock: a read lock taken twice, a writer in between -------
 *
 *  func (s *store) total() int {
 *      s.mu.RLock(); defer s.mu.RUnlock()
 *      return s.sum()                 // sum() RLocks again: deadlock when a
 *  }                                  // writer queued in between
 */
static go_rwmutex *store_mu;
static go_waitgroup *store_wg;

static void store_writer(void *arg) {
    go_rwmutex_lock(store_mu);
    go_rwmutex_unlock(store_mu);
    go_waitgroup_done(store_wg);
}

static void recursive_rlock(bool recursive) {
    store_mu = go_rwmutex_new();
    store_wg = go_waitgroup_new();
    go_waitgroup_add(store_wg, 1);
    go_go(store_writer, NULL);
    go_rwmutex_rlock(store_mu);
    if (recursive) {
        go_rwmutex_rlock(store_mu); /* sum() */
        go_rwmutex_runlock(store_mu);
    }
    go_rwmutex_runlock(store_mu);
    go_waitgroup_wait(store_wg);
}

static void recursive_rlock_buggy(void *arg) { recursive_rlock(true); }
static void recursive_rlock_fixed(void *arg) { recursive_rlock(false); }

const demo_pattern demo_patterns[] = {
    {"first_result", "callers return after the first of 3 results: 2 senders block",
     first_result_buggy, first_result_fixed},
    {"range_unclosed", "range over a channel the producer never closes",
     range_unclosed_buggy, range_unclosed_fixed},
    {"waitgroup_error_path", "Done skipped on an error path: Wait blocks forever",
     waitgroup_error_path_buggy, waitgroup_error_path_fixed},
    {"unlock_early_return", "a return path keeps the Mutex: the next Lock blocks",
     unlock_early_return_buggy, unlock_early_return_fixed},
    {"check_then_close", "check-then-close race: close of closed channel",
     check_then_close_buggy, check_then_close_fixed},
    {"recursive_rlock", "RLock twice with a writer queued between: deadlock",
     recursive_rlock_buggy, recursive_rlock_fixed},
};

const int demo_pattern_count = (int)(sizeof demo_patterns / sizeof demo_patterns[0]);

/* ---- registrations ------------------------------------------------------ */

#define DEMO_SCENARIO(ident, summary, fixed_by, tag_list, found, also)        \
    CHANFUZZ_SCENARIO(ident##_scenario) = {                                   \
        .name = #ident,                                                       \
        .description = summary,                                               \
        .fix = fixed_by,                                                      \
        .tags = "demo " tag_list,                                             \
        .file = CHANFUZZ_HERE,                                                \
        .buggy = {ident##_buggy, .expect = found, .allow = also},             \
        .fixed = {ident##_fixed},                                             \
    }

DEMO_SCENARIO(first_result, "callers return after the first of 3 results: 2 senders block",
              "make(chan int, 3): every sender has room",
              "channel", CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK), 0);
DEMO_SCENARIO(range_unclosed, "range over a channel the producer never closes",
              "close(ch) after the last send", "channel",
              CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK), 0);
DEMO_SCENARIO(waitgroup_error_path, "Done skipped on an error path: Wait blocks forever",
              "defer wg.Done() as the job's first statement",
              "waitgroup", CHANFUZZ_KIND_BIT(CHANFUZZ_GLOBAL_DEADLOCK), 0);
DEMO_SCENARIO(unlock_early_return, "a return path keeps the Mutex: the next Lock blocks",
              "defer c.mu.Unlock() right after Lock",
              "mutex waitgroup", CHANFUZZ_KIND_BIT(CHANFUZZ_GLOBAL_DEADLOCK), 0);
DEMO_SCENARIO(check_then_close, "check-then-close race: close of closed channel",
              "closeOnce.Do(func() { close(done) })",
              "channel atomic once", CHANFUZZ_KIND_BIT(CHANFUZZ_PANIC), 0);
DEMO_SCENARIO(recursive_rlock, "RLock twice with a writer queued between: deadlock",
              "sum() does not RLock again",
              "rwmutex waitgroup", CHANFUZZ_KIND_BIT(CHANFUZZ_GLOBAL_DEADLOCK), 0);
