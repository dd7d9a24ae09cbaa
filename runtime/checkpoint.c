/* checkpoint.c -- stress mode: go_checkpoint and go_stress, and the samples
 * of what stayed live that the growth detector judges (exec.h,
 * "Checkpoints").
 *
 * A checkpoint is a collection (the same as runtime.GC()) that, before
 * giving its marking back, counts the objects it kept for the program by
 * allocation site and kind. What counts as kept:
 *   - reachable from the roots, or held by a partially deadlocked
 *     goroutine: Go's collector keeps both, so both are memory the
 *     program really holds;
 *   - not objects only a runtime table keeps (contexts the program lost):
 *     the model keeps them for inspection until the end, Go would have
 *     collected them, so counting them would make every context a loop
 *     creates look like growth.
 * Samples are sorted by site text, so the series are the same under every
 * compiler and address layout. */
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "scan.h"
#include "sched.h"

struct cf_checkpoints {
    go_checkpoint_info *items;
    size_t count;
    size_t capacity;
};

/* One live object's contribution, before aggregation. */
typedef struct contribution {
    const go_site *site;
    go_object_kind kind;
    size_t bytes;
    size_t entries;
} contribution;

static size_t bytes_of(const cf_object *obj) {
    return obj->size + (obj->ops && obj->ops->owned_bytes ? obj->ops->owned_bytes(obj) : 0);
}

static size_t entries_of(const cf_object *obj) {
    if (obj->kind == GO_OBJ_MAP) return go_map_len((const go_map *)obj);
    if (obj->kind == GO_OBJ_CHAN) return ((const go_chan *)obj)->count;
    return 0;
}

/* Sites compare by text: two GO_SITE statics on one line are one site,
 * and the order does not depend on where the linker put them. */
int go_site_compare(const go_site *a, const go_site *b) {
    if (a == b) return 0;
    if (!a || !b) return a ? 1 : -1;
    int c = strcmp(a->file, b->file);
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    return strcmp(a->func, b->func);
}

static int by_site_then_kind(const void *x, const void *y) {
    const contribution *a = x, *b = y;
    int c = go_site_compare(a->site, b->site);
    if (c) return c;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

static void *grow_or_throw(void *array, size_t *capacity, size_t element) {
    size_t n = *capacity ? 2 * *capacity : 8;
    void *bigger = realloc(array, n * element);
    cf_require(bigger != NULL, "checkpoint allocation");
    *capacity = n;
    return bigger;
}

/* Called by the collection go_checkpoint asked for (graph.c), after it
 * freed the garbage: every node still marked is an object that stays. */
void cf_checkpoint_record(go_exec *e, const cf_tracer *t) {
    if (!e->checkpoints) {
        e->checkpoints = calloc(1, sizeof *e->checkpoints);
        cf_require(e->checkpoints != NULL, "checkpoint allocation");
    }
    struct cf_checkpoints *all = e->checkpoints;
    if (all->count == all->capacity)
        all->items = grow_or_throw(all->items, &all->capacity, sizeof *all->items);
    go_checkpoint_info *info = &all->items[all->count];
    *info = (go_checkpoint_info){
        .index = all->count,
        .round = e->checkpoint_round ? e->checkpoint_round : all->count + 1,
        .site = e->checkpoint_site,
        .goroutine = e->current->id,
        .time = e->clock.now,
        .step = e->steps,
        .goroutines = t->goroutine_count,
    };

    contribution *live = calloc(t->object_count ? t->object_count : 1, sizeof *live);
    cf_require(live != NULL, "checkpoint allocation");
    size_t n = 0;
    for (size_t i = 0; i < t->object_count; i++) {
        if (t->phase[i] != CF_REACHABLE && t->phase[i] != CF_LEAKED) continue;
        const cf_object *obj = t->by_address[i];
        live[n++] = (contribution){obj->site, obj->kind, bytes_of(obj), entries_of(obj)};
        info->objects++;
        info->bytes += live[n - 1].bytes;
        info->kind_objects[obj->kind]++;
        info->kind_bytes[obj->kind] += live[n - 1].bytes;
    }
    qsort(live, n, sizeof *live, by_site_then_kind);

    go_site_sample *sites = NULL;
    size_t count = 0, capacity = 0;
    for (size_t i = 0; i < n; i++) {
        bool same = count && sites[count - 1].kind == live[i].kind &&
                    go_site_compare(sites[count - 1].site, live[i].site) == 0;
        if (!same) {
            if (count == capacity) sites = grow_or_throw(sites, &capacity, sizeof *sites);
            sites[count++] = (go_site_sample){.site = live[i].site, .kind = live[i].kind};
        }
        sites[count - 1].objects++;
        sites[count - 1].bytes += live[i].bytes;
        sites[count - 1].entries += live[i].entries;
    }
    free(live);
    info->sites = sites;
    info->site_count = count;
    all->count++;
}

void cf_checkpoints_free(go_exec *e) {
    struct cf_checkpoints *all = e->checkpoints;
    if (!all) return;
    for (size_t i = 0; i < all->count; i++) free((void *)all->items[i].sites);
    free(all->items);
    free(all);
    e->checkpoints = NULL;
}

/* ---- the scenario's calls ------------------------------------------------------- */

/* synctest.Wait() before the sample: the checkpointing goroutine steps
 * aside until every other goroutine is blocked or asleep, so a sample never
 * counts work queued for a goroutine that is merely behind. In Go such a
 * goroutine runs alongside on another P, and a schedule that starves it
 * for a whole stress run (PCT may, the plain schedule does) made a
 * drained queue or a cleanup goroutine's map look like growth. Goroutines
 * that never block get SETTLE_TURNS turns, then the sample is taken. */
enum { SETTLE_TURNS = 10000 };

static void checkpoint(go_exec *e, const go_site *site, uint64_t round) {
    cf_sched_point(e, site);
    for (int turn = 0; turn < SETTLE_TURNS && e->runq.length; turn++) cf_sched_step_aside(e);
    /* No scheduling point between here and the collection: the request
     * cannot be taken by another goroutine's collection. */
    e->checkpoint_site = site;
    e->checkpoint_round = round;
    cf_graph_collect_now(e, site);
    e->checkpoint_site = NULL;
    e->checkpoint_round = 0;
}

void go_checkpoint_at(const go_site *site) { checkpoint(cf_exec(), site, 0); }

void go_stress_at(const go_site *site, go_func *body, void *arg, int rounds,
                  int checkpoint_every) {
    go_exec *e = cf_exec();
    if (rounds < 0) cf_fail(e, GO_END_PANIC, site, "go_stress: negative rounds");
    if (checkpoint_every <= 0)
        cf_fail(e, GO_END_PANIC, site, "go_stress: checkpoint_every must be positive");
    for (int round = 1; round <= rounds; round++) {
        go_call_at(site, body, arg);
        if (round % checkpoint_every == 0) checkpoint(e, site, (uint64_t)round);
    }
}

size_t go_exec_checkpoint_count(const go_exec *e) {
    return e->checkpoints ? e->checkpoints->count : 0;
}

const go_checkpoint_info *go_exec_checkpoint(const go_exec *e, size_t index) {
    if (!e->checkpoints || index >= e->checkpoints->count) return NULL;
    return &e->checkpoints->items[index];
}
