/* diff_roundtrip.c -- the verdict of `chanfuzz diff --frontend` on each
 * program, and the run's summary (README.md, "Round trip through the Go
 * frontend").
 *
 * Both sides are the model, explored at the same bound, cap and timer
 * semantics: the ops interpreter (diff_model_explore) and the Go export of
 * the same program translated by the frontend (diff_frontend.c). Their
 * outcome sets must be EQUAL. No deeper retry: a bound's limit is the same
 * on both sides, unless the frontend's code adds scheduling points (then
 * the difference is reported, as it should be). A program whose
 * exploration hit the cap on either side is excluded, counted by reason.
 *
 * One scheduling point is the frontend's own and faithful to Go: a test
 * function runs under tRunner (gofront/gort/testing.c), whose epilogue
 * signals the test's parent on a channel after the body returned. There
 * the running goroutine may be preempted, or the clock may advance ("the
 * running code took that long") while other goroutines still wait in the
 * run queue; the ops interpreter's main just returns. So the frontend may
 * show outcomes that need time to pass after main's last op with a
 * goroutine never scheduled (harness/ops/seeds/mutex_deadlock.ops). When
 * the sets differ, the ops side is explored again with one `gc` op after
 * main's body -- a scheduling point with no effect on any outcome, the
 * epilogue's twin -- and a frontend set equal to that one counts as an
 * agreement "with the test epilogue" (README.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "diff_report.h"

static const char *const excluded_names[DIFF_EXCLUDED_KIND_COUNT] = {
    "capped", "nondeterministic", "not_run"};

void diff_roundtrip_init(diff_roundtrip_report *r, FILE *out, bool json, bool verbose,
                         const char *save_dir) {
    memset(r, 0, sizeof *r);
    r->out = out;
    r->json = json;
    r->verbose = verbose;
    r->save_dir = save_dir;
}

static void print_program(FILE *out, const chanfuzz_program *p) {
    char *text = chanfuzz_ops_to_text(p);
    if (!text) return;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) fprintf(out, "    %s\n", line);
    free(text);
}

/* A difference, or an excluded program (to be run again, deeper, with
 * --schedules), as an .ops file with the sets' extra outcomes. */
static void save_program(const diff_roundtrip_report *r, const char *name, const chanfuzz_program *p,
                         const char *why, const diff_set *frontend_only, const diff_set *model_only) {
    if (!r->save_dir) return;
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    char path[600];
    snprintf(path, sizeof path, "%s/%s%s", r->save_dir, base, strstr(base, ".ops") ? "" : ".ops");
    mkdir(r->save_dir, 0777);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "chanfuzz diff: cannot write %s: %s\n", path, strerror(errno));
        return;
    }
    fprintf(f, "# chanfuzz diff --frontend: %s\n", why);
    for (size_t i = 0; i < frontend_only->count; i++) fprintf(f, "# frontend only: %s\n", frontend_only->items[i]);
    for (size_t i = 0; i < model_only->count; i++) fprintf(f, "# ops only:      %s\n", model_only->items[i]);
    chanfuzz_ops_print(f, p);
    fclose(f);
}

static void only_in(const diff_set *a, const diff_set *b, diff_set *out) {
    diff_set_init(out);
    for (size_t i = 0; i < a->count; i++)
        if (!diff_set_contains(b, a->items[i])) diff_set_add(out, a->items[i]);
    diff_set_sort(out);
}

