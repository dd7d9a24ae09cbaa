/* tracefile.c -- decision-trace files: reading, writing, and the bridge to
 * executions. The format is specified in harness/sources/README.md.
 *
 * The reader trusts nothing: a file may be cut anywhere, edited by hand, or
 * not a trace at all. Every byte is checked, every failure is one line
 * "file:line:column: what", and a file is accepted only whole -- an
 * "end N" line must close it with the number of decisions it holds, so a
 * file cut at a line boundary is caught as surely as one cut mid-line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/tracefile.h"

void chanfuzz_trace_file_free(chanfuzz_trace_file *trace) {
    free(trace->scenario);
    free(trace->program);
    free(trace->decisions);
    *trace = (chanfuzz_trace_file){0};
}

/* ---- reading: lines and tokens --------------------------------------------- */

typedef struct token {
    const char *text;      /* not NUL-terminated */
    size_t length;
    size_t column;         /* 1-based */
} token;

typedef struct parser {
    const char *name;             /* for messages */
    const char *text;
    size_t size;
    size_t next_line;             /* offset of the line after this one */
    size_t line_number;           /* of the current line */
    const char *line;             /* current line, comment and newline cut */
    size_t line_length;
    size_t cursor;                /* next byte of the line to tokenize */
    chanfuzz_trace_error *error;
} parser;

