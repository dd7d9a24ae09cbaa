/* diff_program.c -- what a program needs of Go, and the seeded generator
 * of random programs for `chanfuzz diff --random`.
 *
 * The generator aims at objects shared between goroutines: main makes two
 * channels (capacity 0-2) and maybe a cancellable context x0 (and a child
 * x1 of it), starts the other
 * bodies, and every body draws ops over the same few slots, so that sends
 * meet receives, closes meet both, selects meet closes and cancels, locks
 * meet unlocks in another goroutine. Programs stay small (2-4 goroutines,
 * each body run once, of at most 4 ops besides setup and spawns) so that bounded exhaustive exploration finishes. Timer ops
 * come in one program in four, with durations 1-4 ms spread apart by the
 * time scale (README.md, "Timers"). */
#include <string.h>

#include "diff.h"

const char *diff_program_unsupported(const chanfuzz_program *p) {
    for (unsigned b = 0; b < p->body_count; b++)
        for (unsigned k = 0; k < p->bodies[b].count; k++) {
            uint8_t kind = p->bodies[b].ops[k].kind;
            if (kind == CHANFUZZ_OP_WEAK || kind == CHANFUZZ_OP_WEAK_VALUE)
                return "weak pointers need Go 1.24";
        }
    return NULL;
}

static unsigned op_duration(const chanfuzz_op *op) {
    unsigned total = 0;
    switch ((chanfuzz_op_kind)op->kind) {
    case CHANFUZZ_OP_SLEEP: return op->arg[0];
    case CHANFUZZ_OP_TIMER:
    case CHANFUZZ_OP_AFTER_FUNC: return op->arg[1];
    case CHANFUZZ_OP_WITH_TIMEOUT: return op->arg[2];
    case CHANFUZZ_OP_SELECT:
        for (unsigned c = 0; c < op->count; c++)
            if (op->cases[c].kind == CHANFUZZ_CASE_AFTER) total += op->cases[c].arg[0] + 1;
        return total;
    default: return 0;
    }
}

bool diff_program_timed(const chanfuzz_program *p) {
    for (unsigned b = 0; b < p->body_count; b++)
        for (unsigned k = 0; k < p->bodies[b].count; k++) {
            const chanfuzz_op *op = &p->bodies[b].ops[k];
            if (op_duration(op) || op->kind == CHANFUZZ_OP_TIMER ||
                op->kind == CHANFUZZ_OP_AFTER_FUNC || op->kind == CHANFUZZ_OP_WITH_TIMEOUT ||
                op->kind == CHANFUZZ_OP_SLEEP)
                return true;
        }
    return false;
}

unsigned diff_program_time_bound(const chanfuzz_program *p) {
    /* Every body may run up to CHANFUZZ_OPS_MAX_GOROUTINES times; a
     * generous bound is only a timeout, never a result. */
    unsigned total = 0;
    for (unsigned b = 0; b < p->body_count; b++)
        for (unsigned k = 0; k < p->bodies[b].count; k++) total += op_duration(&p->bodies[b].ops[k]);
    return total * 4 + 1;
}

/* ---- the generator ----------------------------------------------------------- */

