/* A C static that held an object of a freed execution must not keep an
 * object of a later one alive (runtime/stale_data.c): verdicts may not
 * depend on what ran earlier in the process. */
#include <criterion/criterion.h>

#include "support.h"

static go_chan *kept_in_static;
static uint64_t unrelated_counter;

static void keep_channel(void *arg) {
    kept_in_static = go_make_chan(0);
    unrelated_counter++;
}

Test(stale_data, statics_pointing_into_a_freed_execution_are_cleared) {
    go_exec *e = run_first(keep_channel, NULL);
    cr_assert_not_null(kept_in_static);
    go_exec_free(e);
    cr_assert_null(kept_in_static);
    /* Words that point at no object are left alone. */
    cr_assert_eq(unrelated_counter, 1);
}

/* An object nothing reaches makes the final collection read the
 * program's data; go_exec_free then clears just the words it found there
 * (up to CF_DATA_HITS of them, all of the data past that). */
static go_chan *kept_in_many[20];

static void keep_some_and_drop_one(void *arg) {
    int kept = (int)(intptr_t)arg;
    for (int i = 0; i < kept; i++) kept_in_many[i] = go_make_chan(0);
    (void)go_make_chan(0); /* garbage: not every object is marked */
}

Test(stale_data, the_words_the_final_collection_found_are_cleared) {
    for (int kept = 1; kept <= 20; kept += 19) {
        go_exec *e = run_first(keep_some_and_drop_one, (void *)(intptr_t)kept);
        const go_object_info *dropped = go_exec_find_object(e, GO_OBJ_CHAN, (uint64_t)kept + 1);
        cr_assert_not_null(dropped);
        cr_assert_not(dropped->reachable, "the data was scanned because of it");
        go_exec_free(e);
        for (int i = 0; i < kept; i++)
            cr_assert_null(kept_in_many[i], "%d kept: static %d not cleared", kept, i);
    }
}

/* A receiver blocked on a channel only it references, main gone: unreachable
 * however many executions ran before, whatever addresses they used. */
static void receive_forever(void *arg) { go_recv((go_chan *)arg); }

static void orphan_receiver(void *arg) { go_go(receive_forever, go_make_chan(0)); }

Test(stale_data, an_earlier_execution_cannot_make_an_orphan_reachable) {
    for (int round = 0; round < 50; round++) {
        go_exec_free(run_first(keep_channel, NULL));
        go_exec *e = run_first(orphan_receiver, NULL);
        cr_assert_eq(state_of(e, 2), GO_STATE_BLOCKED);
        const go_goroutine_graph *g = go_exec_goroutine_graph(e, 2);
        cr_assert_not_null(g);
        cr_assert(g->partially_deadlocked, "round %d: goroutine 2 still reachable", round);
        go_exec_free(e);
    }
}
