/* list_targets.c -- chanfuzz-list-targets: the scenario variants the linker
 * gathered, one fuzz target each.
 *
 *   chanfuzz-list-targets            NAME:VARIANT per line, registry order
 *   chanfuzz-list-targets --info     the info line of each (fuzz_target.h)
 *   chanfuzz-list-targets --check FILE
 *       compares with the list CMake found at configure time (FILE, one
 *       NAME:VARIANT per line); different lists exit 1 naming the first
 *       difference, so a build never silently lacks a target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"

static void each_target(void (*visit)(const chanfuzz_target *, void *), void *self) {
    for (size_t i = 0; i < chanfuzz_scenario_count(); i++)
        for (int v = CHANFUZZ_BUGGY; v <= CHANFUZZ_FIXED; v++) {
            chanfuzz_target target = {chanfuzz_scenario_at(i), (chanfuzz_variant_kind)v};
            if (chanfuzz_scenario_variant(target.scenario, target.variant)) visit(&target, self);
        }
}

static void print_spec(const chanfuzz_target *target, void *self) {
    fprintf(self, "%s:%s\n", target->scenario->name, chanfuzz_variant_name(target->variant));
}

static void print_info(const chanfuzz_target *target, void *self) {
    chanfuzz_fuzz_write_info(self, target);
}

typedef struct checker {
    FILE *expected;
    const char *path;
    unsigned line;
    int status;
} checker;

static void check_spec(const chanfuzz_target *target, void *self) {
    checker *c = self;
    char want[512], have[512];
    snprintf(have, sizeof have, "%s:%s", target->scenario->name,
             chanfuzz_variant_name(target->variant));
    if (c->status) return;
    c->line++;
    if (!fgets(want, sizeof want, c->expected)) {
        fprintf(stderr, "%s:%u: CMake did not see %s\n", c->path, c->line, have);
        c->status = 1;
        return;
    }
    want[strcspn(want, "\n")] = '\0';
    if (strcmp(want, have) != 0) {
        fprintf(stderr, "%s:%u: CMake saw %s where the registry has %s\n", c->path, c->line, want,
                have);
        c->status = 1;
    }
}

int main(int argc, char **argv) {
    if (argc == 1) {
        each_target(print_spec, stdout);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "--info")) {
        each_target(print_info, stdout);
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "--check")) {
        checker c = {.expected = fopen(argv[2], "r"), .path = argv[2]};
        if (!c.expected) {
            fprintf(stderr, "%s: %s: cannot read\n", argv[0], argv[2]);
            return 2;
        }
        each_target(check_spec, &c);
        char extra[512];
        if (!c.status && fgets(extra, sizeof extra, c.expected)) {
            extra[strcspn(extra, "\n")] = '\0';
            fprintf(stderr, "%s:%u: CMake saw %s, which the registry lacks\n", c.path, c.line + 1,
                    extra);
            c.status = 1;
        }
        fclose(c.expected);
        if (c.status)
            fprintf(stderr, "%s: the fuzz targets are out of date: re-run cmake\n", argv[0]);
        return c.status;
    }
    fprintf(stderr, "usage: %s [--info | --check FILE]\n", argv[0]);
    return 2;
}
