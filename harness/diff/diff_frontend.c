/* diff_frontend.c -- `chanfuzz diff --frontend`: the round trip through the
 * Go frontend (harness/diff/README.md, "Round trip through the Go
 * frontend").
 *
 * The same Go each program is exported as for the real runtime (one op per
 * line, diff_export.c) goes, with frontend_support.go instead of
 * support.go, into a test package: prog_test.go holds TestProg<i>() {
 * p<i>() } for every program of a batch. chanfuzz-go translates the whole
 * batch at once (one load: its cost is the package load, not the
 * programs); the translated C is compiled with frontend_runner.c, which
 * explores every TestProg<i> exactly as `chanfuzz run --mode exhaustive`
 * does and prints each distinct outcome record. Each record becomes the
 * canonical outcome line (diff_outcome_format), and the frontend's SET of
 * outcomes must EQUAL the ops interpreter's (diff_model_explore) at the
 * same bound, cap and semantics: both are the model, so an outcome on one
 * side only is a bug of the translator, of gort, or of this harness. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "diff.h"
#include "chanfuzz/tracefile.h"

/* ---- finding the frontend ------------------------------------------------------- */

/* ---- gofront.conf: how a runner is compiled ----------------------------------- */

typedef struct build_conf {
    char cc[256], cflags[1024], libs[1024], ldflags[1024];
} build_conf;

static bool read_conf(const char *prefix, build_conf *c, char *error, size_t error_size) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/lib/chanfuzz/gofront.conf", prefix);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(error, error_size, "diff --frontend: %s: %s", path, strerror(errno));
        return false;
    }
    memset(c, 0, sizeof *c);
    snprintf(c->cc, sizeof c->cc, "cc");
    char line[1200];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *eq = strchr(line, '=');
        if (line[0] == '#' || !eq) continue;
        *eq = '\0';
        const char *v = eq + 1;
        if (!strcmp(line, "cc")) snprintf(c->cc, sizeof c->cc, "%s", v);
        else if (!strcmp(line, "cflags")) snprintf(c->cflags, sizeof c->cflags, "%s", v);
        else if (!strcmp(line, "libs")) snprintf(c->libs, sizeof c->libs, "%s", v);
        else if (!strcmp(line, "ldflags")) snprintf(c->ldflags, sizeof c->ldflags, "%s", v);
    }
    fclose(f);
    return true;
}

/* ---- the batch ------------------------------------------------------------------ */

static bool write_text(const char *dir, const char *name, const char *text) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return false;
    fputs(text, f);
    return fclose(f) == 0;
}

/* Runs argv in dir with stdout (and stderr) to log_name there; waits.
 * extra_env: NAME=VALUE strings set in the child. Log names are relative
 * to dir. */
