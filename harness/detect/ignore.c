/* ignore.c -- goroutines and contexts a user says are not bugs, in the
 * spirit of goleak's options: IgnoreTopFunction names the function a
 * goroutine sits in; IgnoreCurrent excuses goroutines that existed before
 * the test, which here (every execution starts empty) becomes "started
 * by this setup function". Matching is by name and site only, never by
 * goroutine id, so a rule means the same under every schedule. */
#include <stdlib.h>
#include <string.h>

#include "detect.h"

typedef enum rule_kind { RULE_TOP_FUNCTION, RULE_SITE, RULE_CREATED_BY } rule_kind;

typedef struct rule {
    rule_kind kind;
    char *text;   /* function name, or file for RULE_SITE */
    int line;     /* RULE_SITE: 0 matches every line */
} rule;

struct chanfuzz_ignore {
    rule *rules;
    size_t count;
    size_t capacity;
    const chanfuzz_ignore *also; /* more rules, not owned (chanfuzz_ignore_also) */
};

void chanfuzz_ignore_also(chanfuzz_ignore *ignore, const chanfuzz_ignore *also) {
    if (ignore) ignore->also = also;
}

chanfuzz_ignore *chanfuzz_ignore_new(void) { return calloc(1, sizeof(chanfuzz_ignore)); }

void chanfuzz_ignore_free(chanfuzz_ignore *ignore) {
    if (!ignore) return;
    for (size_t i = 0; i < ignore->count; i++) free(ignore->rules[i].text);
    free(ignore->rules);
    free(ignore);
}

/* Out of memory, a rule is dropped: reporting one goroutine too many is
 * the safe side of that failure. */
static void add_rule(chanfuzz_ignore *ignore, rule_kind kind, const char *text, size_t length,
                     int line) {
    if (!ignore || !text) return;
    if (ignore->count == ignore->capacity) {
        size_t grown = ignore->capacity ? 2 * ignore->capacity : 4;
        rule *bigger = realloc(ignore->rules, grown * sizeof *bigger);
        if (!bigger) return;
        ignore->rules = bigger;
        ignore->capacity = grown;
    }
    char *copy = strndup(text, length);
    if (!copy) return;
    ignore->rules[ignore->count++] = (rule){kind, copy, line};
}

chanfuzz_ignore *chanfuzz_ignore_copy(const chanfuzz_ignore *ignore) {
    chanfuzz_ignore *copy = chanfuzz_ignore_new();
    for (size_t i = 0; copy && ignore && i < ignore->count; i++) {
        const rule *r = &ignore->rules[i];
        add_rule(copy, r->kind, r->text, strlen(r->text), r->line);
    }
    return copy;
}

void chanfuzz_ignore_top_function(chanfuzz_ignore *ignore, const char *function) {
    if (function) add_rule(ignore, RULE_TOP_FUNCTION, function, strlen(function), 0);
}

void chanfuzz_ignore_site(chanfuzz_ignore *ignore, const char *file, int line) {
    if (file) add_rule(ignore, RULE_SITE, file, strlen(file), line < 0 ? 0 : line);
}

void chanfuzz_ignore_created_by(chanfuzz_ignore *ignore, const char *function) {
    if (function) add_rule(ignore, RULE_CREATED_BY, function, strlen(function), 0);
}

/* "site:FILE" or "site:FILE:LINE": the last colon starts a line number
 * only when digits alone follow it. */
static bool parse_site(chanfuzz_ignore *ignore, const char *spec) {
    const char *colon = strrchr(spec, ':');
    size_t length = strlen(spec);
    int line = 0;
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        long parsed = strtol(colon + 1, NULL, 10);
        if (parsed <= 0 || parsed > 1000000000L) return false;
        line = (int)parsed;
        length = (size_t)(colon - spec);
    }
    if (length == 0) return false;
    add_rule(ignore, RULE_SITE, spec, length, line);
    return true;
}

bool chanfuzz_ignore_parse(chanfuzz_ignore *ignore, const char *spec) {
    static const struct {
        const char *prefix;
        rule_kind kind;
    } forms[] = {
        {"top:", RULE_TOP_FUNCTION},
        {"site:", RULE_SITE},
        {"created-by:", RULE_CREATED_BY},
    };
    if (!ignore || !spec) return false;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t n = strlen(forms[i].prefix);
        if (strncmp(spec, forms[i].prefix, n) != 0) continue;
        const char *rest = spec + n;
        if (forms[i].kind == RULE_SITE) return parse_site(ignore, rest);
        if (!*rest) return false;
        add_rule(ignore, forms[i].kind, rest, strlen(rest), 0);
        return true;
    }
    return false;
}

/* ---- matching ----------------------------------------------------------------- */

/* "x.c" matches "scenarios/x.c": the whole path, or a tail of it that
 * starts after a '/'. */
static bool file_matches(const char *pattern, const char *file) {
    size_t p = strlen(pattern), f = strlen(file);
    if (p > f) return false;
    if (strcmp(file + (f - p), pattern) != 0) return false;
    return p == f || file[f - p - 1] == '/';
}

static bool site_matches(const rule *r, const go_site *site) {
    return site && file_matches(r->text, site->file) && (r->line == 0 || r->line == site->line);
}

static bool function_matches(const rule *r, const char *function) {
    return function && strcmp(r->text, function) == 0;
}

static bool goroutine_matches_one(const chanfuzz_ignore *ignore, const go_goroutine_info *g) {
    for (size_t i = 0; i < ignore->count; i++) {
        const rule *r = &ignore->rules[i];
        switch (r->kind) {
        case RULE_TOP_FUNCTION:
            if (function_matches(r, g->entry_name) ||
                (g->wait_site && function_matches(r, g->wait_site->func)))
                return true;
            break;
        case RULE_SITE:
            if (site_matches(r, g->wait_site) || site_matches(r, g->creator_site)) return true;
            break;
        case RULE_CREATED_BY:
            if (g->creator_site && function_matches(r, g->creator_site->func)) return true;
            break;
        }
    }
    return false;
}

static bool made_at_matches_one(const chanfuzz_ignore *ignore, const go_site *site) {
    for (size_t i = 0; i < ignore->count; i++) {
        const rule *r = &ignore->rules[i];
        switch (r->kind) {
        case RULE_TOP_FUNCTION:
        case RULE_CREATED_BY:
            /* An object is made by the function its site is in. */
            if (site && function_matches(r, site->func)) return true;
            break;
        case RULE_SITE:
            if (site_matches(r, site)) return true;
            break;
        }
    }
    return false;
}

bool cf_ignore_goroutine(const chanfuzz_ignore *ignore, const go_goroutine_info *g) {
    for (; ignore; ignore = ignore->also)
        if (goroutine_matches_one(ignore, g)) return true;
    return false;
}

bool cf_ignore_made_at(const chanfuzz_ignore *ignore, const go_site *site) {
    for (; ignore; ignore = ignore->also)
        if (made_at_matches_one(ignore, site)) return true;
    return false;
}
