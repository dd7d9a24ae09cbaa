/* test_context.c -- Go's context package (Go 1.23 src/context/context.go),
 * one test per rule: cancellation, values, registration, deadlines.
 * AfterFunc, the leak patterns and inspection are in test_context_leaks.c. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void expect_returned(const go_exec *e) {
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "ended %s: %s", go_end_name(go_exec_end(e)),
                 go_exec_message(e));
}

/* Is ch closed (a receive completes at once with ok false)? */
static bool closed_now(go_chan *ch) {
    bool ok = true;
    go_word v;
    return go_select_default(go_case_recv2(ch, &v, &ok)) == 0 && !ok;
}

/* ---- cancel propagates to all descendants -------------------------------- */

typedef struct {
    const go_error *err[6];
    bool done_closed[6];
} tree_result;

/* bg(1) -> root(2) -> a(3) -> value(4) -> b(5, timeout)
 *                  -> c(6) */
static void propagate_main(void *arg) {
    tree_result *r = arg;
    go_cancel_func *cancel_root, *cancel_a, *cancel_b, *cancel_c;
    go_context *root = go_with_cancel(go_background(), &cancel_root);
    go_context *a = go_with_cancel(root, &cancel_a);
    go_context *v = go_with_value(a, 1, 2);
    go_context *b = go_with_timeout(v, GO_S, &cancel_b);
    go_context *c = go_with_cancel(root, &cancel_c);
    go_context *all[] = {root, a, v, b, c};
    go_cancel(cancel_root);
    for (int i = 0; i < 5; i++) {
        r->err[i] = go_ctx_err(all[i]);
        r->done_closed[i] = closed_now(go_ctx_done(all[i]));
    }
}

Test(context, cancel_propagates_to_all_descendants) {
    tree_result r = {0};
    go_exec *e = run_first(propagate_main, &r);
    expect_returned(e);
    for (int i = 0; i < 5; i++) {
        cr_expect_eq(r.err[i], &go_canceled, "context %d: Err", i + 2);
        cr_expect(r.done_closed[i], "context %d: Done not closed", i + 2);
    }
    cr_expect_eq(context_info(e, 2)->cancelled_by, GO_CANCELLED_BY_CANCEL);
    uint64_t by_parent[] = {3, 5, 6};
    for (int i = 0; i < 3; i++) {
        const go_context_info *info = context_info(e, by_parent[i]);
        cr_expect_eq(info->cancelled_by, GO_CANCELLED_BY_PARENT, "context#%llu",
                     (unsigned long long)by_parent[i]);
        cr_expect_not(info->registered);
        cr_expect_not(info->timer_pending);
    }
    cr_expect_eq(context_info(e, 2)->children, 0);
    go_exec_free(e);
}

/* ---- WithoutCancel cuts propagation but keeps values --------------------- */

typedef struct {
    const go_error *err_detached, *err_below, *cause_detached;
    go_chan *done_detached;
    go_word value_detached, value_below;
} without_result;

static void without_main(void *arg) {
    without_result *r = arg;
    go_cancel_func *cancel_root, *cancel_below;
    go_context *root = go_with_cancel(go_with_value(go_background(), 7, 70), &cancel_root);
    go_context *detached = go_without_cancel(root);
    go_context *below = go_with_cancel(detached, &cancel_below);
    go_cancel(cancel_root);
    r->err_detached = go_ctx_err(detached);
    r->err_below = go_ctx_err(below);
    r->cause_detached = go_context_cause(detached);
    r->done_detached = go_ctx_done(detached);
    r->value_detached = go_ctx_value(detached, 7);
    r->value_below = go_ctx_value(below, 7);
    go_cancel(cancel_below);
}

