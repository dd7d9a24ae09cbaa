/* test_detect_programs.c -- the detectors' precision as a property:
 * seeded random programs in which every goroutine provably exits produce
 * no finding, under seeded random schedules. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/findings.h>

#include "findings_listing.h"
#include "support.h"

/* Programs built from Go's termination-safe idioms, shaped by a seeded
 * PRNG and scheduled by another: every receive is matched by a send or a
 * close, every range channel is closed by its only writer once done, every
 * WaitGroup.Add is matched by Done, every cancel is called and every
 * ticker stopped. Each block is correct under every interleaving, so any
 * finding is a false alarm (or a runtime bug, which the panic checks in
 * the blocks would name). */
typedef enum block_kind {
    BLOCK_PIPELINE,         /* source -> stages -> runner, each closes its output */
    BLOCK_FAN_IN,           /* workers range over jobs; wg.Wait then close(results) */
    BLOCK_BUFFERED_TIMEOUT, /* make(chan, 1): the sender never waits on a timed-out receiver */
    BLOCK_CONTEXT_WORKERS,  /* workers select on send or ctx.Done(); cancel always called */
    BLOCK_TICKER_LOOP,      /* ticker loop that stops on done or after n ticks */
    BLOCK_MUTEX_COUNTER,    /* lock; n++; unlock; wg balanced */
    BLOCK_ONCE,             /* concurrent once.Do */
    BLOCK_PING_PONG,        /* unbuffered request/response, n rounds */
    BLOCK_SELECT_MERGE,     /* merge two closed channels, nil-ing each when done */
    BLOCK_COND_QUEUE,       /* producer/consumer on sync.Cond, predicate loop */
    BLOCK_KIND_COUNT
} block_kind;

static const char *const block_names[BLOCK_KIND_COUNT] = {
    "pipeline", "fan_in", "buffered_timeout", "context_workers", "ticker_loop",
    "mutex_counter", "once", "ping_pong", "select_merge", "cond_queue"};

#define MAX_STAGES 4
#define MAX_BLOCKS 5

typedef struct block {
    /* Shape, from the program's PRNG: */
    block_kind kind;
    int workers;            /* 1..3 */
    int items;              /* 0..5 */
    size_t capacity;        /* 0..2 */
    bool in_goroutine;      /* run by its own goroutine, not by main */
    bool with_timeout;      /* context workers: WithTimeout instead of WithCancel */
    /* State, made afresh by the execution that runs it: */
    go_chan *chans[MAX_STAGES + 1];
    go_waitgroup *wg;
    go_mutex *mu;
    go_cond *cond;
    go_once *once;
    go_context *ctx;
    int64_t counter;
    int queued;
} block;

typedef struct program {
    int block_count;
    block blocks[MAX_BLOCKS];
    bool main_waits;        /* main waits for the blocks run by goroutines */
    go_waitgroup *spawned;
} program;

static uint64_t splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int pick(uint64_t *state, int n) { return (int)(splitmix(state) % (uint64_t)n); }

/* The program lives in a static, as the README asks of objects shared
 * with goroutines: the runtime's collector scans C statics, not malloc'ed
 * memory, and must see the channels the blocks keep. */
static program the_program;

static program *program_generate(uint64_t seed) {
    program *p = &the_program;
    memset(p, 0, sizeof *p);
    uint64_t state = seed * 0x2545f4914f6cdd1dull;
    p->block_count = 1 + pick(&state, MAX_BLOCKS);
    p->main_waits = pick(&state, 2);
    for (int i = 0; i < p->block_count; i++) {
        block *b = &p->blocks[i];
        b->kind = (block_kind)pick(&state, BLOCK_KIND_COUNT);
        b->workers = 1 + pick(&state, 3);
        b->items = pick(&state, 6);
        b->capacity = (size_t)pick(&state, 3);
        b->in_goroutine = pick(&state, 2);
        b->with_timeout = pick(&state, 2);
    }
    return p;
}

static char *program_describe(const program *p) {
    char *description = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&description, &size);
    fprintf(out, "main_waits=%d\n", p->main_waits);
    for (int i = 0; i < p->block_count; i++) {
        const block *b = &p->blocks[i];
        fprintf(out, "  %s workers=%d items=%d capacity=%zu in_goroutine=%d timeout=%d\n",
                block_names[b->kind], b->workers, b->items, b->capacity, b->in_goroutine,
                b->with_timeout);
    }
    fclose(out);
    return description;
}

