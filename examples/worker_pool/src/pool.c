/* pool.c -- the worker pool of pool.h. Go for each function is beside it. */
#include "pool.h"

#include <chanfuzz/go.h>

/* ---- fan out: one goroutine per job ----------------------------------------- */

/*   go func(n int) { results <- job(n) }(n) */
static void run_job(void *env) {
    go_chan *results = go_env_chan(env, 0);
    pool_job *job = (pool_job *)go_env_ptr(env, 1);
    size_t n = (size_t)go_env_word(env, 2);
    go_send(results, job(n) ? 1 : 0);
}

static bool fan_out(size_t jobs, pool_job *job, size_t capacity) {
    go_chan *results = go_make_chan(capacity);
    for (size_t n = 0; n < jobs; n++) go_go(run_job, go_closure(results, job, n));
    for (size_t n = 0; n < jobs; n++)
        if (go_recv(results)) return false; /* first error: return it */
    return true;
}

bool pool_fan_out_v1(size_t jobs, pool_job *job) { return fan_out(jobs, job, 0); }
bool pool_fan_out(size_t jobs, pool_job *job) { return fan_out(jobs, job, jobs); }

/* ---- long-lived workers over a jobs channel ----------------------------------- */

/*   for n := range jobs { results <- job(n) } */
static void worker_v1(void *env) {
    go_chan *jobs = go_env_chan(env, 0);
    go_chan *results = go_env_chan(env, 1);
    pool_job *job = (pool_job *)go_env_ptr(env, 2);
    go_word n;
    while (go_range(jobs, &n)) go_send(results, job((size_t)n) ? 1 : 0);
}

/*   for n := range jobs { select { case results <- job(n): case <-done: return } } */
static void worker(void *env) {
    go_chan *jobs = go_env_chan(env, 0);
    go_chan *results = go_env_chan(env, 1);
    pool_job *job = (pool_job *)go_env_ptr(env, 2);
    go_chan *done = go_env_chan(env, 3);
    go_word n;
    while (go_range(jobs, &n))
        if (go_select(go_case_send(results, job((size_t)n) ? 1 : 0), go_case_recv(done, NULL)) == 1)
            return;
}

static void close_chan(void *ch) { go_close((go_chan *)ch); }

/*   jobs := make(chan int); results := make(chan bool)
 *   for i := 0; i < workers; i++ { go worker(jobs, results) }
 *   for n := 0; n < count; n++ {
 *       jobs <- n
 *       if failed := <-results; failed { return false }   // v1: jobs never closed
 *   }
 *   close(jobs) */
bool pool_workers_v1(size_t workers, size_t count, pool_job *job) {
    go_chan *jobs = go_make_chan(0), *results = go_make_chan(0);
    for (size_t i = 0; i < workers; i++) go_go(worker_v1, go_closure(jobs, results, job));
    for (size_t n = 0; n < count; n++) {
        go_send(jobs, n);
        if (go_recv(results)) return false;
    }
    go_close(jobs);
    return true;
}

/*   done := make(chan struct{}); defer close(done); defer close(jobs) */
bool pool_workers(size_t workers, size_t count, pool_job *job) {
    go_chan *jobs = go_make_chan(0), *results = go_make_chan(0), *done = go_make_chan(0);
    go_defer(close_chan, done);
    go_defer(close_chan, jobs);
    for (size_t i = 0; i < workers; i++) go_go(worker, go_closure(jobs, results, job, done));
    for (size_t n = 0; n < count; n++) {
        go_send(jobs, n);
        if (go_recv(results)) return false;
    }
    return true;
}