static pid_t spawn(const char *dir, char *const argv[], const char *out_name, const char *err_name,
                   const char *const *extra_env) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    if (chdir(dir) != 0) _exit(127);
    int out = open(out_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = err_name && strcmp(err_name, out_name) ? open(err_name, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                                                     : out;
    if (out < 0 || err < 0) _exit(127);
    dup2(out, 1);
    dup2(err, 2);
    for (const char *const *e = extra_env; e && *e; e++) putenv((char *)*e);
    execvp(argv[0], argv);
    _exit(127);
}

static int wait_status(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* The first lines of DIR/NAME, for an error message. */
static void log_head(const char *dir, const char *name, char *out, size_t size) {
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f) return;
    size_t n = fread(out, 1, size - 1, f);
    out[n] = '\0';
    fclose(f);
    char *cut = out;
    for (int lines = 0; cut && lines < 6; lines++) cut = strchr(cut + 1, '\n');
    if (cut) *cut = '\0';
}

/* Splits a space-separated list into argv entries; returns how many. */
static size_t split_into(char *text, char **argv, size_t room) {
    size_t n = 0;
    for (char *t = strtok(text, " \t"); t && n < room; t = strtok(NULL, " \t")) argv[n++] = t;
    return n;
}

bool diff_frontend_build(diff_frontend_batch *b, const chanfuzz_program *programs, size_t n,
                         char *error, size_t error_size) {
    memset(b, 0, sizeof *b);
    if (!chanfuzz_go_frontend_path(b->frontend, sizeof b->frontend)) {
        snprintf(error, error_size, "diff --frontend: chanfuzz-go not found");
        return false;
    }
    snprintf(b->dir, sizeof b->dir, "%s/chanfuzz-rt-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(b->dir)) {
        snprintf(error, error_size, "diff --frontend: cannot make a directory: %s", strerror(errno));
        return false;
    }
    b->programs = n;
    b->lines = 8 + n * (3 + CHANFUZZ_OPS_BODIES * (CHANFUZZ_OPS_MAX_OPS + 3));
    b->line_program = malloc(b->lines * sizeof *b->line_program);
    b->line_body = malloc(b->lines);
    b->line_op = malloc(b->lines);
    if (!b->line_program || !b->line_body || !b->line_op) {
        snprintf(error, error_size, "diff --frontend: out of memory");
        return false;
    }
    memset(b->line_program, 0xff, b->lines * sizeof *b->line_program);
    memset(b->line_body, 0xff, b->lines);
    memset(b->line_op, 0xff, b->lines);
    /* The Go package in pkg/ (go does not allow C files beside it). */
    char pkg[sizeof b->dir + 8];
    snprintf(pkg, sizeof pkg, "%s/pkg", b->dir);
    if (mkdir(pkg, 0777) != 0 || !write_text(pkg, "go.mod", "module rt\n\ngo 1.19\n") ||
        !write_text(pkg, "support.go", diff_go_frontend_support) ||
        !write_text(b->dir, "runner.c", diff_frontend_runner_source)) {
        snprintf(error, error_size, "diff --frontend: cannot write into %s", b->dir);
        return false;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/prog_test.go", pkg);
    FILE *out = fopen(path, "w");
    if (!out) {
        snprintf(error, error_size, "diff --frontend: cannot write %s", path);
        return false;
    }
    /* 3 header lines and one test per program: the line map counts on. */
    fprintf(out, "package rt\n");
    /* runtime is frontend_support.go's variable (its GC is go_gc's twin) */
    fprintf(out, "import (\"context\"; \"sync\"; \"testing\"; \"time\")\n");
    fprintf(out, "var _, _, _, _ = context.Background, runtime.GC, sync.NewCond, time.Now\n");
    for (size_t i = 0; i < n; i++) fprintf(out, "func TestProg%zu(t *testing.T) { p%zu() }\n", i, i);
    size_t line = 3 + n;
    for (size_t i = 0; i < n; i++)
        diff_export_program(out, &programs[i], i, &line, b->line_program, b->line_body, b->line_op,
                            b->lines);
    if (fclose(out) != 0) {
        snprintf(error, error_size, "diff --frontend: cannot write %s", path);
        return false;
    }

    /* Translate: one load for the whole batch, in module mode (go.mod). */
    char *translate[] = {b->frontend, "translate", "-o", "../batch.c", ".", NULL};
    static const char *const module_env[] = {"GO111MODULE=on", "GOFLAGS=-mod=mod", NULL};
    int status = wait_status(spawn(pkg, translate, "../translate.log", "../translate.log", module_env));
    if (status != 0) {
        char head[1200];
        log_head(b->dir, "translate.log", head, sizeof head);
        snprintf(error, error_size, "diff --frontend: chanfuzz-go translate failed (status %d) in %s:\n%s",
                 status, b->dir, head);
        return false;
    }

    /* Compile: the translated tests with frontend_runner.c, against the
     * frontend's libraries, without chanfuzz_cli (the runner has its own
     * main). PREFIX is the directory above chanfuzz-go's. */
    char prefix[PATH_MAX];
    if (!realpath(b->frontend, prefix)) {
        snprintf(error, error_size, "diff --frontend: %s: %s", b->frontend, strerror(errno));
        return false;
    }
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(prefix, '/');
        if (slash) *slash = '\0';
    }
    build_conf conf;
    if (!read_conf(prefix, &conf, error, error_size)) return false;
    char include[PATH_MAX + 16];
    snprintf(include, sizeof include, "-I%s/include", prefix);
    char *argv[256];
    char lib_paths[32][PATH_MAX + 32];
    size_t argc = 0, libs = 0;
    argv[argc++] = conf.cc;
    argv[argc++] = "-std=gnu11";
    argv[argc++] = include;
    /* -O0 whatever the flavour's level: compiling a batch's few MB of
     * translated C at -O1 costs more than its faster runs gain. */
    size_t first_cflag = argc;
    argc += split_into(conf.cflags, argv + argc, 64);
    for (size_t i = first_cflag; i < argc; i++)
        if (!strncmp(argv[i], "-O", 2)) argv[i] = "-O0";
    argv[argc++] = "-o";
    argv[argc++] = "runner";
    argv[argc++] = "batch.c";
    argv[argc++] = "runner.c";
    char *lib_names[32];
    size_t lib_count = split_into(conf.libs, lib_names, 32);
    for (size_t i = 0; i < lib_count; i++) {
        if (!strcmp(lib_names[i], "chanfuzz_cli")) continue;
        snprintf(lib_paths[libs], sizeof lib_paths[libs], "%s/lib/lib%s.a", prefix, lib_names[i]);
        argv[argc++] = lib_paths[libs++];
    }
    argc += split_into(conf.ldflags, argv + argc, 64);
    argv[argc] = NULL;
    status = wait_status(spawn(b->dir, argv, "compile.log", "compile.log", NULL));
    if (status != 0) {
        char head[1200];
        log_head(b->dir, "compile.log", head, sizeof head);
        snprintf(error, error_size, "diff --frontend: compiling the translated batch failed in %s:\n%s",
                 b->dir, head);
        return false;
    }
    return true;
}

void diff_frontend_batch_free(diff_frontend_batch *b) {
    free(b->line_program);
    free(b->line_body);
    free(b->line_op);
    if (b->dir[0] && !getenv("CHANFUZZ_DIFF_KEEP")) {
        char command[PATH_MAX + 32];
        snprintf(command, sizeof command, "rm -rf '%s'", b->dir);
        if (system(command) != 0) fprintf(stderr, "diff: could not remove %s\n", b->dir);
    }
    memset(b, 0, sizeof *b);
}

/* ---- records to outcomes ----------------------------------------------------------- */

static const char *json_string(const cJSON *o, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double json_number(const cJSON *o, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* One runner record as the canonical outcome line, as diff_model.c forms
 * the model's: the failing op from the line map, other ends as "model
 * END: MESSAGE". */
static void record_outcome(const diff_frontend_batch *b, const cJSON *record, char *line,
                           size_t size) {
    diff_outcome o;
    diff_outcome_init(&o);
    const char *end = json_string(record, "end"), *message = json_string(record, "message");
    if (!strcmp(end, go_end_name(GO_END_RETURNED)) || !strcmp(end, go_end_name(GO_END_DEADLOCK))) {
        o.end = !strcmp(end, go_end_name(GO_END_RETURNED)) ? DIFF_END_RETURNED : DIFF_END_DEADLOCK;
        diff_parse_events(json_string(record, "output"), &o);
    } else if (!strcmp(end, go_end_name(GO_END_PANIC)) || !strcmp(end, go_end_name(GO_END_FATAL))) {
        o.end = !strcmp(end, go_end_name(GO_END_PANIC)) ? DIFF_END_PANIC : DIFF_END_FATAL;
        snprintf(o.message, sizeof o.message, "%s", message);
        o.fail_body = 99;
        o.fail_op = -1;
        long n = (long)json_number(record, "line");
        if (ends_with(json_string(record, "file"), "prog_test.go") && n > 0 && (size_t)n < b->lines &&
            b->line_op[n] >= 0) {
            o.fail_body = (unsigned)b->line_body[n];
            o.fail_op = b->line_op[n];
        }
    } else {
        o.end = DIFF_END_OTHER;
        snprintf(o.message, sizeof o.message, "model %s: %s", end, message);
    }
    diff_outcome_format(&o, line, size);
}

bool diff_frontend_run(const diff_frontend_batch *b, unsigned bound, uint64_t max_schedules,
                       go_semantics semantics, unsigned parallel, diff_frontend_result *results,
                       char *error, size_t error_size) {
    for (size_t i = 0; i < b->programs; i++) {
        memset(&results[i], 0, sizeof results[i]);
        diff_set_init(&results[i].outcomes);
    }
    if (parallel < 1) parallel = 1;
    char bound_text[16], cap_text[24], count_text[24], stride_text[16], offsets[8][16];
    snprintf(bound_text, sizeof bound_text, "%u", bound);
    snprintf(cap_text, sizeof cap_text, "%llu", (unsigned long long)max_schedules);
    snprintf(count_text, sizeof count_text, "%zu", b->programs);
    snprintf(stride_text, sizeof stride_text, "%u", parallel);
    pid_t pids[8];
    char out_names[8][32];
    if (parallel > 8) parallel = 8;
    for (unsigned k = 0; k < parallel; k++) {
        snprintf(offsets[k], sizeof offsets[k], "%u", k);
        snprintf(out_names[k], sizeof out_names[k], "runner.%u.out", k);
        char *argv[] = {"./runner", bound_text, cap_text, (char *)go_semantics_name(semantics),
                        count_text, stride_text, offsets[k], NULL};
        char err_name[32];
        snprintf(err_name, sizeof err_name, "runner.%u.err", k);
        pids[k] = spawn(b->dir, argv, out_names[k], err_name, NULL);
    }
    bool ok = true;
    for (unsigned k = 0; k < parallel; k++) {
        int status = wait_status(pids[k]);
        if (status != 0 && ok) {
            char name[32], head[1200];
            snprintf(name, sizeof name, "runner.%u.err", k);
            log_head(b->dir, name, head, sizeof head);
            snprintf(error, error_size, "diff --frontend: the runner failed (status %d) in %s:\n%s", status,
                     b->dir, head);
            ok = false;
        }
    }
    for (unsigned k = 0; ok && k < parallel; k++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", b->dir, out_names[k]);
        FILE *f = fopen(path, "r");
        if (!f) {
            snprintf(error, error_size, "diff --frontend: %s: %s", path, strerror(errno));
            return false;
        }
        char *text = NULL;
        size_t cap = 0;
        while (getline(&text, &cap, f) > 0) {
            cJSON *record = cJSON_Parse(text);
            double index = record ? json_number(record, "program") : -1;
            if (index < 0 || (size_t)index >= b->programs) {
                cJSON_Delete(record);
                continue;
            }
            diff_frontend_result *r = &results[(size_t)index];
            if (cJSON_GetObjectItemCaseSensitive(record, "schedules")) {
                r->ran = true;
                r->schedules = (uint64_t)json_number(record, "schedules");
                r->exhausted = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(record, "exhausted"));
                r->nondeterministic =
                    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(record, "nondeterministic"));
            } else if (cJSON_GetObjectItemCaseSensitive(record, "end")) {
                char line[8192];
                record_outcome(b, record, line, sizeof line);
                diff_set_add(&r->outcomes, line);
            }
            cJSON_Delete(record);
        }
        free(text);
        fclose(f);
    }
    return ok;
}

void diff_frontend_result_free(diff_frontend_result *r) { diff_set_free(&r->outcomes); }
