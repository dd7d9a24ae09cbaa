/* test_stack.c -- goroutine stacks: an overflow is a fatal error of the
 * execution, never of the process; canary stacks catch what guard pages
 * would; and the sanitizers see coroutine stacks as they are (LSan scans
 * the live ones, ASan's fake stacks and redzones do not outlive them).
 *
 * Go treats a stack overflow as a fatal error of the whole program
 * ("runtime: goroutine stack exceeds 1000000000-byte limit", then "fatal
 * error: stack overflow"); the model ends the execution the same way and
 * the process goes on to the next one. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

/* Private runtime hooks (runtime/stack.h). The tests' include path holds
 * only tests/ and the public headers, so the few needed are declared
 * here; their contracts are in stack.h. */
void cf_stack_set_guarded_limit(size_t limit);
size_t cf_stack_usable_size(void);
uint64_t *cf_stack_canary_at(const void *addr);


#if UNDER_ASAN
#include <sanitizer/asan_interface.h>

/* Fake stacks (detect_stack_use_after_return) and leak detection on even
 * when the environment does not ask for them: the tests below are about
 * exactly these. ASAN_OPTIONS still overrides. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "detect_stack_use_after_return=1:detect_leaks=1";
}
#endif

/* ---- helpers ------------------------------------------------------------ */

/* Is this frame's escaping local on ASan's fake stack, i.e. is
 * detect_stack_use_after_return on? */
static __attribute__((noinline)) bool fake_stacks_on(void) {
#if UNDER_ASAN
    volatile int cell[4] = {0};
    return __asan_addr_is_in_fake_stack(__asan_get_current_fake_stack(),
                                        (void *)(uintptr_t)cell, NULL, NULL) != NULL;
#else
    return false;
#endif
}


/* The process's virtual size, from /proc/self/statm. ASan's fake stacks
 * are megabytes each and merge into neighbouring mappings, so a leaked one
 * shows here rather than in the mapping count. */
static size_t virtual_bytes(void) {
    FILE *statm = fopen("/proc/self/statm", "r");
    cr_assert(statm != NULL);
    unsigned long pages = 0;
    cr_assert_eq(fscanf(statm, "%lu", &pages), 1);
    fclose(statm);
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* The running frame's address: on the goroutine's real stack even when
 * ASan moves locals to a fake stack. */
#define HERE() __builtin_frame_address(0)

/* Writes a page of locals per frame and never returns (the impossible stop
 * keeps compilers from calling the recursion infinite; the use after the
 * call keeps it from being a tail call). -fstack-clash-protection makes
 * each frame probe its pages, so the first frame past the stack touches
 * the guard page. */
static __attribute__((noinline)) int recurse_forever(uint64_t depth) {
    volatile char frame[4096];
    memset((char *)frame, (int)depth, sizeof frame);
    if (depth == UINT64_MAX) return frame[7];
    return recurse_forever(depth + 1) + frame[depth % sizeof frame];
}

/* Uses `bytes` of stack below the caller, in 1 KiB frames, then yields
 * from the deepest one: a switch with the stack well used. */
static __attribute__((noinline)) int use_stack_then_yield(size_t bytes) {
    volatile char frame[1024];
    memset((char *)frame, (int)bytes, sizeof frame);
    if (bytes <= sizeof frame) {
        go_yield();
        return frame[0];
    }
    return use_stack_then_yield(bytes - sizeof frame) + frame[1];
}

/* ---- a guard-page overflow ends the execution, not the process -------- */

#define BYSTANDERS 50

typedef struct {
    go_chan *never;         /* nobody sends on it */
    uint64_t overflower_id;
    bool main_overflows;    /* main recurses itself instead */
} overflow_case;

static void bystander(void *arg) {
    overflow_case *t = arg;
    go_recv(t->never);
}

static void overflower(void *arg) {
    overflow_case *t = arg;
    t->overflower_id = go_goroutine_id();
    recurse_forever(0);
}

static void overflow_main(void *arg) {
    overflow_case *t = arg;
    t->never = go_make_chan(0);
    for (int i = 0; i < BYSTANDERS; i++) go_go(bystander, t);
    if (t->main_overflows) {
        go_yield(); /* let the bystanders block first */
        overflower(t);
    }
    go_go(overflower, t);
    go_recv(t->never);
}

/* Runs one execution where a goroutine (or main) overflows its stack, and
 * checks it ended as Go's fatal error, blaming only the overflower. */
static void expect_overflow_ends_execution(bool main_overflows) {
    overflow_case t = {.main_overflows = main_overflows};
    go_exec *e = run_first(overflow_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_FATAL, "ended by %s", go_end_name(go_exec_end(e)));
    cr_assert_str_eq(go_exec_message(e), "stack overflow");
    const go_goroutine_info *failed = info_of(e, t.overflower_id);
    cr_assert(failed != NULL);
    cr_expect_eq(failed->state, GO_STATE_FAILED);
    /* Everyone else is left as it was, blocked on the channel. */
    cr_assert_eq(go_exec_goroutine_count(e), BYSTANDERS + (main_overflows ? 1 : 2));
    for (size_t i = 0; i < go_exec_goroutine_count(e); i++) {
        const go_goroutine_info *g = go_exec_goroutine(e, i);
        if (g->id == t.overflower_id) continue;
        cr_expect_eq(g->state, GO_STATE_BLOCKED, "goroutine %llu", (unsigned long long)g->id);
        cr_expect_eq(g->wait_reason, GO_WAIT_CHAN_RECV);
    }
    go_exec_free(e);
}

typedef struct {
    go_chan *results;
    int sum;
} fan_in_case;

static void fan_in_worker(void *arg) {
    fan_in_case *t = arg;
    use_stack_then_yield(16 * 1024);
    go_send(t->results, 1);
}

static void fan_in_main(void *arg) {
    fan_in_case *t = arg;
    t->results = go_make_chan(4);
    for (int i = 0; i < BYSTANDERS + 1; i++) go_go(fan_in_worker, t);
    for (int i = 0; i < BYSTANDERS + 1; i++) t->sum += (int)go_recv(t->results);
}

/* An ordinary execution with as many goroutines as the overflow one. */
static void expect_normal_execution(uint64_t seed) {
    fan_in_case t = {0};
    go_exec *e = run_seeded(fan_in_main, &t, seed);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "ended by %s: %s",
                 go_end_name(go_exec_end(e)), go_exec_message(e));
    cr_assert_eq(t.sum, BYSTANDERS + 1);
    cr_assert_eq(go_exec_goroutine_count(e), 0);
    go_exec_free(e);
}