static bool fail(parser *p, size_t column, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(parser *p, size_t column, const char *format, ...) {
    chanfuzz_trace_error *e = p->error;
    e->line = p->line_number;
    e->column = column;
    int used = snprintf(e->message, sizeof e->message, "%s:%zu:%zu: ", p->name, e->line, column);
    if (used < 0 || (size_t)used >= sizeof e->message) return false;
    va_list args;
    va_start(args, format);
    vsnprintf(e->message + used, sizeof e->message - (size_t)used, format, args);
    va_end(args);
    return false;
}

/* Shows a token in a message: at most 40 bytes, control bytes as '?'. */
static const char *shown(const token *t, char *out, size_t size) {
    size_t n = t->length < 40 ? t->length : 40;
    if (n >= size) n = size - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t->text[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    strcpy(out + n, t->length > n ? "..." : "");
    return out;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

static bool is_control(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\r') || c == 0x7f; }

typedef enum line_result { LINE_READ, LINE_EOF, LINE_ERROR } line_result;

/* Moves to the next line that holds something besides blanks and a
 * comment. Every line must end in a newline: a last line without one is
 * a file cut short. */
static line_result read_line(parser *p) {
    for (;;) {
        if (p->next_line >= p->size) return LINE_EOF;
        const char *start = p->text + p->next_line;
        size_t left = p->size - p->next_line;
        const char *newline = memchr(start, '\n', left);
        size_t length = newline ? (size_t)(newline - start) : left;
        p->line_number++;
        p->next_line += length + 1;
        if (!newline) {
            fail(p, length + 1, "truncated: the last line has no newline");
            return LINE_ERROR;
        }
        for (size_t i = 0; i < length; i++) {
            if (!is_control((unsigned char)start[i])) continue;
            fail(p, i + 1, "unexpected control byte 0x%02x", (unsigned char)start[i]);
            return LINE_ERROR;
        }
        const char *comment = memchr(start, '#', length);
        if (comment) length = (size_t)(comment - start);
        size_t blank = 0;
        while (blank < length && is_space(start[blank])) blank++;
        if (blank == length) continue;
        p->line = start;
        p->line_length = length;
        p->cursor = 0;
        return LINE_READ;
    }
}

/* The next token of the current line; false at the end of the line (the
 * token then sits just past the last byte, for "missing" messages). */
static bool next_token(parser *p, token *t) {
    while (p->cursor < p->line_length && is_space(p->line[p->cursor])) p->cursor++;
    size_t start = p->cursor;
    while (p->cursor < p->line_length && !is_space(p->line[p->cursor])) p->cursor++;
    *t = (token){p->line + start, p->cursor - start, start + 1};
    return t->length > 0;
}

static bool token_is(const token *t, const char *word) {
    return t->length == strlen(word) && memcmp(t->text, word, t->length) == 0;
}

/* A decimal number: digits only, at most UINT64_MAX. */
static bool parse_number(parser *p, const token *t, const char *what, uint64_t *out) {
    char seen[48];
    if (t->length == 0) return fail(p, t->column, "missing %s", what);
    uint64_t value = 0;
    for (size_t i = 0; i < t->length; i++) {
        unsigned digit = (unsigned)(t->text[i] - '0');
        if (digit > 9)
            return fail(p, t->column, "bad number '%s' for the %s: expected decimal digits",
                        shown(t, seen, sizeof seen), what);
        if (value > (UINT64_MAX - digit) / 10)
            return fail(p, t->column, "number '%s' for the %s is too large (at most %llu)",
                        shown(t, seen, sizeof seen), what, (unsigned long long)UINT64_MAX);
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}

/* Fails if the line has anything left. */
static bool expect_line_end(parser *p, const char *after) {
    token t;
    char seen[48];
    if (!next_token(p, &t)) return true;
    return fail(p, t.column, "unexpected '%s' after %s", shown(&t, seen, sizeof seen), after);
}

/* The next meaningful line, which the file cannot end before. */
static bool require_line(parser *p, const char *expected) {
    line_result r = read_line(p);
    if (r == LINE_READ) return true;
    if (r == LINE_EOF) {
        p->line_number++;
        fail(p, 1, "truncated: the file ends before %s", expected);
    }
    return false;
}

/* ---- reading: the grammar --------------------------------------------------- */

static bool parse_magic(parser *p) {
    token t;
    char seen[48];
    if (!require_line(p, "'" CHANFUZZ_TRACE_MAGIC " 1'")) return false;
    next_token(p, &t);
    if (p->line_number != 1 || t.column != 1 || !token_is(&t, CHANFUZZ_TRACE_MAGIC)) {
        p->line_number = 1; /* blank or comment lines before it count too */
        return fail(p, 1,
                    "not a chanfuzz decision trace (the first line must be '%s %d')",
                    CHANFUZZ_TRACE_MAGIC, CHANFUZZ_TRACE_VERSION);
    }
    uint64_t version;
    next_token(p, &t);
    if (!parse_number(p, &t, "format version", &version)) return false;
    if (version != CHANFUZZ_TRACE_VERSION)
        return fail(p, t.column, "unsupported format version %s (this reader knows %d)",
                    shown(&t, seen, sizeof seen), CHANFUZZ_TRACE_VERSION);
    return expect_line_end(p, "the format version");
}

static bool parse_scenario(parser *p, chanfuzz_trace_file *trace) {
    token t;
    char seen[48];
    if (!require_line(p, "the 'scenario' line")) return false;
    next_token(p, &t);
    if (!token_is(&t, "scenario"))
        return fail(p, t.column, "expected 'scenario NAME', found '%s'",
                    shown(&t, seen, sizeof seen));
    next_token(p, &t); /* may be empty: the scenario has no name */
    /* Not strndup: the text need not be NUL-terminated, and ASan's
     * strict_string_checks reads strndup's argument up to a NUL. */
    trace->scenario = malloc(t.length + 1);
    if (trace->scenario) {
        memcpy(trace->scenario, t.text, t.length);
        trace->scenario[t.length] = '\0';
    }
    if (!trace->scenario) return fail(p, t.column, "out of memory");
    return expect_line_end(p, "the scenario name");
}

static bool parse_semantics(parser *p, chanfuzz_trace_file *trace) {
    token t;
    char seen[48];
    if (!require_line(p, "the 'go-semantics' line")) return false;
    next_token(p, &t);
    if (!token_is(&t, "go-semantics"))
        return fail(p, t.column, "expected 'go-semantics %s', found '%s'",
                    go_semantics_name(GO_SEMANTICS_1_23), shown(&t, seen, sizeof seen));
    next_token(p, &t);
    if (t.length == 0) return fail(p, t.column, "missing the Go version after 'go-semantics'");
    if (token_is(&t, go_semantics_name(GO_SEMANTICS_1_23)))
        trace->semantics = GO_SEMANTICS_1_23;
    else if (token_is(&t, go_semantics_name(GO_SEMANTICS_1_22)))
        trace->semantics = GO_SEMANTICS_1_22;
    else
        return fail(p, t.column, "unknown go-semantics '%s' (expected %s or %s)",
                    shown(&t, seen, sizeof seen), go_semantics_name(GO_SEMANTICS_1_23),
                    go_semantics_name(GO_SEMANTICS_1_22));
    return expect_line_end(p, "the Go version");
}

/* The runtime's name of a decision kind, or NULL for a kind without one
 * (the format cannot hold it). */
static const char *kind_name(unsigned kind) {
    const char *name = go_decision_kind_name((go_decision_kind)kind);
    return name && strcmp(name, "unknown") != 0 ? name : NULL;
}

static bool find_kind(const token *t, uint8_t *kind) {
    for (unsigned k = 0; k < GO_DECIDE_KIND_COUNT; k++)
        if (kind_name(k) && token_is(t, kind_name(k))) {
            *kind = (uint8_t)k;
            return true;
        }
    return false;
}

static bool push_decision(parser *p, chanfuzz_trace_file *trace, size_t *capacity,
                          go_decision d) {
    if (trace->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 64;
        go_decision *decisions = realloc(trace->decisions, grown * sizeof *decisions);
        if (!decisions) return fail(p, 1, "out of memory");
        trace->decisions = decisions;
        *capacity = grown;
    }
    trace->decisions[trace->count++] = d;
    return true;
}

/* "KIND over OPTIONS -> ANSWER", the first token already read. */
static bool parse_decision(parser *p, const token *kind_token, go_decision *d) {
    token t;
    char seen[48];
    if (!find_kind(kind_token, &d->kind))
        return fail(p, kind_token->column, "unknown decision kind '%s'",
                    shown(kind_token, seen, sizeof seen));
    next_token(p, &t);
    if (t.length == 0) return fail(p, t.column, "missing 'over OPTIONS -> ANSWER'");
    if (!token_is(&t, "over"))
        return fail(p, t.column, "expected 'over', found '%s'", shown(&t, seen, sizeof seen));
    next_token(p, &t);
    if (!parse_number(p, &t, "option count", &d->options)) return false;
    if (d->options < 2)
        return fail(p, t.column, "option count %llu is below 2 (a choice of one is not asked)",
                    (unsigned long long)d->options);
    next_token(p, &t);
    if (t.length == 0) return fail(p, t.column, "missing '-> ANSWER'");
    if (!token_is(&t, "->"))
        return fail(p, t.column, "expected '->', found '%s'", shown(&t, seen, sizeof seen));
    next_token(p, &t);
    if (!parse_number(p, &t, "answer", &d->answer)) return false;
    if (d->answer >= d->options)
        return fail(p, t.column, "answer %llu is not below the option count %llu",
                    (unsigned long long)d->answer, (unsigned long long)d->options);
    return expect_line_end(p, "the answer");
}

/* The decisions up to and including "end COUNT", then nothing. */
static bool parse_decisions(parser *p, chanfuzz_trace_file *trace) {
    size_t capacity = 0;
    token t;
    char seen[48];
    for (;;) {
        if (!require_line(p, "its 'end' line")) return false;
        next_token(p, &t);
        if (token_is(&t, "end")) break;
        if (token_is(&t, "program") && trace->count == 0 && !trace->program) {
            /* "program TEXT": what the scenario was built from (chanfuzz
             * go test: "go HASH PACKAGES"), checked before a replay. */
            size_t at = p->cursor;
            while (at < p->line_length && is_space(p->line[at])) at++;
            size_t end = p->line_length;
            while (end > at && is_space(p->line[end - 1])) end--;
            if (end == at) return fail(p, at + 1, "missing the program after 'program'");
            trace->program = malloc(end - at + 1);
            if (!trace->program) return fail(p, 1, "out of memory");
            memcpy(trace->program, p->line + at, end - at);
            trace->program[end - at] = '\0';
            continue;
        }
        go_decision d;
        if (!parse_decision(p, &t, &d) || !push_decision(p, trace, &capacity, d)) return false;
    }
    uint64_t count;
    next_token(p, &t);
    if (!parse_number(p, &t, "decision count", &count)) return false;
    if (count != trace->count)
        return fail(p, t.column, "the end line counts %llu decisions, the file holds %zu",
                    (unsigned long long)count, trace->count);
    if (!expect_line_end(p, "the decision count")) return false;
    line_result r = read_line(p);
    if (r == LINE_ERROR) return false;
    if (r == LINE_READ) {
        next_token(p, &t);
        return fail(p, t.column, "unexpected '%s' after the end line",
                    shown(&t, seen, sizeof seen));
    }
    return true;
}

bool chanfuzz_trace_file_parse(const char *name, const char *text, size_t size,
                               chanfuzz_trace_file *trace, chanfuzz_trace_error *error) {
    parser p = {.name = name ? name : "<trace>", .text = text ? text : "",
                .size = text ? size : 0, .error = error};
    *trace = (chanfuzz_trace_file){0};
    *error = (chanfuzz_trace_error){0};
    if (parse_magic(&p) && parse_scenario(&p, trace) && parse_semantics(&p, trace) &&
        parse_decisions(&p, trace))
        return true;
    chanfuzz_trace_file_free(trace);
    return false;
}

bool chanfuzz_trace_file_load(const char *path, chanfuzz_trace_file *trace,
                              chanfuzz_trace_error *error) {
    *trace = (chanfuzz_trace_file){0};
    *error = (chanfuzz_trace_error){0};
    char *text = NULL;
    size_t size = 0;
    FILE *in = fopen(path, "rb");
    FILE *buffer = in ? open_memstream(&text, &size) : NULL;
    bool read_ok = buffer != NULL;
    char chunk[65536];
    size_t got;
    while (read_ok && (got = fread(chunk, 1, sizeof chunk, in)) > 0)
        read_ok = fwrite(chunk, 1, got, buffer) == got;
    int saved_errno = errno;
    read_ok = read_ok && !ferror(in);
    if (buffer) read_ok = fclose(buffer) == 0 && read_ok;
    if (in) fclose(in);
    if (!read_ok) {
        snprintf(error->message, sizeof error->message, "%s: cannot read: %s", path,
                 strerror(saved_errno ? saved_errno : EIO));
        free(text);
        return false;
    }
    bool parsed = chanfuzz_trace_file_parse(path, text, size, trace, error);
    free(text);
    return parsed;
}

/* ---- writing ------------------------------------------------------------------ */

bool chanfuzz_trace_scenario_name_valid(const char *name) {
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c <= ' ' || *c == '#' || *c == 0x7f) return false;
    return true;
}

static void write_comment(FILE *out, const char *comment) {
    const char *line = comment;
    while (*line) {
        size_t length = strcspn(line, "\n");
        fputs("# ", out);
        for (size_t i = 0; i < length; i++)
            fputc(is_control((unsigned char)line[i]) || line[i] == '\r' ? '?' : line[i], out);
        fputc('\n', out);
        line += length + (line[length] == '\n');
    }
}

/* What the reader would accept back: a known kind, options >= 2, answer
 * below options. */
static bool decision_writable(const go_decision *d) {
    return kind_name(d->kind) && d->options >= 2 && d->answer < d->options;
}

bool chanfuzz_trace_file_write(FILE *out, const chanfuzz_trace_file *trace,
                               const char *comment) {
    const char *scenario = trace->scenario ? trace->scenario : "";
    if (!chanfuzz_trace_scenario_name_valid(scenario)) return false;
    for (size_t i = 0; i < trace->count; i++)
        if (!decision_writable(&trace->decisions[i])) return false;
    fprintf(out, "%s %d\n", CHANFUZZ_TRACE_MAGIC, CHANFUZZ_TRACE_VERSION);
    if (comment) write_comment(out, comment);
    fprintf(out, "scenario%s%s\n", scenario[0] ? " " : "", scenario);
    fprintf(out, "go-semantics %s\n", go_semantics_name(trace->semantics));
    if (trace->program && trace->program[0]) fprintf(out, "program %s\n", trace->program);
    for (size_t i = 0; i < trace->count; i++) {
        const go_decision *d = &trace->decisions[i];
        fprintf(out, "%s over %llu -> %llu", kind_name(d->kind),
                (unsigned long long)d->options, (unsigned long long)d->answer);
        /* Every tenth decision numbered, so that "diverged at decision 17"
         * is found without counting lines. */
        if ((i + 1) % 10 == 0) fprintf(out, "  # %zu", i + 1);
        fputc('\n', out);
    }
    fprintf(out, "end %zu\n", trace->count);
    return fflush(out) == 0 && !ferror(out);
}

/* ---- executions ------------------------------------------------------------------ */

bool chanfuzz_trace_file_from_exec(chanfuzz_trace_file *trace, const go_exec *exec,
                                   const char *scenario) {
    size_t count;
    const go_decision *decisions = go_exec_decisions(exec, &count);
    *trace = (chanfuzz_trace_file){.semantics = go_exec_semantics(exec), .count = count};
    trace->scenario = strdup(scenario ? scenario : "");
    trace->decisions = malloc((count ? count : 1) * sizeof *decisions);
    if (!trace->scenario || !trace->decisions) {
        chanfuzz_trace_file_free(trace);
        return false;
    }
    if (count) memcpy(trace->decisions, decisions, count * sizeof *decisions);
    return true;
}

void chanfuzz_trace_file_replay_config(const chanfuzz_trace_file *trace,
                                       go_replay_source *replay, go_config *config) {
    config->decider = go_decider_replay(replay, trace->decisions, trace->count);
    config->semantics = trace->semantics;
}
