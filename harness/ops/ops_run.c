/* ops_run.c -- the fuzz_ops interpreter: each goroutine runs one body of
 * the program over its own slots.
 *
 * A goroutine's slots live in an ops_frame on its own stack, as a Go
 * function's locals do: the model's collector scans goroutine stacks, so
 * what a slot points to is alive exactly while some goroutine (or a
 * closure, timer or global) holds it. Never in malloc'ed memory, which
 * the collector cannot see.
 *
 * `go gN` passes the spawner's slots by value, as `go gN(s)` with s a
 * struct of pointers: Go puts arguments on the new goroutine's stack, and
 * there is no closure, so the model's carrier is a heap object (go_alloc),
 * not a closure that the unreleased-closure detector would see. AfterFunc
 * does have one in Go (`func() { gN(s) }`), so there the carrier is a
 * closure. Either way the goroutine copies the words to its frame when it
 * starts and clears the carrier, so that (as for Go's arguments) a slot
 * it overwrites no longer keeps the old object alive. */
#include <string.h>

#include "ops_table.h"

/* What a new goroutine starts from: program, body, slots, cancel
 * functions, as consecutive words. */
typedef struct ops_start {
    go_word program;
    go_word observer;   /* a chanfuzz_ops_observer, or 0 */
    go_word parent;     /* the spawner's goroutine id */
    go_word spawn_op;   /* the operation of its body that spawned */
    go_word body;
    go_word slots[CHANFUZZ_OPS_SLOTS];
    go_word cancels[2];
} ops_start;

#define START_WORDS (sizeof(ops_start) / sizeof(go_word))

typedef struct ops_frame {
    const chanfuzz_program *program;
    const chanfuzz_ops_observer *observer;  /* NULL: nobody watches */
    uint64_t goroutine;                     /* go_goroutine_id() */
    unsigned body;
    go_word slots[CHANFUZZ_OPS_SLOTS];  /* a slot's object, 0 for nil (and
                                           for Background in x slots) */
    go_cancel_func *cancels[2];         /* x0's and x1's CancelFunc */
} ops_frame;

static void run_body(ops_frame *frame);

static void notify_start(const ops_frame *frame, uint64_t parent, unsigned spawn_op) {
    if (frame->observer && frame->observer->start)
        frame->observer->start(frame->observer->self, frame->goroutine, frame->body, parent,
                               spawn_op);
}

static void notify_received(const ops_frame *frame, unsigned index, int arm, go_word value,
                            bool ok) {
    if (frame->observer && frame->observer->received)
        frame->observer->received(frame->observer->self, frame->goroutine, index, arm, value, ok);
}

static void run_from(const ops_start *start) {
    ops_frame frame;
    frame.program = (const chanfuzz_program *)start->program;
    frame.observer = (const chanfuzz_ops_observer *)start->observer;
    frame.goroutine = go_goroutine_id();
    frame.body = (unsigned)start->body;
    memcpy(frame.slots, start->slots, sizeof frame.slots);
    for (size_t i = 0; i < 2; i++) frame.cancels[i] = (go_cancel_func *)start->cancels[i];
    notify_start(&frame, start->parent, (unsigned)start->spawn_op);
    run_body(&frame);
}

/* The entry of `go gN(s)`: arg is an ops_start made by go_alloc. */
static void ops_goroutine(void *arg) {
    ops_start start = *(ops_start *)arg;
    memset(arg, 0, sizeof start);
    run_from(&start);
}

/* The entry of AfterFunc(d, func() { gN(s) }): arg is the closure. */
static void ops_after_func(void *arg) {
    go_env *env = arg;
    go_word words[START_WORDS];
    for (size_t i = 0; i < START_WORDS; i++) {
        words[i] = go_env_word(env, i);
        go_env_set(env, i, 0);
    }
    ops_start start;
    memcpy(&start, words, sizeof start);
    run_from(&start);
}

static void fill_start(ops_start *start, const ops_frame *frame, unsigned body,
                       unsigned spawn_op) {
    start->program = (go_word)frame->program;
    start->observer = (go_word)frame->observer;
    start->parent = frame->goroutine;
    start->spawn_op = spawn_op;
    start->body = body;
    memcpy(start->slots, frame->slots, sizeof frame->slots);
    for (size_t i = 0; i < 2; i++) start->cancels[i] = (go_word)frame->cancels[i];
}