static void compare(diff_roundtrip_report *r, const char *name, const chanfuzz_program *p,
                    diff_frontend_result *front, const diff_run_options *o) {
    r->programs++;
    diff_model_result model;
    diff_model_explore(p, o->bound, o->max_schedules, o->semantics, &model);
    r->model_schedules += model.schedules;
    r->frontend_schedules += front->schedules;
    int excluded = -1;
    if (!front->ran) excluded = DIFF_EXCLUDED_NOT_RUN;
    else if (front->nondeterministic) excluded = DIFF_EXCLUDED_NONDETERMINISTIC;
    else if (!front->exhausted || !model.exhausted) excluded = DIFF_EXCLUDED_CAPPED;
    diff_set front_only, model_only;
    only_in(&front->outcomes, &model.outcomes, &front_only);
    only_in(&model.outcomes, &front->outcomes, &model_only);
    bool equal = !front_only.count && !model_only.count;
    bool epilogue = false;
    if (!equal && excluded < 0 && p->bodies[0].count < CHANFUZZ_OPS_MAX_OPS) {
        chanfuzz_program with_epilogue = *p;
        chanfuzz_ops_body *main_body = &with_epilogue.bodies[0];
        memset(&main_body->ops[main_body->count], 0, sizeof main_body->ops[0]);
        main_body->ops[main_body->count++].kind = CHANFUZZ_OP_GC;
        diff_model_result twin;
        diff_model_explore(&with_epilogue, o->bound, o->max_schedules, o->semantics, &twin);
        diff_set a, b;
        only_in(&front->outcomes, &twin.outcomes, &a);
        only_in(&twin.outcomes, &front->outcomes, &b);
        epilogue = twin.exhausted && !a.count && !b.count;
        diff_set_free(&a);
        diff_set_free(&b);
        diff_model_result_free(&twin);
    }
    if (epilogue) {
        r->epilogue_agreements++;
        fprintf(r->out, "AGREES WITH THE TEST EPILOGUE %s: %zu outcome(s) only through the frontend, "
                        "all found with a scheduling point after main's body\n",
                name, front_only.count);
        for (size_t i = 0; i < front_only.count; i++) fprintf(r->out, "  frontend: %s\n", front_only.items[i]);
    } else if (excluded >= 0) {
        r->excluded[excluded]++;
        fprintf(r->out, "EXCLUDED (%s) %s: frontend %llu schedules%s, ops %llu schedules%s%s\n",
                excluded_names[excluded], name, (unsigned long long)front->schedules,
                front->exhausted ? "" : " (capped)", (unsigned long long)model.schedules,
                model.exhausted ? "" : " (capped)", equal ? ", sets equal" : ", sets differ");
        for (size_t i = 0; i < front_only.count; i++) fprintf(r->out, "  frontend: %s\n", front_only.items[i]);
        for (size_t i = 0; i < model_only.count; i++) fprintf(r->out, "  ops:      %s\n", model_only.items[i]);
        char why[96];
        snprintf(why, sizeof why, "excluded (%s), sets %s", excluded_names[excluded],
                 equal ? "equal" : "differ");
        save_program(r, name, p, why, &front_only, &model_only);
    } else if (equal) {
        r->agreements++;
        r->outcomes += model.outcomes.count;
    } else {
        r->differences++;
        r->frontend_only += front_only.count;
        r->model_only += model_only.count;
        fprintf(r->out, "DIFFERENCE %s: %zu outcome(s) only through the frontend, %zu only in the ops interpreter "
                        "(bound %u; %llu and %llu schedules)\n",
                name, front_only.count, model_only.count, o->bound, (unsigned long long)front->schedules,
                (unsigned long long)model.schedules);
        print_program(r->out, p);
        for (size_t i = 0; i < front_only.count; i++) fprintf(r->out, "  frontend: %s\n", front_only.items[i]);
        for (size_t i = 0; i < model_only.count; i++) fprintf(r->out, "  ops:      %s\n", model_only.items[i]);
        save_program(r, name, p, "the outcome sets differ", &front_only, &model_only);
    }
    if (r->verbose) {
        diff_set_sort(&model.outcomes);
        fprintf(r->out, "%s: %zu outcome(s)%s\n", name, model.outcomes.count, equal ? ", equal" : "");
        for (size_t i = 0; i < model.outcomes.count; i++) fprintf(r->out, "  both/ops: %s\n", model.outcomes.items[i]);
    }
    diff_set_free(&front_only);
    diff_set_free(&model_only);
    diff_model_result_free(&model);
}

