/* test_recover.c -- recover (Go 1.23 spec "Handling panics", runtime/
 * panic.go gorecover), one test per rule: it stops a panic only when called
 * directly by a deferred function the panic is running, and only once; the
 * frame that deferred that call then returns normally; a panic in a
 * deferred call replaces the one that ran it. "Directly" in the model: no
 * go_call frame pushed since the deferred call started (chanfuzz/go.h). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "defer_log.h"
#include "support.h"





/* ---- recover stops a panic only when called directly --------------------- */

/* Called through go_call: a function called by the deferred function. */
static void recover_in_callee(void *arg) { recovered[recover_calls++] = go_recover(); }
static void defers_calling_recover_via_go_call(void *arg) { go_call(recover_in_callee, NULL); }

/* Go: a deferred call run at the normal return of a function the deferred
 * function called is not run by the panic either. */
static void defers_recover_itself(void *arg) { go_defer(recover_into_log, NULL); }
static void deferred_calls_function_that_defers_recover(void *arg) {
    go_call(defers_recover_itself, NULL);
}

/* A plain C helper is the deferred function itself. */
static const char *recover_helper(void) { return go_recover(); }
static void recover_via_c_helper(void *arg) { recovered[recover_calls++] = recover_helper(); }

static void direct_main(void *arg) {
    go_defer(recover_via_c_helper, NULL);
    go_defer(deferred_calls_function_that_defers_recover, NULL);
    go_defer(defers_calling_recover_via_go_call, NULL);
    go_panic("p");
}

Test(recover, recover_stops_a_panic_only_when_called_directly_by_the_deferred_function) {
    reset();
    go_exec *e = run_first(direct_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_assert_eq(recover_calls, 3);
    cr_expect_null(recovered[0], "recover in a go_call'ed callee");
    cr_expect_null(recovered[1], "recover deferred by a callee");
    cr_expect_str_eq(recovered[2], "p");
    go_exec_free(e);
}

static void only_indirect_main(void *arg) {
    go_defer(defers_calling_recover_via_go_call, NULL);
    go_panic("p");
}

Test(recover, a_recover_that_is_not_direct_lets_the_panic_go_on) {
    reset();
    go_exec *e = run_first(only_indirect_main, NULL);
    cr_expect_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "p");
    cr_expect_eq(recover_calls, 1);
    cr_expect_null(recovered[0]);
    go_exec_free(e);
}

static void recover_twice(void *arg) {
    recovered[recover_calls++] = go_recover();
    recovered[recover_calls++] = go_recover();
}

static void twice_main(void *arg) {
    go_defer(recover_twice, NULL);
    go_panic("once");
}

