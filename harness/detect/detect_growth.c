/* detect_growth.c -- stress mode: live objects that keep rising across the
 * checkpoints of one execution (go_checkpoint, go_stress).
 *
 * Each allocation site (and object kind) gives a series: its live objects
 * at every checkpoint, and for maps also the entries they hold -- a map
 * that only grows is one object whose entries rise, and a map of weak
 * values keeps its entries (and their handles) after the values are
 * collected. A series keeps growing when, with at least
 * CF_GROWTH_MIN_CHECKPOINTS checkpoints and over the later half of them:
 *   - the least-squares slope is at least CF_GROWTH_MIN_SLOPE per
 *     checkpoint (a one-off lazy initialisation rises once, then is flat);
 *   - it rose in at least half of the steps (a single jump is not a
 *     trend, a steady climb is);
 *   - the last value exceeds every value of the earlier half, and the
 *     later half ends above where it began;
 *   - and it exceeds the earlier half's peak by at least
 *     CF_GROWTH_MIN_RISE and by a quarter of that peak: a plateau's jitter
 *     (39 38 36 37 40 41 43 44 42 46 after a peak of 40, a schedule that
 *     starves the goroutines draining it for a while) or a handful in
 *     flight (0 1 1 1 1 0 0 1 1 2) is not growth; found as false alarms on
 *     fixed stress scenarios under random and PCT schedules.
 * A plateau fails all three: Go 1.22's pending time.After timers in a hot
 * loop pile up to rate x duration, then fire as fast as they are made; a
 * cache pruned to a bound fills, then stays at it. Judging the later half
 * only is what lets the warm-up rise pass. Bytes are reported, not
 * judged: a table grows by doubling, a staircase whose later half may
 * show one step or none, so the entries stand for it.
 *
 * Judged only on GO_END_RETURNED: a run cut short has a truncated series,
 * and its own finding. */
#include <stdlib.h>
#include <string.h>

#include "detect.h"

#define CF_GROWTH_MIN_CHECKPOINTS 6
#define CF_GROWTH_MIN_SLOPE 0.5
#define CF_GROWTH_MIN_RISE 3

/* One (site, kind) seen at some checkpoint. */
typedef struct key {
    const go_site *site;
    go_object_kind kind;
} key;

/* The runtime's order of a checkpoint's sites (exec.h). */
static int compare_keys(const void *x, const void *y) {
    const key *a = x, *b = y;
    int c = go_site_compare(a->site, b->site);
    return c ? c : (a->kind > b->kind) - (a->kind < b->kind);
}

