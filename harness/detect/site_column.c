/* site_column.c -- the columns registered by translated Go code
 * (chanfuzz/site_column.h): a site belongs to a table when it lies inside
 * its array; C scenarios register none, so the section may be absent. */
#include <stdint.h>
#include <stdio.h>

#include "chanfuzz/site_column.h"

extern const chanfuzz_site_columns *const __start_chanfuzz_site_columns[] __attribute__((weak));
extern const chanfuzz_site_columns *const __stop_chanfuzz_site_columns[] __attribute__((weak));

int chanfuzz_site_column(const go_site *site) {
    if (!site || !__start_chanfuzz_site_columns) return 0;
    for (const chanfuzz_site_columns *const *t = __start_chanfuzz_site_columns;
         t < __stop_chanfuzz_site_columns; t++) {
        uintptr_t offset = (uintptr_t)site - (uintptr_t)(*t)->sites;
        if (offset < (*t)->count * sizeof(go_site) && offset % sizeof(go_site) == 0)
            return (*t)->columns[offset / sizeof(go_site)];
    }
    return 0;
}

chanfuzz_site_text chanfuzz_site_position(const go_site *site) {
    chanfuzz_site_text out;
    if (!site) {
        snprintf(out.text, sizeof out.text, "?:0");
        return out;
    }
    int column = chanfuzz_site_column(site);
    if (column > 0)
        snprintf(out.text, sizeof out.text, "%s:%d:%d", site->file ? site->file : "?", site->line,
                 column);
    else
        snprintf(out.text, sizeof out.text, "%s:%d", site->file ? site->file : "?", site->line);
    return out;
}
