/* ops_parse.c -- the text form of a fuzz_ops program back into a program.
 *
 * Grammar (one construct per line; spaces and tabs separate tokens; `#`
 * starts a comment running to the end of the line; blank lines anywhere):
 *
 *     program := header-main line* (header-gN line*)*
 *     header  := "main:" | "g1:" | "g2:" | "g3:"     in this order
 *     line    := NAME operand*                        per ops_table.c
 *              | "capture" kN slot slot? slot?
 *              | "select" [arm ("," arm)*]            arm: a case or "default"
 *
 * The parser accepts exactly the programs the decoder can produce: every
 * rule the decoder enforces (operand domains, `go` only to a later body
 * that exists, the goroutine bound) is an error here, so the bytes the
 * encoder writes for a parsed program decode to that same program.
 * Errors are one line, "FILE:LINE:COLUMN: what", at the offending token. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ops_table.h"

#define MAX_TOKENS 64

typedef struct token {
    const char *text;
    size_t length;
    unsigned column;   /* 1-based, in bytes */
    bool comma;        /* a "," separator */
} token;

typedef struct parser {
    const char *file;
    unsigned line;
    token tokens[MAX_TOKENS];
    size_t count;
    unsigned end_column;  /* just past the last token: for "missing" errors */
    char *error;
    size_t error_size;
} parser;

static bool fail(parser *ps, unsigned column, const char *format, ...) {
    int n = snprintf(ps->error, ps->error_size, "%s:%u:%u: ", ps->file, ps->line, column);
    va_list ap;
    va_start(ap, format);
    if (n >= 0 && (size_t)n < ps->error_size)
        vsnprintf(ps->error + n, ps->error_size - (size_t)n, format, ap);
    va_end(ap);
    return false;
}

/* Splits one line into tokens; false on a control byte or too many. */
static bool tokenize(parser *ps, const char *line, size_t length) {
    ps->count = 0;
    ps->end_column = 1;
    size_t i = 0;
    while (i < length) {
        unsigned char ch = (unsigned char)line[i];
        if (ch == '#') break;
        if (ch == ' ' || ch == '\t' || ch == '\r') {
            i++;
            continue;
        }
        if (ch < 0x20 || ch == 0x7f) return fail(ps, (unsigned)i + 1, "control byte 0x%02x", ch);
        if (ps->count == MAX_TOKENS) return fail(ps, (unsigned)i + 1, "line too long");
        token *t = &ps->tokens[ps->count++];
        t->text = line + i;
        t->column = (unsigned)i + 1;
        t->comma = ch == ',';
        size_t start = i++;
        if (!t->comma)
            while (i < length) {
                unsigned char next = (unsigned char)line[i];
                if (next <= ' ' || next == ',' || next == '#' || next == 0x7f) break;
                i++;
            }
        t->length = i - start;
        ps->end_column = (unsigned)i + 1;
    }
    return true;
}

static bool token_is(const token *t, const char *word) {
    return t->length == strlen(word) && memcmp(t->text, word, t->length) == 0;
}

/* "main:" is body 0, "gN:" body N; -1 when the token is not a header. */
static int header_body(const token *t) {
    if (t->length < 2 || t->text[t->length - 1] != ':') return -1;
    if (token_is(t, "main:")) return 0;
    if (t->length == 3 && t->text[0] == 'g' && t->text[1] >= '1' && t->text[1] <= '9')
        return t->text[1] - '0';
    return -1;
}

/* Reads operand `type` from tokens[*next]; advances. */
static bool parse_operand(parser *ps, size_t *next, ops_operand type, unsigned body,
                          unsigned body_count, uint8_t *value) {
    if (*next >= ps->count || ps->tokens[*next].comma)
        return fail(ps, *next < ps->count ? ps->tokens[*next].column : ps->end_column,
                    "missing operand: expected %s", ops_operand_expected(type));
    const token *t = &ps->tokens[(*next)++];
    if (!ops_operand_read(type, t->text, t->length, value) ||
        ops_operand_index(type, body, body_count, *value) < 0)
        return fail(ps, t->column, "expected %s, got '%.*s'", ops_operand_expected(type),
                    (int)t->length, t->text);
    return true;
}