Test(context, without_cancel_cuts_propagation_but_keeps_values) {
    without_result r;
    memset(&r, 0xff, sizeof r);
    go_exec *e = run_first(without_main, &r);
    expect_returned(e);
    cr_expect_null(r.err_detached);
    cr_expect_null(r.err_below);
    cr_expect_null(r.cause_detached);
    cr_expect_null(r.done_detached, "WithoutCancel's Done is the nil channel");
    cr_expect_eq(r.value_detached, 70);
    cr_expect_eq(r.value_below, 70);
    /* context#1 bg, #2 value, #3 root, #4 withoutCancel, #5 below */
    cr_expect_eq(context_info(e, 4)->kind, GO_CONTEXT_WITHOUT_CANCEL);
    cr_expect_eq(context_info(e, 5)->cancelled_by, GO_CANCELLED_BY_CANCEL,
                 "cancelled by its own cancel, not the root's");
    cr_expect_eq(context_info(e, 3)->children, 0, "nothing registered through WithoutCancel");
    go_exec_free(e);
}

/* ---- Err and Cause ----------------------------------------------------------- */

static const go_error my_error = {"my error"};
static const go_error other_error = {"other error"};

typedef struct {
    const go_error *before_err, *before_cause;
    const go_error *plain_err, *plain_cause;
    const go_error *cause_err, *cause_cause, *cause_child, *cause_after_second;
    const go_error *nil_cause;
    const go_error *child_first_child, *child_first_parent;
    const go_error *deadline_err, *deadline_cause;
} errors_result;

static void errors_main(void *arg) {
    errors_result *r = arg;
    go_context *bg = go_background();
    go_cancel_func *cancel;

    go_context *plain = go_with_cancel(bg, &cancel);
    r->before_err = go_ctx_err(plain);
    r->before_cause = go_context_cause(plain);
    go_cancel(cancel);
    r->plain_err = go_ctx_err(plain);
    r->plain_cause = go_context_cause(plain);

    go_cancel_func *cancel_cause, *cancel_child;
    go_context *with_cause = go_with_cancel_cause(bg, &cancel_cause);
    go_context *child = go_with_value(go_with_cancel(with_cause, &cancel_child), 1, 1);
    go_cancel_cause(cancel_cause, &my_error);
    r->cause_err = go_ctx_err(with_cause);
    r->cause_cause = go_context_cause(with_cause);
    r->cause_child = go_context_cause(child);
    go_cancel_cause(cancel_cause, &other_error); /* the first cause stays */
    r->cause_after_second = go_context_cause(with_cause);

    go_context *nil_cause = go_with_cancel_cause(bg, &cancel_cause);
    go_cancel_cause(cancel_cause, NULL);
    r->nil_cause = go_context_cause(nil_cause);

    /* Go's doc: the child cancelled with cause2 before the parent with
     * cause1 keeps cause2; the parent has cause1. */
    go_cancel_func *cancel_parent;
    go_context *parent = go_with_cancel_cause(bg, &cancel_parent);
    go_context *early = go_with_cancel_cause(parent, &cancel_child);
    go_cancel_cause(cancel_child, &other_error);
    go_cancel_cause(cancel_parent, &my_error);
    r->child_first_child = go_context_cause(early);
    r->child_first_parent = go_context_cause(parent);

    go_context *timed = go_with_timeout(bg, 0, &cancel);
    r->deadline_err = go_ctx_err(timed);
    r->deadline_cause = go_context_cause(timed);
    go_cancel(cancel);
}

Test(context, err_and_cause_values) {
    errors_result r = {0};
    go_exec *e = run_first(errors_main, &r);
    expect_returned(e);
    cr_expect_null(r.before_err);
    cr_expect_null(r.before_cause);
    cr_expect_eq(r.plain_err, &go_canceled);
    cr_expect_str_eq(r.plain_err->text, "context canceled");
    cr_expect_eq(r.plain_cause, &go_canceled);
    cr_expect_eq(r.cause_err, &go_canceled, "Err stays Canceled whatever the cause");
    cr_expect_eq(r.cause_cause, &my_error);
    cr_expect_eq(r.cause_child, &my_error, "a descendant inherits the cause");
    cr_expect_eq(r.cause_after_second, &my_error, "the first cancellation sets the cause");
    cr_expect_eq(r.nil_cause, &go_canceled, "cancel(nil) sets the cause to Canceled");
    cr_expect_eq(r.child_first_child, &other_error);
    cr_expect_eq(r.child_first_parent, &my_error);
    cr_expect_eq(r.deadline_err, &go_deadline_exceeded);
    cr_expect_str_eq(r.deadline_err->text, "context deadline exceeded");
    cr_expect_eq(r.deadline_cause, &go_deadline_exceeded);
    go_exec_free(e);
}

