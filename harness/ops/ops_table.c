/* ops_table.c -- slots, operand domains and operation shapes of fuzz_ops.
 *
 * Every form of a program (bytes, text, the interpreter) is driven from
 * the two tables here, so adding an operation is one row plus its case in
 * the interpreter. Operand domains are enumerated in a fixed order: the
 * byte encoding reads an operand as an index into that order, which is why
 * every byte value decodes to a valid operand. */
#include "ops_table.h"

#include <string.h>

/* ---- slots ---------------------------------------------------------------- */

typedef struct slot_bank {
    char prefix;
    unsigned base, count;
    const char *expected;
} slot_bank;

static const slot_bank banks[CHANFUZZ_SLOT_KIND_COUNT] = {
    [CHANFUZZ_SLOT_CHAN] = {'c', 0, 4, "a channel slot (c0-c3)"},
    [CHANFUZZ_SLOT_CONTEXT] = {'x', 4, 2, "a context slot (x0-x1)"},
    [CHANFUZZ_SLOT_MUTEX] = {'m', 6, 2, "a mutex slot (m0-m1)"},
    [CHANFUZZ_SLOT_WAITGROUP] = {'w', 8, 2, "a WaitGroup slot (w0-w1)"},
    [CHANFUZZ_SLOT_TIMER] = {'t', 10, 2, "a timer slot (t0-t1)"},
    [CHANFUZZ_SLOT_FILE] = {'f', 12, 2, "a file slot (f0-f1)"},
    [CHANFUZZ_SLOT_CLOSURE] = {'k', 14, 2, "a closure slot (k0-k1)"},
    [CHANFUZZ_SLOT_WEAK] = {'p', 16, 2, "a weak pointer slot (p0-p1)"},
};

_Static_assert(CHANFUZZ_OPS_SLOTS == 18, "the banks above cover every slot");

chanfuzz_slot_kind chanfuzz_ops_slot_kind(unsigned slot) {
    for (unsigned k = 0; k < CHANFUZZ_SLOT_KIND_COUNT; k++)
        if (slot >= banks[k].base && slot < banks[k].base + banks[k].count)
            return (chanfuzz_slot_kind)k;
    return CHANFUZZ_SLOT_KIND_COUNT;
}

unsigned ops_slot_first(chanfuzz_slot_kind kind) { return banks[kind].base; }

const char *chanfuzz_ops_slot_name(unsigned slot) {
    static const char names[CHANFUZZ_OPS_SLOTS][3] = {"c0", "c1", "c2", "c3", "x0", "x1",
                                                      "m0", "m1", "w0", "w1", "t0", "t1",
                                                      "f0", "f1", "k0", "k1", "p0", "p1"};
    if (slot == CHANFUZZ_OPS_BACKGROUND) return "bg";
    return slot < CHANFUZZ_OPS_SLOTS ? names[slot] : "?";
}

/* Which slot kinds a slot operand accepts, one bit per chanfuzz_slot_kind. */
static unsigned slot_mask(ops_operand type) {
    switch (type) {
    case OPND_CHAN: return 1u << CHANFUZZ_SLOT_CHAN;
    case OPND_CONTEXT: return 1u << CHANFUZZ_SLOT_CONTEXT;
    case OPND_MUTEX: return 1u << CHANFUZZ_SLOT_MUTEX;
    case OPND_WAITGROUP: return 1u << CHANFUZZ_SLOT_WAITGROUP;
    case OPND_TIMER: return 1u << CHANFUZZ_SLOT_TIMER;
    case OPND_FILE: return 1u << CHANFUZZ_SLOT_FILE;
    case OPND_CLOSURE: return 1u << CHANFUZZ_SLOT_CLOSURE;
    case OPND_WEAK: return 1u << CHANFUZZ_SLOT_WEAK;
    case OPND_NILABLE:
        return 1u << CHANFUZZ_SLOT_CHAN | 1u << CHANFUZZ_SLOT_TIMER | 1u << CHANFUZZ_SLOT_FILE |
               1u << CHANFUZZ_SLOT_CLOSURE | 1u << CHANFUZZ_SLOT_WEAK;
    case OPND_ANY_SLOT: return (1u << CHANFUZZ_SLOT_KIND_COUNT) - 1;
    default: return 0;
    }
}

/* ---- shapes ----------------------------------------------------------------- */