Test(stack, overflow_of_one_goroutine_among_many_is_a_fatal_error_of_the_execution) {
    expect_overflow_ends_execution(false);
    /* The process goes on: later executions run, on the same stacks (the
     * mapping count settles after the first and stays flat). */
    expect_normal_execution(0);
    size_t settled = mapping_count();
    for (uint64_t seed = 1; seed <= 20; seed++) expect_normal_execution(seed);
    cr_expect_leq(mapping_count(), settled + 4, "stacks were mapped afresh, not reused");
}

/* The fault handler's frames are abandoned on the alternate signal stack
 * with their redzones poisoned; left so, the next instrumented frame
 * there reports a false error (gcc's ASan, whose prologues assume clean
 * shadow below the stack pointer). */
static void expect_clean_alternate_stack(void) {
#if UNDER_ASAN
    stack_t alternate;
    cr_assert_eq(sigaltstack(NULL, &alternate), 0);
    cr_assert_not(alternate.ss_flags & SS_DISABLE);
    cr_expect_null(__asan_region_is_poisoned(alternate.ss_sp, alternate.ss_size),
                   "the alternate signal stack is left poisoned");
#endif
}

Test(stack, a_second_overflow_in_a_later_execution_is_caught_too) {
    /* The handler leaves by switching away, never by returning: unless it
     * unblocked SIGSEGV itself, the next overflow would kill the process. */
    for (int round = 0; round < 3; round++) {
        expect_overflow_ends_execution(round == 1);
        expect_clean_alternate_stack();
        expect_normal_execution((uint64_t)round);
    }
}

typedef struct {
    size_t frame_bytes;
    uint64_t recurser_id, partner_id;
} yielding_case;

/* Recurses with a yield in every frame, so the first frame past the stack
 * may be any frame of the switch path as well as its own. */
static __attribute__((noinline)) int recurse_yielding(size_t frame_bytes, uint64_t depth) {
    char *frame = __builtin_alloca(frame_bytes);
    memset(frame, (int)depth, frame_bytes);
    go_yield();
    if (depth == UINT64_MAX) return 0;
    return recurse_yielding(frame_bytes, depth + 1) + frame[depth % frame_bytes];
}

static void yielding_recurser(void *arg) {
    yielding_case *t = arg;
    t->recurser_id = go_goroutine_id();
    recurse_yielding(t->frame_bytes, 0);
}