static uint64_t next(uint64_t *state) { /* splitmix64 */
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static unsigned below(uint64_t *state, unsigned n) { return (unsigned)(next(state) % n); }

static unsigned slot_of(chanfuzz_slot_kind kind, unsigned index) {
    for (unsigned s = 0; s < CHANFUZZ_OPS_SLOTS; s++)
        if (chanfuzz_ops_slot_kind(s) == kind) return s + index;
    return 0;
}

typedef struct generator {
    uint64_t *random;
    bool timed;
    unsigned next_value;     /* values sent are 1, 2, 3, ...: a received
                                value names its send */
} generator;

/* A channel slot: mostly the two made channels, now and then the nil c3. */
static unsigned some_chan(generator *g) {
    unsigned r = below(g->random, 16);
    return slot_of(CHANFUZZ_SLOT_CHAN, r < 15 ? r % 2 : 3);
}

static unsigned some_duration(generator *g) { return 1 + below(g->random, 4) * (1 + below(g->random, 2)); }

static void random_case(generator *g, chanfuzz_ops_case *arm) {
    unsigned r = below(g->random, g->timed ? 10 : 8);
    memset(arm, 0, sizeof *arm);
    if (r < 3) {
        arm->kind = CHANFUZZ_CASE_RECV;
        arm->arg[0] = (uint8_t)some_chan(g);
    } else if (r < 6) {
        arm->kind = CHANFUZZ_CASE_SEND;
        arm->arg[0] = (uint8_t)some_chan(g);
        arm->arg[1] = (uint8_t)(g->next_value++ % 256);
    } else if (r < 8) {
        arm->kind = CHANFUZZ_CASE_DONE;
        arm->arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_CONTEXT, below(g->random, 2));
    } else if (r < 9) {
        arm->kind = CHANFUZZ_CASE_TICK;
        arm->arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_TIMER, 0);
    } else {
        arm->kind = CHANFUZZ_CASE_AFTER;
        arm->arg[0] = (uint8_t)some_duration(g);
    }
}

/* One op drawn from a table weighted towards ops that meet another. */
static void random_op(generator *g, chanfuzz_op *op) {
    memset(op, 0, sizeof *op);
    unsigned r = below(g->random, g->timed ? 40 : 33);
    unsigned mutex = slot_of(CHANFUZZ_SLOT_MUTEX, 0), wg = slot_of(CHANFUZZ_SLOT_WAITGROUP, 0);
    /* x0 or its child x1 (when main made one): cancel meets Done through
     * the tree as well as on one context. */
    unsigned ctx = slot_of(CHANFUZZ_SLOT_CONTEXT, below(g->random, 2));
    unsigned timer = slot_of(CHANFUZZ_SLOT_TIMER, 0);
    if (r < 6) {
        op->kind = CHANFUZZ_OP_SEND;
        op->arg[0] = (uint8_t)some_chan(g);
        op->arg[1] = (uint8_t)(g->next_value++ % 256);
    } else if (r < 11) {
        op->kind = CHANFUZZ_OP_RECV;
        op->arg[0] = (uint8_t)some_chan(g);
    } else if (r < 13) {
        op->kind = CHANFUZZ_OP_CLOSE;
        op->arg[0] = (uint8_t)some_chan(g);
    } else if (r < 17) {
        op->kind = CHANFUZZ_OP_SELECT;
        op->count = (uint8_t)(1 + below(g->random, 3));
        for (unsigned c = 0; c < op->count; c++) random_case(g, &op->cases[c]);
        op->has_default = below(g->random, 4) == 0;
    } else if (r < 18) {
        op->kind = CHANFUZZ_OP_RANGE;
        op->arg[0] = (uint8_t)some_chan(g);
    } else if (r < 25) {
        /* Unlock and WaitGroup.Done are drawn less often than Lock and
         * Add: unmatched, they end most programs in a panic. */
        static const uint8_t sync_ops[] = {CHANFUZZ_OP_LOCK,  CHANFUZZ_OP_LOCK, CHANFUZZ_OP_LOCK,
                                           CHANFUZZ_OP_UNLOCK, CHANFUZZ_OP_ADD, CHANFUZZ_OP_ADD,
                                           CHANFUZZ_OP_WG_DONE, CHANFUZZ_OP_WAIT};
        op->kind = sync_ops[below(g->random, 8)];
        bool mutex_op = op->kind == CHANFUZZ_OP_LOCK || op->kind == CHANFUZZ_OP_UNLOCK;
        op->arg[0] = (uint8_t)(mutex_op ? mutex : wg);
        op->arg[1] = mutex_op ? 0 : 1;
    } else if (r < 27) {
        op->kind = CHANFUZZ_OP_CANCEL;
        op->arg[0] = (uint8_t)ctx;
    } else if (r < 29) {
        op->kind = CHANFUZZ_OP_DONE;
        op->arg[0] = (uint8_t)ctx;
    } else if (r < 30) {
        op->kind = CHANFUZZ_OP_YIELD;
    } else if (r < 31) {
        op->kind = CHANFUZZ_OP_MAKE;
        op->arg[0] = (uint8_t)some_chan(g);
        op->arg[1] = (uint8_t)below(g->random, 3);
    } else if (r < 32) {
        op->kind = CHANFUZZ_OP_CAPTURE;
        op->arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_CLOSURE, 0);
        op->arg[1] = (uint8_t)some_chan(g);
        op->count = 1;
    } else if (r < 33) {
        op->kind = below(g->random, 2) ? CHANFUZZ_OP_PUBLISH : CHANFUZZ_OP_GC;
        op->arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_CLOSURE, 0);
    } else if (r < 35) {
        op->kind = CHANFUZZ_OP_SLEEP;
        op->arg[0] = (uint8_t)some_duration(g);
    } else if (r < 37) {
        op->kind = CHANFUZZ_OP_TICK;
        op->arg[0] = (uint8_t)timer;
    } else if (r < 38) {
        op->kind = CHANFUZZ_OP_STOP;
        op->arg[0] = (uint8_t)timer;
    } else {
        op->kind = CHANFUZZ_OP_WITH_TIMEOUT;
        op->arg[0] = (uint8_t)ctx;
        op->arg[1] = CHANFUZZ_OPS_BACKGROUND;
        op->arg[2] = (uint8_t)some_duration(g);
    }
}

