/* expect.c -- what a run must show, may show, and the exit status.
 *
 * A buggy variant must show its bug in some schedule, not in every one
 * (a timeout race leaks only when the timer wins), so "expected" is
 * checked over all the runs noted; anything neither expected nor allowed
 * is unexpected in any single run. Unexpected outranks missing in the
 * verdict: a fixed variant that starts panicking is news even if its
 * expected leak also went away. */
#include <stdlib.h>
#include <string.h>

#include "detect.h"

void chanfuzz_expect_init(chanfuzz_expectation *x, chanfuzz_kind_set expected,
                          chanfuzz_kind_set allowed) {
    *x = (chanfuzz_expectation){.expected = expected, .allowed = allowed | expected};
}

void chanfuzz_expect_note(chanfuzz_expectation *x, const chanfuzz_findings *findings) {
    x->runs++;
    for (size_t i = 0; findings && i < findings->count; i++)
        x->seen |= CHANFUZZ_KIND_BIT(findings->items[i].kind);
}

chanfuzz_verdict chanfuzz_expect_verdict(const chanfuzz_expectation *x,
                                         chanfuzz_kind_set *missing,
                                         chanfuzz_kind_set *unexpected) {
    chanfuzz_kind_set not_seen = x->expected & ~x->seen;
    chanfuzz_kind_set not_allowed = x->seen & ~(x->allowed | x->expected);
    if (missing) *missing = not_seen;
    if (unexpected) *unexpected = not_allowed;
    if (not_allowed) return CHANFUZZ_UNEXPECTED_FINDING;
    if (not_seen) return CHANFUZZ_MISSING_EXPECTED;
    return CHANFUZZ_AS_EXPECTED;
}

const char *chanfuzz_verdict_name(chanfuzz_verdict verdict) {
    switch (verdict) {
    case CHANFUZZ_AS_EXPECTED: return "as expected";
    case CHANFUZZ_MISSING_EXPECTED: return "missing expected kind";
    case CHANFUZZ_UNEXPECTED_FINDING: return "unexpected finding";
    }
    return "unknown";
}

bool chanfuzz_kind_set_parse(const char *list, chanfuzz_kind_set *set) {
    chanfuzz_kind_set parsed = 0;
    const char *item = list;
    while (item && *item) {
        size_t length = strcspn(item, ",");
        char id[32];
        if (length == 0 || length >= sizeof id) return false;
        memcpy(id, item, length);
        id[length] = '\0';
        chanfuzz_kind kind;
        if (!chanfuzz_kind_from_id(id, &kind)) return false;
        parsed |= CHANFUZZ_KIND_BIT(kind);
        item += length;
        if (*item == ',') {
            item++;
            if (!*item) return false; /* "leak," names nothing after the comma */
        }
    }
    *set = parsed;
    return true;
}

int chanfuzz_exit_status(const chanfuzz_findings *findings) {
    if (!findings || findings->end == GO_END_STOPPED) return CHANFUZZ_EXIT_USAGE;
    return findings->count ? CHANFUZZ_EXIT_FINDINGS : CHANFUZZ_EXIT_CLEAN;
}

int chanfuzz_exit_status_of_verdict(chanfuzz_verdict verdict) {
    return verdict == CHANFUZZ_AS_EXPECTED ? CHANFUZZ_EXIT_CLEAN : CHANFUZZ_EXIT_FINDINGS;
}