static void yielding_partner(void *arg) {
    yielding_case *t = arg;
    t->partner_id = go_goroutine_id();
    for (;;) go_yield();
}

static void yielding_main(void *arg) {
    yielding_case *t = arg;
    go_go(yielding_recurser, t);
    go_go(yielding_partner, t);
    go_recv(NULL);
}

Test(stack, an_overflow_near_a_switch_is_blamed_on_the_goroutine_leaving) {
    /* The switch path runs with the scheduler's state half-updated (the
     * next goroutine is already current): the overflow must be caught
     * before it, and blamed on the goroutine leaving. Frame sizes in steps
     * of 8 bytes put the stack's end at every point of the switch path. */
    for (size_t step = 0; step < 64; step++) {
        yielding_case t = {.frame_bytes = 1024 + 8 * step};
        go_exec *e = run_first(yielding_main, &t);
        cr_assert_eq(go_exec_end(e), GO_END_FATAL, "frame %zu: ended by %s", t.frame_bytes,
                     go_end_name(go_exec_end(e)));
        cr_assert_str_eq(go_exec_message(e), "stack overflow");
        cr_expect_eq(state_of(e, t.recurser_id), GO_STATE_FAILED, "frame %zu", t.frame_bytes);
        cr_expect_eq(state_of(e, t.partner_id), GO_STATE_RUNNABLE, "frame %zu", t.frame_bytes);
        go_exec_free(e);
    }
}

#if !UNDER_ASAN
static void wild_write(void *arg) {
    volatile int *nowhere = (volatile int *)(uintptr_t)arg;
    *nowhere = 1;
}

static void wild_write_main(void *arg) {
    go_go(wild_write, arg);
    go_yield();
}

/* Any other fault is passed on to the handler installed before ours (here
 * the default, which kills): a wild write is not a stack overflow. (Under
 * ASan, ASan's own SEGV report takes this path.) */
Test(stack, a_fault_outside_any_guard_page_is_not_taken_for_an_overflow, .signal = SIGSEGV) {
    run_first(wild_write_main, (void *)(uintptr_t)16);
}
#endif

/* ---- canary stacks --------------------------------------------------------- */

#define RING 200

typedef struct {
    go_chan *links[RING + 1];
    int next_index;
    int on_canary;          /* goroutines that found themselves on one */
    go_word total;          /* what came out of the ring's end */
} ring_case;

static void ring_stage(void *arg) {
    ring_case *t = arg;
    int index = t->next_index++;
    t->on_canary += cf_stack_canary_at(HERE()) != NULL;
    go_word v = go_recv(t->links[index]);
    /* Half the stack, with a switch at the bottom: the canary must hold. */
    use_stack_then_yield(cf_stack_usable_size() / 2);
    go_send(t->links[index + 1], v + (go_word)index);
}

static void ring_main(void *arg) {
    ring_case *t = arg;
    for (int i = 0; i <= RING; i++) t->links[i] = go_make_chan((size_t)(i % 2));
    for (int i = 0; i < RING; i++) go_go(ring_stage, t);
    go_send(t->links[0], 0);
    t->total = go_recv(t->links[RING]);
}

Test(stack, goroutines_run_normally_on_canary_stacks) {
    cf_stack_set_guarded_limit(1); /* main's is guarded; every other is not */
    for (uint64_t seed = 0; seed < 5; seed++) {
        ring_case t = {0};
        go_exec *e = run_seeded(ring_main, &t, seed);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "seed %llu ended by %s: %s",
                     (unsigned long long)seed, go_end_name(go_exec_end(e)),
                     go_exec_message(e));
        cr_assert_eq(t.on_canary, RING);
        cr_assert_eq(t.total, (go_word)(RING * (RING - 1) / 2));
        cr_assert_eq(go_exec_goroutine_count(e), 0);
        go_exec_free(e);
    }
    cf_stack_set_guarded_limit(0);
}

typedef struct {
    uint64_t smasher_id, partner_id;
    bool on_canary;
    bool resumed;           /* the smasher ran on after its overflow */
    bool exit_instead;      /* smash, then return instead of switching */
    go_chan *never;
} smash_case;

/* Simulates a frame that ran just past the stack: overwrites the canary
 * word below lo, as the overflow's first write would. */
static void smasher(void *arg) {
    smash_case *t = arg;
    t->smasher_id = go_goroutine_id();
    uint64_t *canary = cf_stack_canary_at(HERE());
    t->on_canary = canary != NULL;
    if (!canary) return;
    *canary = 0;
    if (t->exit_instead) return;
    go_yield();
    t->resumed = true;
}