/* ---- Value looks up the chain, nearest first ------------------------------- */

static void value_main(void *arg) {
    go_word *seen = arg;
    go_cancel_func *cancel;
    go_context *bg = go_background();
    go_context *v1 = go_with_value(bg, 1, 10);
    go_context *c = go_with_cancel(v1, &cancel);
    go_context *v2 = go_with_value(c, 2, 20);
    go_context *v3 = go_with_value(v2, 1, 30); /* shadows key 1 */
    seen[0] = go_ctx_value(v3, 1);
    seen[1] = go_ctx_value(v2, 1);
    seen[2] = go_ctx_value(v3, 2);
    seen[3] = go_ctx_value(c, 2);
    seen[4] = go_ctx_value(bg, 1);
    seen[5] = go_ctx_value(c, 1);
    go_cancel(cancel);
    seen[6] = go_ctx_value(v3, 1); /* cancellation leaves values alone */
}

Test(context, value_looks_up_the_chain_nearest_first) {
    go_word seen[7];
    go_exec *e = run_first(value_main, seen);
    expect_returned(e);
    cr_expect_eq(seen[0], 30, "shadowed by the nearer WithValue");
    cr_expect_eq(seen[1], 10);
    cr_expect_eq(seen[2], 20);
    cr_expect_eq(seen[3], 0, "a value below is not seen above");
    cr_expect_eq(seen[4], 0);
    cr_expect_eq(seen[5], 10, "through a cancelCtx");
    cr_expect_eq(seen[6], 30);
    go_exec_free(e);
}

static void nil_key_main(void *arg) {
    (void)arg;
    go_with_value(go_background(), 0, 1);
}

