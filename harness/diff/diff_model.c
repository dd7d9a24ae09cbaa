/* diff_model.c -- the model's side of the comparison: a fuzz_ops
 * interpreter that records what each goroutine received and where it
 * stands, explored exhaustively within a preemption bound.
 *
 * Why not chanfuzz_ops_run: it drops the values received, and the outcome
 * is made of them. This interpreter follows ops_run.c op for op (same
 * model calls in the same order, so the same decisions are asked); what it
 * adds only writes to the recorder, which lives in malloc'ed memory the
 * model never sees, so it changes no decision. Keep the two in step: a
 * difference between them is a divergence of its own. (Asked of the ops
 * helper: an observer hook in ops_run, so this file can shrink to the
 * recorder.)
 *
 * Go 1.22 timer semantics unless told otherwise: the oracle is Go 1.19. */
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/sources.h"
#include "diff.h"

/* Touches of objects in one execution, for pair coverage: at most every
 * op of every goroutine, each select arm counted. */
#define MAX_TOUCHES (CHANFUZZ_OPS_MAX_GOROUTINES * CHANFUZZ_OPS_MAX_OPS * CHANFUZZ_OPS_MAX_CASES)

typedef struct touch {
    go_word object;
    uint8_t kind;            /* diff_touch */
    uint8_t goroutine;       /* index in the outcome */
} touch;

/* One execution's record: reset by model_main at the start of each. */
typedef struct recorder {
    const chanfuzz_program *program;
    diff_outcome outcome;
    touch touches[MAX_TOUCHES];
    size_t touch_count;
} recorder;

enum {
    ENV_RECORDER = 0,
    ENV_BODY,
    ENV_PARENT,              /* index of the spawner in the outcome */
    ENV_SPAWN_OP,            /* the op that spawned it */
    ENV_SLOTS,
    ENV_CANCELS = ENV_SLOTS + CHANFUZZ_OPS_SLOTS,
    ENV_WORDS = ENV_CANCELS + 2,
};

typedef struct frame {
    recorder *rec;
    unsigned body;
    size_t self;                        /* index in rec->outcome */
    go_word slots[CHANFUZZ_OPS_SLOTS];  /* as ops_run.c: on the stack */
    go_cancel_func *cancels[2];
} frame;

static unsigned slot_first(chanfuzz_slot_kind kind) {
    for (unsigned s = 0; s < CHANFUZZ_OPS_SLOTS; s++)
        if (chanfuzz_ops_slot_kind(s) == kind) return s;
    return 0;
}

static void run_body(frame *f);

static void touch_object(frame *f, go_word object, diff_touch kind) {
    recorder *r = f->rec;
    if (!object || r->touch_count == MAX_TOUCHES) return;
    r->touches[r->touch_count++] = (touch){object, (uint8_t)kind, (uint8_t)f->self};
}

static diff_goroutine *self_of(frame *f) { return &f->rec->outcome.goroutines[f->self]; }

static void observe(frame *f, const char *text) { diff_goroutine_observe(self_of(f), text); }

static void start_frame(frame *f, recorder *r, const char *name, unsigned body) {
    f->rec = r;
    f->body = body;
    diff_goroutine *g = diff_outcome_goroutine(&r->outcome, name, body);
    if (!g) g = &r->outcome.goroutines[DIFF_MAX_GOROUTINES - 1]; /* cannot happen: 16 max */
    g->model_id = go_goroutine_id();
    f->self = (size_t)(g - r->outcome.goroutines);
}

static void model_goroutine(void *arg) {
    go_env *env = arg;
    frame f;
    recorder *r = (recorder *)go_env_word(env, ENV_RECORDER);
    const diff_goroutine *parent = &r->outcome.goroutines[go_env_word(env, ENV_PARENT)];
    char name[48];
    snprintf(name, sizeof name, "%.40s.%u", parent->name, (unsigned)go_env_word(env, ENV_SPAWN_OP));
    start_frame(&f, r, name, (unsigned)go_env_word(env, ENV_BODY));
    for (size_t i = 0; i < CHANFUZZ_OPS_SLOTS; i++) f.slots[i] = go_env_word(env, ENV_SLOTS + i);
    for (size_t i = 0; i < 2; i++) f.cancels[i] = (go_cancel_func *)go_env_word(env, ENV_CANCELS + i);
    for (size_t i = ENV_SLOTS; i < ENV_WORDS; i++) go_env_set(env, i, 0);
    run_body(&f);
}

