/* ops_bytes.c -- fuzz_ops programs from bytes and back.
 *
 * Why the program is decoded up front from a prefix, and not read as DATA
 * decisions while it runs: a DATA decision is asked when the running
 * goroutine reaches the operation, so the bytes a goroutine's operations
 * took would depend on the schedule -- a goroutine that blocked early
 * would leave its bytes to the next one, and a preemption byte flipped by
 * the mutator would reshuffle the whole program. Decoded up front, a
 * program is a function of its prefix alone; the rest of the input is
 * the schedule, read by chanfuzz_fuzz_bytes from the tail backwards, so a
 * mutation in either part leaves the other part's meaning alone (unless
 * the program grows into the bytes the schedule had). It also lets the
 * CLI print a program without running it.
 *
 * Layout, one byte per choice, every byte value meaningful (an operand
 * byte is an index into its domain modulo the domain size, in the order
 * ops_table.c enumerates it):
 *
 *     bodies-1                      1 + b % 4 bodies
 *     per body:  op count           b % 17
 *                per op:  kind      b % CHANFUZZ_OP_KIND_COUNT
 *                         operands  one byte each, as the shape lists them
 *                         CAPTURE:  count-1 (b % 3), then one byte a slot
 *                         SELECT:   cases + 5 * default (b % 5, b / 5 % 2),
 *                                   then per case its kind and operands
 *
 * Past the end every byte reads 0, and no operation starts there: a short
 * input is a short program (at most one operation per byte). An
 * operation that cannot be well-formed where it stands (a `go` in the last
 * body, or one that would start more than CHANFUZZ_OPS_MAX_GOROUTINES
 * goroutines) still takes its bytes and is dropped, so the operations
 * after it keep their meaning. */
#include <stdio.h>
#include <string.h>

#include "ops_table.h"

typedef struct byte_reader {
    const uint8_t *data;
    size_t size;
    size_t position;  /* may run past size: those bytes read as 0 */
} byte_reader;

static unsigned next_byte(byte_reader *r) {
    unsigned b = r->position < r->size ? r->data[r->position] : 0;
    r->position++;
    return b;
}

/* Reads one operand; false when its domain is empty here. */
static bool decode_operand(byte_reader *r, ops_operand type, unsigned body, unsigned body_count,
                           uint8_t *value) {
    unsigned options = ops_operand_options(type, body, body_count);
    unsigned b = next_byte(r);
    if (options == 0) return false;
    *value = ops_operand_value(type, body, b % options);
    return true;
}

static bool decode_fixed(byte_reader *r, const ops_shape *shape, unsigned body,
                         unsigned body_count, uint8_t *args) {
    bool ok = true;
    for (size_t i = 0; i < ops_operand_count(shape); i++)
        ok &= decode_operand(r, shape->operands[i], body, body_count, &args[i]);
    return ok;
}

/* Decodes one operation into *op; false when it must be dropped. */
static bool decode_op(byte_reader *r, unsigned body, unsigned body_count, chanfuzz_op *op) {
    memset(op, 0, sizeof *op);
    op->kind = (uint8_t)(next_byte(r) % CHANFUZZ_OP_KIND_COUNT);
    bool ok = decode_fixed(r, ops_op_shape(op->kind), body, body_count, op->arg);
    if (op->kind == CHANFUZZ_OP_CAPTURE) {
        op->count = (uint8_t)(1 + next_byte(r) % CHANFUZZ_OPS_MAX_CAPTURES);
        for (unsigned i = 0; i < op->count; i++)
            ok &= decode_operand(r, OPND_ANY_SLOT, body, body_count, &op->arg[1 + i]);
    }
    if (op->kind == CHANFUZZ_OP_SELECT) {
        unsigned header = next_byte(r);
        op->count = (uint8_t)(header % (CHANFUZZ_OPS_MAX_CASES + 1));
        op->has_default = header / (CHANFUZZ_OPS_MAX_CASES + 1) % 2;
        for (unsigned c = 0; c < op->count; c++) {
            chanfuzz_ops_case *arm = &op->cases[c];
            arm->kind = (uint8_t)(next_byte(r) % CHANFUZZ_CASE_KIND_COUNT);
            ok &= decode_fixed(r, ops_case_shape(arm->kind), body, body_count, arm->arg);
        }
    }
    return ok;
}

void chanfuzz_ops_program_init(chanfuzz_program *p) {
    memset(p, 0, sizeof *p);
    p->body_count = 1;
}

