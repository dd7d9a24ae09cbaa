/* sources_fixtures.h -- scenarios and helpers shared by the tests of the
 * harness's decision sources (fuzz bytes, PCT, exhaustive, trace files). */
#ifndef CF_SOURCES_FIXTURES_H
#define CF_SOURCES_FIXTURES_H

#include <chanfuzz/sources.h>
#include <chanfuzz/tracefile.h>

#include "support.h"

/* Every kind of decision: workers on a job channel under a mutex, results
 * sent with a timeout (timers, ties), scenario data, and, by data, a
 * leaked goroutine or a panic, so that runs end in different ways. */
typedef struct {
    go_chan *jobs, *results;
    go_mutex *mu;
    go_waitgroup *wg;
    int64_t total;
} mixed_case;

/* A fixed decision sequence whatever the answers: data over 1000, then a
 * select over three ready channels, eight times (only main runs, no
 * timers: no scheduling decision is ever asked). */
typedef struct {
    uint64_t data[8];
    int chosen[8];
} fixed_record;

/* The lost update: load and store are separate steps, so a preemption
 * between one goroutine's load and its store, with the other's load in
 * between, loses an increment. No schedule without a preemption does. */
typedef struct {
    go_atomic *x;
    go_waitgroup *wg;
} lost_case;

void mixed_worker(void *arg);
void forever_blocked(void *arg);
void mixed_main(void *arg);
void fixed_main(void *arg);
void add_once(void *arg);
void two_adds_main(void *arg);
void two_ready_main(void *arg);
void two_data_main(void *arg);
void large_data_main(void *arg);
void incrementer(void *arg);
void lost_update_main(void *arg);
uint64_t splitmix(uint64_t *state);
void random_bytes(uint64_t *state, uint8_t *out, size_t size);
go_exec *run_bytes(go_func *fn, void *arg, const uint8_t *data, size_t size, chanfuzz_fuzz_bytes *src);
char *bytes_trace(go_func *fn, const uint8_t *data, size_t size);
size_t preemptions_in(const go_exec *e);

#endif
