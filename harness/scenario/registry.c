/* registry.c -- the scenarios the linker gathered into the section
 * "chanfuzz_scenarios", sorted by name and checked once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/scenario.h"

/* The linker defines these for any section whose name is a C identifier.
 * Weak: a program that links no scenario at all sees an empty registry
 * instead of failing to link. */
extern const chanfuzz_scenario *const __start_chanfuzz_scenarios[] __attribute__((weak));
extern const chanfuzz_scenario *const __stop_chanfuzz_scenarios[] __attribute__((weak));

static const chanfuzz_scenario **sorted;
static size_t sorted_count;

static int by_name(const void *a, const void *b) {
    const chanfuzz_scenario *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

static void broken(const chanfuzz_scenario *s, const char *why) {
    fprintf(stderr, "chanfuzz: broken scenario registry: %s: scenario '%s' %s\n",
            s->file ? s->file : "?", s->name ? s->name : "(null)", why);
    abort();
}

/* C scenarios are [a-z0-9_]+; translated Go tests are named PKG.TestName
 * (chanfuzz go test), so letters of both cases and '.' are allowed too:
 * nothing that a trace file, a fuzz target name or a shell word would
 * need quoted. */
static bool name_valid(const char *name) {
    if (!name || !*name || *name == '.') return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '.'))
            return false;
    return true;
}

static void check(const chanfuzz_scenario *s) {
    if (!name_valid(s->name)) broken(s, "has a name outside [A-Za-z0-9_.]+");
    if (!s->description || !*s->description) broken(s, "has no description");
    if (!s->buggy.main && !s->fixed.main) broken(s, "has no variant");
    if (s->buggy.main && !s->buggy.expect) broken(s, "has a buggy variant that expects nothing");
    if (s->fixed.main && s->fixed.expect) broken(s, "has a fixed variant that expects findings");
    if (s->semantics & ~(CHANFUZZ_ONLY_GO122 | CHANFUZZ_ONLY_GO123))
        broken(s, "names an unknown Go semantics");
}

/* Not thread-safe on the first call; every caller (CLI, fuzz target,
 * test) is single-threaded there. */
static void load(void) {
    if (sorted || !__start_chanfuzz_scenarios) return;
    size_t count = (size_t)(__stop_chanfuzz_scenarios - __start_chanfuzz_scenarios);
    sorted = malloc((count ? count : 1) * sizeof *sorted);
    if (!sorted) {
        fprintf(stderr, "chanfuzz: out of memory loading the scenario registry\n");
        abort();
    }
    for (size_t i = 0; i < count; i++) {
        check(__start_chanfuzz_scenarios[i]);
        sorted[i] = __start_chanfuzz_scenarios[i];
    }
    qsort(sorted, count, sizeof *sorted, by_name);
    for (size_t i = 1; i < count; i++)
        if (!strcmp(sorted[i - 1]->name, sorted[i]->name))
            broken(sorted[i], "is registered twice");
    sorted_count = count;
}

size_t chanfuzz_scenario_count(void) {
    load();
    return sorted_count;
}

const chanfuzz_scenario *chanfuzz_scenario_at(size_t index) {
    load();
    return index < sorted_count ? sorted[index] : NULL;
}

const chanfuzz_scenario *chanfuzz_scenario_find(const char *name, size_t length) {
    load();
    size_t low = 0, high = sorted_count;
    while (low < high) {
        size_t mid = low + (high - low) / 2;
        int order = strncmp(sorted[mid]->name, name, length);
        if (order == 0 && sorted[mid]->name[length] != '\0') order = 1;
        if (order == 0) return sorted[mid];
        if (order < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return NULL;
}

const char *chanfuzz_variant_name(chanfuzz_variant_kind variant) {
    return variant == CHANFUZZ_FIXED ? "fixed" : "buggy";
}

bool chanfuzz_variant_from_name(const char *name, size_t length, chanfuzz_variant_kind *variant) {
    for (int v = CHANFUZZ_BUGGY; v <= CHANFUZZ_FIXED; v++) {
        const char *word = chanfuzz_variant_name((chanfuzz_variant_kind)v);
        if (strlen(word) == length && !strncmp(word, name, length)) {
            *variant = (chanfuzz_variant_kind)v;
            return true;
        }
    }
    return false;
}

const chanfuzz_variant *chanfuzz_scenario_variant(const chanfuzz_scenario *scenario,
                                                  chanfuzz_variant_kind variant) {
    const chanfuzz_variant *v = variant == CHANFUZZ_FIXED ? &scenario->fixed : &scenario->buggy;
    return v->main ? v : NULL;
}

bool chanfuzz_scenario_has_tag(const chanfuzz_scenario *scenario, const char *tag) {
    size_t length = strlen(tag);
    const char *tags = scenario->tags ? scenario->tags : "";
    if (length == 0) return false;
    for (const char *at = tags; (at = strstr(at, tag)) != NULL; at += length) {
        bool starts = at == tags || at[-1] == ' ';
        bool ends = at[length] == '\0' || at[length] == ' ';
        if (starts && ends) return true;
    }
    return false;
}

bool chanfuzz_scenario_runs_under(const chanfuzz_scenario *scenario, go_semantics semantics) {
    return !scenario->semantics || (scenario->semantics & CHANFUZZ_SEMANTICS_BIT(semantics));
}

bool chanfuzz_target_parse(const char *text, chanfuzz_target *target) {
    const char *split = strpbrk(text, ":/");
    if (!split) return false;
    const chanfuzz_scenario *s = chanfuzz_scenario_find(text, (size_t)(split - text));
    chanfuzz_variant_kind variant;
    if (!s || !chanfuzz_variant_from_name(split + 1, strlen(split + 1), &variant) ||
        !chanfuzz_scenario_variant(s, variant))
        return false;
    *target = (chanfuzz_target){s, variant};
    return true;
}

bool chanfuzz_target_format(const chanfuzz_target *target, char *out, size_t size) {
    int n = snprintf(out, size, "%s/%s", target->scenario->name,
                     chanfuzz_variant_name(target->variant));
    return n >= 0 && (size_t)n < size;
}