static go_env *closure_for(const frame *f, unsigned body, unsigned spawn_op) {
    go_word words[ENV_WORDS];
    words[ENV_RECORDER] = (go_word)f->rec;
    words[ENV_BODY] = body;
    words[ENV_PARENT] = f->self;
    words[ENV_SPAWN_OP] = spawn_op;
    memcpy(&words[ENV_SLOTS], f->slots, sizeof f->slots);
    for (size_t i = 0; i < 2; i++) words[ENV_CANCELS + i] = (go_word)f->cancels[i];
    return go_closure_at(GO_SITE, ENV_WORDS, words);
}

#define SLOT(f, n) ((f)->slots[(n)])
#define CHAN(f, n) ((go_chan *)SLOT(f, n))

static go_context *context_in(const frame *f, unsigned slot) {
    if (slot == CHANFUZZ_OPS_BACKGROUND || !SLOT(f, slot)) return go_background();
    return (go_context *)SLOT(f, slot);
}

static go_chan *timer_chan(const frame *f, unsigned slot) {
    const go_timer *t = (const go_timer *)SLOT(f, slot);
    return t ? go_timer_chan(t) : NULL;
}

static go_cancel_func **cancel_of(frame *f, unsigned slot) {
    return &f->cancels[slot - slot_first(CHANFUZZ_SLOT_CONTEXT)];
}

static go_duration ms(uint8_t value) { return (go_duration)value * GO_MS; }

static const char *global_name(unsigned closure_slot) {
    return closure_slot == slot_first(CHANFUZZ_SLOT_CLOSURE) ? "registry_k0" : "registry_k1";
}

static void run_select(frame *f, const chanfuzz_op *op, unsigned index) {
    go_case cases[CHANFUZZ_OPS_MAX_CASES];
    go_word values[CHANFUZZ_OPS_MAX_CASES] = {0};
    bool oks[CHANFUZZ_OPS_MAX_CASES] = {0};
    static const diff_touch touched_as[CHANFUZZ_CASE_KIND_COUNT] = {
        DIFF_TOUCH_SELECT_RECV, DIFF_TOUCH_SELECT_SEND, DIFF_TOUCH_SELECT_DONE,
        DIFF_TOUCH_SELECT_TICK, DIFF_TOUCH_SELECT_TICK};
    for (unsigned c = 0; c < op->count; c++) {
        const chanfuzz_ops_case *arm = &op->cases[c];
        if (arm->kind < CHANFUZZ_CASE_AFTER)
            touch_object(f, SLOT(f, arm->arg[0]), touched_as[arm->kind]);
        switch ((chanfuzz_case_kind)arm->kind) {
        case CHANFUZZ_CASE_RECV:
            cases[c] = go_case_recv2(CHAN(f, arm->arg[0]), &values[c], &oks[c]);
            break;
        case CHANFUZZ_CASE_SEND: cases[c] = go_case_send(CHAN(f, arm->arg[0]), arm->arg[1]); break;
        case CHANFUZZ_CASE_DONE:
            cases[c] = go_case_recv(go_ctx_done(context_in(f, arm->arg[0])), NULL);
            break;
        case CHANFUZZ_CASE_TICK: cases[c] = go_case_recv(timer_chan(f, arm->arg[0]), NULL); break;
        case CHANFUZZ_CASE_AFTER: cases[c] = go_case_recv(go_after(ms(arm->arg[0])), NULL); break;
        case CHANFUZZ_CASE_KIND_COUNT: break;
        }
    }
    int chosen = go_select_at(GO_SITE, op->count ? cases : NULL, op->count, op->has_default);
    char text[48];
    if (chosen < 0) snprintf(text, sizeof text, "s%u=d", index);
    else if (op->cases[chosen].kind == CHANFUZZ_CASE_RECV)
        snprintf(text, sizeof text, "s%u=%d:%llu/%d", index, chosen,
                 (unsigned long long)values[chosen], oks[chosen]);
    else snprintf(text, sizeof text, "s%u=%d", index, chosen);
    observe(f, text);
}