bool diff_roundtrip_batch(diff_roundtrip_report *r, const chanfuzz_program *programs,
                          char *const *names, size_t first, size_t count,
                          const diff_run_options *o, char *error, size_t error_size) {
    chanfuzz_program *runnable = malloc((count ? count : 1) * sizeof *runnable);
    size_t *origin = malloc((count ? count : 1) * sizeof *origin);
    diff_frontend_result *results = calloc(count ? count : 1, sizeof *results);
    if (!runnable || !origin || !results) {
        snprintf(error, error_size, "chanfuzz diff: out of memory");
        free(runnable), free(origin), free(results);
        return false;
    }
    size_t n = 0;
    for (size_t i = first; i < first + count; i++) {
        const char *why = diff_program_unsupported(&programs[i]);
        if (why) {
            r->skipped++;
            snprintf(r->skip_reason, sizeof r->skip_reason, "%s", why);
            fprintf(r->out, "skipped %s: %s\n", names[i], why);
            continue;
        }
        runnable[n] = programs[i];
        origin[n++] = i;
    }
    bool ok = true;
    if (n) {
        diff_frontend_batch batch;
        ok = diff_frontend_build(&batch, runnable, n, error, error_size) &&
             diff_frontend_run(&batch, o->bound, o->max_schedules, o->frontend_semantics,
                               o->go.parallel, results, error, error_size);
        for (size_t j = 0; ok && j < n; j++) compare(r, names[origin[j]], &runnable[j], &results[j], o);
        for (size_t j = 0; j < n; j++) diff_frontend_result_free(&results[j]);
        if (ok || !getenv("CHANFUZZ_DIFF_KEEP")) diff_frontend_batch_free(&batch);
    }
    free(runnable);
    free(origin);
    free(results);
    return ok;
}

void diff_roundtrip_summary(diff_roundtrip_report *r, double seconds) {
    size_t excluded = 0;
    for (int k = 0; k < DIFF_EXCLUDED_KIND_COUNT; k++) excluded += r->excluded[k];
    if (r->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "mode", "frontend");
        cJSON_AddNumberToObject(o, "programs", (double)r->programs);
        cJSON_AddNumberToObject(o, "agreements", (double)r->agreements);
        cJSON_AddNumberToObject(o, "epilogue_agreements", (double)r->epilogue_agreements);
        cJSON_AddNumberToObject(o, "differences", (double)r->differences);
        cJSON_AddNumberToObject(o, "excluded", (double)excluded);
        cJSON *kinds = cJSON_AddObjectToObject(o, "excluded_kinds");
        for (int k = 0; k < DIFF_EXCLUDED_KIND_COUNT; k++)
            cJSON_AddNumberToObject(kinds, excluded_names[k], (double)r->excluded[k]);
        cJSON_AddNumberToObject(o, "skipped", (double)r->skipped);
        cJSON_AddNumberToObject(o, "frontend_only_outcomes", (double)r->frontend_only);
        cJSON_AddNumberToObject(o, "ops_only_outcomes", (double)r->model_only);
        cJSON_AddNumberToObject(o, "outcomes", (double)r->outcomes);
        cJSON_AddNumberToObject(o, "frontend_schedules", (double)r->frontend_schedules);
        cJSON_AddNumberToObject(o, "ops_schedules", (double)r->model_schedules);
        cJSON_AddNumberToObject(o, "seconds", seconds);
        char *text = cJSON_PrintUnformatted(o);
        fprintf(r->out, "%s\n", text);
        free(text);
        cJSON_Delete(o);
        return;
    }
    fprintf(r->out, "round trip: programs %zu, agreements %zu, with the test epilogue %zu, differences %zu, "
                    "excluded %zu (capped %zu, nondeterministic %zu, not run %zu), "
                    "skipped %zu%s%s%s\n",
            r->programs, r->agreements, r->epilogue_agreements, r->differences, excluded, r->excluded[DIFF_EXCLUDED_CAPPED],
            r->excluded[DIFF_EXCLUDED_NONDETERMINISTIC], r->excluded[DIFF_EXCLUDED_NOT_RUN], r->skipped,
            r->skipped ? " (" : "", r->skipped ? r->skip_reason : "", r->skipped ? ")" : "");
    fprintf(r->out, "  outcomes %zu (agreeing programs), frontend-only %zu, ops-only %zu; schedules: "
                    "frontend %llu, ops %llu; %.1f s\n",
            r->outcomes, r->frontend_only, r->model_only, (unsigned long long)r->frontend_schedules,
            (unsigned long long)r->model_schedules, seconds);
}
