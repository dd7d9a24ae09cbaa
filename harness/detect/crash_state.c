/* crash_state.c -- the one-line crash state that heads every finding.
 *
 * libFuzzer deduplicates on it and ClusterFuzz buckets on it (there, the
 * crash type plus the top frames), so it must name the bug and nothing of
 * the schedule that exposed it:
 *   - sites (file:line, or file:line:col for Go, and the function) and
 *     Go's words only;
 *   - never goroutine ids, object ids, step counts, virtual times or
 *     addresses, which change from one schedule to the next;
 *   - a goroutine's creation site besides its blocking site, so that two
 *     workers blocked on the same line but started by different code are
 *     two bugs, and three workers started by one loop are one.
 * The formats, by kind, are listed in findings.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

/* A crash state is one line, whatever a panic message holds. */
static void flatten(char *text) {
    for (char *c = text; *c; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t') *c = ' ';
}

void cf_crash_where(char *out, size_t size, const char *what, const go_site *site,
                    const char *fallback_function) {
    if (site)
        snprintf(out, size, "%s at %s (%s)", what, chanfuzz_site_position(site).text, site->func);
    else if (fallback_function)
        snprintf(out, size, "%s in %s", what, fallback_function);
    else
        snprintf(out, size, "%s", what);
}

static void add_created_at(char *out, size_t size, const go_goroutine_info *g) {
    if (g->creator_site)
        cf_append(out, size, " created at %s", chanfuzz_site_position(g->creator_site).text);
}

/* What a goroutine waits for, in Go's words ("chan send"); one that was
 * runnable when settling ended is "running". */
static const char *waiting_for(const go_goroutine_info *g) {
    return g->wait_reason != GO_WAIT_NONE ? go_wait_reason_name(g->wait_reason) : "running";
}

void cf_crash_state_goroutine(char *out, size_t size, chanfuzz_kind kind,
                              const go_goroutine_info *g) {
    char where[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_where(where, sizeof where, waiting_for(g), g->wait_site, g->entry_name);
    snprintf(out, size, "%s: %s", chanfuzz_kind_name(kind), where);
    add_created_at(out, size, g);
    flatten(out);
}

void cf_crash_state_failure(char *out, size_t size, chanfuzz_kind kind, const char *message,
                            const go_goroutine_info *failed) {
    if (kind == CHANFUZZ_STACK_OVERFLOW) {
        /* The runtime knows which goroutine overflowed, not where: its
         * entry function and go statement are what stays put. */
        snprintf(out, size, "%s: in %s", chanfuzz_kind_name(kind),
                 failed ? failed->entry_name : "an unknown goroutine");
        if (failed) add_created_at(out, size, failed);
    } else {
        char where[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_where(where, sizeof where, message, failed ? failed->wait_site : NULL,
                       failed ? failed->entry_name : NULL);
        snprintf(out, size, "%s: %s", chanfuzz_kind_name(kind), where);
    }
    flatten(out);
}

void cf_crash_state_death(char *out, size_t size, chanfuzz_kind kind, const char *error,
                          const go_goroutine_info *running) {
    /* A hang's error is its kind; a crash's is the signal or the
     * sanitizer's error, which tells a NULL write from a use after free. */
    snprintf(out, size, "%s: ", chanfuzz_kind_name(kind));
    if (kind != CHANFUZZ_HANG) cf_append(out, size, "%s ", error);
    if (running) {
        cf_append(out, size, "in %s", running->entry_name);
        add_created_at(out, size, running);
    } else {
        cf_append(out, size, "outside any goroutine");
    }
    flatten(out);
}

/* ---- several goroutines: a sorted, distinct, bounded list ---------------- */

/* A global deadlock or a livelock involves a set of goroutines whose size
 * can vary with the schedule (how many workers had started). Their sites
 * as a sorted set without repeats do not, and the first few tell the bug
 * apart as ClusterFuzz's top three frames do. */
#define CF_CRASH_SITES_MAX 3

typedef struct {
    char text[CF_CRASH_SITES_MAX + 1][CHANFUZZ_CRASH_STATE_MAX];
    size_t count;
} site_set;

static int compare_text(const void *a, const void *b) { return strcmp(a, b); }

/* Keeps the CF_CRASH_SITES_MAX smallest distinct texts seen. */
static void site_set_add(site_set *set, const char *text) {
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->text[i], text) == 0) return;
    snprintf(set->text[set->count], sizeof set->text[0], "%s", text);
    set->count++;
    qsort(set->text, set->count, sizeof set->text[0], compare_text);
    if (set->count > CF_CRASH_SITES_MAX) set->count = CF_CRASH_SITES_MAX;
}

static void site_set_join(char *out, size_t size, const site_set *set) {
    for (size_t i = 0; i < set->count; i++)
        cf_append(out, size, "%s%s", i ? "; " : "", set->text[i]);
}

void cf_crash_state_deadlock(char *out, size_t size, const go_exec *exec) {
    /* Main is blocked in every global deadlock (that is what makes it
     * one), and it leads, as the goroutine Go's report is about. */
    site_set others = {.count = 0};
    const go_goroutine_info *main_g = NULL;
    for (size_t i = 0; i < go_exec_goroutine_count(exec); i++) {
        const go_goroutine_info *g = go_exec_goroutine(exec, i);
        if (g->id == 1) {
            main_g = g;
            continue;
        }
        char where[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_where(where, sizeof where, waiting_for(g), g->wait_site, g->entry_name);
        site_set_add(&others, where);
    }
    snprintf(out, size, "%s: ", chanfuzz_kind_name(CHANFUZZ_GLOBAL_DEADLOCK));
    if (main_g) {
        char where[CHANFUZZ_CRASH_STATE_MAX];
        cf_crash_where(where, sizeof where, waiting_for(main_g), main_g->wait_site,
                       main_g->entry_name);
        cf_append(out, size, "%s%s", where, others.count ? "; " : "");
    }
    site_set_join(out, size, &others);
    if (!main_g && others.count == 0) /* main called Goexit, nobody is left */
        cf_append(out, size, "no goroutines");
    flatten(out);
}

void cf_crash_state_runnable(char *out, size_t size, const go_goroutine_info *const *runnable,
                             size_t n) {
    site_set set = {.count = 0};
    for (size_t i = 0; i < n; i++) {
        char one[CHANFUZZ_CRASH_STATE_MAX];
        snprintf(one, sizeof one, "runnable %s", runnable[i]->entry_name);
        add_created_at(one, sizeof one, runnable[i]);
        site_set_add(&set, one);
    }
    snprintf(out, size, "%s: ", chanfuzz_kind_name(CHANFUZZ_STEP_BUDGET));
    site_set_join(out, size, &set);
    flatten(out);
}

/* ---- contexts ------------------------------------------------------------------ */

const char *cf_context_constructor(go_context_kind kind) {
    switch (kind) {
    case GO_CONTEXT_BACKGROUND: return "context.Background";
    case GO_CONTEXT_TODO: return "context.TODO";
    case GO_CONTEXT_CANCEL: return "context.WithCancel";
    case GO_CONTEXT_CANCEL_CAUSE: return "context.WithCancelCause";
    case GO_CONTEXT_TIMEOUT: return "context.WithTimeout";
    case GO_CONTEXT_DEADLINE: return "context.WithDeadline";
    case GO_CONTEXT_VALUE: return "context.WithValue";
    case GO_CONTEXT_WITHOUT_CANCEL: return "context.WithoutCancel";
    case GO_CONTEXT_AFTER_FUNC: return "context.AfterFunc";
    case GO_CONTEXT_KIND_COUNT: break;
    }
    return "context";
}

void cf_crash_state_context(char *out, size_t size, chanfuzz_kind kind, const go_exec *exec,
                            const go_context_info *c) {
    char where[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_where(where, sizeof where, cf_context_constructor(c->kind), c->site, NULL);
    snprintf(out, size, "%s: %s", chanfuzz_kind_name(kind), where);
    if (kind == CHANFUZZ_CONTEXT_REGISTERED && c->registered_in_id) {
        /* The same child under two different parents pins different
         * things: the ancestor's site is part of the bug. */
        const go_context_info *in = go_exec_context(exec, (size_t)(c->registered_in_id - 1));
        if (in && in->site)
            cf_append(out, size, " in %s at %s", cf_context_constructor(in->kind),
                      chanfuzz_site_position(in->site).text);
    }
    flatten(out);
}

/* ---- objects --------------------------------------------------------------------- */

void cf_crash_state_resource(char *out, size_t size, const go_resource_info *r) {
    /* The name stays out: it is data ("job-17"), and the open site
     * already says which bug this is. */
    char where[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_where(where, sizeof where, "os.Open", r->open_site, NULL);
    snprintf(out, size, "%s: %s", chanfuzz_kind_name(CHANFUZZ_RESOURCE_NOT_CLOSED), where);
    flatten(out);
}

void cf_crash_state_closure(char *out, size_t size, const go_object_info *closure,
                            const go_holder *root) {
    char where[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_where(where, sizeof where, "closure", closure->site, NULL);
    snprintf(out, size, "%s: %s", chanfuzz_kind_name(CHANFUZZ_UNRELEASED_CLOSURE), where);
    /* The global's name is part of the bug: the same closure kept by two
     * registries is two fixes. */
    if (root->root == GO_ROOT_GLOBAL)
        cf_append(out, size, " held by global \"%s\"", root->name);
    else if (root->root == GO_ROOT_TIMER)
        cf_append(out, size, " held by a pending timer");
    else
        cf_append(out, size, " held by %s", go_root_kind_name(root->root));
    flatten(out);
}

void cf_crash_state_timer(char *out, size_t size, const go_timer_info *t) {
    /* Kind and creation site: the same ticker left running by any
     * schedule is one bug; its id and deadline vary. */
    char where[CHANFUZZ_CRASH_STATE_MAX];
    cf_crash_where(where, sizeof where, go_timer_kind_name(t->kind), t->site, NULL);
    snprintf(out, size, "%s: %s", chanfuzz_kind_name(CHANFUZZ_TIMER_NOT_STOPPED), where);
    flatten(out);
}

/* "heap objects", "map entries": what grew at a site, in words. */
void cf_growth_what(char *out, size_t size, const chanfuzz_growth *g) {
    if (g->kind == GO_OBJ_MAP && g->measure[0] == 'e')
        snprintf(out, size, "map entries");
    else
        snprintf(out, size, "%s %s", go_object_kind_name(g->kind), g->measure);
}

void cf_crash_state_growth(char *out, size_t size, const chanfuzz_growth *growth, size_t n) {
    /* Sites only: how far they grew depends on how many rounds ran. */
    site_set set = {.count = 0};
    for (size_t i = 0; i < n; i++) {
        char what[64], where[CHANFUZZ_CRASH_STATE_MAX];
        cf_growth_what(what, sizeof what, &growth[i]);
        cf_crash_where(where, sizeof where, what, growth[i].site, NULL);
        site_set_add(&set, where);
    }
    snprintf(out, size, "%s: ", chanfuzz_kind_name(CHANFUZZ_GROWTH));
    site_set_join(out, size, &set);
    flatten(out);
}

/* ---- hashing ------------------------------------------------------------------- */

void chanfuzz_crash_state_hash(const char *crash_state, char out[17]) {
    /* FNV-1a, 64 bits: stable across builds and machines, which is all a
     * fingerprint needs (it is not a defence against collisions made on
     * purpose). */
    uint64_t hash = 0xcbf29ce484222325ull;
    for (const unsigned char *c = (const unsigned char *)crash_state; *c; c++) {
        hash ^= *c;
        hash *= 0x100000001b3ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)hash);
}
