/* afterfunc_not_stopped.c -- pattern 10: a watchdog AfterFunc whose
 * closure captures the job's 64 KiB buffer. On the error path the job
 * returns without stopping it, so the pending timer keeps the closure, and
 * the buffer, alive for two hours after the job is gone.
 *
 *  func process(job *Job, wg *sync.WaitGroup) error {
 *      defer wg.Done()
 *      buf := make([]byte, 64<<10)
 *      watchdog := time.AfterFunc(2*time.Hour, func() {
 *          log.Printf("job %d stuck, %d bytes buffered", job.ID, len(buf))
 *      })
 *      // fixed: defer watchdog.Stop()
 *      if err := fetch(job, buf); err != nil {
 *          return err                    // the watchdog stays armed
 *      }
 *      watchdog.Stop()
 *      return nil
 *  }
 *
 *  func fetch(job *Job, buf []byte) error {
 *      time.Sleep(rand duration up to 10ms)
 *      if rand.Intn(2) == 1 {
 *          return errFetch
 *      }
 *      return nil
 *  }
 *
 *  func main() {
 *      var wg sync.WaitGroup
 *      for id := 0; id < 3; id++ {
 *          wg.Add(1)
 *          go process(&Job{ID: id}, &wg)
 *      }
 *      wg.Wait()
 *  }
 *
 * Differences from Go: process's arguments travel in a closure (job, wg);
 * each defer is a go_defer of a helper making the call. Two
 * hours lies beyond the settle time (one hour), so at the end the watchdog
 * is still pending -- as it is in a Go program that went on serving. */
#include <chanfuzz/scenario.h>

enum { BUFFER_BYTES = 64 << 10, JOBS = 3 };

static bool stop_deferred;

typedef struct job {
    go_word id;
} job;

/* func() { log.Printf("job %d stuck, %d bytes buffered", job.ID, len(buf)) } */
static void report_stuck(void *env) {
    job *j = go_env_ptr(env, 0);
    char *buf = go_env_ptr(env, 1);
    (void)j;
    (void)buf;
}

static void stop_watchdog(void *watchdog) { go_timer_stop((go_timer *)watchdog); }
static void done(void *wg) { go_waitgroup_done((go_waitgroup *)wg); }

static const go_error fetch_failed = {"fetch failed"};

static const go_error *fetch(job *j, char *buf) {
    (void)j;
    (void)buf;
    go_sleep(go_fz_duration(10 * GO_MS));
    if (go_fz_bool()) return &fetch_failed;
    return NULL;
}

static void process(void *env) {
    job *j = go_env_ptr(env, 0);
    go_waitgroup *wg = go_env_ptr(env, 1);
    go_defer(done, wg);
    char *buf = go_alloc(BUFFER_BYTES);
    go_timer *watchdog = go_after_func(2 * 60 * 60 * GO_S, report_stuck, go_closure(j, buf));
    if (stop_deferred) go_defer(stop_watchdog, watchdog);
    if (fetch(j, buf) != NULL) return;
    go_timer_stop(watchdog);
}

static void run(bool deferred) {
    stop_deferred = deferred;
    go_waitgroup *wg = go_waitgroup_new();
    for (go_word id = 0; id < JOBS; id++) {
        go_waitgroup_add(wg, 1);
        job *j = go_alloc(sizeof(job));
        j->id = id;
        go_go(process, go_closure(j, wg));
    }
    go_waitgroup_wait(wg);
}

static void afterfunc_not_stopped_buggy(void *arg) { (void)arg; run(false); }
static void afterfunc_not_stopped_fixed(void *arg) { (void)arg; run(true); }

CHANFUZZ_SCENARIO(afterfunc_not_stopped) = {
    .name = "afterfunc_not_stopped",
    .description = "a watchdog AfterFunc not stopped on the error path keeps its 64 KiB buffer alive",
    .fix = "defer watchdog.Stop() right after time.AfterFunc",
    .tags = "timer closure waitgroup pattern",
    .file = CHANFUZZ_HERE,
    .buggy = {afterfunc_not_stopped_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_UNRELEASED_CLOSURE)},
    .fixed = {afterfunc_not_stopped_fixed},
};