static const ops_shape op_shapes[CHANFUZZ_OP_KIND_COUNT] = {
    [CHANFUZZ_OP_YIELD] = {"yield", {0}},
    [CHANFUZZ_OP_GO] = {"go", {OPND_BODY}},
    [CHANFUZZ_OP_MAKE] = {"make", {OPND_CHAN, OPND_CAPACITY}},
    [CHANFUZZ_OP_SEND] = {"send", {OPND_CHAN, OPND_VALUE}},
    [CHANFUZZ_OP_RECV] = {"recv", {OPND_CHAN}},
    [CHANFUZZ_OP_RANGE] = {"range", {OPND_CHAN}},
    [CHANFUZZ_OP_CLOSE] = {"close", {OPND_CHAN}},
    [CHANFUZZ_OP_SELECT] = {"select", {0}},
    [CHANFUZZ_OP_WITH_CANCEL] = {"withcancel", {OPND_CONTEXT, OPND_PARENT}},
    [CHANFUZZ_OP_WITH_TIMEOUT] = {"withtimeout", {OPND_CONTEXT, OPND_PARENT, OPND_DURATION}},
    [CHANFUZZ_OP_CANCEL] = {"cancel", {OPND_CONTEXT}},
    [CHANFUZZ_OP_DONE] = {"done", {OPND_CONTEXT}},
    [CHANFUZZ_OP_ADD] = {"add", {OPND_WAITGROUP, OPND_DELTA}},
    [CHANFUZZ_OP_WG_DONE] = {"wgdone", {OPND_WAITGROUP}},
    [CHANFUZZ_OP_WAIT] = {"wait", {OPND_WAITGROUP}},
    [CHANFUZZ_OP_LOCK] = {"lock", {OPND_MUTEX}},
    [CHANFUZZ_OP_UNLOCK] = {"unlock", {OPND_MUTEX}},
    [CHANFUZZ_OP_SLEEP] = {"sleep", {OPND_DURATION}},
    [CHANFUZZ_OP_TIMER] = {"timer", {OPND_TIMER, OPND_DURATION}},
    [CHANFUZZ_OP_AFTER_FUNC] = {"afterfunc", {OPND_TIMER, OPND_DURATION, OPND_BODY}},
    [CHANFUZZ_OP_STOP] = {"stop", {OPND_TIMER}},
    [CHANFUZZ_OP_TICK] = {"tick", {OPND_TIMER}},
    [CHANFUZZ_OP_OPEN] = {"open", {OPND_FILE}},
    [CHANFUZZ_OP_FILE_CLOSE] = {"fclose", {OPND_FILE}},
    [CHANFUZZ_OP_CAPTURE] = {"capture", {OPND_CLOSURE}},
    [CHANFUZZ_OP_PUBLISH] = {"publish", {OPND_CLOSURE}},
    [CHANFUZZ_OP_UNPUBLISH] = {"unpublish", {OPND_CLOSURE}},
    [CHANFUZZ_OP_WEAK] = {"weak", {OPND_WEAK, OPND_CLOSURE}},
    [CHANFUZZ_OP_WEAK_VALUE] = {"weakvalue", {OPND_WEAK}},
    [CHANFUZZ_OP_GC] = {"gc", {0}},
    [CHANFUZZ_OP_RELEASE] = {"release", {OPND_NILABLE}},
};

static const ops_shape case_shapes[CHANFUZZ_CASE_KIND_COUNT] = {
    [CHANFUZZ_CASE_RECV] = {"recv", {OPND_CHAN}},
    [CHANFUZZ_CASE_SEND] = {"send", {OPND_CHAN, OPND_VALUE}},
    [CHANFUZZ_CASE_DONE] = {"done", {OPND_CONTEXT}},
    [CHANFUZZ_CASE_TICK] = {"tick", {OPND_TIMER}},
    [CHANFUZZ_CASE_AFTER] = {"after", {OPND_DURATION}},
};

const ops_shape *ops_op_shape(unsigned kind) {
    return kind < CHANFUZZ_OP_KIND_COUNT ? &op_shapes[kind] : NULL;
}

const ops_shape *ops_case_shape(unsigned kind) {
    return kind < CHANFUZZ_CASE_KIND_COUNT ? &case_shapes[kind] : NULL;
}

