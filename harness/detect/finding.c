/* finding.c -- the finding model: kind names, the list of one execution's
 * findings, merging on the crash state, ordering, freeing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

/* ---- kinds ------------------------------------------------------------------ */

static const struct {
    const char *id;
    const char *name;
} kinds[CHANFUZZ_KIND_COUNT] = {
    [CHANFUZZ_PANIC] = {"panic", "panic"},
    [CHANFUZZ_FATAL_ERROR] = {"fatal_error", "fatal error"},
    [CHANFUZZ_STACK_OVERFLOW] = {"stack_overflow", "stack overflow"},
    [CHANFUZZ_STEP_BUDGET] = {"step_budget", "step budget exhausted"},
    [CHANFUZZ_GLOBAL_DEADLOCK] = {"global_deadlock", "global deadlock"},
    [CHANFUZZ_LEAK] = {"leak", "leak"},
    [CHANFUZZ_NEVER_EXITS] = {"never_exits", "never exits"},
    [CHANFUZZ_PARTIAL_DEADLOCK] = {"partial_deadlock", "partial deadlock"},
    [CHANFUZZ_LOST_CANCEL] = {"lost_cancel", "lost cancel"},
    [CHANFUZZ_CONTEXT_REGISTERED] = {"context_registered", "context still registered"},
    [CHANFUZZ_UNRELEASED_CLOSURE] = {"unreleased_closure", "unreleased closure"},
    [CHANFUZZ_RESOURCE_NOT_CLOSED] = {"resource_not_closed", "resource never closed"},
    [CHANFUZZ_TIMER_NOT_STOPPED] = {"timer_not_stopped", "timer never stopped"},
    [CHANFUZZ_GROWTH] = {"growth", "growth"},
    [CHANFUZZ_CRASH] = {"crash", "crash"},
    [CHANFUZZ_HANG] = {"hang", "hang"},
};

const char *chanfuzz_kind_id(chanfuzz_kind kind) {
    return (unsigned)kind < CHANFUZZ_KIND_COUNT ? kinds[kind].id : "unknown";
}

const char *chanfuzz_kind_name(chanfuzz_kind kind) {
    return (unsigned)kind < CHANFUZZ_KIND_COUNT ? kinds[kind].name : "unknown";
}

bool chanfuzz_kind_from_id(const char *id, chanfuzz_kind *kind) {
    for (int k = 0; k < CHANFUZZ_KIND_COUNT; k++)
        if (strcmp(kinds[k].id, id) == 0) {
            *kind = (chanfuzz_kind)k;
            return true;
        }
    return false;
}

const char *chanfuzz_witness_kind_id(chanfuzz_witness_kind kind) {
    switch (kind) {
    case CHANFUZZ_WITNESS_NONE: return "none";
    case CHANFUZZ_WITNESS_BLOCKING_OBJECT: return "blocking_object";
    case CHANFUZZ_WITNESS_CONTEXT: return "context";
    case CHANFUZZ_WITNESS_CYCLE: return "cycle";
    case CHANFUZZ_WITNESS_HOLDER_CHAIN: return "holder_chain";
    case CHANFUZZ_WITNESS_WAIT_CHAIN: return "wait_chain";
    case CHANFUZZ_WITNESS_GROWTH: return "growth";
    }
    return "unknown";
}

const chanfuzz_finding *chanfuzz_findings_first(const chanfuzz_findings *f, chanfuzz_kind kind) {
    for (size_t i = 0; f && i < f->count; i++)
        if (f->items[i].kind == kind) return &f->items[i];
    return NULL;
}

/* ---- building ------------------------------------------------------------------ */

/* Grows *array (of *count elements of elem_size) by one zeroed element.
 * Doubling keeps appends amortised O(1); findings rarely hold more than a
 * handful of goroutines, but a fan-out leak can hold thousands. */
static void *append(void **array, size_t *count, size_t *capacity, size_t elem_size) {
    if (*count == *capacity) {
        size_t grown = *capacity ? 2 * *capacity : 4;
        void *bigger = realloc(*array, grown * elem_size);
        if (!bigger) return NULL;
        *array = bigger;
        *capacity = grown;
    }
    void *slot = (char *)*array + (*count)++ * elem_size;
    memset(slot, 0, elem_size);
    return slot;
}

