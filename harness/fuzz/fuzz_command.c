/* fuzz_command.c -- `chanfuzz fuzz SCENARIO|all --time S [--jobs N] [--json]
 * [--go-semantics 1.22|1.23] [--out DIR] [--corpus DIR] [--regressions DIR]
 * [--html FILE] [--exec-timeout S] [--no-isolate]`
 *
 * For each selected variant, in registry order:
 *   1. run its libFuzzer binary (fuzz_<s>_<v>, found in $CHANFUZZ_FUZZ_BIN_DIR,
 *      next to this executable, in ../fuzz or ../../fuzz from it, or in
 *      the fuzz/ of the build this was built in) for its share of S
 *      seconds, with -fork=N -ignore_crashes=1 so one crash does not end
 *      the hunt -- unless the share is under FORK_MIN_SECONDS: fork mode
 *      costs about 2 s of set-up per variant, more than a 1 s share, so
 *      a short share runs in-process and stops at its first finding (one
 *      bucket per variant; the others are found with more time); new
 *      inputs go to a scratch folder
 *      and crashes to OUT/<target>/ (default fuzz-findings/);
 *   2. merge the scratch inputs that add coverage into CORPUS/<target>/
 *      (default corpus/ of the source tree) with -merge=1;
 *   3. bucket libFuzzer's crash, timeout, leak and oom files by the crash
 *      state they reproduce with (fuzz_buckets.c: each judged in a child
 *      process, so an input that crashes or hangs the scenario is a
 *      finding) and minimize each bucket's smallest input;
 *   4. with --regressions DIR, copy each reproducer that gives its
 *      variant's verdict to DIR/<scenario>/<variant>/<crash state hash>.
 * Then the findings table (or, with --json, one object per finding per
 * line and a summary line). Exit 0 every finding as its variant expects (none
 * on fixed variants), 1 some not, 2 usage. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/interrupt.h>
#include <chanfuzz/isolate.h>
#include <chanfuzz/output_path.h>

#include "fuzz_buckets.h"
#include "fuzz_html.h"
#include "fuzz_reproducer.h"

#include <chanfuzz/tracefile.h>

#ifndef CHANFUZZ_FUZZ_BIN_DIR_DEFAULT
#define CHANFUZZ_FUZZ_BIN_DIR_DEFAULT "build/fuzz/fuzz"
#endif
#ifndef CHANFUZZ_SOURCE_DIR
#define CHANFUZZ_SOURCE_DIR "."
#endif

int chanfuzz_fuzz_command(int argc, char **argv);

enum { FORK_MIN_SECONDS = 5 };

typedef struct options {
    const char *spec;
    unsigned seconds, jobs;
    bool json;
    go_semantics semantics;
    bool semantics_given;
    const char *out, *corpus, *regressions;
    const char *html;            /* --html FILE (fuzz_html.c), or NULL */
    double exec_timeout;         /* --exec-timeout S: libFuzzer's -timeout
                                    and the judging children's watchdog */
    bool isolate;                /* judge in children (--no-isolate: here) */
} options;

/* A usage error is one line, as every chanfuzz command's: the reason,
 * then the usage in parentheses. */
static int usage(const char *why) {
    FILE *out = why ? stderr : stdout; /* no reason: --help asked for it */
    fprintf(out, "%s%s%susage: chanfuzz fuzz SCENARIO|all|tag:T --time S [--jobs N] [--json] "
                 "[--go-semantics 1.22|1.23] [--out DIR] [--corpus DIR] [--regressions DIR] "
                 "[--html FILE] [--exec-timeout S] [--no-isolate]%s\n",
            why ? "chanfuzz fuzz: " : "", why ? why : "", why ? " (" : "", why ? ")" : "");
    return why ? CHANFUZZ_EXIT_USAGE : CHANFUZZ_EXIT_CLEAN;
}

static bool parse_count(const char *text, unsigned *out) {
    char *end;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno || end == text || *end || value == 0 || value > 1000000 || text[0] == '-') return false;
    *out = (unsigned)value;
    return true;
}

