/* findings_listing.c -- see findings_listing.h. */
#define _GNU_SOURCE /* open_memstream */
#include "findings_listing.h"

#include <stdio.h>

char *listing(const chanfuzz_findings *f) {
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t i = 0; f && i < f->count; i++) fprintf(out, "  %s\n", f->items[i].crash_state);
    fclose(out);
    return text;
}