/* Element capacities are not stored in the public structs (they would be
 * noise there). append only ever grows to 4 * 2^k, so the capacity is
 * the smallest such number at or above the count (0 for none). */
static size_t implied_capacity(size_t count) {
    if (count == 0) return 0;
    size_t capacity = 4;
    while (capacity < count) capacity *= 2;
    return capacity;
}

chanfuzz_finding *cf_finding_for(cf_detection *d, chanfuzz_kind kind, const char *crash_state) {
    chanfuzz_findings *all = d->findings;
    for (size_t i = 0; i < all->count; i++)
        if (all->items[i].kind == kind && strcmp(all->items[i].crash_state, crash_state) == 0)
            return &all->items[i];
    chanfuzz_finding *f =
        append((void **)&all->items, &all->count, &d->capacity, sizeof *all->items);
    if (!f) {
        d->failed = true;
        return NULL;
    }
    f->kind = kind;
    snprintf(f->crash_state, sizeof f->crash_state, "%s", crash_state);
    return f;
}

chanfuzz_goroutine *cf_finding_add_goroutine(cf_detection *d, chanfuzz_finding *f,
                                             const go_goroutine_info *g) {
    size_t capacity = implied_capacity(f->goroutine_count);
    chanfuzz_goroutine *slot = append((void **)&f->goroutines, &f->goroutine_count, &capacity,
                                      sizeof *f->goroutines);
    if (!slot) {
        d->failed = true;
        return NULL;
    }
    slot->info = *g;
    if (g->object_kind != GO_OBJ_NONE)
        go_exec_describe_object(d->exec, g->object_kind, g->object_id, slot->object_state,
                                sizeof slot->object_state);
    bool waiting = g->state == GO_STATE_BLOCKED || g->state == GO_STATE_NEVER_EXITS;
    int64_t end = go_exec_time(d->exec);
    if (waiting && g->wait_site && end > g->blocked_at_time)
        slot->blocked_for = end - g->blocked_at_time;
    if (!f->creation_site) f->creation_site = g->creator_site;
    f->occurrences++;
    return slot;
}

static chanfuzz_witness_link *append_link(cf_detection *d, chanfuzz_finding *f, const char *role,
                                          go_object_kind kind, uint64_t id) {
    chanfuzz_witness *w = &f->witness;
    size_t capacity = implied_capacity(w->link_count);
    chanfuzz_witness_link *link =
        append((void **)&w->links, &w->link_count, &capacity, sizeof *w->links);
    if (!link) {
        d->failed = true;
        return NULL;
    }
    link->role = role;
    link->object_kind = kind;
    link->object_id = id;
    return link;
}

chanfuzz_witness_link *cf_witness_add(cf_detection *d, chanfuzz_finding *f, const char *role,
                                      go_object_kind kind, uint64_t id, const go_site *site) {
    chanfuzz_witness *w = &f->witness;
    for (size_t i = 0; i < w->link_count; i++)
        if (w->links[i].object_kind == kind && w->links[i].object_id == id &&
            strcmp(w->links[i].role, role) == 0)
            return &w->links[i];
    chanfuzz_witness_link *link = append_link(d, f, role, kind, id);
    if (!link) return NULL;
    link->site = site;
    go_exec_describe_object(d->exec, kind, id, link->state, sizeof link->state);
    return link;
}

chanfuzz_witness_link *cf_witness_append(cf_detection *d, chanfuzz_finding *f, const char *role,
                                         go_object_kind kind, uint64_t id, const go_site *site) {
    chanfuzz_witness_link *link = append_link(d, f, role, kind, id);
    if (link) link->site = site;
    return link;
}

/* A chain's root, or a goroutine in it, in the runtime's words:
 * global "registry", pending timer, leaked goroutine 2, goroutine 3. */
