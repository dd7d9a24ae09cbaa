/* frontend_runner.c -- the main of a round-trip runner (`chanfuzz diff
 * --frontend`, harness/diff/README.md, "Round trip through the Go
 * frontend"). Not part of the chanfuzz_diff library: it is embedded there
 * as bytes (like go/support.go) and compiled with each batch's translated
 * C, in place of the chanfuzz command line a `chanfuzz go test` runner
 * links, against the libraries of the Go frontend's gofront.conf.
 *
 *   runner BOUND MAX_SCHEDULES SEMANTICS COUNT STRIDE OFFSET
 *
 * explores scenario rt.TestProg<i> (its fixed variant: a plain test) for
 * every i < COUNT with i % STRIDE == OFFSET, exactly as `chanfuzz run
 * --mode exhaustive --bound BOUND` does (chanfuzz_target_config, then
 * chanfuzz_explore), and prints one JSON object per line on stdout:
 *
 *   {"program":I,"end":"returned","message":"","file":"","line":0,"output":"..."}
 *       one per distinct outcome of program I;
 *   {"program":I,"schedules":N,"exhausted":true,"nondeterministic":false}
 *       after its outcomes.
 *
 * An outcome is how the execution ended (go_end_name), the end message,
 * for a panic or fatal error the site where the failing goroutine failed
 * (a line of prog_test.go, one op per line), and the execution's captured
 * output (gort_output: the s/o/x lines frontend_support.go prints). The
 * output's lines are grouped by goroutine (their second field), each
 * goroutine's lines kept in order: the outcome depends only on each
 * goroutine's own sequence, so grouping keeps the distinct records down to
 * the distinct outcomes, not one per interleaving. A panic's or fatal
 * error's output is dropped (its outcome keeps only message and site), as
 * is any other end's but returned and deadlock. The driver
 * (diff_frontend.c) turns each record into the canonical outcome line.
 *
 * For a look at how an outcome came about: with CHANFUZZ_DIFF_RUNNER_TRACE
 * set, the first execution of each distinct record also writes its
 * decisions and event trace on stderr (runner.K.err in a batch directory
 * kept with CHANFUZZ_DIFF_KEEP=1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <chanfuzz/exec.h>
#include <chanfuzz/go.h>
#include <chanfuzz/gort.h>
#include <chanfuzz/scenario.h>
#include <chanfuzz/sources.h>

typedef struct line_ref {
    const char *start, *name;
    size_t length, name_length, order;
} line_ref;

static int by_goroutine(const void *a, const void *b) {
    const line_ref *x = a, *y = b;
    size_t n = x->name_length < y->name_length ? x->name_length : y->name_length;
    int c = memcmp(x->name, y->name, n);
    if (c) return c;
    if (x->name_length != y->name_length) return x->name_length < y->name_length ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The output with its lines grouped by goroutine; malloc'ed. */
static char *grouped(const char *text, size_t length) {
    size_t count = 0;
    for (size_t i = 0; i < length; i++) count += text[i] == '\n';
    line_ref *lines = calloc(count + 1, sizeof *lines);
    char *out = malloc(length + 2);
    if (!lines || !out) abort();
    size_t n = 0;
    for (const char *p = text, *end = text + length; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
        const char *name = memchr(p, ' ', len);
        name = name ? name + 1 : p + len;
        const char *name_end = memchr(name, ' ', (size_t)(p + len - name));
        if (!name_end) name_end = p + len;
        lines[n] = (line_ref){p, name, len, (size_t)(name_end - name), n};
        n++;
        p += len + (eol != NULL);
    }
    qsort(lines, n, sizeof *lines, by_goroutine);
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(out + used, lines[i].start, lines[i].length);
        used += lines[i].length;
        out[used++] = '\n';
    }
    out[used] = '\0';
    free(lines);
    return out;
}

typedef struct program_run {
    size_t index;
    char **keys;               /* distinct records, as printed */
    size_t count, capacity;
} program_run;

