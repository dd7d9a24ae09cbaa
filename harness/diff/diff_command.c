/* diff_command.c -- `chanfuzz diff`: compare programs against Go.
 *
 *   chanfuzz diff FILE|DIR... [options]
 *   chanfuzz diff --random N --seed S [options]
 *   chanfuzz diff --frontend FILE|DIR...|--random N --seed S [options]
 *
 * The command line is a contract (README.md): names, flags, exit statuses
 * (0 all agree, 1 a divergence, 2 usage or input error, 77 Go is not
 * installed) and the JSON fields. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "diff.h"
#include "diff_api.h"
#include "diff_input.h"
#include "diff_report.h"
#include "chanfuzz/tracefile.h"

static const char usage_text[] =
    "usage: chanfuzz diff FILE|DIR... [options]\n"
    "       chanfuzz diff --random N --seed S [options]\n"
    "options:\n"
    "  --json             the summary as one JSON object, last line\n"
    "  --bound K          preemption bound of the model's exploration (2)\n"
    "  --schedules N      cap on model executions per program (50000)\n"
    "  --seeds N          Go runs per GOMAXPROCS setting, 1 and 2 (3)\n"
    "  --scale MS         real ms per model ms (20)\n"
    "  --batch N          programs per Go binary (100)\n"
    "  --pick K           with --random: only program K of the sequence\n"
    "  --save DIR         write every diverging program there as .ops\n"
    "  --review FILE      write the model-only outcomes there\n"
    "  --quiet            no progress lines\n"
    "  --verbose          both outcome sets of every program\n"
    "  --go-semantics V   the model's timer semantics, 1.22 (Go 1.19's) or 1.23\n"
    "  --frontend         the round trip instead: each program's Go through the Go\n"
    "                     frontend (chanfuzz-go), explored by the model; its outcome\n"
    "                     set must equal the ops interpreter's (--batch: 200)\n"
    "  --frontend-semantics V  the frontend side's timer semantics (default: the\n"
    "                     model's), only to see the round trip catch a difference\n"
    "exit status: 0 all agree, 1 a divergence, 2 usage or input error,\n"
    "             77 no `go` (--frontend: or no chanfuzz-go)\n";

static int usage_error(const char *what, const char *detail) {
    fprintf(stderr, "chanfuzz diff: %s%s%s (see chanfuzz diff --help)\n", what, detail ? ": " : "",
            detail ? detail : "");
    return DIFF_EXIT_USAGE;
}

static bool parse_number(const char *text, uint64_t min, uint64_t max, uint64_t *out) {
    char *end;
    if (!text || !*text || *text == '-') return false;
    unsigned long long v = strtoull(text, &end, 10);
    if (*end || v < min || v > max) return false;
    *out = v;
    return true;
}

static double wall_seconds(void) { /* progress and the summary only */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct rerun_target {
    const diff_batch *batch;
    size_t index;
    const chanfuzz_program *program;
    const diff_run_options *options;
} rerun_target;

static void rerun_go(void *self, unsigned ms_scale, diff_set *outcomes) {
    const rerun_target *t = self;
    diff_go_options slower = t->options->go;
    slower.ms_scale = ms_scale;
    diff_batch_run(t->batch, t->index, t->program, &slower, outcomes);
}

