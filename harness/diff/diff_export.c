/* diff_export.c -- a fuzz_ops program as Go source.
 *
 * Program i becomes p<i>() (slots, then main's body) and one function
 * p<i>_b<B>(g *G, s S) per body; the support code (go/support.go) names
 * goroutines, prints what they observe, and settles. Every op is ONE line
 * of prog.go, `g.at(K); <the op>`, so a panic's or fatal error's stack
 * line names the op that failed (the batch keeps the line map). The Go
 * follows the model's meaning of each op (harness/ops/README.md):
 * `go gN` passes the slots by value, an AfterFunc's closure copies them
 * when it is made, a nil timer's channel is nil, `cancel` of a context
 * with no CancelFunc does nothing, `done` on Background blocks forever
 * (its Done is nil), and the closure slots hold *Closure. */
#include <string.h>

#include "diff.h"

typedef struct writer {
    FILE *out;
    size_t *line;                 /* lines written so far */
    int32_t *line_program;
    int8_t *line_body, *line_op;
    size_t capacity;
} writer;

/* "s.c[2]" for slot c2; "context.Background()" for the parent bg. */
static const char *slot_expr(unsigned slot, char *buf, size_t size) {
    if (slot == CHANFUZZ_OPS_BACKGROUND) return "context.Background()";
    const char *name = chanfuzz_ops_slot_name(slot);
    snprintf(buf, size, "s.%c[%s]", name[0], name + 1);
    return buf;
}

static unsigned slot_index(unsigned slot) { return (unsigned)(chanfuzz_ops_slot_name(slot)[1] - '0'); }

static void write_case(FILE *out, const chanfuzz_ops_case *arm, unsigned op, unsigned c) {
    char a[32];
    switch ((chanfuzz_case_kind)arm->kind) {
    case CHANFUZZ_CASE_RECV:
        fprintf(out, "case v, ok := <-%s: g.selRecv(%u, %u, v, ok); ",
                slot_expr(arm->arg[0], a, sizeof a), op, c);
        return;
    case CHANFUZZ_CASE_SEND:
        fprintf(out, "case %s <- %u: g.sel(%u, %u); ", slot_expr(arm->arg[0], a, sizeof a),
                arm->arg[1], op, c);
        return;
    case CHANFUZZ_CASE_DONE:
        fprintf(out, "case <-%s.Done(): g.sel(%u, %u); ", slot_expr(arm->arg[0], a, sizeof a), op, c);
        return;
    case CHANFUZZ_CASE_TICK:
        fprintf(out, "case <-timerC(%s): g.sel(%u, %u); ", slot_expr(arm->arg[0], a, sizeof a), op, c);
        return;
    case CHANFUZZ_CASE_AFTER:
        fprintf(out, "case <-time.After(dur(%u)): g.sel(%u, %u); ", arm->arg[0], op, c);
        return;
    case CHANFUZZ_CASE_KIND_COUNT: return;
    }
}