static void partner(void *arg) {
    smash_case *t = arg;
    t->partner_id = go_goroutine_id();
    for (int i = 0; i < 10; i++) go_yield();
}

static void smash_main(void *arg) {
    smash_case *t = arg;
    t->never = go_make_chan(0);
    go_go(smasher, t);
    go_go(partner, t);
    go_recv(t->never);
}

static void expect_smash_reported(bool exit_instead) {
    cf_stack_set_guarded_limit(1);
    smash_case t = {.exit_instead = exit_instead};
    go_exec *e = run_first(smash_main, &t);
    cr_assert(t.on_canary, "the smasher did not run on a canary stack");
    cr_assert_eq(go_exec_end(e), GO_END_FATAL, "ended by %s", go_end_name(go_exec_end(e)));
    cr_assert_str_eq(go_exec_message(e), "stack overflow");
    cr_expect_not(t.resumed);
    /* The blame is the smasher's, not that of whoever runs next. */
    cr_expect_eq(state_of(e, t.smasher_id), GO_STATE_FAILED);
    cr_expect_neq(state_of(e, t.partner_id), GO_STATE_FAILED);
    go_exec_free(e);
    /* The stack goes back to the pool with a fresh canary. */
    expect_normal_execution(1);
    cf_stack_set_guarded_limit(0);
}

Test(stack, an_overwritten_canary_is_a_stack_overflow_at_the_next_switch) {
    expect_smash_reported(false);
}

Test(stack, an_overwritten_canary_is_a_stack_overflow_when_the_goroutine_exits) {
    expect_smash_reported(true);
}

typedef struct {
    uint64_t overflower_id;
    bool overflower_first;  /* it takes the slab's top stack, above the rest */
    bool on_canary;
} runaway_case;

static void canary_overflower(void *arg) {
    runaway_case *t = arg;
    t->overflower_id = go_goroutine_id();
    t->on_canary = cf_stack_canary_at(HERE()) != NULL;
    for (int i = 0; i < 3; i++) go_yield(); /* the blockers block first */
    recurse_forever(0);
}

/* Blocked on a nil channel: no wait record on its stack for anything to
 * reach, so a trampled stack cannot hurt the end-of-execution checks. */
static void nil_blocker(void *arg) { go_recv(NULL); }

static void runaway_main(void *arg) {
    runaway_case *t = arg;
    if (t->overflower_first) go_go(canary_overflower, t);
    for (int i = 0; i < 8; i++) go_go(nil_blocker, t);
    if (!t->overflower_first) go_go(canary_overflower, t);
    go_recv(NULL);
}

Test(stack, runaway_recursion_on_a_canary_stack_is_a_stack_overflow) {
    cf_stack_set_guarded_limit(1);
    /* Recursion runs down through the stacks below it in the slab and
     * faults in the slab's guard page. Slabs hand out their stacks from the
     * top down, so in round 0 (a fresh slab) the overflower spawned first
     * sits above the blocked goroutines: their stacks lie in its way, and
     * they must be torn down without being resumed. */
    for (int round = 0; round < 4; round++) {
        runaway_case t = {.overflower_first = round % 2 == 0};
#if UNDER_ASAN && !defined(__clang__)
        /* gcc's ASan prologues assume clean shadow below the stack pointer:
         * recursing over a live goroutine's redzones, the overflower is
         * reported as a stack-buffer-underflow before it reaches the guard
         * page. Only fake stacks keep those redzones off the real stack. */
        if (t.overflower_first && !fake_stacks_on()) continue;
#endif
        go_exec *e = run_first(runaway_main, &t);
        cr_assert(t.on_canary);
        cr_assert_eq(go_exec_end(e), GO_END_FATAL, "round %d ended by %s", round,
                     go_end_name(go_exec_end(e)));
        cr_assert_str_eq(go_exec_message(e), "stack overflow");
        cr_expect_eq(state_of(e, t.overflower_id), GO_STATE_FAILED);
        cr_expect_eq(go_exec_goroutine_count(e), 10);
        go_exec_free(e);
        /* The trampled stacks are reused: fresh canaries, clean shadow. */
        ring_case ring = {0};
        e = run_seeded(ring_main, &ring, (uint64_t)round);
        cr_assert_eq(go_exec_end(e), GO_END_RETURNED, "ended by %s: %s",
                     go_end_name(go_exec_end(e)), go_exec_message(e));
        go_exec_free(e);
    }
    cf_stack_set_guarded_limit(0);
}

