/* test_goexit.c -- runtime.Goexit (Go 1.23 runtime/panic.go), one test per
 * rule: it runs every deferred call of the goroutine and ends it, recover
 * returns nil meanwhile, no recovered panic can stop it, and in main it
 * leaves the others running until none is left. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "defer_log.h"
#include "support.h"




/* ---- Goexit runs the deferred calls, then ends only its goroutine ------- */

typedef struct {
    go_chan *ch;
} goexit_case;

static void goexit_inner(void *arg) {
    go_defer(mark, "2");
    go_defer(recover_into_log, NULL);
    go_goexit();
    mark("unreached");
}

static void goexiting_worker(void *arg) {
    go_defer(mark, "1");
    go_call(goexit_inner, NULL);
    mark("unreached");
}

static void other_worker(void *arg) {
    go_yield();
    go_send(((goexit_case *)arg)->ch, 7);
}

static void goexit_main(void *arg) {
    goexit_case *t = arg;
    t->ch = go_make_chan(0);
    go_go(goexiting_worker, NULL);
    go_go(other_worker, t);
    if (go_recv(t->ch) == 7) mark("m");
}

Test(goexit, goexit_runs_every_deferred_call_then_ends_only_its_goroutine) {
    goexit_case t;
    go_exec *e = run_first(goexit_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(order, "21m");
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    cr_expect_eq(recover_calls, 1);
    cr_expect_null(recovered[0], "recover returns nil during Goexit");
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event defer g2 by goexit") != NULL, "%s", trace);
    cr_expect(strstr(trace, "event exit g2") != NULL, "%s", trace);
    free(trace);
    go_exec_free(e);
}

/* ---- a recovered panic does not stop a Goexit ---------------------------- */

/* Go's TestRecoverBeforePanicAfterGoexit (Go 1.14+): Goexit runs the
 * deferred panic, the earlier deferred recover stops it, and the Goexit
 * then goes on: the goroutine still ends, its caller never resumes. */
static void panic_hello(void *arg) { go_panic("hello"); }

static void goexit_then_panic(void *arg) {
    go_defer(recover_into_log, NULL);
    go_defer(panic_hello, NULL);
    go_goexit();
}

static void goexit_then_panic_caller(void *arg) {
    go_defer(mark, "d");
    go_call(goexit_then_panic, NULL);
    mark("resumed");
}

static void recovered_goexit_main(void *arg) {
    go_go(goexit_then_panic_caller, NULL);
    go_yield();
    mark("m");
}

Test(goexit, a_panic_recovered_during_goexit_does_not_stop_the_goexit) {
    go_exec *e = run_first(recovered_goexit_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(recovered[0], "hello");
    cr_expect_str_eq(order, "dm");
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    go_exec_free(e);
}

/* An unrecovered panic during Goexit is an ordinary panic finding (Go's
 * TestPanicAfterGoexit). */
static void goexit_unrecovered_panic(void *arg) {
    go_defer(panic_hello, NULL);
    go_goexit();
}

static void unrecovered_after_goexit_main(void *arg) {
    go_go(goexit_unrecovered_panic, NULL);
    go_yield();
}

Test(goexit, an_unrecovered_panic_during_goexit_ends_the_execution) {
    go_exec *e = run_first(unrecovered_after_goexit_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "hello");
    cr_expect_eq(state_of(e, 2), GO_STATE_FAILED);
    go_exec_free(e);
}

/* ---- Goexit in a deferred call ends a panicking goroutine --------------- */

/* Go's GoexitInPanic: the panic never reaches the top. */
static void goexit_fn(void *arg) { go_goexit(); }

static void panics_then_goexits(void *arg) {
    go_defer(mark, "1");
    go_defer(goexit_fn, NULL);
    go_panic("hello");
}

static void goexit_in_panic_main(void *arg) {
    go_go(panics_then_goexits, NULL);
    go_yield();
    mark("m");
}

Test(goexit, goexit_in_a_deferred_call_ends_the_panicking_goroutine_without_a_finding) {
    go_exec *e = run_first(goexit_in_panic_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(order, "1m");
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    go_exec_free(e);
}

/* ---- Goexit in main ---------------------------------------------------------- */

static void finishes_later(void *arg) {
    go_sleep(GO_MS);
    mark("o");
}

static void main_goexits(void *arg) {
    go_go(finishes_later, NULL);
    go_defer(mark, "d");
    go_goexit();
}

Test(goexit, goexit_in_main_lets_the_others_finish_then_reports_no_goroutines_deadlock) {
    go_exec *e = run_first(main_goexits, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    cr_expect_str_eq(go_exec_message(e), "no goroutines (main called runtime.Goexit) - deadlock!");
    cr_expect_str_eq(order, "do");
    cr_expect_eq(go_exec_goroutine_count(e), 0);
    go_exec_free(e);
}

static void blocks_forever(void *arg) { go_recv(go_make_chan(0)); }

static void main_goexits_others_block(void *arg) {
    go_go(blocks_forever, NULL);
    go_goexit();
}

Test(goexit, goexit_in_main_with_the_others_blocked_is_all_goroutines_asleep) {
    go_exec *e = run_first(main_goexits_others_block, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_DEADLOCK);
    cr_expect_str_eq(go_exec_message(e), "");
    cr_expect_eq(state_of(e, 1), GO_STATE_EXITED);
    cr_expect_eq(state_of(e, 2), GO_STATE_BLOCKED);
    go_exec_free(e);
}
