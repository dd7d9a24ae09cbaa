/* test_chan.c -- channel rules of the Go specification, one test each,
 * parameterized over capacities 0, 1 and N where the rule allows. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "support.h"

static size_t capacities[] = {0, 1, 4};

/* ---- values pass in FIFO order, through any capacity ---------------- */

typedef struct {
    size_t capacity;
    go_chan *ch;
    go_word got[8];
    bool oks[8];
} fifo_case;

static void fifo_producer(void *arg) {
    fifo_case *t = arg;
    for (go_word i = 1; i <= 6; i++) go_send(t->ch, i * 10);
    go_close(t->ch);
}

static void fifo_main(void *arg) {
    fifo_case *t = arg;
    t->ch = go_make_chan(t->capacity);
    go_go(fifo_producer, t);
    for (int i = 0; i < 8; i++) t->got[i] = go_recv2(t->ch, &t->oks[i]);
}

ParameterizedTestParameters(chan, values_arrive_in_fifo_order_then_zero_and_not_ok) {
    return cr_make_param_array(size_t, capacities, 3);
}

ParameterizedTest(size_t *capacity, chan, values_arrive_in_fifo_order_then_zero_and_not_ok) {
    for (uint64_t seed = 0; seed < 50; seed++) {
        fifo_case t = {.capacity = *capacity};
        go_exec *e = run_seeded(fifo_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu", (unsigned long long)seed);
        for (int i = 0; i < 6; i++) {
            cr_expect_eq(t.got[i], (go_word)(i + 1) * 10);
            cr_expect(t.oks[i]);
        }
        cr_expect_eq(t.got[6], 0);
        cr_expect_not(t.oks[6]);
        cr_expect_not(t.oks[7]);
        go_exec_free(e);
    }
}

/* ---- an unbuffered send completes only at hand-off ------------------ */

typedef struct {
    go_chan *ch;
    go_atomic *sent;
} handoff_case;

static void handoff_sender(void *arg) {
    handoff_case *t = arg;
    go_send(t->ch, 7);
    go_atomic_store(t->sent, 1);
}

static void handoff_main(void *arg) {
    handoff_case *t = arg;
    t->ch = go_make_chan(0);
    t->sent = go_atomic_new(0);
    go_go(handoff_sender, t);
    for (int i = 0; i < 5; i++) go_yield();
    /* The sender has had every chance to run: it must still be blocked. */
    cr_assert_eq(go_atomic_load(t->sent), 0);
    cr_assert_eq(go_recv(t->ch), 7);
}

Test(chan, unbuffered_send_completes_only_at_handoff) {
    handoff_case t;
    go_exec *e = run_first(handoff_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(state_of(e, 2), GO_STATE_EXITED);
    go_exec_free(e);
}

/* ---- a sender whose receiver never comes is left blocked ------------ */

static void lone_sender(void *arg) { go_send((go_chan *)arg, 1); }

static void abandon_sender_main(void *arg) {
    go_chan *ch = go_make_chan(0);
    go_go(lone_sender, ch);
    go_yield();
}

Test(chan, blocked_sender_is_left_blocked_with_chan_send) {
    go_exec *e = run_first(abandon_sender_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_CHAN_SEND);
    cr_expect_eq(g->object_kind, GO_OBJ_CHAN);
    cr_expect_eq(g->object_id, 1);
    cr_expect_str_eq(g->entry_name, "lone_sender");
    cr_expect_str_eq(g->wait_site->func, "lone_sender");
    cr_expect_eq(g->creator_id, 1);
    char *dump = dump_text(e);
    cr_expect(strstr(dump, "goroutine 2 [chan send") != NULL, "%s", dump);
    cr_expect(strstr(dump, "send on chan#1 (unbuffered, 1 sender and 0 receivers waiting") !=
                  NULL, "%s", dump);
    cr_expect(strstr(dump, "created by abandon_sender_main in goroutine 1 at tests/test_chan.c:") !=
                  NULL, "%s", dump);
    free(dump);
    go_exec_free(e);
}
