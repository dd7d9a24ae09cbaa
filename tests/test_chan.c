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
    /* Up to capacity values go in without a receiver. */
    for (size_t i = 0; i < t->capacity; i++) go_send(t->ch, 0);
    for (size_t i = 0; i < t->capacity; i++) go_recv(t->ch);
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

/* ---- len and cap ---------------------------------------------------- */

static void len_cap_main(void *arg) {
    size_t capacity = *(size_t *)arg;
    go_chan *ch = go_make_chan(capacity);
    cr_assert_eq(go_cap(ch), capacity);
    cr_assert_eq(go_len(ch), 0);
    for (size_t i = 0; i < capacity; i++) go_send(ch, i);
    cr_assert_eq(go_len(ch), capacity);
    if (capacity) go_recv(ch);
    cr_assert_eq(go_len(ch), capacity ? capacity - 1 : 0);
    cr_assert_eq(go_len(NULL), 0);
    cr_assert_eq(go_cap(NULL), 0);
}

ParameterizedTestParameters(chan, len_counts_buffered_values_and_cap_is_capacity) {
    return cr_make_param_array(size_t, capacities, 3);
}

ParameterizedTest(size_t *capacity, chan, len_counts_buffered_values_and_cap_is_capacity) {
    go_exec *e = run_first(len_cap_main, capacity);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    go_exec_free(e);
}

/* ---- a full buffer blocks the sender; a receive lets it in, in order -- */

static void refill_sender(void *arg) { go_send((go_chan *)arg, 3); }

static void refill_main(void *arg) {
    go_word *got = arg;
    go_chan *ch = go_make_chan(2);
    go_send(ch, 1);
    go_send(ch, 2);
    go_go(refill_sender, ch);
    go_yield(); /* the sender blocks: the buffer is full */
    for (int i = 0; i < 3; i++) got[i] = go_recv(ch);
}

Test(chan, full_buffer_blocks_sender_until_a_receive_makes_room_keeping_fifo) {
    go_word got[3];
    go_exec *e = run_first(refill_main, got);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(got[0], 1);
    cr_expect_eq(got[1], 2);
    cr_expect_eq(got[2], 3);
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event block g2 chan#1 [chan send]") != NULL, "%s", trace);
    free(trace);
    go_exec_free(e);
}

/* ---- closing ---------------------------------------------------------- */

static void send_on_closed_main(void *arg) {
    go_chan *ch = go_make_chan(*(size_t *)arg);
    go_close(ch);
    go_send(ch, 1);
}

ParameterizedTestParameters(chan, send_on_closed_channel_panics) {
    return cr_make_param_array(size_t, capacities, 3);
}

ParameterizedTest(size_t *capacity, chan, send_on_closed_channel_panics) {
    go_exec *e = run_first(send_on_closed_main, capacity);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "send on closed channel");
    const go_goroutine_info *g = info_of(e, 1);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_FAILED);
    cr_expect_str_eq(g->wait_site->func, "send_on_closed_main");
    go_exec_free(e);
}

static void close_closed_main(void *arg) {
    go_chan *ch = go_make_chan(*(size_t *)arg);
    go_close(ch);
    go_close(ch);
}

ParameterizedTestParameters(chan, close_of_closed_channel_panics) {
    return cr_make_param_array(size_t, capacities, 3);
}

ParameterizedTest(size_t *capacity, chan, close_of_closed_channel_panics) {
    go_exec *e = run_first(close_closed_main, capacity);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "close of closed channel");
    go_exec_free(e);
}

static void close_nil_main(void *arg) { go_close(NULL); }

Test(chan, close_of_nil_channel_panics) {
    go_exec *e = run_first(close_nil_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "close of nil channel");
    go_exec_free(e);
}

typedef struct {
    go_chan *ch;
    go_word value[3];
    bool ok[3];
} waiters_case;

static void closed_receiver(void *arg) {
    waiters_case *t = arg;
    uint64_t i = go_goroutine_id() - 2;
    t->value[i] = go_recv2(t->ch, &t->ok[i]);
}

static void close_wakes_receivers_main(void *arg) {
    waiters_case *t = arg;
    t->ch = go_make_chan(0);
    for (int i = 0; i < 3; i++) go_go(closed_receiver, t);
    go_yield(); /* all three block */
    go_close(t->ch);
}

Test(chan, close_wakes_every_blocked_receiver_with_zero_and_not_ok) {
    waiters_case t;
    memset(&t, 0xff, sizeof t);
    go_exec *e = run_first(close_wakes_receivers_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(t.value[i], 0);
        cr_expect_not(t.ok[i]);
        cr_expect_eq(state_of(e, 2 + i), GO_STATE_EXITED);
    }
    go_exec_free(e);
}