size_t chanfuzz_ops_decode(const uint8_t *data, size_t size, chanfuzz_program *p) {
    byte_reader r = {data, data ? size : 0, 0};
    chanfuzz_ops_program_init(p);
    p->body_count = (uint8_t)(1 + next_byte(&r) % CHANFUZZ_OPS_BODIES);
    ops_goroutines goroutines;
    ops_goroutines_init(&goroutines);
    for (unsigned b = 0; b < p->body_count; b++) {
        chanfuzz_ops_body *body = &p->bodies[b];
        unsigned count = next_byte(&r) % (CHANFUZZ_OPS_MAX_OPS + 1);
        for (unsigned i = 0; i < count; i++) {
            /* A count byte cannot conjure operations out of nothing: a
             * short input stays a short program. */
            if (r.position >= r.size) break;
            chanfuzz_op op;
            if (!decode_op(&r, b, p->body_count, &op)) continue;
            int target = ops_spawn_target(&op);
            if (target >= 0) {
                if (!ops_goroutines_fit(&goroutines, b)) continue;
                ops_goroutines_add(&goroutines, b, (unsigned)target);
            }
            body->ops[body->count++] = op;
        }
    }
    return r.position < r.size ? r.position : r.size;
}

/* ---- encoding ----------------------------------------------------------------- */

typedef struct byte_writer {
    uint8_t *out;
    size_t max;
    size_t size;  /* bytes needed so far; written while below max */
} byte_writer;

static void put_byte(byte_writer *w, unsigned b) {
    if (w->size < w->max) w->out[w->size] = (uint8_t)b;
    w->size++;
}

static void encode_fixed(byte_writer *w, const ops_shape *shape, unsigned body,
                         unsigned body_count, const uint8_t *args) {
    for (size_t i = 0; i < ops_operand_count(shape); i++) {
        int index = ops_operand_index(shape->operands[i], body, body_count, args[i]);
        put_byte(w, index < 0 ? 0 : (unsigned)index);
    }
}

size_t chanfuzz_ops_encode(const chanfuzz_program *p, uint8_t *out, size_t max) {
    byte_writer w = {out, out ? max : 0, 0};
    put_byte(&w, p->body_count - 1u);
    for (unsigned b = 0; b < p->body_count; b++) {
        const chanfuzz_ops_body *body = &p->bodies[b];
        put_byte(&w, body->count);
        for (unsigned i = 0; i < body->count; i++) {
            const chanfuzz_op *op = &body->ops[i];
            put_byte(&w, op->kind);
            encode_fixed(&w, ops_op_shape(op->kind), b, p->body_count, op->arg);
            if (op->kind == CHANFUZZ_OP_CAPTURE) {
                put_byte(&w, op->count - 1u);
                for (unsigned c = 0; c < op->count; c++) {
                    int index = ops_operand_index(OPND_ANY_SLOT, b, p->body_count, op->arg[1 + c]);
                    put_byte(&w, index < 0 ? 0 : (unsigned)index);
                }
            }
            if (op->kind == CHANFUZZ_OP_SELECT) {
                put_byte(&w, op->count + (CHANFUZZ_OPS_MAX_CASES + 1u) * op->has_default);
                for (unsigned c = 0; c < op->count; c++) {
                    put_byte(&w, op->cases[c].kind);
                    encode_fixed(&w, ops_case_shape(op->cases[c].kind), b, p->body_count,
                                 op->cases[c].arg);
                }
            }
        }
    }
    return w.size;
}

/* ---- validation ---------------------------------------------------------------- */

bool chanfuzz_ops_program_valid(const chanfuzz_program *p, char *why, size_t why_size) {
    if (p->body_count < 1 || p->body_count > CHANFUZZ_OPS_BODIES) {
        snprintf(why, why_size, "a program has 1 to %d bodies, not %u", CHANFUZZ_OPS_BODIES,
                 p->body_count);
        return false;
    }
    ops_goroutines goroutines;
    ops_goroutines_init(&goroutines);
    for (unsigned b = 0; b < p->body_count; b++) {
        const chanfuzz_ops_body *body = &p->bodies[b];
        if (body->count > CHANFUZZ_OPS_MAX_OPS) {
            snprintf(why, why_size, "body %u has %u operations, at most %d", b, body->count,
                     CHANFUZZ_OPS_MAX_OPS);
            return false;
        }
        for (unsigned i = 0; i < body->count; i++) {
            const chanfuzz_op *op = &body->ops[i];
            const char *problem = ops_op_problem(op, b, p->body_count);
            if (problem) {
                snprintf(why, why_size, "body %u operation %u (%s): expected %s", b, i + 1,
                         chanfuzz_op_name(op->kind), problem);
                return false;
            }
            int target = ops_spawn_target(op);
            if (target < 0) continue;
            if (!ops_goroutines_fit(&goroutines, b)) {
                snprintf(why, why_size, "body %u operation %u: more than %d goroutines", b, i + 1,
                         CHANFUZZ_OPS_MAX_GOROUTINES);
                return false;
            }
            ops_goroutines_add(&goroutines, b, (unsigned)target);
        }
    }
    return true;
}