/* A block that finds its own invariant broken panics: a finding the
 * property fails on, naming the model bug. */
static void require(bool ok, const char *what) {
    if (!ok) go_panic(what);
}

/* pipeline: chans[0] fed by the source, chans[i] by stage i. */
static void pipeline_source(void *arg) {
    block *b = arg;
    for (int i = 0; i < b->items; i++) go_send(b->chans[0], i);
    go_close(b->chans[0]);
}

static void pipeline_stage(void *arg) {
    block *b = arg;
    /* Each stage takes the next link when it first runs, before its
     * first scheduling point, so no two take the same one. Which stage
     * gets which link does not matter: every channel still has one
     * writer, which closes it, and one reader. */
    int stage = (int)b->counter++;
    go_word v;
    while (go_range(b->chans[stage], &v)) go_send(b->chans[stage + 1], v);
    go_close(b->chans[stage + 1]);
}

static void run_pipeline(block *b) {
    for (int i = 0; i <= b->workers; i++) b->chans[i] = go_make_chan(b->capacity);
    b->counter = 0;
    go_go(pipeline_source, b);
    for (int i = 0; i < b->workers; i++) go_go(pipeline_stage, b);
    go_word v;
    int received = 0;
    while (go_range(b->chans[b->workers], &v)) received++;
    require(received == b->items, "pipeline lost items");
}

static void fan_in_worker(void *arg) {
    block *b = arg;
    go_word v;
    while (go_range(b->chans[0], &v)) {
        go_sleep(go_fz_duration(3 * GO_MS));
        go_send(b->chans[1], v);
    }
    go_waitgroup_done(b->wg);
}

static void fan_in_feeder(void *arg) {
    block *b = arg;
    for (int i = 0; i < b->items; i++) go_send(b->chans[0], i);
    go_close(b->chans[0]);
}

static void fan_in_closer(void *arg) {
    block *b = arg;
    go_waitgroup_wait(b->wg);
    go_close(b->chans[1]);
}

static void run_fan_in(block *b) {
    b->chans[0] = go_make_chan(b->capacity);
    b->chans[1] = go_make_chan(b->capacity);
    b->wg = go_waitgroup_new();
    go_waitgroup_add(b->wg, b->workers);
    for (int i = 0; i < b->workers; i++) go_go(fan_in_worker, b);
    go_go(fan_in_feeder, b);
    go_go(fan_in_closer, b);
    go_word v;
    int received = 0;
    while (go_range(b->chans[1], &v)) received++;
    require(received == b->items, "fan-in lost items");
}

static void timeout_sender(void *arg) {
    block *b = arg;
    go_sleep(go_fz_duration(5 * GO_MS));
    go_send(b->chans[0], 1);
}

static void run_buffered_timeout(block *b) {
    b->chans[0] = go_make_chan(1);
    go_go(timeout_sender, b);
    go_chan *timeout = go_after(go_fz_duration(5 * GO_MS));
    go_select(go_case_recv(b->chans[0], NULL), go_case_recv(timeout, NULL));
}

static void context_worker(void *arg) {
    block *b = arg;
    for (go_word v = 0;; v++)
        if (go_select(go_case_send(b->chans[0], v), go_case_recv(go_ctx_done(b->ctx), NULL)) == 1)
            return;
}

static void run_context_workers(block *b) {
    go_cancel_func *cancel;
    b->ctx = b->with_timeout ? go_with_timeout(go_background(), go_fz_duration(4 * GO_MS), &cancel)
                             : go_with_cancel(go_background(), &cancel);
    b->chans[0] = go_make_chan(b->capacity);
    for (int i = 0; i < b->workers; i++) go_go(context_worker, b);
    go_chan *done = go_ctx_done(b->ctx);
    for (int i = 0; i < b->items; i++)
        if (go_select(go_case_recv(b->chans[0], NULL), go_case_recv(done, NULL)) == 1)
            break; /* the timeout came first */
    go_cancel(cancel);
}

static void ticker_loop(void *arg) {
    block *b = arg;
    go_timer *t = go_ticker_new((go_duration)(1 + b->workers) * GO_MS);
    for (int ticks = 0; ticks < b->items + 1;) {
        if (go_select(go_case_recv(go_timer_chan(t), NULL), go_case_recv(b->chans[0], NULL)) == 1)
            break;
        ticks++;
    }
    go_timer_stop(t);
}