typedef struct {
    int count;
    go_chan *never;
    int on_canary;
} crowd_case;

static void crowd_member(void *arg) {
    crowd_case *t = arg;
    t->on_canary += cf_stack_canary_at(HERE()) != NULL;
    go_recv(t->never);
}

static void crowd_main(void *arg) {
    crowd_case *t = arg;
    t->never = go_make_chan(0);
    for (int i = 0; i < t->count; i++) go_go(crowd_member, t);
}

Test(stack, small_executions_after_a_large_one_run_on_guarded_stacks) {
    /* A canary stack is the weaker guard: while guarded stacks are free,
     * the pool hands those out first, whatever was released last. */
    cf_stack_set_guarded_limit(16);
    crowd_case large = {.count = 100};
    go_exec *e = run_first(crowd_main, &large);
    cr_assert_eq(large.on_canary, 100 - 15);
    go_exec_free(e);
    crowd_case small = {.count = 10};
    e = run_first(crowd_main, &small);
    cr_expect_eq(small.on_canary, 0);
    go_exec_free(e);
    cf_stack_set_guarded_limit(0);
}

/* ---- LeakSanitizer: live stacks are roots, released ones are not ------- */

#if UNDER_ASAN
/* A pointer LSan cannot see: stored XOR'ed, so only the stacks the test is
 * about can keep the object reachable; the test frees it at the end. */
static volatile uintptr_t hidden_object;
#define HIDE(p) (hidden_object = (uintptr_t)(p) ^ (uintptr_t)0x5A5A5A5A5A5A5A5Aull)
#define UNHIDE() ((void *)(hidden_object ^ (uintptr_t)0x5A5A5A5A5A5A5A5Aull))

typedef struct {
    go_chan *never;
    go_chan *go_ahead;
    int leaks_seen;         /* the mid-execution check's answer */
} lsan_case;

/* Keeps `p` live in this frame (or in a register it saves) across a call. */
#define KEEP(p) __asm__ volatile("" ::"r"(p) : "memory")

static void holder(void *arg) {
    lsan_case *t = arg;
    char *object = malloc(64);
    memset(object, 1, 64);
    HIDE(object);
    go_recv(t->never); /* forever: `object` lives only on this stack */
    KEEP(object);
}

/* Frees the hidden object: LSan must then have nothing left to say. */
static void free_hidden_object_then_expect_no_leak(void) {
    free(UNHIDE());
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0);
}

static void checker(void *arg) {
    lsan_case *t = arg;
    go_recv(t->go_ahead);
    t->leaks_seen = __lsan_do_recoverable_leak_check();
}

static void holder_main(void *arg) {
    lsan_case *t = arg;
    t->never = go_make_chan(0);
    t->go_ahead = go_make_chan(0);
    go_go(holder, t);
    go_go(checker, t);
    go_yield(); /* both run: the holder blocks holding the object */
    go_send(t->go_ahead, 1);
    go_yield();
}

/* Leaves the only pointer to a new object in a dead frame, as returning
 * functions do: only the stack's release from LSan's roots lets LSan see
 * the leak. Uninstrumented, so that the frame is on the goroutine's real
 * stack, never on ASan's fake stack; below a page of padding, so that the
 * goroutine's exit path does not overwrite it. */
static __attribute__((noinline, no_sanitize_address)) void leak_and_forget(void) {
    char *volatile slot[1];
    slot[0] = malloc(64);
    memset(slot[0], 2, 64);
    HIDE(slot[0]);
}

static __attribute__((noinline, no_sanitize_address)) void below_padding(void) {
    char padding[4096];
    memset(padding, 0, sizeof padding);
    __asm__ volatile("" ::"r"(padding) : "memory"); /* the page is really there */
    leak_and_forget();
    __asm__ volatile("" ::"r"(padding) : "memory");
}

static void leaker(void *arg) { below_padding(); }

static void leaker_main(void *arg) {
    lsan_case *t = arg;
    t->go_ahead = go_make_chan(0);
    go_go(checker, t); /* first, so that it cannot reuse the leaker's stack */
    go_yield();
    go_go(leaker, t);
    go_yield(); /* the leaker runs and exits: its stack is back in the pool */
    go_send(t->go_ahead, 1);
    go_yield();
}
#endif