#define SLOT(frame, n) ((frame)->slots[(n)])
#define CHAN(frame, n) ((go_chan *)SLOT(frame, n))

/* Every model call an operation makes carries the operation's own site:
 * file and function are the body ("g1"), line the operation's number in
 * it (from 1; 0 is main's prologue). Reports then name the program, not
 * the interpreter -- "leak: chan send at g1:2 (g1) created at main:3
 * (main)" -- and a blocking site is what the Go export can point at.
 * Static, as the runtime and the findings require of sites. */
#define OP_SITE(body, n) {body, body, n}
#define OP_SITES(body)                                                                      \
    {OP_SITE(body, 0),  OP_SITE(body, 1),  OP_SITE(body, 2),  OP_SITE(body, 3),             \
     OP_SITE(body, 4),  OP_SITE(body, 5),  OP_SITE(body, 6),  OP_SITE(body, 7),             \
     OP_SITE(body, 8),  OP_SITE(body, 9),  OP_SITE(body, 10), OP_SITE(body, 11),            \
     OP_SITE(body, 12), OP_SITE(body, 13), OP_SITE(body, 14), OP_SITE(body, 15),            \
     OP_SITE(body, 16)}
static const go_site op_sites[CHANFUZZ_OPS_BODIES][CHANFUZZ_OPS_MAX_OPS + 1] = {
    OP_SITES("main"), OP_SITES("g1"), OP_SITES("g2"), OP_SITES("g3")};
static const char *const body_names[CHANFUZZ_OPS_BODIES] = {"main", "g1", "g2", "g3"};

static go_context *context_in(const go_site *site, const ops_frame *frame, unsigned slot) {
    if (slot == CHANFUZZ_OPS_BACKGROUND || !SLOT(frame, slot)) return go_background_at(site);
    return (go_context *)SLOT(frame, slot);
}

/* t.C; the nil channel for a nil timer (the Go export's timerC helper)
 * and for an AfterFunc timer, whose C is nil in Go too. */
static go_chan *timer_chan(const ops_frame *frame, unsigned slot) {
    const go_timer *t = (const go_timer *)SLOT(frame, slot);
    return t ? go_timer_chan(t) : NULL;
}

/* The CancelFunc that goes with context slot `slot`. */
static go_cancel_func **cancel_of(ops_frame *frame, unsigned slot) {
    return &frame->cancels[slot - ops_slot_first(CHANFUZZ_SLOT_CONTEXT)];
}

static go_duration ms(uint8_t value) { return (go_duration)value * GO_MS; }

static const char *global_name(unsigned closure_slot) {
    return closure_slot == ops_slot_first(CHANFUZZ_SLOT_CLOSURE) ? "registry_k0" : "registry_k1";
}

static void run_select(const go_site *site, ops_frame *frame, const chanfuzz_op *op,
                       unsigned index) {
    /* Zeroed: the collector reads this frame conservatively, and unused
     * arms must not hold whatever an earlier call left there. */
    go_case cases[CHANFUZZ_OPS_MAX_CASES] = {{0}};
    go_word values[CHANFUZZ_OPS_MAX_CASES] = {0};
    bool oks[CHANFUZZ_OPS_MAX_CASES] = {0};
    for (unsigned c = 0; c < op->count; c++) {
        const chanfuzz_ops_case *arm = &op->cases[c];
        const uint8_t *a = arm->arg;
        switch ((chanfuzz_case_kind)arm->kind) {
        case CHANFUZZ_CASE_RECV: cases[c] = go_case_recv2(CHAN(frame, a[0]), &values[c], &oks[c]); break;
        case CHANFUZZ_CASE_SEND: cases[c] = go_case_send(CHAN(frame, a[0]), a[1]); break;
        case CHANFUZZ_CASE_DONE:
            cases[c] = go_case_recv(go_ctx_done_at(site, context_in(site, frame, a[0])), NULL);
            break;
        case CHANFUZZ_CASE_TICK: cases[c] = go_case_recv(timer_chan(frame, a[0]), NULL); break;
        case CHANFUZZ_CASE_AFTER: cases[c] = go_case_recv(go_after_at(site, ms(a[0])), NULL); break;
        case CHANFUZZ_CASE_KIND_COUNT: break;
        }
    }
    int chosen = go_select_at(site, op->count ? cases : NULL, op->count, op->has_default);
    if (chosen >= 0 && op->cases[chosen].kind == CHANFUZZ_CASE_RECV)
        notify_received(frame, index, chosen, values[chosen], oks[chosen]);
    else
        notify_received(frame, index, chosen, 0, false);
}

