/* sources_fixtures.c -- see sources_fixtures.h. */
#include "sources_fixtures.h"

#include <stdlib.h>
#include <string.h>

/* ---- scenarios -------------------------------------------------------------- */


void mixed_worker(void *arg) {
    mixed_case *t = arg;
    go_word job;
    while (go_range(t->jobs, &job)) {
        go_mutex_lock(t->mu);
        t->total += (int64_t)job;
        go_mutex_unlock(t->mu);
        go_select(go_case_send(t->results, job),
                  go_case_recv(go_after(go_fz_duration(3 * GO_MS)), NULL));
    }
    go_waitgroup_done(t->wg);
}

void forever_blocked(void *arg) { go_recv((go_chan *)arg); }

void mixed_main(void *arg) {
    mixed_case t = {go_make_chan(1), go_make_chan(1), go_mutex_new(), go_waitgroup_new(), 0};
    go_waitgroup_add(t.wg, 2);
    go_go(mixed_worker, &t);
    go_go(mixed_worker, &t);
    if (go_fz_bool()) go_go(forever_blocked, go_make_chan(0));
    for (go_word j = 1; j <= 5; j++) go_send(t.jobs, j + go_fz_intn(3));
    go_close(t.jobs);
    go_select(go_case_recv(t.results, NULL), go_case_recv(go_after(2 * GO_MS), NULL));
    go_waitgroup_wait(t.wg);
    if (go_fz_intn(8) == 7) go_panic("unlucky datum");
}


void fixed_main(void *arg) {
    fixed_record *r = arg;
    go_chan *c[3] = {go_make_chan(1), go_make_chan(1), go_make_chan(1)};
    for (int i = 0; i < 3; i++) go_send(c[i], 0);
    for (int i = 0; i < 8; i++) {
        r->data[i] = go_fz_intn(1000);
        r->chosen[i] = go_select(go_case_recv(c[0], NULL), go_case_recv(c[1], NULL),
                                 go_case_recv(c[2], NULL));
        go_send(c[r->chosen[i]], 0);
    }
}

/* Two increments that each need one indivisible step. */
void add_once(void *arg) { go_atomic_add((go_atomic *)arg, 1); }

void two_adds_main(void *arg) {
    go_atomic *x = go_atomic_new(0);
    go_go(add_once, x);
    go_go(add_once, x);
}

void two_ready_main(void *arg) {
    go_chan *a = go_make_chan(1), *b = go_make_chan(1);
    go_send(a, 1);
    go_send(b, 2);
    go_select(go_case_recv(a, NULL), go_case_recv(b, NULL));
}

void two_data_main(void *arg) {
    go_fz_intn(3);
    go_fz_intn(3);
}

void large_data_main(void *arg) { go_fz_duration(10 * GO_S); }


void incrementer(void *arg) {
    lost_case *t = arg;
    int64_t v = go_atomic_load(t->x);
    go_atomic_store(t->x, v + 1);
    go_waitgroup_done(t->wg);
}

void lost_update_main(void *arg) {
    lost_case t = {go_atomic_new(0), go_waitgroup_new()};
    go_waitgroup_add(t.wg, 2);
    go_go(incrementer, &t);
    go_go(incrementer, &t);
    go_waitgroup_wait(t.wg);
    if (go_atomic_load(t.x) != 2) go_panic("lost update");
}

/* ---- helpers ------------------------------------------------------------------ */

uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void random_bytes(uint64_t *state, uint8_t *out, size_t size) {
    for (size_t i = 0; i < size; i++) out[i] = (uint8_t)splitmix(state);
}

go_exec *run_bytes(go_func *fn, void *arg, const uint8_t *data, size_t size,
                          chanfuzz_fuzz_bytes *src) {
    go_config cfg = {.decider = chanfuzz_fuzz_bytes_decider(src, data, size),
                     .record_trace = true};
    return go_exec_run(&cfg, fn, arg);
}

char *bytes_trace(go_func *fn, const uint8_t *data, size_t size) {
    chanfuzz_fuzz_bytes src;
    go_exec *e = run_bytes(fn, NULL, data, size, &src);
    char *text = trace_text(e);
    go_exec_free(e);
    return text;
}

size_t preemptions_in(const go_exec *e) {
    size_t n, count = 0;
    const go_decision *d = go_exec_decisions(e, &n);
    for (size_t i = 0; i < n; i++) count += d[i].kind == GO_DECIDE_PREEMPT && d[i].answer == 1;
    return count;
}
