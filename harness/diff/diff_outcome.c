/* diff_outcome.c -- the canonical outcome line both oracles produce, and
 * sets of them.
 *
 * The line must not depend on anything only one side knows: goroutine ids
 * differ (Go numbers its own goroutines), so goroutines are named by spawn
 * path; wait reasons differ (Go 1.19 says [semacquire] for every sync wait),
 * so a blocked goroutine is named by the op it is blocked in. A panic ends
 * a Go process at once, with other goroutines anywhere, so a panic outcome
 * keeps only what panicked and where. */
#include <stdlib.h>
#include <string.h>

#include "diff.h"

void diff_outcome_init(diff_outcome *o) { memset(o, 0, sizeof *o); }

diff_goroutine *diff_outcome_goroutine(diff_outcome *o, const char *name, unsigned body) {
    for (size_t i = 0; i < o->count; i++)
        if (!strcmp(o->goroutines[i].name, name)) return &o->goroutines[i];
    if (o->count == DIFF_MAX_GOROUTINES) return NULL;
    diff_goroutine *g = &o->goroutines[o->count++];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    g->body = body;
    g->op = -1;
    return g;
}

void diff_goroutine_observe(diff_goroutine *g, const char *text) {
    size_t room = sizeof g->observed - g->observed_length;
    int n = snprintf(g->observed + g->observed_length, room, "%s%s",
                     g->observed_length ? "," : "", text);
    if (n > 0) g->observed_length += (size_t)n < room ? (size_t)n : room - 1;
}

static int by_name(const void *a, const void *b) {
    const diff_goroutine *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

size_t diff_outcome_format(const diff_outcome *o, char *out, size_t size) {
    size_t used = 0;
#define PUT(...)                                                                   \
    do {                                                                           \
        int n_ = snprintf(out + used, size - used, __VA_ARGS__);                   \
        if (n_ > 0) used += (size_t)n_ < size - used ? (size_t)n_ : size - used - 1; \
    } while (0)
    out[0] = '\0';
    switch (o->end) {
    case DIFF_END_PANIC:
    case DIFF_END_FATAL:
        PUT("%s \"%s\" at g%u.%d", o->end == DIFF_END_PANIC ? "panic" : "fatal", o->message,
            o->fail_body, o->fail_op);
        return used;
    case DIFF_END_OTHER: PUT("other \"%s\"", o->message); return used;
    case DIFF_END_RETURNED: PUT("returned"); break;
    case DIFF_END_DEADLOCK: PUT("deadlock"); break;
    }
    const diff_goroutine *sorted[DIFF_MAX_GOROUTINES];
    for (size_t i = 0; i < o->count; i++) sorted[i] = &o->goroutines[i];
    qsort(sorted, o->count, sizeof sorted[0], by_name);
    for (size_t i = 0; i < o->count; i++) {
        const diff_goroutine *g = sorted[i];
        PUT(" | %s:%s%s", g->name, g->observed, g->observed_length ? "," : "");
        if (g->exited) PUT("x");
        else PUT("@%d", g->op);
    }
#undef PUT
    return used;
}

/* ---- sets: a sorted-on-demand array; a program has tens of outcomes ---- */

void diff_set_init(diff_set *s) { memset(s, 0, sizeof *s); }

void diff_set_free(diff_set *s) {
    for (size_t i = 0; i < s->count; i++) free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

bool diff_set_contains(const diff_set *s, const char *text) {
    for (size_t i = 0; i < s->count; i++)
        if (!strcmp(s->items[i], text)) return true;
    return false;
}

bool diff_set_add(diff_set *s, const char *text) {
    if (diff_set_contains(s, text)) return false;
    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? 2 * s->capacity : 16;
        char **items = realloc(s->items, capacity * sizeof *items);
        if (!items) return false;
        s->items = items;
        s->capacity = capacity;
    }
    char *copy = strdup(text);
    if (!copy) return false;
    s->items[s->count++] = copy;
    return true;
}

static int by_text(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void diff_set_sort(diff_set *s) {
    if (s->count) qsort(s->items, s->count, sizeof s->items[0], by_text);
}

/* ---- outcome classes ------------------------------------------------------ */

unsigned diff_outcome_classes(const char *line) {
    unsigned classes = 0;
    if (!strncmp(line, "panic ", 6) || !strncmp(line, "fatal ", 6)) return DIFF_CLASS_PANIC;
    if (!strncmp(line, "deadlock", 8)) classes |= DIFF_CLASS_DEADLOCK;
    if (!strncmp(line, "returned", 8) && strchr(line, '@')) classes |= DIFF_CLASS_BLOCKED;
    /* "=V/1" is a value received, "=V/0" a closed channel; range values
     * are always values, and a range that ended saw the close. */
    if (strstr(line, "/1") || strstr(line, "=[")) classes |= DIFF_CLASS_VALUE;
    if (strstr(line, "/0")) classes |= DIFF_CLASS_CLOSED;
    return classes;
}

const char *diff_class_name(unsigned index) {
    static const char *const names[DIFF_CLASS_COUNT] = {"value", "closed", "panic",
                                                         "blocked forever", "deadlock"};
    return index < DIFF_CLASS_COUNT ? names[index] : "?";
}
