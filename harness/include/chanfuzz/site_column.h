/* chanfuzz/site_column.h -- the column of a site, where the code has one.
 *
 * A go_site is file, function and line: what __FILE__ and __LINE__ give a
 * C scenario. Go positions are file:line:col, and the Go frontend's reports
 * must say which of the calls on a line blocks. The translated code keeps
 * its sites in one array and registers a column per site beside it
 * (CHANFUZZ_SITE_COLUMNS), so the runtime's site stays as it is and the
 * reports of C scenarios are unchanged: their sites have no column. */
#ifndef CHANFUZZ_SITE_COLUMN_H
#define CHANFUZZ_SITE_COLUMN_H

#include <stddef.h>

#include "chanfuzz/go.h"

typedef struct chanfuzz_site_columns {
    const go_site *sites;      /* an array of count sites */
    const int *columns;        /* the column of sites[i] (1-based; 0 none) */
    size_t count;
} chanfuzz_site_columns;

/* Registers the columns of the array `sites` (count = its length), at
 * file scope; the linker collects the registrations. */
#define CHANFUZZ_SITE_COLUMNS(sites, columns)                                              \
    static const chanfuzz_site_columns chanfuzz_site_columns_table_ = {                    \
        (sites), (columns), sizeof(sites) / sizeof((sites)[0])};                           \
    __attribute__((used, section("chanfuzz_site_columns"))) static const                   \
        chanfuzz_site_columns *const chanfuzz_site_columns_registration_ =                 \
            &chanfuzz_site_columns_table_

/* The column of site (1-based), 0 when it has none (a C site, NULL). */
int chanfuzz_site_column(const go_site *site);

/* "file:line" or "file:line:col", for printing in one expression:
 * printf("%s", chanfuzz_site_position(site).text). "?:0" for NULL. */
typedef struct chanfuzz_site_text {
    char text[512];
} chanfuzz_site_text;
chanfuzz_site_text chanfuzz_site_position(const go_site *site);

#endif