Test(context, a_nil_key_panics) {
    go_exec *e = run_first(nil_key_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect_str_eq(go_exec_message(e), "nil key");
    go_exec_free(e);
}

/* ---- registration ------------------------------------------------------------- */

/* bg(1) -> a(2) -> value(3) -> b(4)
 *              -> withoutCancel(5) -> c(6)
 *    -> d(7, timeout) */
static void register_main(void *arg) {
    go_cancel_func **cancels = arg;
    go_context *bg = go_background();
    go_context *a = go_with_cancel(bg, &cancels[0]);
    go_with_cancel(go_with_value(a, 1, 1), &cancels[1]);
    go_with_cancel(go_without_cancel(a), &cancels[2]);
    go_with_timeout(bg, GO_S, &cancels[3]);
    /* main returns with every cancel lost: what stays registered? */
}

Test(context, a_child_is_registered_only_in_its_nearest_cancellable_ancestor) {
    go_cancel_func *cancels[4];
    go_exec *e = run_first(register_main, cancels);
    expect_returned(e);
    cr_expect_not(context_info(e, 2)->registered, "nothing registers in Background");
    cr_expect_eq(context_info(e, 2)->children, 1);
    cr_expect(context_info(e, 4)->registered);
    cr_expect_eq(context_info(e, 4)->registered_in_id, 2, "through the value layer");
    cr_expect_not(context_info(e, 6)->registered, "WithoutCancel cuts the search");
    cr_expect_not(context_info(e, 7)->registered);
    cr_expect_eq(context_info(e, 7)->cancelled_by, GO_CANCELLED_BY_DEADLINE,
                 "its deadline fired while the others settled");
    cr_expect_eq(go_exec_time(e), GO_S, "settling ran on to the deadline");
    for (uint64_t id = 1; id <= 7; id++) cr_expect_not(context_info(e, id)->cancel_called);
    go_exec_free(e);
}

static void deregister_main(void *arg) {
    (void)arg;
    go_cancel_func *cancel_a, *cancel_b, *cancel_c, *cancel_d;
    go_context *a = go_with_cancel(go_background(), &cancel_a); /* #2 */
    go_with_cancel(a, &cancel_b);                                 /* #3 */
    go_context *c = go_with_cancel(a, &cancel_c);                 /* #4 */
    go_with_cancel(c, &cancel_d);                                 /* #5 */
    go_cancel(cancel_b);
    go_cancel(cancel_c);
    /* a is still live and keeps nothing */
}

Test(context, a_cancel_call_deregisters_the_child_and_its_subtree) {
    go_exec *e = run_first(deregister_main, NULL);
    expect_returned(e);
    cr_expect_eq(context_info(e, 2)->err, NULL);
    cr_expect_eq(context_info(e, 2)->children, 0);
    cr_expect_not(context_info(e, 3)->registered);
    cr_expect_not(context_info(e, 4)->registered);
    cr_expect_eq(context_info(e, 4)->children, 0);
    cr_expect_not(context_info(e, 5)->registered);
    cr_expect_eq(context_info(e, 5)->cancelled_by, GO_CANCELLED_BY_PARENT);
    go_exec_free(e);
}

static void deadline_deregisters_main(void *arg) {
    (void)arg;
    go_cancel_func *cancel_a, *cancel_b;
    go_context *a = go_with_cancel(go_background(), &cancel_a); /* #2 */
    go_with_timeout(a, 5 * GO_MS, &cancel_b);                    /* #3 */
    go_sleep(10 * GO_MS);
    /* cancel_b is lost; the deadline already took b off a's list. */
    go_cancel(cancel_a);
}

Test(context, a_fired_deadline_deregisters_the_child_but_cancel_stays_uncalled) {
    go_exec *e = run_first(deadline_deregisters_main, NULL);
    expect_returned(e);
    const go_context_info *b = context_info(e, 3);
    cr_expect_eq(b->cancelled_by, GO_CANCELLED_BY_DEADLINE);
    cr_expect_eq(b->err, &go_deadline_exceeded);
    cr_expect_not(b->registered);
    cr_expect_not(b->timer_pending);
    cr_expect_neq(b->cancel_func_id, 0);
    cr_expect_not(b->cancel_called, "a fired deadline is not a cancel call");
    cr_expect_null(b->cancel_site);
    cr_expect(context_info(e, 2)->cancel_called);
    cr_expect_eq(context_info(e, 2)->children, 0);
    go_exec_free(e);
}

/* ---- the cancel function --------------------------------------------------------- */

static int first_cancel_line;

static void twice_main(void *arg) {
    (void)arg;
    go_cancel_func *cancel;
    go_context *c = go_with_cancel(go_background(), &cancel);
    first_cancel_line = __LINE__ + 1;
    go_cancel(cancel);
    go_cancel(cancel); /* idempotent */
    go_with_cancel(c, &cancel); /* #3: cancelled at once by its parent */
}

Test(context, cancel_is_idempotent_and_its_first_call_is_recorded) {
    go_exec *e = run_first(twice_main, NULL);
    expect_returned(e);
    const go_context_info *c = context_info(e, 2);
    cr_expect(c->cancel_called);
    cr_assert_not_null(c->cancel_site);
    cr_expect_eq(c->cancel_site->line, first_cancel_line);
    cr_expect_eq(c->err, &go_canceled);
    const go_context_info *child = context_info(e, 3);
    cr_expect_eq(child->cancelled_by, GO_CANCELLED_BY_PARENT);
    cr_expect_not(child->cancel_called, "cancelled by its parent, its own cancel still lost");
    go_exec_free(e);
}

/* ---- deadlines on the virtual clock ------------------------------------------------ */

typedef struct {
    go_context *ctx;
    go_chan *other;
    go_duration woke_at;
    int arm;
} selector_state;

static void done_selector(void *arg) {
    selector_state *s = arg;
    s->arm = go_select(go_case_recv(s->other, NULL), go_case_recv(go_ctx_done(s->ctx), NULL));
    s->woke_at = go_now();
}

static void timeout_main(void *arg) {
    selector_state *s = arg;
    go_cancel_func *cancel;
    s->ctx = go_with_timeout(go_background(), 5 * GO_MS, &cancel);
    s->other = go_make_chan(0);
    go_go(done_selector, s);
    go_sleep(20 * GO_MS);
    go_cancel(cancel);
}

Test(context, with_timeout_fires_at_the_virtual_deadline_and_wakes_a_done_selector) {
    selector_state s = {0};
    go_exec *e = run_first(timeout_main, &s);
    expect_returned(e);
    cr_expect_eq(s.arm, 1, "the Done arm won");
    cr_expect_eq(s.woke_at, 5 * GO_MS);
    cr_expect_eq(state_of(e, 2), GO_STATE_EXITED);
    const go_context_info *c = context_info(e, 2);
    cr_expect_eq(c->kind, GO_CONTEXT_TIMEOUT);
    cr_expect(c->has_deadline);
    cr_expect_eq(c->deadline, 5 * GO_MS);
    cr_expect_eq(c->cancelled_by, GO_CANCELLED_BY_DEADLINE);
    cr_expect(c->cancel_called);
    go_exec_free(e);
}

typedef struct {
    go_duration child_deadline;
    bool child_has_deadline;
    go_duration child_done_at;
} earlier_result;

static void earlier_main(void *arg) {
    earlier_result *r = arg;
    go_cancel_func *cancel_parent, *cancel_child, *cancel_equal;
    go_context *parent = go_with_timeout(go_background(), 5 * GO_MS, &cancel_parent); /* #2 */
    go_context *child = go_with_deadline(parent, 10 * GO_MS, &cancel_child);        /* #3 */
    go_with_deadline(parent, 5 * GO_MS, &cancel_equal); /* #4: not earlier: own timer */
    r->child_has_deadline = go_ctx_deadline(child, &r->child_deadline);
    go_recv(go_ctx_done(child));
    r->child_done_at = go_now();
    go_cancel(cancel_child);
    go_cancel(cancel_parent);
    go_cancel(cancel_equal);
}

Test(context, a_parent_deadline_earlier_makes_the_child_a_plain_cancel_ctx) {
    earlier_result r = {0};
    go_exec *e = run_first(earlier_main, &r);
    expect_returned(e);
    cr_expect(r.child_has_deadline);
    cr_expect_eq(r.child_deadline, 5 * GO_MS, "Deadline reports the parent's");
    cr_expect_eq(r.child_done_at, 5 * GO_MS);
    const go_context_info *child = context_info(e, 3);
    cr_expect_not(child->has_deadline, "no deadline and no timer of its own");
    cr_expect_eq(child->cancelled_by, GO_CANCELLED_BY_PARENT);
    cr_expect_eq(child->err, &go_deadline_exceeded);
    cr_expect(context_info(e, 4)->has_deadline, "an equal deadline is not earlier");
    char desc[256];
    go_exec_describe_object(e, GO_OBJ_CONTEXT, 3, desc, sizeof desc);
    cr_expect(strncmp(desc, "cancelCtx,", 10) == 0, "%s", desc);
    go_exec_free(e);
}

static void deadline_main(void *arg) {
    bool *ok = arg;
    go_cancel_func *cancel;
    go_duration d = -1;
    go_context *timed = go_with_deadline(go_background(), 7 * GO_MS, &cancel);
    ok[0] = go_ctx_deadline(go_background(), NULL);
    ok[1] = go_ctx_deadline(go_with_value(timed, 1, 1), &d) && d == 7 * GO_MS;
    ok[2] = go_ctx_deadline(go_with_cancel(timed, &cancel), &d) && d == 7 * GO_MS;
    ok[3] = go_ctx_deadline(go_without_cancel(timed), NULL);
    go_cancel(cancel);
}

Test(context, deadline_is_inherited_except_through_without_cancel) {
    bool ok[4] = {true, false, false, true};
    go_exec *e = run_first(deadline_main, ok);
    expect_returned(e);
    cr_expect_not(ok[0], "Background has no deadline");
    cr_expect(ok[1], "a value layer reports its parent's");
    cr_expect(ok[2], "a cancelCtx reports its parent's");
    cr_expect_not(ok[3], "WithoutCancel has none");
    go_exec_free(e);
}

static void past_main(void *arg) {
    go_duration *now_then = arg;
    go_cancel_func *cancel_zero, *cancel_past;
    go_sleep(3 * GO_MS);
    go_context *zero = go_with_timeout(go_background(), 0, &cancel_zero);     /* #2 */
    go_context *past = go_with_deadline(go_background(), GO_MS, &cancel_past); /* #3 */
    if (go_ctx_err(zero) == &go_deadline_exceeded && go_ctx_err(past) == &go_deadline_exceeded)
        *now_then = go_now();
    go_cancel(cancel_zero);
    go_cancel(cancel_past);
}

Test(context, a_deadline_already_past_cancels_at_once) {
    go_duration at = -1;
    go_exec *e = run_first(past_main, &at);
    expect_returned(e);
    cr_expect_eq(at, 3 * GO_MS, "cancelled without time passing");
    for (uint64_t id = 2; id <= 3; id++) {
        cr_expect_eq(context_info(e, id)->cancelled_by, GO_CANCELLED_BY_DEADLINE);
        cr_expect_not(context_info(e, id)->timer_pending);
    }
    go_exec_free(e);
}

/* ---- a parent already cancelled ----------------------------------------------------- */

static void cancelled_parent_main(void *arg) {
    const go_error **seen = arg;
    go_cancel_func *cancel_parent, *cancel_child, *cancel_timed;
    go_context *parent = go_with_cancel_cause(go_background(), &cancel_parent); /* #2 */
    go_cancel_cause(cancel_parent, &my_error);
    go_context *child = go_with_cancel(parent, &cancel_child);        /* #3 */
    go_context *timed = go_with_timeout(parent, GO_S, &cancel_timed);  /* #4 */
    seen[0] = go_ctx_err(child);
    seen[1] = go_context_cause(child);
    seen[2] = go_ctx_err(timed);
    go_cancel(cancel_child);
    go_cancel(cancel_timed);
}

Test(context, a_child_of_a_cancelled_parent_is_cancelled_at_once) {
    const go_error *seen[3] = {0};
    go_exec *e = run_first(cancelled_parent_main, seen);
    expect_returned(e);
    cr_expect_eq(seen[0], &go_canceled);
    cr_expect_eq(seen[1], &my_error, "with the parent's cause");
    cr_expect_eq(seen[2], &go_canceled);
    for (uint64_t id = 3; id <= 4; id++) {
        cr_expect_eq(context_info(e, id)->cancelled_by, GO_CANCELLED_BY_PARENT);
        cr_expect_not(context_info(e, id)->registered);
        cr_expect_not(context_info(e, id)->timer_pending);
    }
    cr_expect_eq(go_exec_time(e), 0, "no timer was armed to wait for");
    go_exec_free(e);
}

/* ---- Done is nil where nothing can cancel --------------------------------------------- */

static void nil_done_main(void *arg) {
    int *chosen = arg;
    go_context *bg = go_background();
    go_chan *dones[] = {go_ctx_done(bg), go_ctx_done(go_todo()),
                        go_ctx_done(go_with_value(bg, 1, 1)),
                        go_ctx_done(go_without_cancel(bg))};
    for (int i = 0; i < 4; i++)
        if (dones[i] != NULL) *chosen = 100 + i;
    /* A nil Done arm is never ready: the timeout wins. */
    int arm = go_select(go_case_recv(dones[0], NULL), go_case_recv(go_after(GO_MS), NULL));
    if (*chosen == 0) *chosen = arm;
}

Test(context, done_is_nil_for_contexts_nothing_can_cancel) {
    int chosen = 0;
    go_exec *e = run_first(nil_done_main, &chosen);
    expect_returned(e);
    cr_expect_eq(chosen, 1, "got %d", chosen);
    cr_expect_eq(context_info(e, 1)->kind, GO_CONTEXT_BACKGROUND);
    cr_expect_eq(context_info(e, 2)->kind, GO_CONTEXT_TODO);
    go_exec_free(e);
}
