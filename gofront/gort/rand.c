/* rand.c -- math/rand: every value is a DATA decision of the execution's
 * source (the seed is ignored), so the explorer and the fuzzer choose it
 * and a replay gives it back. A source that runs dry answers 0: the plain
 * case. Panics as Go 1.19 does on a bad argument. */
#include "gort_internal.h"

gort_int gort_rand_intn(const go_site *site, gort_int n) {
    if (n <= 0) go_panic_at(site, "invalid argument to Intn");
    return (gort_int)go_fz_intn_at(site, (uint64_t)n);
}

int64_t gort_rand_int63n(const go_site *site, int64_t n) {
    if (n <= 0) go_panic_at(site, "invalid argument to Int63n");
    return (int64_t)go_fz_intn_at(site, (uint64_t)n);
}

double gort_rand_float64(const go_site *site) {
    /* [0, 1) in steps of 2^-53 */
    return (double)go_fz_intn_at(site, (uint64_t)1 << 53) / (double)((uint64_t)1 << 53);
}
