/* select.c -- what a command line's scenario argument names: one variant,
 * both, a tag's group, or everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/scenario.h"

typedef struct picked {
    chanfuzz_target *items;
    size_t count;
} picked;

static void pick(picked *p, const chanfuzz_scenario *s, chanfuzz_variant_kind variant) {
    if (chanfuzz_scenario_variant(s, variant)) p->items[p->count++] = (chanfuzz_target){s, variant};
}

static void pick_both(picked *p, const chanfuzz_scenario *s) {
    pick(p, s, CHANFUZZ_BUGGY);
    pick(p, s, CHANFUZZ_FIXED);
}

size_t chanfuzz_select(const char *spec, chanfuzz_target **targets, char *error,
                       size_t error_size) {
    *targets = NULL;
    size_t total = chanfuzz_scenario_count();
    picked p = {malloc((2 * total + 1) * sizeof(chanfuzz_target)), 0};
    if (!p.items) {
        snprintf(error, error_size, "out of memory");
        return 0;
    }
    const char *colon = strchr(spec, ':');
    if (!strcmp(spec, "all")) {
        for (size_t i = 0; i < total; i++) pick_both(&p, chanfuzz_scenario_at(i));
    } else if (!strncmp(spec, "tag:", 4)) {
        for (size_t i = 0; i < total; i++)
            if (chanfuzz_scenario_has_tag(chanfuzz_scenario_at(i), spec + 4))
                pick_both(&p, chanfuzz_scenario_at(i));
        if (!p.count) snprintf(error, error_size, "no scenario has tag '%s'", spec + 4);
    } else if (colon) {
        chanfuzz_target one;
        if (chanfuzz_target_parse(spec, &one))
            p.items[p.count++] = one;
        else if (!chanfuzz_scenario_find(spec, (size_t)(colon - spec)))
            snprintf(error, error_size, "unknown scenario '%.*s' (chanfuzz list shows them)",
                     (int)(colon - spec), spec);
        else
            snprintf(error, error_size, "'%s': the variant must be buggy or fixed, and exist",
                     spec);
    } else {
        const chanfuzz_scenario *s = chanfuzz_scenario_find(spec, strlen(spec));
        if (s)
            pick_both(&p, s);
        else
            snprintf(error, error_size, "unknown scenario '%s' (chanfuzz list shows them)", spec);
    }
    if (!p.count) {
        free(p.items);
        if (!strcmp(spec, "all")) snprintf(error, error_size, "no scenario is registered");
        return 0;
    }
    *targets = p.items;
    return p.count;
}