static void holder_text(char *out, size_t size, const go_holder *h) {
    switch (h->root) {
    case GO_ROOT_GLOBAL:
    case GO_ROOT_DATA:
        snprintf(out, size, "%s \"%s\"", go_root_kind_name(h->root), h->name);
        return;
    case GO_ROOT_GOROUTINE:
    case GO_ROOT_LEAKED:
        snprintf(out, size, "%s %llu", go_root_kind_name(h->root),
                 (unsigned long long)h->goroutine);
        return;
    case GO_ROOT_TIMER: snprintf(out, size, "pending timer"); return;
    case GO_ROOT_CLEANUP: snprintf(out, size, "cleanup argument"); return;
    case GO_ROOT_RUNTIME: snprintf(out, size, "runtime table"); return;
    case GO_ROOT_NONE: break;
    }
    snprintf(out, size, "goroutine %llu", (unsigned long long)h->goroutine);
}

size_t cf_witness_add_holder_chain(cf_detection *d, chanfuzz_finding *f, go_object_kind kind,
                                   uint64_t id, go_holder *root) {
    size_t length = go_exec_holder_chain(d->exec, kind, id, NULL, 0);
    if (length == 0) return 0;
    go_holder *chain = calloc(length, sizeof *chain);
    if (!chain) {
        d->failed = true;
        return 0;
    }
    go_exec_holder_chain(d->exec, kind, id, chain, length);
    if (root) *root = chain[0];
    for (size_t i = 0; i < length && !d->failed; i++) {
        const go_holder *h = &chain[i];
        const char *role = i == 0 ? "root" : i + 1 == length ? "held" : "via";
        if (i > 0 && h->object_kind != GO_OBJ_NONE) {
            const go_object_info *object =
                go_exec_find_object(d->exec, h->object_kind, h->object_id);
            cf_witness_add(d, f, role, h->object_kind, h->object_id,
                           object ? object->site : NULL);
            continue;
        }
        chanfuzz_witness_link *link = append_link(d, f, role, GO_OBJ_NONE, h->goroutine);
        if (link) holder_text(link->state, sizeof link->state, h);
    }
    free(chain);
    return length;
}

void cf_append(char *out, size_t size, const char *format, ...) {
    size_t used = strlen(out);
    if (used + 1 >= size) return;
    va_list args;
    va_start(args, format);
    vsnprintf(out + used, size - used, format, args);
    va_end(args);
}

void cf_count_phrase(char *out, size_t size, size_t n, const char *one, const char *many,
                     const char *rest) {
    snprintf(out, size, "%zu %s%s", n, n == 1 ? one : many, rest);
}

void cf_append_chain(char *out, size_t size, const chanfuzz_witness *w) {
    for (size_t i = 0; i < w->link_count; i++) {
        const chanfuzz_witness_link *l = &w->links[i];
        if (l->object_kind == GO_OBJ_NONE)
            cf_append(out, size, "%s%s", i ? " -> " : "", l->state);
        else
            cf_append(out, size, "%s%s#%llu", i ? " -> " : "", go_object_kind_name(l->object_kind),
                      (unsigned long long)l->object_id);
    }
}

/* ---- ordering ------------------------------------------------------------------- */

static int by_goroutine_id(const void *a, const void *b) {
    uint64_t x = ((const chanfuzz_goroutine *)a)->info.id;
    uint64_t y = ((const chanfuzz_goroutine *)b)->info.id;
    return (x > y) - (x < y);
}

static int by_kind_then_crash_state(const void *a, const void *b) {
    const chanfuzz_finding *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return strcmp(x->crash_state, y->crash_state);
}

void cf_findings_sort(chanfuzz_findings *findings) {
    for (size_t i = 0; i < findings->count; i++) {
        chanfuzz_finding *f = &findings->items[i];
        if (f->goroutine_count > 1)
            qsort(f->goroutines, f->goroutine_count, sizeof *f->goroutines, by_goroutine_id);
    }
    if (findings->count > 1)
        qsort(findings->items, findings->count, sizeof *findings->items,
              by_kind_then_crash_state);
}

/* ---- freeing --------------------------------------------------------------------- */

void chanfuzz_findings_free(chanfuzz_findings *findings) {
    if (!findings) return;
    for (size_t i = 0; i < findings->count; i++) {
        free(findings->items[i].goroutines);
        free(findings->items[i].witness.links);
        for (size_t k = 0; k < findings->items[i].growth_count; k++)
            free(findings->items[i].growth[k].series);
        free(findings->items[i].growth);
    }
    free(findings->items);
    free(findings);
}