/* go gN(s) and time.AfterFunc(d, func() { gN(s) }). */
static void start_body(const go_site *site, ops_frame *frame, unsigned body,
                       unsigned spawn_op) {
    ops_start *start = go_alloc_at(site, sizeof *start);
    fill_start(start, frame, body, spawn_op);
    go_go_at(site, body_names[body], ops_goroutine, start);
}

static go_timer *after_func(const go_site *site, ops_frame *frame, go_duration d,
                            unsigned body, unsigned spawn_op) {
    ops_start start;
    fill_start(&start, frame, body, spawn_op);
    go_env *env = go_closure_at(site, START_WORDS, (const go_word *)&start);
    return go_after_func_at(site, d, body_names[body], ops_after_func, env);
}

static void run_op(const go_site *site, ops_frame *frame, const chanfuzz_op *op,
                   unsigned index) {
    const uint8_t *a = op->arg;
    go_word value;
    bool ok;
    switch ((chanfuzz_op_kind)op->kind) {
    case CHANFUZZ_OP_YIELD: go_yield_at(site); break;
    case CHANFUZZ_OP_GO: start_body(site, frame, a[0], index); break;
    case CHANFUZZ_OP_MAKE: SLOT(frame, a[0]) = (go_word)go_make_chan_at(site, a[1]); break;
    case CHANFUZZ_OP_SEND: go_send_at(site, CHAN(frame, a[0]), a[1]); break;
    case CHANFUZZ_OP_RECV:
        value = go_recv_at(site, CHAN(frame, a[0]), &ok);
        notify_received(frame, index, 0, value, ok);
        break;
    case CHANFUZZ_OP_RANGE:
        while (go_range_at(site, CHAN(frame, a[0]), &value))
            notify_received(frame, index, 0, value, true);
        notify_received(frame, index, 0, 0, false);
        break;
    case CHANFUZZ_OP_CLOSE: go_close_at(site, CHAN(frame, a[0])); break;
    case CHANFUZZ_OP_SELECT: run_select(site, frame, op, index); break;
    case CHANFUZZ_OP_WITH_CANCEL:
        SLOT(frame, a[0]) =
            (go_word)go_with_cancel_at(site, context_in(site, frame, a[1]), cancel_of(frame, a[0]));
        break;
    case CHANFUZZ_OP_WITH_TIMEOUT:
        SLOT(frame, a[0]) = (go_word)go_with_timeout_at(site, context_in(site, frame, a[1]),
                                                        ms(a[2]), cancel_of(frame, a[0]));
        break;
    case CHANFUZZ_OP_CANCEL:
        if (*cancel_of(frame, a[0])) go_cancel_at(site, *cancel_of(frame, a[0]), NULL);
        break;
    case CHANFUZZ_OP_DONE:
        go_recv_at(site, go_ctx_done_at(site, context_in(site, frame, a[0])), NULL);
        break;
    case CHANFUZZ_OP_ADD: go_waitgroup_add_at(site, (go_waitgroup *)SLOT(frame, a[0]), a[1]); break;
    case CHANFUZZ_OP_WG_DONE: go_waitgroup_add_at(site, (go_waitgroup *)SLOT(frame, a[0]), -1); break;
    case CHANFUZZ_OP_WAIT: go_waitgroup_wait_at(site, (go_waitgroup *)SLOT(frame, a[0])); break;
    case CHANFUZZ_OP_LOCK: go_mutex_lock_at(site, (go_mutex *)SLOT(frame, a[0])); break;
    case CHANFUZZ_OP_UNLOCK: go_mutex_unlock_at(site, (go_mutex *)SLOT(frame, a[0])); break;
    case CHANFUZZ_OP_SLEEP: go_sleep_at(site, ms(a[0])); break;
    case CHANFUZZ_OP_TIMER: SLOT(frame, a[0]) = (go_word)go_timer_new_at(site, ms(a[1])); break;
    case CHANFUZZ_OP_AFTER_FUNC:
        SLOT(frame, a[0]) = (go_word)after_func(site, frame, ms(a[1]), a[2], index);
        break;
    case CHANFUZZ_OP_STOP:
        if (SLOT(frame, a[0])) go_timer_stop_at(site, (go_timer *)SLOT(frame, a[0]));
        break;
    case CHANFUZZ_OP_TICK: go_recv_at(site, timer_chan(frame, a[0]), NULL); break;
    case CHANFUZZ_OP_OPEN:
        SLOT(frame, a[0]) = (go_word)go_open_at(site, chanfuzz_ops_slot_name(a[0]));
        break;
    case CHANFUZZ_OP_FILE_CLOSE: go_resource_close_at(site, (go_resource *)SLOT(frame, a[0])); break;
    case CHANFUZZ_OP_CAPTURE: {
        go_word captured[CHANFUZZ_OPS_MAX_CAPTURES];
        for (unsigned i = 0; i < op->count; i++) captured[i] = SLOT(frame, a[1 + i]);
        SLOT(frame, a[0]) = (go_word)go_closure_at(site, op->count, captured);
        break;
    }
    case CHANFUZZ_OP_PUBLISH: go_global_set_at(site, global_name(a[0]), SLOT(frame, a[0])); break;
    case CHANFUZZ_OP_UNPUBLISH: go_global_clear(global_name(a[0])); break;
    case CHANFUZZ_OP_WEAK:
        SLOT(frame, a[0]) = (go_word)go_weak_make_at(site, (const void *)SLOT(frame, a[1]));
        break;
    case CHANFUZZ_OP_WEAK_VALUE: (void)go_weak_value((const go_weak *)SLOT(frame, a[0])); break;
    case CHANFUZZ_OP_GC: go_gc_at(site); break;
    case CHANFUZZ_OP_RELEASE: SLOT(frame, a[0]) = 0; break;
    case CHANFUZZ_OP_KIND_COUNT: break;
    }
}