/* The Go statement(s) of one op, on the current line (no newline). */
static void write_op(FILE *out, size_t program, const chanfuzz_op *op, unsigned k) {
    const uint8_t *x = op->arg;
    char a[32], b[32];
    switch ((chanfuzz_op_kind)op->kind) {
    case CHANFUZZ_OP_YIELD: fprintf(out, "runtime.Gosched()"); return;
    case CHANFUZZ_OP_GO: fprintf(out, "go p%zu_b%u(g.child(%u), s)", program, x[0], k); return;
    case CHANFUZZ_OP_MAKE: fprintf(out, "%s = make(chan int, %u)", slot_expr(x[0], a, sizeof a), x[1]); return;
    case CHANFUZZ_OP_SEND: fprintf(out, "%s <- %u", slot_expr(x[0], a, sizeof a), x[1]); return;
    case CHANFUZZ_OP_RECV:
        fprintf(out, "{ v, ok := <-%s; g.recv(%u, v, ok) }", slot_expr(x[0], a, sizeof a), k);
        return;
    case CHANFUZZ_OP_RANGE:
        fprintf(out, "for v := range %s { g.rangeValue(%u, v) }; g.rangeEnd(%u)",
                slot_expr(x[0], a, sizeof a), k, k);
        return;
    case CHANFUZZ_OP_CLOSE: fprintf(out, "close(%s)", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_SELECT:
        fprintf(out, "select { ");
        for (unsigned c = 0; c < op->count; c++) write_case(out, &op->cases[c], k, c);
        if (op->has_default) fprintf(out, "default: g.selDefault(%u) ", k);
        fprintf(out, "}");
        return;
    case CHANFUZZ_OP_WITH_CANCEL:
        fprintf(out, "s.x[%u], s.cancel[%u] = context.WithCancel(%s)", slot_index(x[0]),
                slot_index(x[0]), slot_expr(x[1], b, sizeof b));
        return;
    case CHANFUZZ_OP_WITH_TIMEOUT:
        fprintf(out, "s.x[%u], s.cancel[%u] = withTimeout(%s, %u)", slot_index(x[0]),
                slot_index(x[0]), slot_expr(x[1], b, sizeof b), x[2]);
        return;
    case CHANFUZZ_OP_CANCEL:
        fprintf(out, "if s.cancel[%u] != nil { s.cancel[%u]() }", slot_index(x[0]), slot_index(x[0]));
        return;
    case CHANFUZZ_OP_DONE: fprintf(out, "<-%s.Done()", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_ADD: fprintf(out, "%s.Add(%u)", slot_expr(x[0], a, sizeof a), x[1]); return;
    case CHANFUZZ_OP_WG_DONE: fprintf(out, "%s.Done()", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_WAIT: fprintf(out, "%s.Wait()", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_LOCK: fprintf(out, "%s.Lock()", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_UNLOCK: fprintf(out, "%s.Unlock()", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_SLEEP: fprintf(out, "time.Sleep(dur(%u))", x[0]); return;
    case CHANFUZZ_OP_TIMER:
        fprintf(out, "%s = time.NewTimer(dur(%u))", slot_expr(x[0], a, sizeof a), x[1]);
        return;
    case CHANFUZZ_OP_AFTER_FUNC:
        /* The closure's copy of the slots is taken before the timer is
         * stored, as the model builds its closure first. */
        fprintf(out, "{ sc, cg := s, g.child(%u); %s = time.AfterFunc(dur(%u), func() { p%zu_b%u(cg, sc) }) }",
                k, slot_expr(x[0], a, sizeof a), x[1], program, x[2]);
        return;
    case CHANFUZZ_OP_STOP:
        fprintf(out, "if %s != nil { %s.Stop() }", slot_expr(x[0], a, sizeof a), a);
        return;
    case CHANFUZZ_OP_TICK: fprintf(out, "<-timerC(%s)", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_OPEN: fprintf(out, "%s = openFile()", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_FILE_CLOSE: fprintf(out, "closeFile(%s)", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_CAPTURE:
        /* Capture values, not `s`: a closure over s would share the
         * goroutine's variables and race with its later writes. */
        fprintf(out, "{ ");
        for (unsigned i = 0; i < op->count; i++)
            fprintf(out, "v%u := %s; ", i, slot_expr(x[1 + i], b, sizeof b));
        fprintf(out, "%s = &Closure{fn: func() { use(", slot_expr(x[0], a, sizeof a));
        for (unsigned i = 0; i < op->count; i++) fprintf(out, "%sv%u", i ? ", " : "", i);
        fprintf(out, ") }} }");
        return;
    case CHANFUZZ_OP_PUBLISH:
        fprintf(out, "publish(%u, %s)", slot_index(x[0]), slot_expr(x[0], a, sizeof a));
        return;
    case CHANFUZZ_OP_UNPUBLISH: fprintf(out, "publish(%u, nil)", slot_index(x[0])); return;
    case CHANFUZZ_OP_WEAK:
    case CHANFUZZ_OP_WEAK_VALUE:
        fprintf(out, "panic(\"weak needs Go 1.24\")"); /* skipped before export */
        return;
    case CHANFUZZ_OP_GC: fprintf(out, "runtime.GC()"); return;
    case CHANFUZZ_OP_RELEASE: fprintf(out, "%s = nil", slot_expr(x[0], a, sizeof a)); return;
    case CHANFUZZ_OP_KIND_COUNT: return;
    }
}

static void end_line(writer *w, int32_t program, int8_t body, int8_t op) {
    fputc('\n', w->out);
    size_t n = ++*w->line; /* the line just ended, 1-based */
    if (n < w->capacity) {
        w->line_program[n] = program;
        w->line_body[n] = body;
        w->line_op[n] = op;
    }
}

void diff_export_program(FILE *out, const chanfuzz_program *p, size_t index,
                         size_t *line, int32_t *line_program, int8_t *line_body,
                         int8_t *line_op, size_t line_capacity) {
    writer w = {out, line, line_program, line_body, line_op, line_capacity};
    fprintf(out, "func p%zu() { p%zu_b0(&G{\"m\"}, newSlots()) }", index, index);
    end_line(&w, -1, -1, -1);
    for (unsigned b = 0; b < p->body_count; b++) {
        const chanfuzz_ops_body *body = &p->bodies[b];
        fprintf(out, "func p%zu_b%u(g *G, s S) {", index, b);
        end_line(&w, -1, -1, -1);
        for (unsigned k = 0; k < body->count; k++) {
            fprintf(out, "\tg.at(%u); ", k);
            write_op(out, index, &body->ops[k], k);
            end_line(&w, (int32_t)index, (int8_t)b, (int8_t)k);
        }
        fprintf(out, "\tg.exit(); use(s)");
        end_line(&w, -1, -1, -1);
        fprintf(out, "}");
        end_line(&w, -1, -1, -1);
    }
}
