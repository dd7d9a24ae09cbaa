/* diff_report.c -- the verdict on one program, and the run's summary.
 *
 * The comparison is by sets: a Go run cannot be made to follow a given
 * select winner or Mutex hand-off, so each Go outcome must only be one of
 * the model's. A Go outcome missing at the preemption bound is looked for
 * again at bound + 2 (and, when that search hit its cap, at bound + 4
 * with a larger cap) before it counts: an outcome that needs more
 * preemptions is the bound's limit, not the model's. Outcomes only the
 * model shows are counted and written for review (--review), never failed:
 * they are often legal but rare in Go. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "diff_report.h"

enum { DEEP_CAP_FACTOR = 40 };

static const char *const kind_names[DIFF_KIND_COUNT] = {
    "returned", "deadlock", "panic", "fatal", "go-other",
    "returned-timed", "deadlock-timed", "panic-timed", "fatal-timed", "go-other-timed"};

static unsigned kind_of(const char *go_line, bool timed) {
    unsigned k = 4;
    if (!strncmp(go_line, "returned", 8)) k = 0;
    else if (!strncmp(go_line, "deadlock", 8)) k = 1;
    else if (!strncmp(go_line, "panic", 5)) k = 2;
    else if (!strncmp(go_line, "fatal", 5)) k = 3;
    return k + (timed ? 5 : 0);
}

void diff_report_init(diff_report *r, FILE *out, bool json, const char *review_path) {
    memset(r, 0, sizeof *r);
    r->out = out;
    r->json = json;
    if (review_path) {
        r->review = fopen(review_path, "w");
        if (!r->review) fprintf(stderr, "chanfuzz diff: cannot write %s\n", review_path);
    }
}

void diff_report_skip(diff_report *r, const char *name, const char *why) {
    r->skipped++;
    snprintf(r->skip_reason, sizeof r->skip_reason, "%s", why);
    fprintf(r->out, "skipped %s: %s\n", name, why);
}

static void save_program(const diff_run_options *o, const char *name, const chanfuzz_program *p,
                         const char *go_line) {
    if (!o->save_dir) return;
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    char path[600];
    snprintf(path, sizeof path, "%s/%s%s", o->save_dir, base,
             strstr(base, ".ops") ? "" : ".ops");
    /* One level is enough: DIR is the user's, as for --out elsewhere. */
    mkdir(o->save_dir, 0777);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "chanfuzz diff: cannot write %s: %s\n", path, strerror(errno));
        return;
    }
    fprintf(f, "# chanfuzz diff: Go gave an outcome the model did not find:\n# %s\n", go_line);
    chanfuzz_ops_print(f, p);
    fclose(f);
}

static void print_divergence(diff_report *r, const char *name, const chanfuzz_program *p,
                             const diff_set *missing, const diff_model_result *model,
                             unsigned bound) {
    FILE *out = r->out;
    fprintf(out, "DIVERGENCE %s: %zu Go outcome(s) the model did not find (bound %u, %llu schedules%s)\n",
            name, missing->count, bound, (unsigned long long)model->schedules,
            model->exhausted ? ", exhausted" : ", CAPPED");
    char *text = chanfuzz_ops_to_text(p);
    if (text) {
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
            fprintf(out, "    %s\n", line);
        free(text);
    }
    for (size_t i = 0; i < missing->count; i++) fprintf(out, "  go:    %s\n", missing->items[i]);
    for (size_t i = 0; i < model->outcomes.count && i < 12; i++)
        fprintf(out, "  model: %s\n", model->outcomes.items[i]);
    if (model->outcomes.count > 12)
        fprintf(out, "  model: ... %zu more\n", model->outcomes.count - 12);
}

/* Go outcomes not in the model's set. */
static void missing_from(const diff_set *go, const diff_set *model, diff_set *missing) {
    diff_set_init(missing);
    for (size_t i = 0; i < go->count; i++)
        if (!diff_set_contains(model, go->items[i])) diff_set_add(missing, go->items[i]);
}

static void missing_from(const diff_set *go, const diff_set *model, diff_set *missing);

