/* ops_print.c -- a fuzz_ops program as text, one operation per line under
 * a header per body. The printed form is canonical (single spaces, cases
 * in program order, default last), so print(parse(print(p))) == print(p).
 * The grammar is in ops_parse.c. */
#include <stdlib.h>

#include "ops_table.h"

static void write_fixed(FILE *out, const ops_shape *shape, const uint8_t *args) {
    fputs(shape->name, out);
    for (size_t i = 0; i < ops_operand_count(shape); i++) {
        fputc(' ', out);
        ops_operand_write(out, shape->operands[i], args[i]);
    }
}

static void write_op(FILE *out, const chanfuzz_op *op) {
    const ops_shape *shape = ops_op_shape(op->kind);
    if (!shape) {
        fprintf(out, "# unknown operation %u", op->kind); /* not from a valid program */
        return;
    }
    write_fixed(out, shape, op->arg);
    if (op->kind == CHANFUZZ_OP_CAPTURE)
        for (unsigned i = 0; i < op->count && i < CHANFUZZ_OPS_MAX_CAPTURES; i++)
            fprintf(out, " %s", chanfuzz_ops_slot_name(op->arg[1 + i]));
    if (op->kind == CHANFUZZ_OP_SELECT) {
        const char *separator = " ";
        for (unsigned c = 0; c < op->count && c < CHANFUZZ_OPS_MAX_CASES; c++) {
            const ops_shape *arm = ops_case_shape(op->cases[c].kind);
            if (!arm) continue;
            fputs(separator, out);
            write_fixed(out, arm, op->cases[c].arg);
            separator = ", ";
        }
        if (op->has_default) fprintf(out, "%sdefault", separator);
    }
}

void chanfuzz_ops_print(FILE *out, const chanfuzz_program *p) {
    for (unsigned b = 0; b < p->body_count && b < CHANFUZZ_OPS_BODIES; b++) {
        if (b == 0)
            fputs("main:\n", out);
        else
            fprintf(out, "g%u:\n", b);
        for (unsigned i = 0; i < p->bodies[b].count && i < CHANFUZZ_OPS_MAX_OPS; i++) {
            fputs("  ", out);
            write_op(out, &p->bodies[b].ops[i]);
            fputc('\n', out);
        }
    }
}

char *chanfuzz_ops_to_text(const chanfuzz_program *p) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out) return NULL;
    chanfuzz_ops_print(out, p);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