static void append(chanfuzz_ops_body *body, const chanfuzz_op *op) {
    if (body->count < CHANFUZZ_OPS_MAX_OPS) body->ops[body->count++] = *op;
}

/* Inserts op at a random position of body b (after main's setup). */
static void insert(generator *g, chanfuzz_ops_body *body, const chanfuzz_op *op, unsigned from) {
    if (body->count == CHANFUZZ_OPS_MAX_OPS) return;
    if (from > body->count) from = body->count;
    unsigned at = from + below(g->random, body->count - from + 1);
    memmove(&body->ops[at + 1], &body->ops[at], (body->count - at) * sizeof *op);
    body->ops[at] = *op;
    body->count++;
}

static chanfuzz_op simple(uint8_t kind, unsigned slot, unsigned arg) {
    chanfuzz_op op;
    memset(&op, 0, sizeof op);
    op.kind = kind;
    op.arg[0] = (uint8_t)slot;
    op.arg[1] = (uint8_t)arg;
    return op;
}

/* Half of the programs get one idiom whose ops are rare in the random
 * draw: a consumer ranging over a channel main closes, a WaitGroup
 * handshake, or (timed programs) a deadline a worker waits on. */
static void add_idiom(generator *g, chanfuzz_program *p, unsigned setup) {
    unsigned c0 = slot_of(CHANFUZZ_SLOT_CHAN, 0), w0 = slot_of(CHANFUZZ_SLOT_WAITGROUP, 0);
    unsigned x0 = slot_of(CHANFUZZ_SLOT_CONTEXT, 0);
    chanfuzz_op op;
    switch (below(g->random, g->timed ? 3 : 2)) {
    case 0:
        op = simple(CHANFUZZ_OP_RANGE, c0, 0);
        insert(g, &p->bodies[1], &op, 0);
        op = simple(CHANFUZZ_OP_CLOSE, c0, 0);
        insert(g, &p->bodies[0], &op, setup);
        break;
    case 1:
        op = simple(CHANFUZZ_OP_ADD, w0, 1);
        insert(g, &p->bodies[0], &op, setup);
        op = simple(CHANFUZZ_OP_WG_DONE, w0, 0);
        insert(g, &p->bodies[1], &op, 0);
        op = simple(CHANFUZZ_OP_WAIT, w0, 0);
        insert(g, &p->bodies[0], &op, setup);
        break;
    default:
        op = simple(CHANFUZZ_OP_WITH_TIMEOUT, x0, CHANFUZZ_OPS_BACKGROUND);
        op.arg[2] = (uint8_t)some_duration(g);
        insert(g, &p->bodies[0], &op, 0);
        memset(&op, 0, sizeof op);
        op.kind = CHANFUZZ_OP_SELECT;
        op.count = 2;
        op.cases[0].kind = CHANFUZZ_CASE_DONE;
        op.cases[0].arg[0] = (uint8_t)x0;
        op.cases[1].kind = CHANFUZZ_CASE_RECV;
        op.cases[1].arg[0] = (uint8_t)c0;
        insert(g, &p->bodies[below(g->random, p->body_count)], &op, 0);
        break;
    }
}

