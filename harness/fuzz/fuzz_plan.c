/* fuzz_plan.c -- the budget of `chanfuzz fuzz --time T` (fuzz_plan.h). */
#include "fuzz_plan.h"


/* The tail (keeping inputs, buckets, minimization) takes this share of
 * what is left after start-up, within [TAIL_MIN, TAIL_MAX] seconds, and
 * merging (the per-variant path's -merge=1 processes) 3/5 of it.
 * Measured on `fuzz all` (76 variants, ASan, a machine at load 20):
 * replaying ~40 crash files for their buckets took 2.5 to 4.7 s, so a tenth
 * of a 30 s budget overran; 15% with at least 2 s fits. */
static const double TAIL_SHARE = 0.15, TAIL_MIN = 2.0, TAIL_MAX = 15.0, MERGE_SHARE = 0.6;

chanfuzz_fuzz_plan chanfuzz_fuzz_make_plan(double total, double started) {
    chanfuzz_fuzz_plan plan = {.total = total, .started = started};
    double left = total - started;
    if (left <= 0) {
        plan.fuzz_end = plan.merge_end = started;
        return plan;
    }
    double tail = left * TAIL_SHARE;
    if (tail < TAIL_MIN) tail = TAIL_MIN;
    if (tail > TAIL_MAX) tail = TAIL_MAX;
    if (tail > left / 2) tail = left / 2;   /* a tiny budget still fuzzes half */
    plan.fuzz_end = total - tail;
    plan.merge_end = plan.fuzz_end + tail * MERGE_SHARE;
    return plan;
}

unsigned chanfuzz_fuzz_variant_share(double remaining, size_t left, double overhead) {
    if (!left || remaining < 1.0 + overhead) return 0;
    double share = remaining / (double)left - overhead;   /* positive: truncation floors */
    return share < 1.0 ? 1u : (unsigned)share;
}

unsigned chanfuzz_fuzz_process_seconds(double remaining) {
    if (remaining < 1.0) return 0;
    /* libFuzzer stops once MORE than N whole seconds have passed since its
     * start, so -max_total_time=N runs up to N + 1 seconds. */
    return remaining < 2.0 ? 1u : (unsigned)remaining - 1u;
}

double chanfuzz_fuzz_minimize_share(double remaining, size_t left, double cap) {
    if (remaining <= 0 || !left) return 0;
    double share = remaining / (double)left;
    return share < cap ? share : cap;
}
