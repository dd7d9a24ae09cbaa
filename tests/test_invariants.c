/* test_invariants.c -- every runtime invariant check fires.
 *
 * A broken invariant is a bug in chanfuzz, so no public call can break
 * one: each test corrupts the model's state through the private headers,
 * in a child process, and asserts the child aborted naming the invariant
 * and the file:line that caught it -- never a Go panic or a finding. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

/* Private: what the corruptions reach into. */
#include "chan.h"
#include "context.h"
#include "execution.h"

/* Runs main_fn in a child; returns its stderr and how it ended. */
static void run_in_child(go_func *main_fn, char *err, size_t size, int *status) {
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        go_config cfg = {.decider = go_decider_first()};
        go_exec_free(go_exec_run(&cfg, main_fn, NULL));
        _exit(0);
    }
    close(fds[1]);
    size_t used = 0;
    ssize_t n;
    while (used + 1 < size && (n = read(fds[0], err + used, size - 1 - used)) > 0)
        used += (size_t)n;
    err[used] = '\0';
    close(fds[0]);
    waitpid(pid, status, 0);
}

static void expect_throw(go_func *corrupting_main, const char *invariant) {
    char err[4096];
    int status;
    run_in_child(corrupting_main, err, sizeof err, &status);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
              "the child should abort; status %d, stderr:\n%s", status, err);
    char expected[256];
    snprintf(expected, sizeof expected, "chanfuzz: runtime invariant violated: %s (runtime/",
             invariant);
    cr_assert(strstr(err, expected) != NULL, "expected \"%s\" in:\n%s", expected, err);
}

static go_exec *exec_now(void) { return cf_exec_running; }

/* ---- channels ------------------------------------------------------------ */

static void overfull_buffer(void *arg) {
    go_chan *c = go_make_chan(2);
    c->count = 3;
    go_send(c, 1); /* blocks: the check after the step sees count > capacity */
}

Test(invariants, chan_count_within_capacity) {
    expect_throw(overfull_buffer, "chan: count <= capacity");
}

static go_chan *shared;
static void receiver(void *arg) { go_recv(shared); }

static void buffered_with_receivers(void *arg) {
    shared = go_make_chan(2);
    go_go(receiver, NULL);
    go_go(receiver, NULL);
    go_yield();      /* both receivers block */
    shared->count = 1; /* a value appears in the buffer while they wait */
    shared->buffer[shared->head] = 7;
    go_send(shared, 1);
}

Test(invariants, chan_non_empty_buffer_has_no_waiting_receivers) {
    expect_throw(buffered_with_receivers, "chan: a non-empty buffer has no waiting receivers");
}

static void closed_with_waiters(void *arg) {
    shared = go_make_chan(0);
    go_go(receiver, NULL);
    go_yield();
    shared->closed = true; /* closed without waking the receiver */
    go_select_default(go_case_recv(shared, NULL));
}

Test(invariants, chan_closed_has_no_waiters) {
    expect_throw(closed_with_waiters, "chan: a closed channel has no waiters");
}

static void queue_length_lies(void *arg) {
    shared = go_make_chan(0);
    go_go(receiver, NULL);
    go_yield();
    shared->recvq.length = 5;
    go_send(shared, 1);
}

Test(invariants, wait_queue_length_matches_its_records) {
    expect_throw(queue_length_lies, "wait queue length matches its records");
}

/* ---- the scheduler -------------------------------------------------------- */

static void nothing(void *arg) {}

static void runnable_but_unqueued(void *arg) {
    go_go(nothing, NULL);
    exec_now()->runq.length = 0; /* the new goroutine falls off the queue */
}

Test(invariants, every_runnable_goroutine_is_queued_once) {
    expect_throw(runnable_but_unqueued, "every runnable goroutine is queued once");
}

static void answer_too_big_main(void *arg) {
    go_go(nothing, NULL);
    go_atomic_load(go_atomic_new(0));
}

static uint64_t decide_too_big(void *self, go_decision_kind kind, uint64_t options) {
    return options;
}

Test(invariants, a_decision_answer_is_within_its_options) {
    char err[4096];
    int status;
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        go_config cfg = {.decider = {decide_too_big, NULL}};
        go_exec_run(&cfg, answer_too_big_main, NULL);
        _exit(0);
    }
    close(fds[1]);
    /* Until EOF: a sanitizer may write a warning first, in its own write. */
    size_t got = 0;
    for (ssize_t n; got < sizeof err - 1 && (n = read(fds[0], err + got, sizeof err - 1 - got)) > 0;)
        got += (size_t)n;
    err[got] = '\0';
    waitpid(pid, &status, 0);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    cr_assert(strstr(err, "decision source answered out of range (runtime/sched.c:") != NULL,
              "%s", err);
}

