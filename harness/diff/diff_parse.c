/* diff_parse.c -- one Go run's output as an outcome.
 *
 * stdout carries the lines go/support.go prints (s, o, x, e); stderr
 * carries what Go itself says when the process dies: "panic: MSG",
 * "fatal error: MSG" (unlock of unlocked mutex), or "fatal error: all
 * goroutines are asleep - deadlock!". For a panic or fatal error, the
 * failing op is the first prog.go line of the failing goroutine's stack:
 * every op has a line of its own (diff_export.c). */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

static const char deadlock_text[] = "fatal error: all goroutines are asleep - deadlock!";
/* Preferred over any other fatal error printed with it: a goroutine that
 * meets the mutex state the bad Unlock left throws "sync: inconsistent
 * mutex state", sometimes first. */
static const char unlock_text[] = "fatal error: sync: unlock of unlocked mutex";

/* Copies the token at *p up to a space or end of line; advances *p. */
static void token(const char **p, char *out, size_t size) {
    size_t n = strcspn(*p, " \n");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), *p);
    *p += n;
    if (**p == ' ') (*p)++;
}

static void parse_stdout(const char *text, diff_outcome *o, bool *returned) {
    char name[64], rest[128];
    for (const char *line = text; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        const char *p = line + 2;
        if (line[0] == '\n' || line[1] != ' ') continue;
        if (line[0] == 'e') {
            *returned = true;
            continue;
        }
        token(&p, name, sizeof name);
        diff_goroutine *g = diff_outcome_goroutine(o, name, 0);
        if (!g) continue;
        token(&p, rest, sizeof rest);
        switch (line[0]) {
        case 's': g->op = atoi(rest); break;
        case 'o': diff_goroutine_observe(g, rest); break;
        case 'x': g->exited = true; break;
        default: break;
        }
    }
}

/* The first line of stderr starting with prefix; its rest into out. */
static bool line_after(const char *text, const char *prefix, char *out, size_t size) {
    size_t n = strlen(prefix);
    for (const char *line = text; *line;) {
        size_t length = strcspn(line, "\n");
        if (length >= n && !strncmp(line, prefix, n)) {
            snprintf(out, size, "%.*s", (int)(length - n), line + n);
            return true;
        }
        line += length + (line[length] != 0);
    }
    return false;
}

/* Where the failing goroutine was: the first prog.go frame of its stack.
 * Its block is the first "[running]" goroutine block with a prog.go frame
 * ("created by" locations are not frames), or, for an unlock of an
 * unlocked mutex, the block that went through sync.fatal: another
 * goroutine may throw on the mutex state the bad Unlock left, and print
 * first. */
static void failing_op(const diff_batch *b, const char *err, bool want_sync_fatal, diff_outcome *o) {
    o->fail_body = 99;
    o->fail_op = -1;
    for (const char *block = strstr(err, "\ngoroutine "); block; block = strstr(block + 1, "\ngoroutine ")) {
        const char *header_end = strchr(block + 1, '\n');
        if (!header_end) return;
        bool running = memmem(block, (size_t)(header_end - block), "[running]", 9) != NULL;
        const char *block_end = strstr(header_end, "\n\n");
        if (!block_end) block_end = header_end + strlen(header_end);
        bool sync_fatal = memmem(header_end, (size_t)(block_end - header_end), "sync.fatal(", 11) != NULL;
        if (!running || (want_sync_fatal && !sync_fatal)) continue;
        bool after_created_by = false;
        for (const char *line = header_end + 1; line < block_end; line = strchr(line, '\n') + 1) {
            if (!strncmp(line, "created by ", 11)) after_created_by = true;
            else if (line[0] == '\t' && !after_created_by) {
                const char *at = strstr(line, "/prog.go:");
                const char *eol = strchr(line, '\n');
                if (at && (!eol || at < eol)) {
                    long n = strtol(at + strlen("/prog.go:"), NULL, 10);
                    if (n > 0 && (size_t)n < b->lines && b->line_op[n] >= 0) {
                        o->fail_body = (unsigned)b->line_body[n];
                        o->fail_op = b->line_op[n];
                        return;
                    }
                }
            } else if (line[0] != '\t') after_created_by = false;
            if (!strchr(line, '\n')) break;
        }
    }
}

void diff_parse_events(const char *text, diff_outcome *o) {
    bool returned = false;
    parse_stdout(text, o, &returned);
}

void diff_parse_run(const diff_batch *b, const char *out, const char *err, bool timed_out,
                    diff_outcome *o) {
    diff_outcome_init(o);
    bool returned = false;
    parse_stdout(out, o, &returned);
    char message[sizeof o->message];
    if (returned) {
        o->end = DIFF_END_RETURNED;
    } else if (strstr(err, deadlock_text)) {
        o->end = DIFF_END_DEADLOCK;
    } else if (strstr(err, unlock_text)) {
        o->end = DIFF_END_FATAL;
        snprintf(o->message, sizeof o->message, "%s", unlock_text + strlen("fatal error: "));
        failing_op(b, err, true, o);
    } else if (line_after(err, "panic: ", message, sizeof message)) {
        o->end = DIFF_END_PANIC;
        char *recovered = strstr(message, " [recovered]");
        if (recovered) *recovered = '\0';
        snprintf(o->message, sizeof o->message, "%s", message);
        failing_op(b, err, false, o);
    } else if (line_after(err, "fatal error: ", message, sizeof message)) {
        o->end = DIFF_END_FATAL;
        snprintf(o->message, sizeof o->message, "%s", message);
        failing_op(b, err, false, o);
    } else {
        o->end = DIFF_END_OTHER;
        char first[120] = "";
        line_after(err, "", first, sizeof first);
        snprintf(o->message, sizeof o->message, "%s%s", timed_out ? "go run timed out" : "go run ended without a report: ",
                 timed_out ? "" : first);
    }
}
