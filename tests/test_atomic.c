/* test_atomic.c -- sync/atomic.Int64 (Go 1.23), one test per rule: the
 * values of Load, Store, Add and CompareAndSwap, and every access being a
 * scheduling point, so that lock-free races are explored: a read-modify-
 * write made of Load then Store can lose an update, Add and a CAS loop
 * never do. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "support.h"

/* ---- values ---------------------------------------------------------------- */

typedef struct {
    int64_t initial, after_store, add_result, after_add;
    bool cas_hit, cas_miss;
    int64_t after_cas;
    int64_t wrapped;
} values_case;

static void values_main(void *arg) {
    values_case *t = arg;
    go_atomic *a = go_atomic_new(-7);
    t->initial = go_atomic_load(a);
    go_atomic_store(a, 40);
    t->after_store = go_atomic_load(a);
    t->add_result = go_atomic_add(a, 2);
    t->after_add = go_atomic_load(a);
    t->cas_miss = go_atomic_cas(a, 41, 100);  /* value is 42: no swap */
    t->cas_hit = go_atomic_cas(a, 42, -1);
    t->after_cas = go_atomic_load(a);
    go_atomic *big = go_atomic_new(INT64_MAX);
    t->wrapped = go_atomic_add(big, 1);        /* two's complement, as Go */
}

Test(atomic, load_store_add_and_cas_give_go_values) {
    values_case t = {0};
    go_exec *e = run_first(values_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_eq(t.initial, -7);
    cr_expect_eq(t.after_store, 40);
    cr_expect_eq(t.add_result, 42, "Add returns the new value");
    cr_expect_eq(t.after_add, 42);
    cr_expect_not(t.cas_miss);
    cr_expect(t.cas_hit);
    cr_expect_eq(t.after_cas, -1);
    cr_expect_eq(t.wrapped, INT64_MIN);
    go_exec_free(e);
}

/* ---- each access is a scheduling point ------------------------------------ */

typedef enum { OP_LOAD, OP_STORE, OP_ADD, OP_CAS } atomic_op;

typedef struct {
    atomic_op op;
    go_atomic *a;
    int64_t result;          /* what main observed */
} point_case;

static void store_five(void *arg) { go_atomic_store(((point_case *)arg)->a, 5); }

/* Goroutine 2, which stores 5, is runnable when main makes its access:
 * preempting there lets 2's Store come first, and main observes it. */
static void point_main(void *arg) {
    point_case *t = arg;
    t->a = go_atomic_new(0);
    go_go(store_five, t);
    switch (t->op) {
    case OP_LOAD:
        t->result = go_atomic_load(t->a);
        break;
    case OP_STORE:             /* whichever Store comes last stays */
        go_atomic_store(t->a, 9);
        go_yield();
        t->result = go_atomic_load(t->a);
        break;
    case OP_ADD:
        t->result = go_atomic_add(t->a, 1);
        break;
    case OP_CAS:
        t->result = go_atomic_cas(t->a, 5, 7);
        break;
    }
}

static void expect_scheduling_point(atomic_op op, int64_t unpreempted, int64_t preempted) {
    point_case plain = {.op = op};
    go_exec *e = run_first(point_main, &plain);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(plain.result, unpreempted, "without preemption");
    go_exec_free(e);

    point_case t = {.op = op};
    static const uint64_t preempt_at_access[] = {1};
    e = run_answers(point_main, &t, preempt_at_access, 1);
    size_t made;
    const go_decision *log = go_exec_decisions(e, &made);
    cr_assert_geq(made, 1);
    cr_expect_eq(log[0].kind, GO_DECIDE_PREEMPT, "the access asked whether to preempt");
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(t.result, preempted, "preempted at the access");
    go_exec_free(e);
}

Test(atomic, load_is_a_scheduling_point) { expect_scheduling_point(OP_LOAD, 0, 5); }
Test(atomic, store_is_a_scheduling_point) { expect_scheduling_point(OP_STORE, 5, 9); }
Test(atomic, add_is_a_scheduling_point) { expect_scheduling_point(OP_ADD, 1, 6); }
Test(atomic, cas_is_a_scheduling_point) { expect_scheduling_point(OP_CAS, 0, 1); }

/* ---- lost updates: reachable with Load+Store, never with Add or CAS ------- */

enum { WORKERS = 3, ROUNDS = 4 };

typedef enum { LOAD_THEN_STORE, ADD, CAS_LOOP } increment;

typedef struct {
    increment how;
    go_atomic *a;
    go_chan *done;
    int64_t final;
    int cas_failures;
} race_case;

static void incrementer(void *arg) {
    race_case *t = arg;
    for (int i = 0; i < ROUNDS; i++) {
        switch (t->how) {
        case LOAD_THEN_STORE: {
            int64_t v = go_atomic_load(t->a);
            go_atomic_store(t->a, v + 1);
            break;
        }
        case ADD:
            go_atomic_add(t->a, 1);
            break;
        case CAS_LOOP:
            for (;;) {
                int64_t v = go_atomic_load(t->a);
                if (go_atomic_cas(t->a, v, v + 1)) break;
                t->cas_failures++;
            }
            break;
        }
    }
    go_send(t->done, 1);
}

static void race_main(void *arg) {
    race_case *t = arg;
    t->a = go_atomic_new(0);
    t->done = go_make_chan(0);
    for (int i = 0; i < WORKERS; i++) go_go(incrementer, t);
    for (int i = 0; i < WORKERS; i++) go_recv(t->done);
    t->final = go_atomic_load(t->a);
}

typedef struct {
    int lost;                /* seeds whose final value fell short */
    int cas_failures;        /* failed CAS attempts over all seeds */
} race_tally;

static race_tally run_race(increment how) {
    race_tally tally = {0, 0};
    for (uint64_t seed = 0; seed < 200; seed++) {
        race_case t = {.how = how};
        go_exec *e = run_seeded(race_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        cr_assert_leq(t.final, WORKERS * ROUNDS);
        tally.lost += t.final < WORKERS * ROUNDS;
        tally.cas_failures += t.cas_failures;
        go_exec_free(e);
    }
    return tally;
}

Test(atomic, load_then_store_can_lose_an_update) {
    race_tally tally = run_race(LOAD_THEN_STORE);
    cr_expect_gt(tally.lost, 0, "some interleaving put a Store between a Load and its Store");
    cr_expect_lt(tally.lost, 200, "and some did not");
}

Test(atomic, add_never_loses_an_update) {
    race_tally tally = run_race(ADD);
    cr_expect_eq(tally.lost, 0);
}

Test(atomic, a_cas_loop_never_loses_an_update) {
    race_tally tally = run_race(CAS_LOOP);
    cr_expect_eq(tally.lost, 0);
    /* The loop was needed: some CAS found the value moved and retried. */
    cr_expect_gt(tally.cas_failures, 0);
}
