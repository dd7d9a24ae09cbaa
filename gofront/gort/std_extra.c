/* std_extra.c -- gort_std.h: internal/bytealg, unicode's classifiers on
 * Latin-1, time's virtual clock in Go's own Time encoding, log.Fatal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chanfuzz/gort_std.h"
#include "gort_internal.h"

/* ---- internal/bytealg ------------------------------------------------------ */

gort_int gort_index_byte(const uint8_t *p, gort_int n, uint8_t c) {
    const uint8_t *hit = n > 0 ? memchr(p, c, (size_t)n) : NULL;
    return hit ? (gort_int)(hit - p) : -1;
}

gort_int gort_count_byte(const uint8_t *p, gort_int n, uint8_t c) {
    gort_int count = 0;
    for (gort_int i = 0; i < n; i++) count += p[i] == c;
    return count;
}

gort_int gort_index_string(gort_string s, gort_string sub) {
    if (sub.len == 0) return 0;
    for (gort_int i = 0; i + sub.len <= s.len; i++)
        if (s.ptr[i] == sub.ptr[0] && memcmp(s.ptr + i, sub.ptr, (size_t)sub.len) == 0) return i;
    return -1;
}

/* ---- unicode on Latin-1 ------------------------------------------------------ */

/* Go's unicode package answers Latin-1 from its properties table; these
 * follow the same categories (Lu, Ll, Nd, P*, Z*, C*) for U+0000..U+00FF. */
static void beyond_latin1(const go_site *site, int32_t r) {
    if (r < 0 || r > 0xff)
        gort_panic_runtime(site, "chanfuzz: unsupported: unicode tables beyond Latin-1");
}

static bool latin1_upper(int32_t r) {
    return (r >= 'A' && r <= 'Z') || (r >= 0xc0 && r <= 0xde && r != 0xd7);
}
static bool latin1_lower(int32_t r) {
    return (r >= 'a' && r <= 'z') || r == 0xb5 || (r >= 0xdf && r <= 0xff && r != 0xf7);
}
static bool latin1_letter(int32_t r) {
    return latin1_upper(r) || latin1_lower(r) || r == 0xaa || r == 0xba;
}
static bool latin1_punct(int32_t r) {
    static const char ascii[] = "!\"#%&'()*,-./:;?@[\\]_{}";
    if (r < 0x80) return r != 0 && strchr(ascii, (char)r) != NULL;
    return r == 0xa1 || r == 0xa7 || r == 0xab || r == 0xb6 || r == 0xb7 || r == 0xbb || r == 0xbf;
}
static bool latin1_control(int32_t r) { return r < 0x20 || (r >= 0x7f && r < 0xa0); }

bool gort_unicode_isspace(const go_site *site, int32_t r) {
    if (r <= 0xff)
        return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xa0;
    beyond_latin1(site, r);
    return false;
}
bool gort_unicode_isupper(const go_site *site, int32_t r) { beyond_latin1(site, r); return latin1_upper(r); }
bool gort_unicode_islower(const go_site *site, int32_t r) { beyond_latin1(site, r); return latin1_lower(r); }
bool gort_unicode_isletter(const go_site *site, int32_t r) { beyond_latin1(site, r); return latin1_letter(r); }
bool gort_unicode_isdigit(const go_site *site, int32_t r) { beyond_latin1(site, r); return r >= '0' && r <= '9'; }
bool gort_unicode_isnumber(const go_site *site, int32_t r) {
    beyond_latin1(site, r);
    return (r >= '0' && r <= '9') || r == 0xb2 || r == 0xb3 || r == 0xb9 || (r >= 0xbc && r <= 0xbe);
}
bool gort_unicode_ispunct(const go_site *site, int32_t r) { beyond_latin1(site, r); return latin1_punct(r); }
bool gort_unicode_iscontrol(const go_site *site, int32_t r) { beyond_latin1(site, r); return latin1_control(r); }
bool gort_unicode_isgraphic(const go_site *site, int32_t r) {
    beyond_latin1(site, r);
    return !latin1_control(r) && r != 0xad;
}
bool gort_unicode_isprint(const go_site *site, int32_t r) {
    beyond_latin1(site, r);
    return r == ' ' || (!latin1_control(r) && r != 0xad && r != 0xa0);
}
int32_t gort_unicode_toupper(const go_site *site, int32_t r) {
    beyond_latin1(site, r);
    if (r >= 'a' && r <= 'z') return r - 32;
    if (r == 0xb5) return 0x39c;  /* MICRO SIGN -> GREEK CAPITAL MU */
    if (r == 0xff) return 0x178;
    if (r >= 0xe0 && r <= 0xfe && r != 0xf7) return r - 32;
    return r;
}
int32_t gort_unicode_tolower(const go_site *site, int32_t r) {
    beyond_latin1(site, r);
    if (latin1_upper(r)) return r + 32;
    return r;
}
int32_t gort_unicode_totitle(const go_site *site, int32_t r) { return gort_unicode_toupper(site, r); }

/* ---- time ---------------------------------------------------------------------- *
 *
 * Go's Time: wall's top bit says a monotonic reading is in ext; then 33
 * bits of seconds since 1885-01-01 and 30 bits of nanoseconds. The model's
 * clock starts at 2026-01-01T00:00:00Z (4449513600 s after 1885) and its
 * monotonic reading is the virtual time plus GORT_TIME_EPOCH, so Sub,
 * Before, After and Equal, translated from Go's source, compare virtual
 * instants, and Unix() reads a plausible date. */