static void run_op(frame *f, const chanfuzz_op *op, unsigned index) {
    const uint8_t *a = op->arg;
    go_word value;
    bool ok;
    char text[48];
    switch ((chanfuzz_op_kind)op->kind) {
    case CHANFUZZ_OP_YIELD: go_yield(); break;
    case CHANFUZZ_OP_GO: go_go(model_goroutine, closure_for(f, a[0], index)); break;
    case CHANFUZZ_OP_MAKE: SLOT(f, a[0]) = (go_word)go_make_chan(a[1]); break;
    case CHANFUZZ_OP_SEND:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_SEND);
        go_send(CHAN(f, a[0]), a[1]);
        break;
    case CHANFUZZ_OP_RECV:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_RECV);
        value = go_recv2(CHAN(f, a[0]), &ok);
        snprintf(text, sizeof text, "r%u=%llu/%d", index, (unsigned long long)value, ok);
        observe(f, text);
        break;
    case CHANFUZZ_OP_RANGE:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_RANGE);
        while (go_range(CHAN(f, a[0]), &value)) {
            snprintf(text, sizeof text, "n%u=%llu/1", index, (unsigned long long)value);
            observe(f, text);
        }
        snprintf(text, sizeof text, "n%u=0/0", index);
        observe(f, text);
        break;
    case CHANFUZZ_OP_CLOSE:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_CLOSE);
        go_close(CHAN(f, a[0]));
        break;
    case CHANFUZZ_OP_SELECT: run_select(f, op, index); break;
    case CHANFUZZ_OP_WITH_CANCEL:
        SLOT(f, a[0]) = (go_word)go_with_cancel(context_in(f, a[1]), cancel_of(f, a[0]));
        break;
    case CHANFUZZ_OP_WITH_TIMEOUT:
        SLOT(f, a[0]) =
            (go_word)go_with_timeout(context_in(f, a[1]), ms(a[2]), cancel_of(f, a[0]));
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_TIMEOUT);
        break;
    case CHANFUZZ_OP_CANCEL:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_CANCEL);
        if (*cancel_of(f, a[0])) go_cancel(*cancel_of(f, a[0]));
        break;
    case CHANFUZZ_OP_DONE:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_DONE);
        go_recv(go_ctx_done(context_in(f, a[0])));
        break;
    case CHANFUZZ_OP_ADD:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_ADD);
        go_waitgroup_add((go_waitgroup *)SLOT(f, a[0]), a[1]);
        break;
    case CHANFUZZ_OP_WG_DONE:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_WG_DONE);
        go_waitgroup_done((go_waitgroup *)SLOT(f, a[0]));
        break;
    case CHANFUZZ_OP_WAIT:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_WAIT);
        go_waitgroup_wait((go_waitgroup *)SLOT(f, a[0]));
        break;
    case CHANFUZZ_OP_LOCK:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_LOCK);
        go_mutex_lock((go_mutex *)SLOT(f, a[0]));
        break;
    case CHANFUZZ_OP_UNLOCK:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_UNLOCK);
        go_mutex_unlock((go_mutex *)SLOT(f, a[0]));
        break;
    case CHANFUZZ_OP_SLEEP: go_sleep(ms(a[0])); break;
    case CHANFUZZ_OP_TIMER:
        SLOT(f, a[0]) = (go_word)go_timer_new(ms(a[1]));
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_TIMER);
        break;
    case CHANFUZZ_OP_AFTER_FUNC:
        SLOT(f, a[0]) =
            (go_word)go_after_func(ms(a[1]), model_goroutine, closure_for(f, a[2], index));
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_TIMER);
        break;
    case CHANFUZZ_OP_STOP:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_STOP);
        if (SLOT(f, a[0])) go_timer_stop((go_timer *)SLOT(f, a[0]));
        break;
    case CHANFUZZ_OP_TICK:
        touch_object(f, SLOT(f, a[0]), DIFF_TOUCH_TICK);
        go_recv(timer_chan(f, a[0]));
        break;
    case CHANFUZZ_OP_OPEN: SLOT(f, a[0]) = (go_word)go_open(chanfuzz_ops_slot_name(a[0])); break;
    case CHANFUZZ_OP_FILE_CLOSE: go_resource_close((go_resource *)SLOT(f, a[0])); break;
    case CHANFUZZ_OP_CAPTURE: {
        go_word captured[CHANFUZZ_OPS_MAX_CAPTURES];
        for (unsigned i = 0; i < op->count; i++) captured[i] = SLOT(f, a[1 + i]);
        SLOT(f, a[0]) = (go_word)go_closure_at(GO_SITE, op->count, captured);
        break;
    }
    case CHANFUZZ_OP_PUBLISH: go_global_set(global_name(a[0]), SLOT(f, a[0])); break;
    case CHANFUZZ_OP_UNPUBLISH: go_global_clear(global_name(a[0])); break;
    case CHANFUZZ_OP_WEAK:
        SLOT(f, a[0]) = (go_word)go_weak_make((const void *)SLOT(f, a[1]));
        break;
    case CHANFUZZ_OP_WEAK_VALUE: (void)go_weak_value((const go_weak *)SLOT(f, a[0])); break;
    case CHANFUZZ_OP_GC: go_gc(); break;
    case CHANFUZZ_OP_RELEASE: SLOT(f, a[0]) = 0; break;
    case CHANFUZZ_OP_KIND_COUNT: break;
    }
}