static void generate_once(uint64_t *random, chanfuzz_program *p) {
    generator g = {random, below(random, 4) == 0, 1};
    chanfuzz_ops_program_init(p);
    p->body_count = (uint8_t)(2 + below(random, 3));
    chanfuzz_op op;
    /* main's setup: the shared objects. */
    for (unsigned c = 0; c < 2; c++) {
        memset(&op, 0, sizeof op);
        op.kind = CHANFUZZ_OP_MAKE;
        op.arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_CHAN, c);
        op.arg[1] = (uint8_t)below(random, 3);
        append(&p->bodies[0], &op);
    }
    if (below(random, 2)) {
        memset(&op, 0, sizeof op);
        op.kind = CHANFUZZ_OP_WITH_CANCEL;
        op.arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_CONTEXT, 0);
        op.arg[1] = CHANFUZZ_OPS_BACKGROUND;
        append(&p->bodies[0], &op);
        if (below(random, 2)) {
            op.arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_CONTEXT, 1);
            op.arg[1] = (uint8_t)slot_of(CHANFUZZ_SLOT_CONTEXT, 0);
            append(&p->bodies[0], &op);
        }
    }
    if (g.timed && below(random, 2)) {
        memset(&op, 0, sizeof op);
        op.kind = CHANFUZZ_OP_TIMER;
        op.arg[0] = (uint8_t)slot_of(CHANFUZZ_SLOT_TIMER, 0);
        op.arg[1] = (uint8_t)some_duration(&g);
        append(&p->bodies[0], &op);
    }
    unsigned setup = p->bodies[0].count;
    /* Body b >= 1 is started once, by a random earlier body, at a random
     * point of it: at most 4 goroutines, so exploration finishes. */
    unsigned spawner[CHANFUZZ_OPS_BODIES] = {0};
    for (unsigned b = 1; b < p->body_count; b++) spawner[b] = below(random, b);
    for (unsigned b = 0; b < p->body_count; b++) {
        unsigned ops = 1 + below(random, 4);
        bool spawned[CHANFUZZ_OPS_BODIES] = {false};
        for (unsigned k = 0; k <= ops; k++) {
            for (unsigned c = b + 1; c < p->body_count; c++)
                if (spawner[c] == b && !spawned[c] && (k == ops || below(random, 2))) {
                    memset(&op, 0, sizeof op);
                    op.kind = CHANFUZZ_OP_GO;
                    op.arg[0] = (uint8_t)c;
                    append(&p->bodies[b], &op);
                    spawned[c] = true;
                }
            if (k == ops) break;
            random_op(&g, &op);
            append(&p->bodies[b], &op);
        }
    }
    if (below(random, 2)) add_idiom(&g, p, setup);
}

void diff_generate(uint64_t *random_state, chanfuzz_program *p) {
    char why[200];
    do generate_once(random_state, p);
    while (!chanfuzz_ops_program_valid(p, why, sizeof why));
}