/* Runs one batch: build, then per program model and Go, then compare. */
static bool run_batch(const diff_inputs *in, size_t first, size_t count, const diff_run_options *o,
                      diff_report *report, char *error, size_t error_size) {
    chanfuzz_program *runnable = malloc(count * sizeof *runnable);
    size_t *origin = malloc(count * sizeof *origin);
    size_t n = 0;
    if (!runnable || !origin) {
        snprintf(error, error_size, "chanfuzz diff: out of memory");
        free(runnable), free(origin);
        return false;
    }
    for (size_t i = first; i < first + count; i++) {
        const char *why = diff_program_unsupported(&in->programs[i]);
        if (why) {
            diff_report_skip(report, in->names[i], why);
            continue;
        }
        runnable[n] = in->programs[i];
        origin[n++] = i;
    }
    diff_batch batch;
    bool ok = n == 0 || diff_batch_build(&batch, runnable, n, &o->go, error, error_size);
    for (size_t j = 0; ok && j < n; j++) {
        diff_set go_outcomes;
        diff_set_init(&go_outcomes);
        diff_batch_run(&batch, j, &runnable[j], &o->go, &go_outcomes);
        rerun_target target = {&batch, j, &runnable[j], o};
        diff_rerun rerun = {rerun_go, &target};
        diff_report_compare(report, in->names[origin[j]], &runnable[j], &go_outcomes, o, &rerun);
        diff_set_free(&go_outcomes);
    }
    if (n && ok) diff_batch_free(&batch);
    free(runnable);
    free(origin);
    return ok;
}