Test(recover, a_second_recover_of_the_same_panic_returns_nil) {
    reset();
    go_exec *e = run_first(twice_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_str_eq(recovered[0], "once");
    cr_expect_null(recovered[1]);
    go_exec_free(e);
}

/* ---- recover outside a panic returns nil ------------------------------------ */

static void recover_outside_main(void *arg) {
    recovered[recover_calls++] = go_recover();   /* not deferred */
    go_defer(recover_into_log, NULL);            /* deferred, at return */
}

Test(recover, recover_returns_nil_when_the_goroutine_is_not_panicking) {
    reset();
    go_exec *e = run_first(recover_outside_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(recover_calls, 2);
    cr_expect_null(recovered[0]);
    cr_expect_null(recovered[1]);
    go_exec_free(e);
}

/* ---- the recovering frame returns normally; its caller goes on ---------- */

static void recover_and_mark(void *arg) {
    recovered[recover_calls++] = go_recover();
    mark("r");
}

static void recovering_body(void *arg) {
    go_defer(mark, "x");               /* runs after the recovery, at return */
    go_defer(recover_and_mark, NULL);
    go_defer(mark, "y");
    go_panic("p");
    mark("unreached");
}

static void middle(void *arg) {
    go_defer(mark, "m");
    go_call(recovering_body, NULL);
    mark("a");
}

static void recovered_main(void *arg) {
    go_call(middle, NULL);
    mark("c");
}

Test(recover, the_frame_that_recovered_returns_normally_and_its_caller_continues) {
    reset();
    go_exec *e = run_first(recovered_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(order, "yrxamc");
    cr_expect_str_eq(recovered[0], "p");
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event defer g1 recovered at tests/test_recover.c") != NULL, "%s",
              trace);
    cr_expect(strstr(trace, "event defer g1 at return at tests/test_recover.c") != NULL, "%s",
              trace);
    free(trace);
    go_exec_free(e);
}

/* ---- a panic in a deferred call replaces the panic ---------------------- */

static void panic_again(void *arg) { go_panic(arg); }

static void replaced_recovered_main(void *arg) {
    go_defer(recover_into_log, NULL);
    go_defer(panic_again, "second");
    go_panic("first");
}

static void replaced_unrecovered_main(void *arg) {
    go_defer(mark, "d");
    go_defer(panic_again, "second");
    go_panic("first");
}

Test(recover, a_panic_in_a_deferred_call_replaces_the_panic_for_recover_and_the_report) {
    reset();
    go_exec *e = run_first(replaced_recovered_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_str_eq(recovered[0], "second");
    go_exec_free(e);

    reset();
    e = run_first(replaced_unrecovered_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "second");
    cr_expect_str_eq(info_of(e, 1)->wait_site->func, "panic_again");
    cr_expect_str_eq(order, "d", "the newer panic ran the rest");
    size_t count = 0;
    go_exec_panic_defers(e, &count);
    cr_expect_eq(count, 2);
    go_exec_free(e);
}

/* Go's test/recover1.go test1: a panic recovered inside a deferred call
 * leaves the panic that ran it in progress, for a later recover. */
static void recover_expecting(void *want) {
    const char *got = go_recover();
    if (got && strcmp(got, want) == 0) mark(want);
}

static void deferred_with_own_panic(void *arg) {
    go_defer(recover_expecting, "2");
    go_panic("2");
}

static void nested_main(void *arg) {
    go_defer(recover_expecting, "1");
    go_defer(deferred_with_own_panic, NULL);
    go_panic("1");
}

Test(recover, a_panic_recovered_inside_a_deferred_call_leaves_the_outer_panic_running) {
    reset();
    go_exec *e = run_first(nested_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(order, "21");
    go_exec_free(e);
}

/* Go's test/recover1.go test2: a deferred call recovers, then panics
 * anew; the new panic is recovered by the call's own deferred recover, and
 * the earlier deferred calls see no panic left. */
static void recover_then_panic_again(void *arg) {
    recovered[recover_calls++] = go_recover();
    go_defer(recover_expecting, "3");
    go_panic("3");
}

static void sequential_main(void *arg) {
    go_defer(recover_into_log, NULL);      /* must see nothing */
    go_defer(recover_then_panic_again, NULL);
    go_panic("2");
}

Test(recover, a_panic_after_a_recover_in_the_same_deferred_call_is_a_panic_of_its_own) {
    reset();
    go_exec *e = run_first(sequential_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(recovered[0], "2");
    cr_expect_str_eq(order, "3");
    cr_expect_eq(recover_calls, 2);
    cr_expect_null(recovered[1]);
    go_exec_free(e);
}

/* The frame had returned and was running its deferred calls when one of
 * them panicked: an earlier-deferred call recovers, and the frame still
 * returns normally. */
static void returns_then_defer_panics(void *arg) {
    go_defer(mark, "x");
    go_defer(recover_and_mark, NULL);
    go_defer(panic_again, "late");
    mark("b");
}

static void late_panic_main(void *arg) {
    go_call(returns_then_defer_panics, NULL);
    mark("c");
}

Test(recover, a_panic_in_a_deferred_call_at_return_is_recovered_by_an_earlier_deferred_call) {
    reset();
    go_exec *e = run_first(late_panic_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "%s", go_exec_message(e));
    cr_expect_str_eq(recovered[0], "late");
    cr_expect_str_eq(order, "brxc");
    go_exec_free(e);
}

/* ---- panic(nil) ------------------------------------------------------------ */

static void nil_panic_main(void *arg) {
    go_defer(recover_into_log, NULL);
    go_panic(NULL);
}

Test(recover, panic_with_nil_is_recovered_as_a_panic_nil_error) {
    reset();
    go_exec *e = run_first(nil_panic_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_str_eq(recovered[0], "panic called with nil argument");
    go_exec_free(e);
}