static void doomed_sender(void *arg) { go_send((go_chan *)arg, 5); }

static void close_wakes_senders_main(void *arg) {
    go_chan *ch = go_make_chan(0);
    go_go(doomed_sender, ch);
    go_yield();
    go_close(ch);
    go_yield(); /* the sender runs and panics */
}

Test(chan, close_makes_a_blocked_sender_panic) {
    go_exec *e = run_first(close_wakes_senders_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "send on closed channel");
    const go_goroutine_info *g = info_of(e, 2);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_FAILED);
    cr_expect_str_eq(g->wait_site->func, "doomed_sender");
    go_exec_free(e);
}

/* ---- range ------------------------------------------------------------ */

static void range_producer(void *arg) {
    go_chan *ch = arg;
    for (go_word i = 1; i <= 4; i++) go_send(ch, i);
    go_close(ch);
}

static void range_main(void *arg) {
    go_word *sum = arg;
    go_chan *ch = go_make_chan(1);
    go_go(range_producer, ch);
    go_word v;
    while (go_range(ch, &v)) *sum += v;
}

Test(chan, range_receives_until_close) {
    for (uint64_t seed = 0; seed < 30; seed++) {
        go_word sum = 0;
        go_exec *e = run_seeded(range_main, &sum, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
        cr_expect_eq(sum, 10);
        cr_expect_eq(go_exec_goroutine_count(e), 0);
        go_exec_free(e);
    }
}

static void range_never_closed_producer(void *arg) {
    go_chan *ch = arg;
    for (go_word i = 1; i <= 4; i++) go_send(ch, i);
}

static void range_consumer(void *arg) {
    go_word v;
    while (go_range((go_chan *)arg, &v)) {
    }
}

static void range_leak_main(void *arg) {
    go_chan *ch = go_make_chan(0);
    go_go(range_never_closed_producer, ch);
    go_go(range_consumer, ch);
}

Test(chan, range_over_a_channel_never_closed_leaves_the_receiver_blocked) {
    go_exec *e = run_first(range_leak_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    const go_goroutine_info *g = info_of(e, 3);
    cr_assert_not_null(g);
    cr_expect_eq(g->state, GO_STATE_BLOCKED);
    cr_expect_eq(g->wait_reason, GO_WAIT_CHAN_RECV);
    go_exec_free(e);
}

/* ---- nil channels ------------------------------------------------------ */

static void nil_sender(void *arg) { go_send(NULL, 1); }
static void nil_receiver(void *arg) { go_recv(NULL); }

static void nil_main(void *arg) {
    go_go(nil_sender, NULL);
    go_go(nil_receiver, NULL);
}

Test(chan, send_and_receive_on_nil_channel_block_forever) {
    go_exec *e = run_first(nil_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    const go_goroutine_info *s = info_of(e, 2), *r = info_of(e, 3);
    cr_assert(s && r);
    cr_expect_eq(s->state, GO_STATE_BLOCKED);
    cr_expect_eq(s->wait_reason, GO_WAIT_CHAN_SEND_NIL);
    cr_expect_str_eq(go_wait_reason_name(s->wait_reason), "chan send (nil chan)");
    cr_expect_eq(s->object_kind, GO_OBJ_NONE);
    cr_expect_eq(r->wait_reason, GO_WAIT_CHAN_RECV_NIL);
    cr_expect_str_eq(go_wait_reason_name(r->wait_reason), "chan receive (nil chan)");
    go_exec_free(e);
}

/* ---- global deadlock ----------------------------------------------------- */

static void deadlock_main(void *arg) {
    go_chan *ch = go_make_chan(0);
    go_go(lone_sender, go_make_chan(0));
    go_recv(ch);
}

Test(chan, main_blocked_with_nothing_runnable_is_a_global_deadlock) {
    go_exec *e = run_first(deadlock_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    cr_expect_eq(go_exec_goroutine_count(e), 2);
    cr_expect_eq(info_of(e, 1)->wait_reason, GO_WAIT_CHAN_RECV);
    cr_expect_eq(info_of(e, 2)->wait_reason, GO_WAIT_CHAN_SEND);
    go_exec_free(e);
}

static void huge_main(void *arg) { go_make_chan((size_t)1 << 40); }

Test(chan, make_with_capacity_out_of_range_panics) {
    go_exec *e = run_first(huge_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "makechan: size out of range");
    go_exec_free(e);
}