static const go_site_sample *find_sample(const go_checkpoint_info *c, const key *k) {
    size_t lo = 0, hi = c->site_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        key here = {c->sites[mid].site, c->sites[mid].kind};
        int cmp = compare_keys(&here, k);
        if (cmp == 0) return &c->sites[mid];
        if (cmp < 0) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

/* Least-squares slope of v[0..n) against 0..n-1. */
static double slope_of(const size_t *v, size_t n) {
    double mean_x = (double)(n - 1) / 2, mean_y = 0, num = 0, den = 0;
    for (size_t i = 0; i < n; i++) mean_y += (double)v[i];
    mean_y /= (double)n;
    for (size_t i = 0; i < n; i++) {
        num += ((double)i - mean_x) * ((double)v[i] - mean_y);
        den += ((double)i - mean_x) * ((double)i - mean_x);
    }
    return den > 0 ? num / den : 0;
}

static bool keeps_growing(const size_t *v, size_t n, double *slope) {
    size_t later = n - n / 2, start = n - later;
    *slope = slope_of(v + start, later);
    size_t earlier_max = 0, rises = 0;
    for (size_t i = 0; i < start; i++)
        if (v[i] > earlier_max) earlier_max = v[i];
    for (size_t i = start; i + 1 < n; i++) rises += v[i + 1] > v[i];
    size_t needed = earlier_max / 4 > CF_GROWTH_MIN_RISE ? earlier_max / 4 : CF_GROWTH_MIN_RISE;
    return *slope >= CF_GROWTH_MIN_SLOPE && 2 * rises >= later - 1 && v[n - 1] > earlier_max &&
           v[n - 1] > v[start] && v[n - 1] - earlier_max >= needed;
}

/* Every (site, kind) of every checkpoint, sorted, without repeats. */
static key *all_keys(const go_exec *exec, size_t n, size_t *count) {
    size_t total = 0;
    for (size_t c = 0; c < n; c++) total += go_exec_checkpoint(exec, c)->site_count;
    key *keys = malloc((total ? total : 1) * sizeof *keys);
    if (!keys) return NULL;
    size_t k = 0;
    for (size_t c = 0; c < n; c++) {
        const go_checkpoint_info *info = go_exec_checkpoint(exec, c);
        for (size_t s = 0; s < info->site_count; s++)
            keys[k++] = (key){info->sites[s].site, info->sites[s].kind};
    }
    qsort(keys, k, sizeof *keys, compare_keys);
    size_t unique = 0;
    for (size_t i = 0; i < k; i++)
        if (unique == 0 || compare_keys(&keys[unique - 1], &keys[i]) != 0) keys[unique++] = keys[i];
    *count = unique;
    return keys;
}

/* Judges one key's series; fills *out (series owned) when it grew. */
static bool judge(const go_exec *exec, size_t n, const key *k, chanfuzz_growth *out, bool *failed) {
    size_t *objects = calloc(n, sizeof *objects), *entries = calloc(n, sizeof *entries);
    size_t *bytes = calloc(n, sizeof *bytes);
    bool grew = false;
    if (!objects || !entries || !bytes) {
        *failed = true;
        goto done;
    }
    for (size_t c = 0; c < n; c++) {
        const go_site_sample *s = find_sample(go_exec_checkpoint(exec, c), k);
        if (s) objects[c] = s->objects, entries[c] = s->entries, bytes[c] = s->bytes;
    }
    double slope;
    size_t *series = NULL;
    const char *measure = NULL;
    if (keeps_growing(objects, n, &slope)) {
        series = objects, objects = NULL, measure = "objects";
    } else if (k->kind == GO_OBJ_MAP && keeps_growing(entries, n, &slope)) {
        series = entries, entries = NULL, measure = "entries";
    }
    if (!series) goto done;
    *out = (chanfuzz_growth){.site = k->site, .kind = k->kind, .measure = measure,
                             .first = series[0], .last = series[n - 1], .slope = slope,
                             .first_bytes = bytes[0], .last_bytes = bytes[n - 1],
                             .series = series, .series_count = n};
    grew = true;
done:
    free(objects);
    free(entries);
    free(bytes);
    return grew;
}

/* Steepest first. At equal slopes a map's entries lead: the map that
 * grows holds what grows with it (a cache of weak values keeps an entry
 * and its weak handle per key), so it is the place to look first. */
static int most_growth_first(const void *x, const void *y) {
    const chanfuzz_growth *a = x, *b = y;
    if (a->slope != b->slope) return a->slope > b->slope ? -1 : 1;
    bool a_entries = a->measure[0] == 'e', b_entries = b->measure[0] == 'e';
    if (a_entries != b_entries) return a_entries ? -1 : 1;
    key ka = {a->site, a->kind}, kb = {b->site, b->kind};
    return compare_keys(&ka, &kb);
}

/* "10 -> 160 live objects, +15.0 per checkpoint" */
static void series_words(char *out, size_t size, const chanfuzz_growth *g) {
    if (g->measure[0] == 'e')
        snprintf(out, size, "%zu -> %zu entries, +%.1f per checkpoint (tables %zu -> %zu bytes)",
                 g->first, g->last, g->slope, g->first_bytes, g->last_bytes);
    else
        snprintf(out, size, "%zu -> %zu live objects, +%.1f per checkpoint (%zu -> %zu bytes)",
                 g->first, g->last, g->slope, g->first_bytes, g->last_bytes);
}

static void report(cf_detection *d, chanfuzz_growth *growth, size_t count, size_t n) {
    qsort(growth, count, sizeof *growth, most_growth_first);
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_state_growth(crash_state, sizeof crash_state, growth, count);
    chanfuzz_finding *f = cf_finding_for(d, CHANFUZZ_GROWTH, crash_state);
    if (!f) {
        for (size_t i = 0; i < count; i++) free(growth[i].series);
        free(growth);
        return;
    }
    f->growth = growth;
    f->growth_count = count;
    f->occurrences = count;
    f->site = growth[0].site;
    snprintf(f->title, sizeof f->title, "live objects keep growing");
    char rest[64];
    snprintf(rest, sizeof rest, " growing over %zu checkpoints", n);
    cf_count_phrase(f->message, sizeof f->message, count, "site keeps", "sites keep", rest);
    f->witness.kind = CHANFUZZ_WITNESS_GROWTH;
    for (size_t i = 0; i < count && !d->failed; i++) {
        chanfuzz_witness_link *link = cf_witness_append(d, f, "grew", growth[i].kind, 0, growth[i].site);
        if (link) series_words(link->state, sizeof link->state, &growth[i]);
    }
    /* "10 -> 160 live heap objects at x.c:30 (cache_put), +15.0 per
     * checkpoint": the site that grew most, in a line. */
    const chanfuzz_growth *top = &growth[0];
    char what[64], where[256];
    cf_growth_what(what, sizeof what, top);
    cf_crash_where(where, sizeof where, what, top->site, NULL);
    snprintf(f->witness.summary, sizeof f->witness.summary, "%zu -> %zu %s%s, +%.1f per checkpoint",
             top->first, top->last, top->measure[0] == 'e' ? "" : "live ", where, top->slope);
    if (count > 1)
        cf_append(f->witness.summary, sizeof f->witness.summary, "; %zu more site%s", count - 1,
                  count == 2 ? "" : "s");
}

void cf_detect_growth(cf_detection *d) {
    size_t n = go_exec_checkpoint_count(d->exec);
    if (go_exec_end(d->exec) != GO_END_RETURNED || n < CF_GROWTH_MIN_CHECKPOINTS) return;
    size_t key_count = 0;
    key *keys = all_keys(d->exec, n, &key_count);
    chanfuzz_growth *growth = calloc(key_count ? key_count : 1, sizeof *growth);
    if (!keys || !growth) {
        d->failed = true;
        free(keys);
        free(growth);
        return;
    }
    size_t count = 0;
    for (size_t i = 0; i < key_count && !d->failed; i++) {
        if (!judge(d->exec, n, &keys[i], &growth[count], &d->failed)) continue;
        if (cf_ignore_made_at(d->ignore, keys[i].site)) {
            free(growth[count].series);
            d->findings->ignored++;
            continue;
        }
        count++;
    }
    free(keys);
    if (count == 0 || d->failed) {
        for (size_t i = 0; i < count; i++) free(growth[i].series);
        free(growth);
        return;
    }
    report(d, growth, count, n);
}