static int parse_options(int argc, char **argv, options *o) {
    *o = (options){.jobs = 1, .out = "fuzz-findings", .corpus = CHANFUZZ_SOURCE_DIR "/corpus",
                   .exec_timeout = CHANFUZZ_EXEC_TIMEOUT_DEFAULT, .isolate = true};
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        char why[300];
        if (!strcmp(arg, "--json")) {
            o->json = true;
            continue;
        }
        if (!strcmp(arg, "--no-isolate")) {
            o->isolate = false;
            continue;
        }
        if (arg[0] != '-') {
            if (o->spec) return usage("more than one scenario given");
            o->spec = arg;
            continue;
        }
        if (!value) {
            snprintf(why, sizeof why, "%s needs a value", arg);
            return usage(why);
        }
        i++;
        if (!strcmp(arg, "--time")) {
            if (!parse_count(value, &o->seconds)) {
                snprintf(why, sizeof why, "--time: expected seconds, not '%s'", value);
                return usage(why);
            }
        } else if (!strcmp(arg, "--jobs")) {
            if (!parse_count(value, &o->jobs)) {
                snprintf(why, sizeof why, "--jobs: expected a count, not '%s'", value);
                return usage(why);
            }
        } else if (!strcmp(arg, "--go-semantics")) {
            if (!strcmp(value, "1.23")) o->semantics = GO_SEMANTICS_1_23;
            else if (!strcmp(value, "1.22")) o->semantics = GO_SEMANTICS_1_22;
            else {
                snprintf(why, sizeof why, "--go-semantics: expected 1.22 or 1.23, not '%s'", value);
                return usage(why);
            }
            o->semantics_given = true;
        } else if (!strcmp(arg, "--out")) {
            o->out = value;
        } else if (!strcmp(arg, "--corpus")) {
            o->corpus = value;
        } else if (!strcmp(arg, "--regressions")) {
            o->regressions = value;
        } else if (!strcmp(arg, "--html")) {
            o->html = value;
        } else if (!strcmp(arg, "--exec-timeout")) {
            char *end;
            errno = 0;
            o->exec_timeout = strtod(value, &end);
            if (errno || end == value || *end || !(o->exec_timeout >= 0) ||
                o->exec_timeout > 1e6) {
                snprintf(why, sizeof why,
                         "--exec-timeout: '%s' is not a number of seconds (0: no watchdog)", value);
                return usage(why);
            }
        } else {
            snprintf(why, sizeof why, "unknown option '%s'", arg);
            return usage(why);
        }
    }
    if (!o->spec) return usage("no scenario given");
    if (!o->seconds) return usage("--time S is required");
    const char *folders[][2] = {{"--out", o->out}, {"--corpus", o->corpus},
                                {"--regressions", o->regressions}};
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
        char why[2 * PATH_MAX];
        if (folders[i][1] && chanfuzz_output_dir_refused(folders[i][1], why, sizeof why)) {
            fprintf(stderr, "chanfuzz fuzz: %s %s\n", folders[i][0], why);
            return CHANFUZZ_EXIT_USAGE;
        }
    }
    return 0;
}

static bool is_executable(const char *path) { return access(path, X_OK) == 0; }

/* Where the fuzz binaries are: the first folder holding `probe`. */
static bool find_bin_dir(const char *probe, char *out, size_t size) {
    char self[PATH_MAX - 16] = "";
    ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length > 0) {
        self[length] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) *slash = '\0';
    }
    const char *env = getenv("CHANFUZZ_FUZZ_BIN_DIR");
    char candidates[5][PATH_MAX];
    int count = 0;
    if (env && *env) snprintf(candidates[count++], PATH_MAX, "%s", env);
    if (*self) {
        snprintf(candidates[count++], PATH_MAX, "%s", self);
        snprintf(candidates[count++], PATH_MAX, "%s/../fuzz", self);
        snprintf(candidates[count++], PATH_MAX, "%s/../../fuzz", self);
    }
    snprintf(candidates[count++], PATH_MAX, "%s", CHANFUZZ_FUZZ_BIN_DIR_DEFAULT);
    for (int i = 0; i < count; i++) {
        char path[PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", candidates[i], probe);
        if (is_executable(path)) {
            snprintf(out, size, "%s", candidates[i]);
            return true;
        }
    }
    return false;
}