static void run_body(frame *f) {
    const chanfuzz_ops_body *body = &f->rec->program->bodies[f->body];
    for (unsigned i = 0; i < body->count; i++) {
        self_of(f)->op = (int)i;
        run_op(f, &body->ops[i], i);
    }
    self_of(f)->exited = true;
}

static void model_main(void *arg) {
    recorder *r = arg;
    diff_outcome_init(&r->outcome);
    r->touch_count = 0;
    frame f;
    memset(&f, 0, sizeof f);
    start_frame(&f, r, "m", 0);
    unsigned mutexes = slot_first(CHANFUZZ_SLOT_MUTEX);
    unsigned waitgroups = slot_first(CHANFUZZ_SLOT_WAITGROUP);
    for (unsigned i = 0; i < 2; i++) {
        SLOT(&f, mutexes + i) = (go_word)go_mutex_new();
        SLOT(&f, waitgroups + i) = (go_word)go_waitgroup_new();
    }
    run_body(&f);
}

/* ---- exploration ------------------------------------------------------------ */

typedef struct explorer {
    recorder *rec;
    diff_model_result *result;
} explorer;

static void end_of(const go_exec *exec, diff_outcome *o) {
    switch (go_exec_end(exec)) {
    case GO_END_RETURNED: o->end = DIFF_END_RETURNED; break;
    case GO_END_DEADLOCK: o->end = DIFF_END_DEADLOCK; break;
    case GO_END_PANIC: o->end = DIFF_END_PANIC; break;
    case GO_END_FATAL: o->end = DIFF_END_FATAL; break;
    default:
        o->end = DIFF_END_OTHER;
        snprintf(o->message, sizeof o->message, "model %s: %s", go_end_name(go_exec_end(exec)),
                 go_exec_message(exec));
        return;
    }
    if (o->end != DIFF_END_PANIC && o->end != DIFF_END_FATAL) return;
    snprintf(o->message, sizeof o->message, "%s", go_exec_message(exec));
    for (size_t i = 0; i < go_exec_goroutine_count(exec); i++) {
        const go_goroutine_info *info = go_exec_goroutine(exec, i);
        if (info->state != GO_STATE_FAILED) continue;
        for (size_t k = 0; k < o->count; k++)
            if (o->goroutines[k].model_id == info->id) {
                o->fail_body = o->goroutines[k].body;
                o->fail_op = o->goroutines[k].op;
            }
    }
}

static void collect_pairs(const recorder *r, diff_pairs *pairs) {
    for (size_t i = 0; i < r->touch_count; i++)
        for (size_t j = i + 1; j < r->touch_count; j++) {
            const touch *x = &r->touches[i], *y = &r->touches[j];
            if (x->object != y->object) continue;
            unsigned a = x->kind < y->kind ? x->kind : y->kind;
            unsigned b = x->kind < y->kind ? y->kind : x->kind;
            pairs->seen[a][b] = true;
            if (x->goroutine != y->goroutine) pairs->across[a][b] = true;
        }
}

static bool visit(void *self, const go_exec *exec) {
    explorer *ex = self;
    diff_outcome *o = &ex->rec->outcome;
    end_of(exec, o);
    char line[8192];
    diff_outcome_format(o, line, sizeof line);
    diff_set_add(&ex->result->outcomes, line);
    collect_pairs(ex->rec, &ex->result->pairs);
    return true;
}

void diff_model_explore(const chanfuzz_program *p, unsigned bound, uint64_t max_schedules,
                        go_semantics semantics, diff_model_result *result) {
    memset(result, 0, sizeof *result);
    diff_set_init(&result->outcomes);
    recorder *rec = calloc(1, sizeof *rec);
    if (!rec) return;
    rec->program = p;
    chanfuzz_explore_options options = {
        .config = {.semantics = semantics, .step_budget = CHANFUZZ_OPS_STEP_BUDGET},
        .preemption_bound = bound,
        .max_schedules = max_schedules,
    };
    explorer ex = {rec, result};
    chanfuzz_explore_result r = chanfuzz_explore(&options, model_main, rec, visit, &ex);
    result->schedules = r.schedules;
    result->exhausted = r.exhausted;
    free(rec);
}

void diff_model_result_free(diff_model_result *r) { diff_set_free(&r->outcomes); }