/* A timed program's missing outcomes, checked again with Go's durations
 * DIFF_TIMER_RERUN_FACTOR times longer: when Go no longer shows any
 * outcome the model lacks, the first ones hinged on how real timers
 * raced each other or running code, which the model orders by virtual
 * time. Returns true for such a timer race. */
static bool timer_race(diff_report *r, const char *name, const diff_set *missing,
                       const diff_model_result *model, const diff_run_options *o,
                       const diff_rerun *rerun) {
    diff_set slower, still;
    diff_set_init(&slower);
    rerun->run(rerun->self, o->go.ms_scale * DIFF_TIMER_RERUN_FACTOR, &slower);
    missing_from(&slower, &model->outcomes, &still);
    bool race = still.count == 0;
    if (race) {
        fprintf(r->out, "TIMER RACE (excluded) %s: gone at %u ms per model ms:\n", name,
                o->go.ms_scale * DIFF_TIMER_RERUN_FACTOR);
        for (size_t i = 0; i < missing->count; i++) fprintf(r->out, "  go:    %s\n", missing->items[i]);
    }
    diff_set_free(&slower);
    diff_set_free(&still);
    return race;
}

void diff_report_compare(diff_report *r, const char *name, const chanfuzz_program *p,
                         const diff_set *go_outcomes, const diff_run_options *o,
                         const diff_rerun *rerun) {
    r->programs++;
    bool timed = diff_program_timed(p);
    r->timed += timed;
    r->go_outcomes += go_outcomes->count;
    unsigned classes = 0;
    for (size_t i = 0; i < go_outcomes->count; i++) classes |= diff_outcome_classes(go_outcomes->items[i]);
    for (unsigned c = 0; c < DIFF_CLASS_COUNT; c++) r->class_programs[c] += (classes >> c) & 1;

    diff_model_result model;
    unsigned bound = o->bound;
    uint64_t cap = o->max_schedules;
    diff_model_explore(p, bound, cap, o->semantics, &model);
    diff_set missing;
    missing_from(go_outcomes, &model.outcomes, &missing);
    if (missing.count) r->retried++;
    /* Two deeper looks: bound + 2 at the same cap, then, only when that
     * look was cut off by the cap, bound + 4 with DEEP_CAP_FACTOR times
     * the cap. Select choices and Gosched branch at every step, so a
     * program with a few of each can fill 50,000 schedules before it has
     * tried 4 preemptions; a capped search is the cap's limit, not the
     * model's (harness/diff/README.md). */
    for (int look = 0; missing.count && look < 2; look++) {
        if (look == 1) {
            if (model.exhausted) break;
            cap = cap > UINT64_MAX / DEEP_CAP_FACTOR ? UINT64_MAX : cap * DEEP_CAP_FACTOR;
        }
        bound += 2;
        diff_model_result deeper;
        diff_model_explore(p, bound, cap, o->semantics, &deeper);
        diff_set_free(&missing);
        diff_model_result_free(&model);
        model = deeper;
        missing_from(go_outcomes, &model.outcomes, &missing);
    }
    r->unexhausted += !model.exhausted;
    diff_pairs_merge(&r->pairs, &model.pairs);
    diff_set_sort(&model.outcomes);

    size_t only = 0;
    for (size_t i = 0; i < model.outcomes.count; i++)
        if (!diff_set_contains(go_outcomes, model.outcomes.items[i])) {
            only++;
            if (r->review) fprintf(r->review, "%s\t%s\n", name, model.outcomes.items[i]);
        }
    r->model_only += only;

    if (o->verbose) {
        fprintf(r->out, "%s: %zu go, %zu model outcome(s)\n", name, go_outcomes->count,
                model.outcomes.count);
        chanfuzz_ops_print(r->out, p);
        for (size_t i = 0; i < go_outcomes->count; i++)
            fprintf(r->out, "  go:    %s\n", go_outcomes->items[i]);
        for (size_t i = 0; i < model.outcomes.count; i++)
            fprintf(r->out, "  model: %s\n", model.outcomes.items[i]);
    }
    if (!missing.count) {
        r->agreements++;
    } else if (timed && rerun && timer_race(r, name, &missing, &model, o, rerun)) {
        r->timer_races++;
    } else {
        r->divergences++;
        for (size_t i = 0; i < missing.count; i++) r->kinds[kind_of(missing.items[i], timed)]++;
        print_divergence(r, name, p, &missing, &model, bound);
        save_program(o, name, p, missing.items[0]);
    }
    diff_set_free(&missing);
    diff_model_result_free(&model);
}

