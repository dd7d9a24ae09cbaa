/* pool.h -- "your code": a worker pool written against chanfuzz's model of
 * Go (chanfuzz/go.h), the way a Go package would be modelled for chanfuzz.
 *
 * Each function runs `jobs` jobs on goroutines and returns on the first
 * failed one. The _v1 functions are the code as first written (each leaks
 * goroutines on that early return), the others the fix. */
#ifndef POOL_H
#define POOL_H

#include <stdbool.h>
#include <stddef.h>

/* Whether job `n` fails: the scenario decides (from the fuzz input). */
typedef bool pool_job(size_t n);

/* One goroutine per job, results on a channel:
 *   v1:    results := make(chan error)          -- senders after an early return block for ever
 *   fixed: results := make(chan error, jobs)    -- every send has room */
bool pool_fan_out_v1(size_t jobs, pool_job *job);
bool pool_fan_out(size_t jobs, pool_job *job);

/* `workers` long-lived goroutines ranging over a jobs channel:
 *   v1:    returns on the first error without close(jobs) -- the workers wait for ever
 *   fixed: defer close(jobs), and a done channel the workers also select on */
bool pool_workers_v1(size_t workers, size_t jobs, pool_job *job);
bool pool_workers(size_t workers, size_t jobs, pool_job *job);

#endif
