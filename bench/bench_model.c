/* bench_model.c -- rows 3 to 7: the model's own operations, each timed from
 * inside an execution.
 *
 * Every row is a scenario main (the execution's goroutine 1) that sets up,
 * brings every goroutine into its steady-state loop, then times `ops`
 * iterations with the monotonic clock. Under the first-ready decision
 * source nothing preempts, so the switches are exactly the ones the Go
 * program would make at GOMAXPROCS=1.
 *
 * The Go each row mirrors is quoted above it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

/* What a row's main receives, and what it hands back. */
typedef struct model_run {
    uint64_t ops;
    uint64_t elapsed_ns;
    bool stop;                   /* yield row: tells the partner to return */
    uint64_t partner_yields;     /* yield row: proves the partner ran */
    go_chan *ping;               /* ping-pong row */
    go_chan *pong;
} model_run;

go_config bench_config(void) {
    go_config config = {
        .decider = go_decider_first(),
        .record_trace = false,
        .step_budget = 1000000000u,
    };
    return config;
}

void bench_run_execution(const char *row, go_func *main_fn, void *arg) {
    go_config config = bench_config();
    go_exec *exec = go_exec_run(&config, main_fn, arg);
    if (go_exec_end(exec) != GO_END_RETURNED) {
        fprintf(stderr, "bench_runtime: row %s ended by %s (%s), not by main returning\n",
                row, go_end_name(go_exec_end(exec)), go_exec_message(exec));
        go_exec_write_goroutines(exec, stderr);
        exit(1);
    }
    go_exec_free(exec);
}

/* A row's loop produced a wrong value: the operation under test is broken,
 * so its timing means nothing. */
static void fail_row(const char *row, const char *what) {
    fprintf(stderr, "bench_runtime: row %s: %s\n", row, what);
    exit(1);
}

/* ---- 3. yield round trip ------------------------------------------------ */

/*  go func() { for !stop { runtime.Gosched() } }()
 *  for i := 0; i < ops; i++ { runtime.Gosched() }
 * Each of main's yields runs the partner, whose yield runs main again:
 * one op is two yields and two switches. */
static void yield_partner(void *arg) {
    model_run *run = arg;
    while (!run->stop) {
        go_yield();
        run->partner_yields++;
    }
}

static void yield_main(void *arg) {
    model_run *run = arg;
    go_go(yield_partner, run);
    go_yield(); /* the partner starts, and yields back from inside its loop */

    uint64_t start = bench_now_ns();
    for (uint64_t i = 0; i < run->ops; i++) go_yield();
    run->elapsed_ns = bench_now_ns() - start;

    /* A yield that returned without running the partner would look fast. */
    if (run->partner_yields != run->ops)
        fail_row("yield", "the partner did not run once per yield");
    run->stop = true;
    go_yield(); /* the partner sees stop and returns */
}

uint64_t bench_yield(uint64_t ops) {
    model_run run = {.ops = ops};
    bench_run_execution("yield", yield_main, &run);
    return run.elapsed_ns;
}

/* ---- 4. unbuffered ping-pong ------------------------------------------- */

/*  go func() { for v := range ping { pong <- v } }()
 *  for i := 1; i <= ops; i++ { ping <- i; <-pong }
 * The value 0 plays close(ping): it ends the partner without a close. */
static void pong_partner(void *arg) {
    model_run *run = arg;
    for (;;) {
        go_word v = go_recv(run->ping);
        if (v == 0) return;
        go_send(run->pong, v);
    }
}

static void pingpong_main(void *arg) {
    model_run *run = arg;
    run->ping = go_make_chan(0);
    run->pong = go_make_chan(0);
    go_go(pong_partner, run);
    go_send(run->ping, 1); /* the partner starts and blocks in its loop */
    if (go_recv(run->pong) != 1) fail_row("pingpong", "warm-up reply lost");

    uint64_t mismatches = 0;
    uint64_t start = bench_now_ns();
    for (uint64_t i = 1; i <= run->ops; i++) {
        go_send(run->ping, i);
        mismatches += go_recv(run->pong) != i;
    }
    run->elapsed_ns = bench_now_ns() - start;

    if (mismatches) fail_row("pingpong", "a reply did not echo its ping");
    go_send(run->ping, 0);
}

