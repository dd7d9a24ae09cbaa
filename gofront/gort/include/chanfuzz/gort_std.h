/* chanfuzz/gort_std.h -- models of standard library functions that Go
 * implements in assembly or over tables too costly to build in every
 * execution: internal/bytealg, unicode's classifiers, time's conversions,
 * log.Fatal. Translated code includes it after gort.h. */
#ifndef CHANFUZZ_GORT_STD_H
#define CHANFUZZ_GORT_STD_H

#include "chanfuzz/gort.h"

#ifdef __cplusplus
extern "C" {
#endif

/* internal/bytealg */
gort_int gort_index_byte(const uint8_t *p, gort_int n, uint8_t c);
gort_int gort_count_byte(const uint8_t *p, gort_int n, uint8_t c);
gort_int gort_index_string(gort_string s, gort_string sub);

/* unicode: exact for Latin-1 (U+0000..U+00FF, Go's own fast path); a rune
 * beyond it panics "chanfuzz: unsupported: unicode tables beyond Latin-1"
 * rather than answer wrongly. */
bool gort_unicode_isspace(const go_site *site, int32_t r);
bool gort_unicode_isupper(const go_site *site, int32_t r);
bool gort_unicode_islower(const go_site *site, int32_t r);
bool gort_unicode_isletter(const go_site *site, int32_t r);
bool gort_unicode_isdigit(const go_site *site, int32_t r);
bool gort_unicode_isnumber(const go_site *site, int32_t r);
bool gort_unicode_ispunct(const go_site *site, int32_t r);
bool gort_unicode_isprint(const go_site *site, int32_t r);
bool gort_unicode_isgraphic(const go_site *site, int32_t r);
bool gort_unicode_iscontrol(const go_site *site, int32_t r);
int32_t gort_unicode_toupper(const go_site *site, int32_t r);
int32_t gort_unicode_tolower(const go_site *site, int32_t r);
int32_t gort_unicode_totitle(const go_site *site, int32_t r);

/* c.Wait() of a sync.Cond at cond, whatever Locker its L holds. */
void gort_cond_wait(const go_site *site, void *cond);

/* recover() called directly by a deferred function that has deferred
 * calls of its own (its body runs in a go_call frame of its own). */
gort_iface gort_recover_framed(const go_site *site);
/* Set by a defer's trampoline to the function it is about to call, read
 * and cleared first thing by every function that calls recover(): Go's
 * recover stops a panic only when called directly by the deferred
 * function, never from a function that one calls. No scheduling point
 * lies between the set and the read. */
extern void *gort_deferred_fn;

/* math.Max, math.Min: NaN wins, +Inf/-Inf win, Max(+0, -0) is +0. */
double gort_math_max(double x, double y);
double gort_math_min(double x, double y);

/* A Time's instant on the execution's virtual clock (go_now()'s scale):
 * what time.Since, Until and context.WithDeadline compare. */
go_duration gort_time_virtual(gort_time t);

/* log.Fatal and log.Panic: the text as the panic's message (a finding). */
_Noreturn void gort_panic_text(const go_site *site, gort_string text);

/* os: files are model resources and names in a per-execution set, so
 * that a path that forgets Close is found, and opening a file never made
 * fails as on a clean disk. No real I/O. */
void gort_files_reset(void);
go_resource *gort_os_create(const go_site *site, gort_string name, gort_iface *err);
go_resource *gort_os_create_temp(const go_site *site, gort_string dir, gort_string pattern,
                                 gort_iface *err);
go_resource *gort_os_open(const go_site *site, gort_string name, gort_iface *err);
gort_iface gort_os_remove(const go_site *site, gort_string name);
gort_iface gort_os_write_file(const go_site *site, gort_string name);
gort_string gort_os_file_name(const go_resource *f);

#ifdef __cplusplus
}
#endif
#endif