static void run_body(ops_frame *frame) {
    const chanfuzz_ops_body *body = &frame->program->bodies[frame->body];
    const chanfuzz_ops_observer *observer = frame->observer;
    for (unsigned i = 0; i < body->count; i++) {
        if (observer && observer->operation)
            observer->operation(observer->self, frame->goroutine, frame->body, i, &body->ops[i],
                                frame->slots);
        run_op(&op_sites[frame->body][i + 1], frame, &body->ops[i], i);
    }
}

/* main: makes the Mutexes and WaitGroups every goroutine shares (Go
 * values, never nil), then runs body 0. */
static void ops_main(void *arg) {
    const ops_start *start = arg; /* program and observer only */
    ops_frame frame;
    memset(&frame, 0, sizeof frame);
    frame.program = (const chanfuzz_program *)start->program;
    frame.observer = (const chanfuzz_ops_observer *)start->observer;
    frame.goroutine = go_goroutine_id();
    frame.body = 0;
    unsigned mutexes = ops_slot_first(CHANFUZZ_SLOT_MUTEX);
    unsigned waitgroups = ops_slot_first(CHANFUZZ_SLOT_WAITGROUP);
    const go_site *prologue = &op_sites[0][0];
    for (unsigned i = 0; i < 2; i++) {
        SLOT(&frame, mutexes + i) = (go_word)go_mutex_new_at(prologue);
        SLOT(&frame, waitgroups + i) = (go_word)go_waitgroup_new_at(prologue);
    }
    notify_start(&frame, 0, 0);
    run_body(&frame);
}

go_exec *chanfuzz_ops_run_observed(const chanfuzz_program *p, const go_config *cfg,
                                   const chanfuzz_ops_observer *observer) {
    go_config config = *cfg;
    if (config.step_budget == 0) config.step_budget = CHANFUZZ_OPS_STEP_BUDGET;
    /* On this (the caller's) stack: main reads it before anything else
     * runs, and it holds no model object. */
    ops_start start = {.program = (go_word)p, .observer = (go_word)observer};
    return go_exec_run(&config, ops_main, &start);
}

go_exec *chanfuzz_ops_run(const chanfuzz_program *p, const go_config *cfg) {
    return chanfuzz_ops_run_observed(p, cfg, NULL);
}