void diff_report_summary(diff_report *r, double seconds) {
    FILE *out = r->out;
    size_t required = 0, covered = diff_pairs_report_required(&r->pairs, NULL, &required);
    fprintf(out, "programs %zu, agreements %zu, divergences %zu, skipped %zu%s%s%s\n", r->programs,
            r->agreements, r->divergences, r->skipped, r->skipped ? " (" : "",
            r->skipped ? r->skip_reason : "", r->skipped ? ")" : "");
    fprintf(out, "divergences by kind:");
    for (unsigned k = 0; k < DIFF_KIND_COUNT; k++)
        if (r->kinds[k]) fprintf(out, " %s %zu", kind_names[k], r->kinds[k]);
    fprintf(out, "%s\n", r->divergences ? "" : " none");
    fprintf(out, "go outcomes %zu distinct; model-only outcomes %zu (for review)\n", r->go_outcomes,
            r->model_only);
    fprintf(out, "programs with timers %zu; timer races excluded %zu; explorations capped %zu; "
            "retried at a higher bound %zu\n",
            r->timed, r->timer_races, r->unexhausted, r->retried);
    fprintf(out, "outcome classes (programs where Go showed each):");
    for (unsigned c = 0; c < DIFF_CLASS_COUNT; c++)
        fprintf(out, " %s %zu%s", diff_class_name(c), r->class_programs[c],
                c + 1 < DIFF_CLASS_COUNT ? "," : "\n");
    fprintf(out, "operation pairs met on one object: %zu kinds of pair; required %zu/%zu:\n",
            diff_pairs_count(&r->pairs), covered, required);
    diff_pairs_report_required(&r->pairs, out, NULL);
    fprintf(out, "seconds %.1f\n", seconds);
    if (!r->json) return;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "programs", (double)r->programs);
    cJSON_AddNumberToObject(j, "agreements", (double)r->agreements);
    cJSON_AddNumberToObject(j, "divergences", (double)r->divergences);
    cJSON_AddNumberToObject(j, "skipped", (double)r->skipped);
    cJSON *kinds = cJSON_AddObjectToObject(j, "divergence_kinds");
    for (unsigned k = 0; k < DIFF_KIND_COUNT; k++)
        if (r->kinds[k]) cJSON_AddNumberToObject(kinds, kind_names[k], (double)r->kinds[k]);
    cJSON_AddNumberToObject(j, "model_only_outcomes", (double)r->model_only);
    cJSON_AddNumberToObject(j, "go_outcomes", (double)r->go_outcomes);
    cJSON_AddNumberToObject(j, "timed_programs", (double)r->timed);
    cJSON_AddNumberToObject(j, "timer_races_excluded", (double)r->timer_races);
    cJSON_AddNumberToObject(j, "explorations_capped", (double)r->unexhausted);
    cJSON *classes = cJSON_AddObjectToObject(j, "outcome_classes");
    for (unsigned c = 0; c < DIFF_CLASS_COUNT; c++)
        cJSON_AddNumberToObject(classes, diff_class_name(c), (double)r->class_programs[c]);
    cJSON_AddNumberToObject(j, "pairs_seen", (double)diff_pairs_count(&r->pairs));
    cJSON_AddNumberToObject(j, "pairs_required", (double)required);
    cJSON_AddNumberToObject(j, "pairs_required_covered", (double)covered);
    cJSON_AddNumberToObject(j, "seconds", seconds);
    char *text = cJSON_PrintUnformatted(j);
    if (text) fprintf(out, "%s\n", text);
    free(text);
    cJSON_Delete(j);
}

void diff_report_free(diff_report *r) {
    if (r->review) fclose(r->review);
    r->review = NULL;
}