static void run_ticker_loop(block *b) {
    b->chans[0] = go_make_chan(0);
    go_go(ticker_loop, b);
    go_sleep(go_fz_duration(10 * GO_MS));
    go_close(b->chans[0]);
}

static void counter_worker(void *arg) {
    block *b = arg;
    for (int i = 0; i < b->items; i++) {
        go_mutex_lock(b->mu);
        int64_t seen = b->counter;
        go_yield(); /* a preemption inside the critical section */
        b->counter = seen + 1;
        go_mutex_unlock(b->mu);
    }
    go_waitgroup_done(b->wg);
}

static void run_mutex_counter(block *b) {
    b->mu = go_mutex_new();
    b->wg = go_waitgroup_new();
    b->counter = 0;
    for (int i = 0; i < b->workers; i++) {
        go_waitgroup_add(b->wg, 1);
        go_go(counter_worker, b);
    }
    go_waitgroup_wait(b->wg);
    require(b->counter == (int64_t)b->workers * b->items, "mutex lost an increment");
}

static void once_body(void *arg) {
    block *b = arg;
    go_sleep(go_fz_duration(GO_MS));
    b->counter++;
}

static void once_caller(void *arg) {
    block *b = arg;
    go_once_do(b->once, once_body, b);
    go_waitgroup_done(b->wg);
}

static void run_once(block *b) {
    b->once = go_once_new();
    b->wg = go_waitgroup_new();
    b->counter = 0;
    go_waitgroup_add(b->wg, b->workers);
    for (int i = 0; i < b->workers; i++) go_go(once_caller, b);
    go_waitgroup_wait(b->wg);
    require(b->counter == 1, "once ran more or less than once");
}

static void pong(void *arg) {
    block *b = arg;
    for (int i = 0; i < b->items; i++) go_send(b->chans[1], go_recv(b->chans[0]) + 1);
}

static void run_ping_pong(block *b) {
    b->chans[0] = go_make_chan(0);
    b->chans[1] = go_make_chan(0);
    go_go(pong, b);
    for (int i = 0; i < b->items; i++) {
        go_send(b->chans[0], (go_word)i);
        require(go_recv(b->chans[1]) == (go_word)i + 1, "pong answered wrong");
    }
}

static void merge_producer(void *arg) {
    go_chan **out = arg;
    go_send(*out, 1);
    go_send(*out, 2);
    go_close(*out);
}

static void run_select_merge(block *b) {
    b->chans[0] = go_make_chan(b->capacity);
    b->chans[1] = go_make_chan(0);
    go_go(merge_producer, &b->chans[0]);
    go_go(merge_producer, &b->chans[1]);
    go_chan *a = b->chans[0], *c = b->chans[1];
    int received = 0;
    while (a || c) {
        bool ok;
        int chosen = go_select(go_case_recv2(a, NULL, &ok), go_case_recv2(c, NULL, &ok));
        if (ok)
            received++;
        else if (chosen == 0)
            a = NULL; /* a nil channel is never ready: Go's idiom for a closed input */
        else
            c = NULL;
    }
    require(received == 4, "merge lost values");
}

static void cond_producer(void *arg) {
    block *b = arg;
    for (int i = 0; i < b->items; i++) {
        go_mutex_lock(b->mu);
        b->queued++;
        go_cond_signal(b->cond);
        go_mutex_unlock(b->mu);
    }
}

static void run_cond_queue(block *b) {
    b->mu = go_mutex_new();
    b->cond = go_cond_new(b->mu);
    b->queued = 0;
    go_go(cond_producer, b);
    for (int i = 0; i < b->items; i++) {
        go_mutex_lock(b->mu);
        while (b->queued == 0) go_cond_wait(b->cond);
        b->queued--;
        go_mutex_unlock(b->mu);
    }
}

static void run_block(block *b) {
    static void (*const runners[BLOCK_KIND_COUNT])(block *) = {
        run_pipeline, run_fan_in, run_buffered_timeout, run_context_workers, run_ticker_loop,
        run_mutex_counter, run_once, run_ping_pong, run_select_merge, run_cond_queue};
    runners[b->kind](b);
}

static program *running_program;