static bool parse_fixed(parser *ps, size_t *next, const ops_shape *shape, unsigned body,
                        unsigned body_count, uint8_t *args) {
    for (size_t i = 0; i < ops_operand_count(shape); i++)
        if (!parse_operand(ps, next, shape->operands[i], body, body_count, &args[i]))
            return false;
    return true;
}

static bool parse_select(parser *ps, size_t *next, unsigned body, unsigned body_count,
                         chanfuzz_op *op) {
    while (*next < ps->count) {
        const token *t = &ps->tokens[(*next)++];
        if (op->has_default)
            return fail(ps, t->column, "'default' must be the last arm of a select");
        if (token_is(t, "default")) {
            op->has_default = true;
        } else {
            unsigned kind = 0;
            while (kind < CHANFUZZ_CASE_KIND_COUNT && !token_is(t, ops_case_shape(kind)->name))
                kind++;
            if (kind == CHANFUZZ_CASE_KIND_COUNT)
                return fail(ps, t->column,
                            "unknown select case '%.*s' (recv, send, done, tick, after, default)",
                            (int)t->length, t->text);
            if (op->count == CHANFUZZ_OPS_MAX_CASES)
                return fail(ps, t->column, "more than %d cases in a select",
                            CHANFUZZ_OPS_MAX_CASES);
            chanfuzz_ops_case *arm = &op->cases[op->count++];
            arm->kind = (uint8_t)kind;
            if (!parse_fixed(ps, next, ops_case_shape(kind), body, body_count, arm->arg))
                return false;
        }
        if (*next == ps->count) break;
        const token *after = &ps->tokens[(*next)++];
        if (!after->comma)
            return fail(ps, after->column, "expected ',' between select arms, got '%.*s'",
                        (int)after->length, after->text);
        if (*next == ps->count) return fail(ps, ps->end_column, "missing select arm after ','");
    }
    return true;
}

/* One operation line of body `body`. */
static bool parse_op(parser *ps, unsigned body, unsigned body_count, chanfuzz_op *op) {
    memset(op, 0, sizeof *op);
    const token *name = &ps->tokens[0];
    unsigned kind = 0;
    while (kind < CHANFUZZ_OP_KIND_COUNT && !token_is(name, ops_op_shape(kind)->name)) kind++;
    if (kind == CHANFUZZ_OP_KIND_COUNT)
        return fail(ps, name->column, "unknown operation '%.*s'", (int)name->length, name->text);
    op->kind = (uint8_t)kind;
    size_t next = 1;
    if (!parse_fixed(ps, &next, ops_op_shape(kind), body, body_count, op->arg)) return false;
    if (kind == CHANFUZZ_OP_CAPTURE) {
        while (next < ps->count && op->count < CHANFUZZ_OPS_MAX_CAPTURES)
            if (!parse_operand(ps, &next, OPND_ANY_SLOT, body, body_count,
                               &op->arg[1 + op->count++]))
                return false;
        if (op->count == 0)
            return fail(ps, ps->end_column, "missing operand: capture takes 1 to %d slots",
                        CHANFUZZ_OPS_MAX_CAPTURES);
    }
    if (kind == CHANFUZZ_OP_SELECT && !parse_select(ps, &next, body, body_count, op)) return false;
    if (next < ps->count)
        return fail(ps, ps->tokens[next].column, "unexpected '%.*s' after %s",
                    (int)ps->tokens[next].length, ps->tokens[next].text,
                    ops_op_shape(kind)->name);
    return true;
}