Test(stack, an_object_held_only_by_a_blocked_goroutine_is_no_leak_until_teardown) {
#if UNDER_ASAN
    lsan_case t = {0};
    go_exec *e = run_first(holder_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(state_of(e, 2), GO_STATE_BLOCKED);
    cr_expect_eq(t.leaks_seen, 0, "a live goroutine's stack was not scanned");
    /* Torn down, the goroutine holds nothing: its stack left the roots. */
    fprintf(stderr, "test_stack: one leak report expected below\n");
    cr_expect_neq(__lsan_do_recoverable_leak_check(), 0,
                  "a pooled stack still hides what it held");
    free_hidden_object_then_expect_no_leak();
    go_exec_free(e);
#else
    cr_skip_test("needs LeakSanitizer (asan preset)");
#endif
}

Test(stack, a_leak_made_by_an_exited_goroutine_is_reported_during_the_execution) {
#if UNDER_ASAN
    lsan_case t = {0};
    fprintf(stderr, "test_stack: one leak report expected below\n");
    go_exec *e = run_first(leaker_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_neq(t.leaks_seen, 0, "a released stack still hides what it held");
    free_hidden_object_then_expect_no_leak();
    go_exec_free(e);
#else
    cr_skip_test("needs LeakSanitizer (asan preset)");
#endif
}

/* ---- ASan fake stacks: freed by every goroutine's last switch ------------ */

typedef struct {
    go_chan *never;
    int mode;               /* 0 all exit, 1 some block, 2 one panics */
    int fake_frames;        /* goroutines that ran on a fake frame */
} uar_case;

/* A local whose address escapes: with detect_stack_use_after_return ASan
 * puts this frame on the goroutine's fake stack. */
static __attribute__((noinline)) int use_escaping_local(uar_case *t) {
    volatile int cell[16];
    for (int i = 0; i < 16; i++) cell[i] = i;
#if UNDER_ASAN
    t->fake_frames += __asan_addr_is_in_fake_stack(__asan_get_current_fake_stack(),
                                                   (void *)(uintptr_t)cell, NULL, NULL) != NULL;
#endif
    return cell[3];
}

static void uar_exits(void *arg) { use_escaping_local(arg); }

static void uar_blocks(void *arg) {
    uar_case *t = arg;
    use_escaping_local(t);
    go_recv(t->never);
}

static void uar_panics(void *arg) {
    uar_case *t = arg;
    use_escaping_local(t);
    go_yield();
    go_panic("planned");
}

static void uar_main(void *arg) {
    uar_case *t = arg;
    t->never = go_make_chan(0);
    use_escaping_local(t);
    for (int i = 0; i < 4; i++) go_go(uar_exits, t);
    if (t->mode >= 1)
        for (int i = 0; i < 4; i++) go_go(uar_blocks, t);
    if (t->mode == 2) go_go(uar_panics, t);
    for (int i = 0; i < 3; i++) go_yield();
    if (t->mode == 1) go_recv(t->never); /* main too: a global deadlock */
}

Test(stack, fake_stacks_of_exited_blocked_and_panicking_goroutines_are_freed) {
    if (!fake_stacks_on()) cr_skip_test("needs ASan with detect_stack_use_after_return=1");
    /* A report (use-after-return, stale poison on a reused stack) aborts the
     * process; a fake stack left behind is a mapping left behind. */
    static const go_end expected[3] = {GO_END_RETURNED, GO_END_DEADLOCK, GO_END_PANIC};
    size_t settled_maps = 0, settled_bytes = 0;
    int fake_frames = 0;
    for (int run = 0; run < 300; run++) {
        uar_case t = {.mode = run % 3};
        go_exec *e = run_seeded(uar_main, &t, (uint64_t)run);
        cr_assert_eq(go_exec_end(e), expected[t.mode], "run %d ended by %s", run,
                     go_end_name(go_exec_end(e)));
        fake_frames += t.fake_frames;
        go_exec_free(e);
        if (run == 29) {
            settled_maps = mapping_count();
            settled_bytes = virtual_bytes();
        }
    }
    cr_expect_leq(mapping_count(), settled_maps + 8, "stacks leak");
    cr_expect_leq(virtual_bytes(), settled_bytes + (64u << 20),
                  "fake stacks leak: grew by %zu MiB", (virtual_bytes() - settled_bytes) >> 20);
    cr_expect_gt(fake_frames, 0, "goroutines never ran on fake stacks: test proves nothing");
#if UNDER_ASAN
    cr_expect_eq(__lsan_do_recoverable_leak_check(), 0);
#endif
}