/* ---- the clock ------------------------------------------------------------- */

static void timer_lost_its_slot(void *arg) {
    go_timer_new(5 * GO_MS);
    go_timer_new(1 * GO_MS);
    cf_clock *c = &exec_now()->clock;
    c->heap[0]->heap_index = 1; /* the heap no longer agrees with its timers */
}

Test(invariants, a_pending_timer_knows_its_heap_slot) {
    expect_throw(timer_lost_its_slot, "a pending timer knows its heap slot");
}

static void clock_runs_past_timers(void *arg) {
    go_timer_new(5 * GO_MS);
    exec_now()->clock.now = 10 * GO_MS; /* time moved without firing it */
}

Test(invariants, no_pending_timer_is_overdue) {
    expect_throw(clock_runs_past_timers, "no pending timer is overdue");
}

/* ---- contexts ----------------------------------------------------------------- */

static void cancelled_without_propagating(void *arg) {
    go_context *parent = go_with_cancel(go_background(), NULL);
    go_with_cancel(parent, NULL);
    /* Mark the parent cancelled without cancelling or detaching its child. */
    parent->err = &go_canceled;
    parent->cause = &go_canceled;
    parent->cancelled_by = GO_CANCELLED_BY_CANCEL;
    parent->first_child = parent->last_child = NULL;
    parent->child_count = 0;
}

Test(invariants, the_descendants_of_a_cancelled_context_are_cancelled) {
    expect_throw(cancelled_without_propagating,
                 "context: the descendants of a cancelled context are cancelled");
}

/* Registrations match the tree: a live child sits on the children list of
 * its nearest cancellable ancestor, and a listed child names its lister. */
static void child_falls_off_the_list(void *arg) {
    go_context *parent = go_with_cancel(go_background(), NULL);
    go_context *child = go_with_cancel(parent, NULL);
    /* Unlinked consistently, as if never registered: the list is sound,
     * the tree is not. */
    parent->first_child = parent->last_child = NULL;
    parent->child_count = 0;
    child->registered_in = NULL;
}

Test(invariants, a_live_context_is_registered_in_its_nearest_cancellable_ancestor) {
    expect_throw(child_falls_off_the_list,
                 "context: a live context is registered in its nearest cancellable ancestor");
}

static void listed_under_a_stranger(void *arg) {
    go_context *parent = go_with_cancel(go_background(), NULL);
    go_context *other = go_with_cancel(go_background(), NULL);
    go_context *child = go_with_cancel(parent, NULL);
    /* other lists it too, but it names parent, rightly: other's list lies. */
    other->first_child = other->last_child = child;
    other->child_count = 1;
}

Test(invariants, a_listed_child_is_registered_in_its_lister) {
    expect_throw(listed_under_a_stranger,
                 "context: a listed child is registered in its lister");
}

/* The clock never goes back, however it was moved. */
static void clock_goes_back(void *arg) {
    go_sleep(10 * GO_MS);
    exec_now()->clock.now = 5 * GO_MS;
}

Test(invariants, the_clock_never_goes_back) {
    expect_throw(clock_goes_back, "the clock never goes back");
}

/* A woken goroutine sits in no wait queue: one made runnable (and queued)
 * while its receive record is still on the channel. */
void cf_check_goroutines(go_exec *e); /* check.c, in check builds */

static void blocked_receiver(void *arg) { go_recv(shared); }

static void woken_but_still_queued(void *arg) {
    shared = go_make_chan(0);
    go_go(blocked_receiver, NULL);
    go_yield(); /* it blocks on the receive */
    go_exec *e = exec_now();
    cf_goroutine *g = shared->recvq.head->g;
    g->state = CF_G_RUNNABLE;
    /* On the run queue, once, as a woken goroutine would be. */
    e->runq.ring[(e->runq.head + e->runq.length) & (e->runq.capacity - 1)] = g;
    e->runq.length++;
    /* Check now, before any step could trip over the stale record: the
     * channel's own check would name the same corruption from its side. */
    cf_check_goroutines(e);
}

Test(invariants, a_woken_goroutine_sits_in_no_wait_queue) {
    expect_throw(woken_but_still_queued, "a woken goroutine sits in no wait queue");
}