static void block_goroutine(void *arg) {
    run_block(arg);
    if (running_program->main_waits) go_waitgroup_done(running_program->spawned);
}

static void program_main(void *arg) {
    program *p = arg;
    running_program = p;
    p->spawned = go_waitgroup_new();
    for (int i = 0; i < p->block_count; i++) {
        block *b = &p->blocks[i];
        if (!b->in_goroutine) {
            run_block(b);
            continue;
        }
        if (p->main_waits) go_waitgroup_add(p->spawned, 1);
        go_go(block_goroutine, b);
    }
    if (p->main_waits) go_waitgroup_wait(p->spawned);
}

Test(property, programs_in_which_every_goroutine_exits_have_no_finding, .timeout = 300) {
    int kinds_run[BLOCK_KIND_COUNT] = {0};
    for (uint64_t seed = 1; seed <= 2000; seed++) {
        program *p = program_generate(seed);
        go_exec *e = run_seeded(program_main, p, seed);
        chanfuzz_findings *f = chanfuzz_detect(e, NULL);
        cr_assert_not_null(f);
        if (f->count) {
            char *description = program_describe(p);
            cr_assert_fail("seed %llu: %s %s\n%sprogram: %s", (unsigned long long)seed,
                           go_end_name(go_exec_end(e)), go_exec_message(e), listing(f),
                           description);
        }
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
        for (int i = 0; i < p->block_count; i++) kinds_run[p->blocks[i].kind]++;
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
    for (int k = 0; k < BLOCK_KIND_COUNT; k++)
        cr_expect_gt(kinds_run[k], 100, "%s ran in %d programs", block_names[k], kinds_run[k]);
}

/* Go 1.22 keeps an unstopped Ticker for ever, so the timer detector judges
 * it there too: the same correct programs (every ticker stopped) stay
 * clean under the older semantics. */
Test(property, correct_programs_have_no_finding_under_go_1_22_timers, .timeout = 300) {
    for (uint64_t seed = 1; seed <= 500; seed++) {
        program *p = program_generate(seed);
        go_prng_source src;
        go_config cfg = {.decider = go_decider_prng(&src, seed, 2),
                         .semantics = GO_SEMANTICS_1_22};
        go_exec *e = go_exec_run(&cfg, program_main, p);
        chanfuzz_findings *f = chanfuzz_detect(e, NULL);
        cr_assert_not_null(f);
        if (f->count)
            cr_assert_fail("seed %llu (Go 1.22): %s\n%sprogram: %s", (unsigned long long)seed,
                           go_end_name(go_exec_end(e)), listing(f), program_describe(p));
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
}

/* Stress mode: a correct program run as the body of a stress loop holds
 * the same memory after every round (each round's objects are garbage by
 * the next checkpoint), so the growth detector must not call it growth.
 * Main waits for its blocks, and each round ends with a sleep long enough
 * for every timer a block armed; preemption (and with it the decision to
 * let the clock jump while a straggler is runnable) is made vanishingly
 * rare, so no round's stragglers -- a timeout's late sender reads its
 * block's channel when it wakes -- touch the next round's state. The
 * schedule among runnable goroutines and the data stay random. */
static void program_round(void *arg) {
    program_main(arg);
    go_sleep(GO_S);
}

static void program_stress(void *arg) { go_stress(program_round, arg, 36, 3); }

Test(property, correct_programs_run_as_stress_bodies_do_not_grow, .timeout = 300) {
    for (uint64_t seed = 1; seed <= 400; seed++) {
        program *p = program_generate(seed);
        p->main_waits = true;
        go_prng_source src;
        go_config cfg = {.decider = go_decider_prng(&src, seed, UINT32_MAX)};
        go_exec *e = go_exec_run(&cfg, program_stress, p);
        chanfuzz_findings *f = chanfuzz_detect(e, NULL);
        cr_assert_not_null(f);
        cr_assert_eq(go_exec_checkpoint_count(e), 12, "seed %llu: %s %s",
                     (unsigned long long)seed, go_end_name(go_exec_end(e)), go_exec_message(e));
        if (f->count)
            cr_assert_fail("seed %llu (stress): %s\n%sprogram: %s", (unsigned long long)seed,
                           go_end_name(go_exec_end(e)), listing(f), program_describe(p));
        chanfuzz_findings_free(f);
        go_exec_free(e);
    }
}