const char *chanfuzz_op_name(chanfuzz_op_kind kind) {
    const ops_shape *shape = ops_op_shape(kind);
    return shape ? shape->name : "?";
}

size_t ops_operand_count(const ops_shape *shape) {
    size_t n = 0;
    while (n < OPS_MAX_OPERANDS && shape->operands[n] != OPND_NONE) n++;
    return n;
}

/* ---- operand domains ----------------------------------------------------------- */

unsigned ops_operand_options(ops_operand type, unsigned body, unsigned body_count) {
    switch (type) {
    case OPND_PARENT: return 1 + banks[CHANFUZZ_SLOT_CONTEXT].count;
    case OPND_BODY: return body + 1 < body_count ? body_count - body - 1 : 0;
    case OPND_CAPACITY: return CHANFUZZ_OPS_MAX_CAPACITY + 1;
    case OPND_VALUE: return 256;
    case OPND_DURATION: return CHANFUZZ_OPS_MAX_DURATION + 1;
    case OPND_DELTA: return CHANFUZZ_OPS_MAX_ADD;
    default: break;
    }
    unsigned mask = slot_mask(type), options = 0;
    for (unsigned k = 0; k < CHANFUZZ_SLOT_KIND_COUNT; k++)
        if (mask & 1u << k) options += banks[k].count;
    return options;
}

uint8_t ops_operand_value(ops_operand type, unsigned body, unsigned index) {
    switch (type) {
    case OPND_PARENT:
        return index == 0 ? CHANFUZZ_OPS_BACKGROUND
                          : (uint8_t)(banks[CHANFUZZ_SLOT_CONTEXT].base + index - 1);
    case OPND_BODY: return (uint8_t)(body + 1 + index);
    case OPND_DELTA: return (uint8_t)(index + 1);
    case OPND_CAPACITY:
    case OPND_VALUE:
    case OPND_DURATION: return (uint8_t)index;
    default: break;
    }
    /* Slot operands: the accepted banks in slot order. */
    unsigned mask = slot_mask(type);
    for (unsigned k = 0; k < CHANFUZZ_SLOT_KIND_COUNT; k++) {
        if (!(mask & 1u << k)) continue;
        if (index < banks[k].count) return (uint8_t)(banks[k].base + index);
        index -= banks[k].count;
    }
    return 0; /* index >= options: the caller's bug; slot 0 keeps it well-formed */
}

int ops_operand_index(ops_operand type, unsigned body, unsigned body_count, uint8_t value) {
    unsigned options = ops_operand_options(type, body, body_count);
    for (unsigned i = 0; i < options; i++)
        if (ops_operand_value(type, body, i) == value) return (int)i;
    return -1;
}

/* ---- operand text -------------------------------------------------------------- */

void ops_operand_write(FILE *out, ops_operand type, uint8_t value) {
    switch (type) {
    case OPND_BODY: fprintf(out, "g%u", value); return;
    case OPND_DURATION: fprintf(out, "%ums", value); return;
    case OPND_CAPACITY:
    case OPND_VALUE:
    case OPND_DELTA: fprintf(out, "%u", value); return;
    default: fputs(chanfuzz_ops_slot_name(value), out); return;
    }
}

/* A decimal number of at most three digits (every number here is < 256). */
static bool read_number(const char *text, size_t length, unsigned *value) {
    if (length == 0 || length > 3) return false;
    unsigned n = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] < '0' || text[i] > '9') return false;
        n = n * 10 + (unsigned)(text[i] - '0');
    }
    *value = n;
    return true;
}

bool ops_operand_read(ops_operand type, const char *token, size_t length, uint8_t *value) {
    unsigned n;
    switch (type) {
    case OPND_BODY:
        if (length == 4 && memcmp(token, "main", 4) == 0) {
            *value = 0;
            return true;
        }
        if (length < 2 || token[0] != 'g' || !read_number(token + 1, length - 1, &n) || n > 255)
            return false;
        *value = (uint8_t)n;
        return true;
    case OPND_DURATION:
        if (length < 3 || memcmp(token + length - 2, "ms", 2) != 0) return false;
        if (!read_number(token, length - 2, &n) || n > 255) return false;
        *value = (uint8_t)n;
        return true;
    case OPND_CAPACITY:
    case OPND_VALUE:
    case OPND_DELTA:
        if (!read_number(token, length, &n) || n > 255) return false;
        *value = (uint8_t)n;
        return true;
    case OPND_PARENT:
        if (length == 2 && memcmp(token, "bg", 2) == 0) {
            *value = CHANFUZZ_OPS_BACKGROUND;
            return true;
        }
        break;
    default: break;
    }
    /* A slot: its prefix and its number within the bank. */
    if (length < 2) return false;
    for (unsigned k = 0; k < CHANFUZZ_SLOT_KIND_COUNT; k++) {
        if (token[0] != banks[k].prefix) continue;
        if (!read_number(token + 1, length - 1, &n) || n >= banks[k].count) return false;
        *value = (uint8_t)(banks[k].base + n);
        return true;
    }
    return false;
}