int chanfuzz_diff_command(int argc, char **argv) {
    diff_run_options o = {
        .bound = 2, .max_schedules = 50000, .semantics = GO_SEMANTICS_1_22,
        .go = {.ms_scale = 20, .seeds = 3, .parallel = 2, .run_timeout = 10.0},
    };
    uint64_t random_count = 0, seed = 0, batch_size = 100, v, pick = UINT64_MAX;
    bool random = false, have_seed = false, json = false, quiet = false, frontend = false,
         have_batch = false;
    int frontend_semantics = -1;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t path_count = 0;
    if (!paths) return DIFF_EXIT_USAGE;
    int status = DIFF_EXIT_USAGE;
    /* argv[0] is "diff". */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NUMBER(flag, min, max, into)                                         \
    if (!strcmp(a, flag)) {                                                  \
        if (!parse_number(next, min, max, &v)) {                             \
            free(paths);                                                     \
            return usage_error(flag " needs a number in range", next);       \
        }                                                                    \
        into = v;                                                            \
        i++;                                                                 \
        continue;                                                            \
    }
        NUMBER("--random", 1, 100000000, random_count)
        NUMBER("--bound", 0, 10, o.bound)
        NUMBER("--schedules", 1, 100000000, o.max_schedules)
        NUMBER("--seeds", 1, 1000, o.go.seeds)
        NUMBER("--scale", 1, 1000, o.go.ms_scale)
        if (!strcmp(a, "--batch")) have_batch = true;
        NUMBER("--batch", 1, 10000, batch_size)
        NUMBER("--pick", 0, 100000000, pick)
        if (!strcmp(a, "--seed")) {
            if (!parse_number(next, 0, UINT64_MAX, &seed)) {
                free(paths);
                return usage_error("--seed needs a number", next);
            }
            have_seed = true;
            i++;
            continue;
        }
#undef NUMBER
        if (!strcmp(a, "--json")) json = true;
        else if (!strcmp(a, "--frontend")) frontend = true;
        else if (!strcmp(a, "--quiet")) quiet = true;
        else if (!strcmp(a, "--verbose")) o.verbose = true;
        else if (!strcmp(a, "--frontend-semantics") && next) {
            if (!strcmp(next, "1.22")) frontend_semantics = GO_SEMANTICS_1_22;
            else if (!strcmp(next, "1.23")) frontend_semantics = GO_SEMANTICS_1_23;
            else {
                free(paths);
                return usage_error("--frontend-semantics takes 1.22 or 1.23", next);
            }
            i++;
        }
        else if (!strcmp(a, "--go-semantics") && next) {
            /* Go 1.19 is the oracle: 1.22 is right, 1.23 is there to
             * check that the check notices the difference. */
            if (!strcmp(next, "1.22")) o.semantics = GO_SEMANTICS_1_22;
            else if (!strcmp(next, "1.23")) o.semantics = GO_SEMANTICS_1_23;
            else {
                free(paths);
                return usage_error("--go-semantics takes 1.22 or 1.23", next);
            }
            i++;
        }
        else if (!strcmp(a, "--save") && next) o.save_dir = argv[++i];
        else if (!strcmp(a, "--review") && next) o.review_path = argv[++i];
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            free(paths);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            free(paths);
            return usage_error("unknown option or missing value", a);
        } else paths[path_count++] = a;
    }
    o.frontend_semantics = frontend_semantics < 0 ? o.semantics : (go_semantics)frontend_semantics;
    random = random_count > 0;
    if (random == (path_count > 0) || (random && !have_seed) || (!random && have_seed)) {
        free(paths);
        return usage_error(random ? "--random needs --seed and no FILE|DIR"
                                  : "give FILE|DIR..., or --random N --seed S", NULL);
    }

    diff_inputs in = {0};
    char error[600];
    for (size_t i = 0; i < path_count; i++)
        if (!diff_inputs_load(&in, paths[i], error, sizeof error)) {
            fprintf(stderr, "%s\n", error);
            diff_inputs_free(&in);
            free(paths);
            return DIFF_EXIT_USAGE;
        }
    free(paths);
    if (!diff_go_available()) {
        fprintf(stderr, "chanfuzz diff: `go` is not on PATH (apt-get install golang-go): skipped\n");
        diff_inputs_free(&in);
        return DIFF_EXIT_NO_GO;
    }
    char frontend_path[4096];
    if (frontend && !chanfuzz_go_frontend_path(frontend_path, sizeof frontend_path)) {
        fprintf(stderr, "chanfuzz diff: --frontend: chanfuzz-go is neither beside this program nor "
                        "in the build tree (it needs golang-golang-x-tools-dev): skipped\n");
        diff_inputs_free(&in);
        return DIFF_EXIT_NO_GO;
    }
    if (frontend && !have_batch) batch_size = 200;

    diff_report report;
    diff_report_init(&report, stdout, json, o.review_path);
    diff_roundtrip_report roundtrip;
    diff_roundtrip_init(&roundtrip, stdout, json, o.verbose, o.save_dir);
    double started = wall_seconds();
    uint64_t random_state = seed;
    uint64_t total = random ? random_count : in.count;
    status = DIFF_EXIT_AGREE;
    for (uint64_t first = 0; first < total; first += batch_size) {
        uint64_t count = total - first < batch_size ? total - first : batch_size;
        diff_inputs chunk = {0};
        const diff_inputs *source = &in;
        size_t offset = first;
        if (random) {
            for (uint64_t k = 0; k < count; k++) {
                chanfuzz_program p;
                char name[64];
                diff_generate(&random_state, &p);
                snprintf(name, sizeof name, "random-%llu-%llu", (unsigned long long)seed,
                         (unsigned long long)(first + k));
                if (pick == UINT64_MAX || pick == first + k) diff_inputs_add(&chunk, &p, name);
            }
            source = &chunk, offset = 0;
        }
        size_t chunk_count = random ? chunk.count : count;
        bool ok = frontend ? diff_roundtrip_batch(&roundtrip, source->programs, source->names, offset,
                                                  chunk_count, &o, error, sizeof error)
                           : run_batch(source, offset, chunk_count, &o, &report, error, sizeof error);
        diff_inputs_free(&chunk);
        if (!ok) {
            fprintf(stderr, "%s\n", error);
            status = DIFF_EXIT_USAGE;
            break;
        }
        if (!quiet)
            fprintf(stderr, "chanfuzz diff: %llu/%llu programs, %zu %s, %.0f s\n",
                    (unsigned long long)(first + count), (unsigned long long)total,
                    frontend ? roundtrip.differences : report.divergences,
                    frontend ? "differences" : "divergences", wall_seconds() - started);
    }
    if (frontend) diff_roundtrip_summary(&roundtrip, wall_seconds() - started);
    else diff_report_summary(&report, wall_seconds() - started);
    if (status == DIFF_EXIT_AGREE && (report.divergences || roundtrip.differences))
        status = DIFF_EXIT_DIVERGENCE;
    diff_report_free(&report);
    diff_inputs_free(&in);
    return status;
}