static bool visit(void *self, const go_exec *exec) {
    program_run *run = self;
    go_end end = go_exec_end(exec);
    const go_site *site = NULL;
    for (size_t i = 0; i < go_exec_goroutine_count(exec); i++) {
        const go_goroutine_info *info = go_exec_goroutine(exec, i);
        if (info->state == GO_STATE_FAILED) site = info->wait_site;
    }
    bool keep_output = end == GO_END_RETURNED || end == GO_END_DEADLOCK;
    size_t length = 0;
    const char *text = keep_output ? gort_output(&length) : "";
    char *output = grouped(text, keep_output ? length : 0);
    cJSON *o = cJSON_CreateObject();
    if (!o) abort();
    cJSON_AddNumberToObject(o, "program", (double)run->index);
    cJSON_AddStringToObject(o, "end", go_end_name(end));
    cJSON_AddStringToObject(o, "message", end == GO_END_RETURNED ? "" : go_exec_message(exec));
    cJSON_AddStringToObject(o, "file", site && site->file ? site->file : "");
    cJSON_AddNumberToObject(o, "line", site ? site->line : 0);
    cJSON_AddStringToObject(o, "output", output);
    char *key = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    free(output);
    if (!key) abort();
    for (size_t i = 0; i < run->count; i++)
        if (!strcmp(run->keys[i], key)) {
            free(key);
            return true;
        }
    if (run->count == run->capacity) {
        run->capacity = run->capacity ? 2 * run->capacity : 16;
        run->keys = realloc(run->keys, run->capacity * sizeof *run->keys);
        if (!run->keys) abort();
    }
    run->keys[run->count++] = key;
    puts(key);
    if (getenv("CHANFUZZ_DIFF_RUNNER_TRACE")) {
        size_t n;
        const go_decision *d = go_exec_decisions(exec, &n);
        fprintf(stderr, "== %s\ndecisions:", key);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %u:%llu/%llu", d[i].kind, (unsigned long long)d[i].answer,
                    (unsigned long long)d[i].options);
        fputc('\n', stderr);
        go_exec_write_trace(exec, stderr);
    }
    return true;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: runner BOUND MAX_SCHEDULES SEMANTICS COUNT STRIDE OFFSET\n");
        return 2;
    }
    unsigned bound = (unsigned)strtoul(argv[1], NULL, 10);
    uint64_t cap = strtoull(argv[2], NULL, 10);
    go_semantics semantics = !strcmp(argv[3], "1.23") ? GO_SEMANTICS_1_23 : GO_SEMANTICS_1_22;
    size_t count = strtoul(argv[4], NULL, 10), stride = strtoul(argv[5], NULL, 10);
    size_t offset = strtoul(argv[6], NULL, 10);
    if (!stride) stride = 1;
    for (size_t i = offset; i < count; i += stride) {
        char name[64];
        snprintf(name, sizeof name, "rt.TestProg%zu", i);
        const chanfuzz_scenario *s = chanfuzz_scenario_find(name, strlen(name));
        if (!s) {
            printf("{\"program\":%zu,\"missing\":true}\n", i);
            continue;
        }
        chanfuzz_target target = {s, CHANFUZZ_FIXED};
        const chanfuzz_variant *variant = chanfuzz_scenario_variant(s, CHANFUZZ_FIXED);
        chanfuzz_explore_options options = {
            .config = chanfuzz_target_config(&target, go_decider_first(), semantics),
            .preemption_bound = bound,
            .max_schedules = cap,
        };
        options.config.record_trace = getenv("CHANFUZZ_DIFF_RUNNER_TRACE") != NULL;
        program_run run = {.index = i};
        chanfuzz_explore_result r = chanfuzz_explore(&options, variant->main, NULL, visit, &run);
        printf("{\"program\":%zu,\"schedules\":%llu,\"exhausted\":%s,\"nondeterministic\":%s}\n", i,
               (unsigned long long)r.schedules, r.exhausted ? "true" : "false",
               r.nondeterministic ? "true" : "false");
        fflush(stdout);
        for (size_t k = 0; k < run.count; k++) free(run.keys[k]);
        free(run.keys);
    }
    return 0;
}