#define HAS_MONOTONIC ((uint64_t)1 << 63)
#define MODEL_START_SINCE_1885 4449513600LL
#define MODEL_START_UNIX 1767225600LL
#define UNIX_TO_INTERNAL 62135596800LL /* seconds from year 1 to 1970 */

gort_time gort_time_at(go_duration virtual_ns) {
    int64_t sec = MODEL_START_SINCE_1885 + virtual_ns / 1000000000;
    int64_t nsec = virtual_ns % 1000000000;
    if (nsec < 0) { nsec += 1000000000; sec--; }
    gort_time t = {HAS_MONOTONIC | ((uint64_t)sec << 30) | (uint64_t)nsec,
                   virtual_ns + GORT_TIME_EPOCH, NULL};
    return t;
}

go_duration gort_time_virtual(gort_time t) {
    if (t.wall & HAS_MONOTONIC) return t.ext - GORT_TIME_EPOCH;
    /* No monotonic reading: ext is seconds since year 1. */
    int64_t unix_sec = t.ext - UNIX_TO_INTERNAL;
    int64_t nsec = (int64_t)(t.wall & ((1u << 30) - 1));
    return (unix_sec - MODEL_START_UNIX) * 1000000000 + nsec;
}

_Noreturn void gort_panic_text(const go_site *site, gort_string text) {
    char *message = gort_string_cstr(text);
    /* Kept for the report: the execution's panic outlives this frame. */
    gort_output_append(text);
    go_panic_at(site, message);
}

/* ---- os: a per-execution set of file names ------------------------------------ *
 * malloc'ed names (no model pointers in them), emptied at the start of
 * every execution: a pool reset to empty, the only state kept. */
static char **files;
static size_t file_count, file_capacity, temp_sequence;

void gort_files_reset(void) {
    for (size_t i = 0; i < file_count; i++) free(files[i]);
    file_count = 0;
    temp_sequence = 0;
}

static ptrdiff_t file_find(const char *name) {
    for (size_t i = 0; i < file_count; i++)
        if (!strcmp(files[i], name)) return (ptrdiff_t)i;
    return -1;
}

static void file_add(char *name) {
    if (file_find(name) >= 0) {
        free(name);
        return;
    }
    if (file_count == file_capacity) {
        size_t grown = file_capacity ? 2 * file_capacity : 16;
        char **more = realloc(files, grown * sizeof *more);
        if (!more) abort();
        files = more;
        file_capacity = grown;
    }
    files[file_count++] = name;
}

static go_resource *open_name(const go_site *site, char *name) {
    go_resource *r = go_open_at(site, name);
    return r;
}

go_resource *gort_os_create(const go_site *site, gort_string name, gort_iface *err) {
    char *c = gort_string_cstr(name);
    go_resource *r = open_name(site, c);
    file_add(c);
    *err = (gort_iface){0};
    return r;
}

/* dir/<pattern's part before its last '*'><n><the part after>, as Go's
 * CreateTemp, with a sequence number where Go puts random digits. */
go_resource *gort_os_create_temp(const go_site *site, gort_string dir, gort_string pattern,
                                 gort_iface *err) {
    gort_int star = pattern.len;
    while (star > 0 && pattern.ptr[star - 1] != '*') star--;
    gort_int prefix = star > 0 ? star - 1 : pattern.len;
    gort_buf *b = gort__buf_new();
    gort__buf_gostr(b, dir);
    gort__buf_byte(b, '/');
    gort__buf_write(b, pattern.ptr, (size_t)prefix);
    gort__buf_uint(b, ++temp_sequence, 0);
    if (star > 0) gort__buf_write(b, pattern.ptr + star, (size_t)(pattern.len - star));
    char *name = gort__buf_take(b);
    go_resource *r = open_name(site, name);
    file_add(name);
    *err = (gort_iface){0};
    return r;
}

go_resource *gort_os_open(const go_site *site, gort_string name, gort_iface *err) {
    char *c = gort_string_cstr(name);
    if (file_find(c) < 0) {
        free(c);
        *err = gort__path_error(site, "open", name);
        return NULL;
    }
    go_resource *r = open_name(site, c);
    free(c);
    *err = (gort_iface){0};
    return r;
}

gort_iface gort_os_remove(const go_site *site, gort_string name) {
    char *c = gort_string_cstr(name);
    ptrdiff_t at = file_find(c);
    free(c);
    if (at < 0) return gort__path_error(site, "remove", name);
    free(files[at]);
    files[at] = files[--file_count];
    return (gort_iface){0};
}

gort_iface gort_os_write_file(const go_site *site, gort_string name) {
    file_add(gort_string_cstr(name));
    return (gort_iface){0};
}

gort_string gort_os_file_name(const go_resource *f) {
    const char *n = go_resource_name(f);
    return (gort_string){(const uint8_t *)n, (gort_int)strlen(n)};
}

void *gort_deferred_fn;

/* ---- math ------------------------------------------------------------------------ */

double gort_math_max(double x, double y) {
    if (isinf(x) && x > 0) return x;
    if (isinf(y) && y > 0) return y;
    if (isnan(x) || isnan(y)) return NAN;
    if (x == 0 && y == 0) return signbit(x) ? y : x;
    return x > y ? x : y;
}

double gort_math_min(double x, double y) {
    if (isinf(x) && x < 0) return x;
    if (isinf(y) && y < 0) return y;
    if (isnan(x) || isnan(y)) return NAN;
    if (x == 0 && y == 0) return signbit(x) ? x : y;
    return x < y ? x : y;
}