static int make_folder(const char *path) {
    char partial[PATH_MAX];
    snprintf(partial, sizeof partial, "%s", path);
    for (char *at = partial + 1; *at; at++)
        if (*at == '/') {
            *at = '\0';
            mkdir(partial, 0755);
            *at = '/';
        }
    return mkdir(partial, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

/* The last "#N" libFuzzer printed: executions so far. */
static unsigned long long executions_in_log(const char *log_path) {
    FILE *log = fopen(log_path, "r");
    if (!log) return 0;
    char line[1024];
    unsigned long long last = 0, n;
    while (fgets(line, sizeof line, log))
        if (line[0] == '#' && sscanf(line + 1, "%llu", &n) == 1) last = n;
    fclose(log);
    return last;
}

/* Adds a reproducer to the regressions: a crash state that already has
 * one keeps it (it is the one the project reviewed and replays), so a
 * later run never silently replaces it. */
static void add_regression(const char *from, const char *folder, const char *hash) {
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", folder, hash);
    size_t size;
    unsigned char *data = chanfuzz_read_whole(from, &size);
    chanfuzz_atomic_file f;
    bool ok = data && !make_folder(folder) && chanfuzz_atomic_open(&f, path);
    if (ok && size && fwrite(data, 1, size, f.stream) != size) {
        chanfuzz_atomic_abandon(&f);
        ok = false;
    }
    if (ok && !chanfuzz_atomic_commit_new(&f)) {
        if (errno == EEXIST)
            fprintf(stderr, "chanfuzz fuzz: note: %s already holds a regression of this crash "
                            "state: kept\n", path);
        else
            ok = false;
    }
    if (!ok) fprintf(stderr, "chanfuzz fuzz: %s: cannot write: %s\n", path, strerror(errno));
    free(data);
}

/* A log of this run's own: two runs into one --out must not append to
 * one log (each would read the other's execution counts). */
static bool make_log(const char *folder, char *out, size_t size) {
    snprintf(out, size, "%s/fuzz-XXXXXX.log", folder);
    int fd = mkstemps(out, 4);
    if (fd < 0) return false;
    close(fd);
    return true;
}

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void print_finding(const options *o, const chanfuzz_bucket *b) {
    const char *variant = chanfuzz_variant_name(b->target.variant);
    if (!o->json) {
        printf("%-20s %-28s %-6s %-10s %5zu  %s\n    %s\n",
               chanfuzz_kind_id(b->kind), b->target.scenario->name,
               variant, chanfuzz_input_verdict_name(b->verdict), b->crashes,
               b->trace ? b->trace : b->reproducer, b->crash_state);
        if (b->trace)
            printf("    replay: chanfuzz %sreplay %s\n",
                   chanfuzz_program_is_go(b->target.scenario->program) ? "go " : "", b->trace);
        return;
    }
    /* Kinds, names and paths we made; the crash state holds sites and a
     * global's name in quotes, so escape quotes and backslashes. */
    printf("{\"kind\":\"%s\",\"scenario\":\"%s\",\"variant\":\"%s\",\"verdict\":\"%s\","
           "\"crashes\":%zu,\"reproducer\":\"%s\",",
           chanfuzz_kind_id(b->kind), b->target.scenario->name, variant,
           chanfuzz_input_verdict_name(b->verdict), b->crashes, b->reproducer);
    if (b->trace) printf("\"trace\":\"%s\",", b->trace);
    printf("\"crash_state\":\"");
    for (const char *c = b->crash_state; *c; c++) {
        if (*c == '"' || *c == '\\') putchar('\\');
        if ((unsigned char)*c >= 0x20) putchar(*c);
    }
    printf("\"}\n");
}

int chanfuzz_fuzz_command(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return usage(NULL);
    options o;
    int status = parse_options(argc, argv, &o);
    if (status) return status;
    chanfuzz_target *targets = NULL;
    char error[256];
    size_t count = chanfuzz_select(o.spec, &targets, error, sizeof error);
    if (!count) {
        fprintf(stderr, "chanfuzz fuzz: %s\n", error);
        return CHANFUZZ_EXIT_USAGE;
    }
    char name[256], bin_dir[PATH_MAX];
    chanfuzz_fuzz_target_name(&targets[0], name, sizeof name);
    if (!find_bin_dir(name, bin_dir, sizeof bin_dir)) {
        fprintf(stderr, "chanfuzz fuzz: no fuzz binary %s: build the fuzz preset "
                        "(cmake --build --preset fuzz --target fuzz-targets) or set "
                        "CHANFUZZ_FUZZ_BIN_DIR\n", name);
        free(targets);
        return CHANFUZZ_EXIT_USAGE;
    }
    unsigned share = o.seconds / (unsigned)count;
    if (share == 0) share = 1;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    unsigned long long executions = 0;
    chanfuzz_buckets buckets = {0};
    chanfuzz_fuzz_sample *samples = calloc(count + 1, sizeof *samples);
    size_t sample_count = 1; /* the start: nothing yet */
    if (!samples) abort();
    char semantics_flag[64], timeout_flag[64];
    /* libFuzzer counts whole seconds; 0 is no timeout to both. */
    snprintf(timeout_flag, sizeof timeout_flag, "-timeout=%u",
             (unsigned)(o.exec_timeout + 0.999999));
    chanfuzz_isolate_configure(o.isolate, o.exec_timeout);
    chanfuzz_interrupt_install();
    for (size_t t = 0; t < count && !chanfuzz_interrupted(); t++) {
        const chanfuzz_target *target = &targets[t];
        go_semantics semantics =
            o.semantics_given ? o.semantics : chanfuzz_fuzz_semantics_for(target);
        snprintf(semantics_flag, sizeof semantics_flag, "-chanfuzz_go_semantics=%s",
                 go_semantics_name(semantics));
        chanfuzz_fuzz_target_name(target, name, sizeof name);
        char binary[PATH_MAX + 300], out[PATH_MAX], scratch[PATH_MAX + 16], corpus[PATH_MAX],
            log_path[PATH_MAX + 16], prefix[PATH_MAX + 32], time_flag[64], fork_flag[64];
        snprintf(binary, sizeof binary, "%s/%s", bin_dir, name);
        snprintf(out, sizeof out, "%s/%s", o.out, name);
        snprintf(scratch, sizeof scratch, "%s/new-inputs", out);
        snprintf(corpus, sizeof corpus, "%s/%s", o.corpus, name);
        snprintf(prefix, sizeof prefix, "-artifact_prefix=%s/", out);
        snprintf(time_flag, sizeof time_flag, "-max_total_time=%u", share);
        snprintf(fork_flag, sizeof fork_flag, "-fork=%u", o.jobs);
        if (make_folder(scratch) || make_folder(corpus) ||
            !make_log(out, log_path, sizeof log_path)) {
            fprintf(stderr, "chanfuzz fuzz: cannot make %s, %s or a log in %s: %s\n", scratch,
                    corpus, out, strerror(errno));
            status = CHANFUZZ_EXIT_USAGE;
            break;
        }
        if (!o.json) fprintf(stderr, "chanfuzz fuzz: %s for %u s\n", name, share);
        char *forked_argv[] = {binary,    fork_flag,      "-ignore_crashes=1", time_flag,
                               prefix,    timeout_flag,   semantics_flag,      scratch,
                               corpus,    NULL};
        char *in_process_argv[] = {binary,         time_flag, prefix, timeout_flag,
                                   semantics_flag, scratch,   corpus, NULL};
        char **fuzz_argv = share >= FORK_MIN_SECONDS ? forked_argv : in_process_argv;
        int ran = chanfuzz_run_logged(fuzz_argv, log_path);
        /* Interrupted: libFuzzer's group got the signal too; what it found
         * and the inputs it made are still merged and bucketed below. */
        if (!chanfuzz_interrupted() && (ran == CHANFUZZ_EXIT_USAGE || ran < 0)) {
            fprintf(stderr, "chanfuzz fuzz: %s did not run as a libFuzzer target (exit %d; "
                            "log %s)\n", binary, ran, log_path);
            status = CHANFUZZ_EXIT_USAGE;
            break;
        }
        executions += executions_in_log(log_path);
        char *merge_argv[] = {binary, "-merge=1", semantics_flag, corpus, scratch, NULL};
        chanfuzz_run_logged(merge_argv, log_path);
        size_t first_new = buckets.count;
        if (!chanfuzz_buckets_collect(&buckets, target, semantics, out)) {
            fprintf(stderr, "chanfuzz fuzz: out of memory\n");
            status = CHANFUZZ_EXIT_USAGE;
            break;
        }
        /* Minimizing takes up to 10 s a bucket: not what an interrupt asks. */
        if (!chanfuzz_interrupted())
            chanfuzz_buckets_minimize(&buckets, first_new, semantics, share < 10 ? share : 10);
        for (size_t i = first_new; i < buckets.count; i++)
            if (buckets.items[i].reproduces && !chanfuzz_bucket_write_trace(&buckets.items[i], semantics))
                fprintf(stderr, "chanfuzz fuzz: %s: cannot write its trace beside it\n",
                        buckets.items[i].reproducer);
        samples[sample_count++] = (chanfuzz_fuzz_sample){seconds_since(&start), executions,
                                                         buckets.count};
    }
    if (chanfuzz_interrupted())
        fprintf(stderr, "chanfuzz fuzz: interrupted (%s): the findings so far\n",
                strsignal(chanfuzz_interrupted()));
    double seconds = seconds_since(&start);
    if (!o.json && buckets.count)
        printf("%-20s %-28s %-6s %-10s %5s  %s\n", "KIND", "SCENARIO", "VARIANT", "VERDICT",
               "FILES", "REPRODUCER / CRASH STATE");
    size_t unexpected = 0;
    for (size_t i = 0; i < buckets.count; i++) {
        chanfuzz_bucket *b = &buckets.items[i];
        print_finding(&o, b);
        bool as_verdict = b->target.variant == CHANFUZZ_BUGGY
                              ? b->verdict == CHANFUZZ_INPUT_EXPECTED
                              : false;
        unexpected += !as_verdict;
        if (o.regressions && as_verdict) {
            char folder[PATH_MAX], hash[17];
            snprintf(folder, sizeof folder, "%s/%s/%s", o.regressions, b->target.scenario->name,
                     chanfuzz_variant_name(b->target.variant));
            chanfuzz_crash_state_hash(b->crash_state, hash);
            add_regression(b->reproducer, folder, hash);
        }
    }
    if (o.json)
        printf("{\"executions\":%llu,\"seconds\":%.1f,\"findings\":%zu,\"unexpected\":%zu}\n",
               executions, seconds, buckets.count, unexpected);
    else
        printf("%zu finding%s in %llu executions, %.1f s: %s\n", buckets.count,
               buckets.count == 1 ? "" : "s", executions, seconds,
               unexpected ? "SOME NOT AS EXPECTED" : "every finding as expected");
    /* As `chanfuzz run` judges: a finding is a failure when the variant
     * does not expect it (a fixed variant flagged, a buggy one showing a
     * kind it neither expects nor allows). A buggy variant's expected
     * finding is the hunt succeeding. */
    if (!status) status = unexpected ? CHANFUZZ_EXIT_FINDINGS : CHANFUZZ_EXIT_CLEAN;
    if (o.html && !chanfuzz_fuzz_write_html(o.html, o.spec, &buckets, o.semantics_given,
                                            o.semantics, samples, sample_count)) {
        fprintf(stderr, "chanfuzz fuzz: %s: cannot write\n", o.html);
        status = CHANFUZZ_EXIT_USAGE;
    }
    free(samples);
    if (chanfuzz_interrupted()) status = chanfuzz_interrupt_status();
    chanfuzz_buckets_free(&buckets);
    free(targets);
    return status;
}