const char *ops_operand_expected(ops_operand type) {
    switch (type) {
    case OPND_NILABLE: return "a slot that can be nil (c0-c3, t0-t1, f0-f1, k0-k1, p0-p1)";
    case OPND_ANY_SLOT: return "a slot (c0-c3, x0-x1, m0-m1, w0-w1, t0-t1, f0-f1, k0-k1, p0-p1)";
    case OPND_PARENT: return "a parent context (bg, x0-x1)";
    case OPND_BODY: return "a later goroutine body (g1-g3, after the current one, declared)";
    case OPND_CAPACITY: return "a capacity (0-3)";
    case OPND_VALUE: return "a value (0-255)";
    case OPND_DURATION: return "a duration (0ms-15ms)";
    case OPND_DELTA: return "a WaitGroup delta (1-3)";
    default: break;
    }
    for (unsigned k = 0; k < CHANFUZZ_SLOT_KIND_COUNT; k++)
        if (slot_mask(type) == 1u << k) return banks[k].expected;
    return "an operand";
}

/* ---- goroutine accounting ------------------------------------------------------ */

void ops_goroutines_init(ops_goroutines *g) {
    memset(g, 0, sizeof *g);
    g->instances[0] = 1;
    g->total = 1;
}

bool ops_goroutines_fit(const ops_goroutines *g, unsigned body) {
    return g->total + g->instances[body] <= CHANFUZZ_OPS_MAX_GOROUTINES;
}

void ops_goroutines_add(ops_goroutines *g, unsigned body, unsigned target) {
    g->instances[target] += g->instances[body];
    g->total += g->instances[body];
}

int ops_spawn_target(const chanfuzz_op *op) {
    if (op->kind == CHANFUZZ_OP_GO) return op->arg[0];
    if (op->kind == CHANFUZZ_OP_AFTER_FUNC) return op->arg[2];
    return -1;
}

/* ---- validation ------------------------------------------------------------------ */

static bool operand_ok(ops_operand type, unsigned body, unsigned body_count, uint8_t value) {
    return ops_operand_index(type, body, body_count, value) >= 0;
}

const char *ops_op_problem(const chanfuzz_op *op, unsigned body, unsigned body_count) {
    const ops_shape *shape = ops_op_shape(op->kind);
    if (!shape) return "a known operation";
    size_t fixed = ops_operand_count(shape);
    for (size_t i = 0; i < fixed; i++)
        if (!operand_ok(shape->operands[i], body, body_count, op->arg[i]))
            return ops_operand_expected(shape->operands[i]);
    if (op->kind == CHANFUZZ_OP_CAPTURE) {
        if (op->count < 1 || op->count > CHANFUZZ_OPS_MAX_CAPTURES)
            return "1 to 3 captured slots";
        for (size_t i = 0; i < op->count; i++)
            if (!operand_ok(OPND_ANY_SLOT, body, body_count, op->arg[1 + i]))
                return ops_operand_expected(OPND_ANY_SLOT);
    }
    if (op->kind == CHANFUZZ_OP_SELECT) {
        if (op->count > CHANFUZZ_OPS_MAX_CASES) return "at most 4 select cases";
        for (size_t c = 0; c < op->count; c++) {
            const ops_shape *cs = ops_case_shape(op->cases[c].kind);
            if (!cs) return "a known select case";
            for (size_t i = 0; i < ops_operand_count(cs); i++)
                if (!operand_ok(cs->operands[i], body, body_count, op->cases[c].arg[i]))
                    return ops_operand_expected(cs->operands[i]);
        }
    }
    return NULL;
}