uint64_t bench_pingpong(uint64_t ops) {
    model_run run = {.ops = ops};
    bench_run_execution("pingpong", pingpong_main, &run);
    return run.elapsed_ns;
}

/* ---- 5. buffered send + receive ------------------------------------------ */

#define BUFFERED_CAPACITY 128

/*  ch := make(chan int, 128)
 *  for i := 0; i < ops; i++ { ch <- i; <-ch }
 * Nobody else is runnable, so neither operation is ever a decision or a
 * switch: this is the channel fast path alone. */
static void buffered_main(void *arg) {
    model_run *run = arg;
    go_chan *ch = go_make_chan(BUFFERED_CAPACITY);
    uint64_t mismatches = 0;

    uint64_t start = bench_now_ns();
    for (uint64_t i = 0; i < run->ops; i++) {
        go_send(ch, i);
        mismatches += go_recv(ch) != i;
    }
    run->elapsed_ns = bench_now_ns() - start;

    if (mismatches) fail_row("buffered", "a receive did not return what was sent");
}

uint64_t bench_buffered(uint64_t ops) {
    model_run run = {.ops = ops};
    bench_run_execution("buffered", buffered_main, &run);
    return run.elapsed_ns;
}

/* ---- 6. select over 4, one ready ------------------------------------------ */

/*  for {
 *      select {
 *      case <-a: case <-b: case <-c:      // never ready
 *      case v := <-ready:                  // always ready
 *      }
 *  }
 * The ready channel is buffered and refilled in batches with the clock
 * stopped, so the row times select alone; the two clock reads per batch of
 * BUFFERED_CAPACITY selects add well under 1 ns per op. The ready case is
 * last, so every pass scans all four. */
static void select_main(void *arg) {
    model_run *run = arg;
    go_chan *never_a = go_make_chan(0);
    go_chan *never_b = go_make_chan(0);
    go_chan *never_c = go_make_chan(0);
    go_chan *ready = go_make_chan(BUFFERED_CAPACITY);
    uint64_t elapsed = 0;
    uint64_t wrong = 0;

    for (uint64_t done = 0; done < run->ops;) {
        uint64_t batch = run->ops - done < BUFFERED_CAPACITY ? run->ops - done
                                                            : BUFFERED_CAPACITY;
        for (uint64_t i = 0; i < batch; i++) go_send(ready, i + 1);

        uint64_t start = bench_now_ns();
        for (uint64_t i = 0; i < batch; i++) {
            go_word v = 0;
            int chosen = go_select(go_case_recv(never_a, NULL), go_case_recv(never_b, NULL),
                                   go_case_recv(never_c, NULL), go_case_recv(ready, &v));
            wrong += chosen != 3 || v != i + 1;
        }
        elapsed += bench_now_ns() - start;
        done += batch;
    }
    run->elapsed_ns = elapsed;

    if (wrong) fail_row("select", "a select took a case that was not ready");
}

uint64_t bench_select4(uint64_t ops) {
    model_run run = {.ops = ops};
    bench_run_execution("select", select_main, &run);
    return run.elapsed_ns;
}

/* ---- 7. spawn + exit ------------------------------------------------------ */

/*  for i := 0; i < ops; i++ { go func() {}(); runtime.Gosched() }
 * The yield runs the new goroutine at once, and its exit switches back to
 * main: one op is a spawn, two switches and an exit, and the stack it used
 * is the one the next spawn takes from the pool. */
static void empty_goroutine(void *arg) { (void)arg; }

static void spawn_main(void *arg) {
    model_run *run = arg;
    go_go(empty_goroutine, NULL); /* warms the pooled stack and struct */
    go_yield();

    uint64_t start = bench_now_ns();
    for (uint64_t i = 0; i < run->ops; i++) {
        go_go(empty_goroutine, NULL);
        go_yield();
    }
    run->elapsed_ns = bench_now_ns() - start;
}

uint64_t bench_spawn_exit(uint64_t ops) {
    model_run run = {.ops = ops};
    bench_run_execution("spawn", spawn_main, &run);
    return run.elapsed_ns;
}