/* Calls `each` with every line; stops at the first false. */
static bool for_each_line(parser *ps, const char *text, size_t size,
                          bool (*each)(parser *, void *), void *self) {
    ps->line = 0;
    for (size_t start = 0; start < size;) {
        const char *newline = memchr(text + start, '\n', size - start);
        size_t length = newline ? (size_t)(newline - (text + start)) : size - start;
        ps->line++;
        if (!tokenize(ps, text + start, length)) return false;
        if (ps->count > 0 && !each(ps, self)) return false;
        start += length + 1;
    }
    return true;
}

static bool count_header(parser *ps, void *self) {
    unsigned *headers = self;
    if (header_body(&ps->tokens[0]) == (int)*headers) ++*headers;
    return true;
}

typedef struct program_parse {
    chanfuzz_program *program;
    int body;                  /* current body, -1 before main: */
    ops_goroutines goroutines;
} program_parse;

static bool parse_line(parser *ps, void *self) {
    program_parse *pp = self;
    const token *first = &ps->tokens[0];
    int header = header_body(first);
    if (header >= 0 || (first->length > 1 && first->text[first->length - 1] == ':')) {
        if (header != pp->body + 1 || header >= CHANFUZZ_OPS_BODIES) {
            if (pp->body + 1 >= CHANFUZZ_OPS_BODIES)
                return fail(ps, first->column, "more than %d bodies", CHANFUZZ_OPS_BODIES);
            if (pp->body < 0) return fail(ps, first->column, "expected 'main:' first");
            return fail(ps, first->column, "expected 'g%d:', got '%.*s'", pp->body + 1,
                        (int)first->length, first->text);
        }
        if (ps->count > 1)
            return fail(ps, ps->tokens[1].column, "unexpected '%.*s' after a body header",
                        (int)ps->tokens[1].length, ps->tokens[1].text);
        pp->body = header;
        return true;
    }
    if (pp->body < 0) return fail(ps, first->column, "operation before 'main:'");
    chanfuzz_ops_body *body = &pp->program->bodies[pp->body];
    if (body->count == CHANFUZZ_OPS_MAX_OPS)
        return fail(ps, first->column, "more than %d operations in one body",
                    CHANFUZZ_OPS_MAX_OPS);
    chanfuzz_op op;
    if (!parse_op(ps, (unsigned)pp->body, pp->program->body_count, &op)) return false;
    if (ops_spawn_target(&op) >= 0) {
        if (!ops_goroutines_fit(&pp->goroutines, (unsigned)pp->body))
            return fail(ps, first->column, "this %s could start more than %d goroutines",
                        ops_op_shape(op.kind)->name, CHANFUZZ_OPS_MAX_GOROUTINES);
        ops_goroutines_add(&pp->goroutines, (unsigned)pp->body, (unsigned)ops_spawn_target(&op));
    }
    body->ops[body->count++] = op;
    return true;
}

bool chanfuzz_ops_parse(const char *text, size_t size, const char *file, chanfuzz_program *p,
                        char *error, size_t error_size) {
    parser ps = {.file = file ? file : "<text>", .error = error, .error_size = error_size};
    if (error_size) error[0] = '\0';
    /* Pass 1: how many bodies, so that `go g3` in main can be checked
     * against the bodies declared further down. */
    unsigned headers = 0;
    if (!for_each_line(&ps, text, size, count_header, &headers)) return false;
    chanfuzz_ops_program_init(p);
    p->body_count = (uint8_t)(headers < 1 ? 1 : headers > CHANFUZZ_OPS_BODIES ? CHANFUZZ_OPS_BODIES
                                                                              : headers);
    program_parse pp = {.program = p, .body = -1};
    ops_goroutines_init(&pp.goroutines);
    if (!for_each_line(&ps, text, size, parse_line, &pp)) return false;
    if (pp.body < 0) {
        ps.line = 1;
        return fail(&ps, 1, "empty program: expected 'main:'");
    }
    return true;
}
