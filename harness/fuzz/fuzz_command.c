/* fuzz_command.c -- `chanfuzz fuzz SCENARIO|all --time S [--jobs N] [--json]
 * [--go-semantics 1.22|1.23] [--out DIR] [--corpus DIR] [--regressions DIR]
 * [--html FILE] [--exec-timeout S] [--no-isolate] [--per-variant]`
 *
 * S is the wall-clock budget of the whole command (fuzz_plan.h: start-up,
 * fuzzing, keeping inputs, buckets and minimization, as deadlines).
 *   1. fuzz: one libFuzzer process for every selected variant (the first
 *      one's binary, found in $CHANFUZZ_FUZZ_BIN_DIR, next to this
 *      executable, in ../fuzz or ../../fuzz from it, or in the fuzz/ of
 *      the build this was built in), in its multi-variant mode
 *      (fuzz_multi_run.h), restarted with the time left after a real
 *      crash; its new inputs are split back into CORPUS/<target>/. With
 *      --per-variant, or a binary without that mode: each variant's
 *      binary for its share of what is left (-fork=N -ignore_crashes=1
 *      when the share is FORK_MIN_SECONDS or more, else in-process, which
 *      stops at the first finding), then -merge=1 into CORPUS/<target>/;
 *      the variants that no longer fit are skipped, and said to be;
 *   2. bucket libFuzzer's crash, timeout, leak and oom files in
 *      OUT/<target>/ (default fuzz-findings/) by the crash state they
 *      reproduce with (fuzz_buckets.c: each judged in a child process, so
 *      an input that crashes or hangs the scenario is a finding) and
 *      minimize each bucket's smallest input for its share of the time
 *      left;
 *   3. with --regressions DIR, copy each reproducer that gives its
 *      variant's verdict to DIR/<scenario>/<variant>/<crash state hash>.
 * Then the findings table (or, with --json, one object per finding per
 * line and a summary line with how the time was split). Exit 0 every
 * finding as its variant expects (none on fixed variants), 1 some not, 2
 * usage. */
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
#include "fuzz_multi_run.h"
#include "fuzz_plan.h"
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

/* What a libFuzzer process costs besides its -max_total_time in the
 * per-variant path, until the first variant's is measured: the second
 * libFuzzer runs past it (it stops when MORE than N whole seconds have
 * passed), its start and corpus load, and the -merge=1 process after it
 * (about a second together with ASan). */
static const double PER_VARIANT_OVERHEAD = 2.0;

/* At most this long minimizing one bucket. */
static const double MINIMIZE_CAP = 10.0;

typedef struct options {
    const char *spec;
    unsigned seconds, jobs;
    bool json;
    bool per_variant;            /* --per-variant: one libFuzzer process each */
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
                 "[--html FILE] [--exec-timeout S] [--no-isolate] [--per-variant]%s\n",
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
        if (!strcmp(arg, "--per-variant")) {
            o->per_variant = true;
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

/* Adds a reproducer to the regressions: a crash state that already has
 * one keeps it (it is the one the project reviewed and replays), so a
 * later run never silently replaces it. */
static void add_regression(const char *from, const char *folder, const char *hash) {
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", folder, hash);
    size_t size;
    unsigned char *data = chanfuzz_read_whole(from, &size);
    chanfuzz_atomic_file f;
    bool ok = data && !chanfuzz_make_folder(folder) && chanfuzz_atomic_open(&f, path);
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

static void print_finding(const options *o, const chanfuzz_bucket *b) {
    const char *variant = chanfuzz_variant_name(b->target.variant);
    if (!o->json) {
        printf("%-20s %-28s %-6s %-10s %5zu  %s\n    %s\n",
               chanfuzz_kind_id(b->kind), b->target.scenario->name,
               variant, chanfuzz_input_verdict_name(b->verdict), b->crashes,
               b->trace ? b->trace : b->reproducer, b->crash_state);
        if (b->found_at_execution)
            printf("    first seen at the variant's execution %llu, %.1f s into the run\n",
                   b->found_at_execution, b->found_at_seconds);
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
    if (b->found_at_execution)
        printf("\"found_at_execution\":%llu,\"found_at_seconds\":%.3f,", b->found_at_execution,
               b->found_at_seconds);
    printf("\"crash_state\":\"");
    for (const char *c = b->crash_state; *c; c++) {
        if (*c == '"' || *c == '\\') putchar('\\');
        if ((unsigned char)*c >= 0x20) putchar(*c);
    }
    printf("\"}\n");
}

/* Where the wall time went; every phase is measured, the plan only bounds
 * them. */
typedef struct timing {
    double startup, fuzzing, merging, minimizing;
} timing;

/* What the run did, for the summary. */
typedef struct run_figures {
    const char *mode;              /* "multi" or "per-variant" */
    unsigned long long executions;
    uint64_t *per_target;          /* executions per selected variant */
    size_t fuzzed, skipped;        /* variants that ran, variants left out */
    unsigned processes, crashed;   /* libFuzzer processes, of which crashed */
    size_t minimize_skipped;       /* buckets left unminimized: no time */
    size_t corpus_added;
} run_figures;

/* Minimizes buckets[first..] with what is left until `end`, each bucket its
 * fair share (at most `cap`), then writes each one's trace. */
static void finish_buckets(chanfuzz_buckets *buckets, size_t first, go_semantics semantics,
                           double end, double cap, run_figures *figures) {
    for (size_t i = first; i < buckets->count; i++) {
        double seconds = chanfuzz_fuzz_minimize_share(end - chanfuzz_monotonic(),
                                                      buckets->count - i, cap);
        if (seconds <= 0 || chanfuzz_interrupted()) {
            figures->minimize_skipped++;
            continue;
        }
        /* One bucket at a time: each gets its own share of the time left. */
        chanfuzz_buckets one = {.items = &buckets->items[i], .count = 1, .capacity = 1};
        chanfuzz_buckets_minimize(&one, 0, semantics, seconds);
    }
    for (size_t i = first; i < buckets->count; i++)
        if (buckets->items[i].reproduces && !chanfuzz_bucket_write_trace(&buckets->items[i], semantics))
            fprintf(stderr, "chanfuzz fuzz: %s: cannot write its trace beside it\n",
                    buckets->items[i].reproducer);
}

static go_semantics semantics_of(const options *o, const chanfuzz_target *target) {
    return o->semantics_given ? o->semantics : chanfuzz_fuzz_semantics_for(target);
}

/* The per-variant path: one libFuzzer process (and a merge) per variant,
 * each its share of the fuzzing time left; the variants that no longer fit
 * are skipped, and the summary says how many. What a binary without the
 * multi-variant mode (-chanfuzz_targets) gets, and --per-variant. */
static int fuzz_each(const options *o, const chanfuzz_target *targets, size_t count,
                     const char *bin_dir, char *timeout_flag, double start, const chanfuzz_fuzz_plan *plan,
                     chanfuzz_buckets *buckets, chanfuzz_fuzz_sample *samples,
                     size_t *sample_count, timing *time, run_figures *figures) {
    char name[256], semantics_flag[64];
    double extra = 0;   /* seconds the variants so far took beyond their shares */
    for (size_t t = 0; t < count && !chanfuzz_interrupted(); t++) {
        const chanfuzz_target *target = &targets[t];
        double now = chanfuzz_monotonic();
        chanfuzz_fuzz_target_name(target, name, sizeof name);
        /* The overhead measured so far (what each variant took beyond its
         * share), the estimate until one has run. */
        double overhead = figures->fuzzed ? extra / (double)figures->fuzzed : PER_VARIANT_OVERHEAD;
        unsigned share = chanfuzz_fuzz_variant_share(start + plan->fuzz_end - now, count - t,
                                                     overhead > 0 ? overhead : 0);
        if (!share && !figures->fuzzed) {
            /* Not even one process fits: the first still runs, for the
             * shortest libFuzzer run there is, and the budget is overrun. */
            share = 1;
            fprintf(stderr, "chanfuzz fuzz: a budget of %u s has no room for one process per "
                            "variant: %s runs 1 s anyway\n", o->seconds, name);
        }
        if (!share) {
            figures->skipped = count - t;
            fprintf(stderr, "chanfuzz fuzz: %zu of %zu variants skipped: the budget of %u s "
                            "has no second left for them\n", count - t, count, o->seconds);
            break;
        }
        go_semantics semantics = semantics_of(o, target);
        snprintf(semantics_flag, sizeof semantics_flag, "-chanfuzz_go_semantics=%s",
                 go_semantics_name(semantics));
        char binary[PATH_MAX + 300], out[PATH_MAX], scratch[PATH_MAX + 16], corpus[PATH_MAX],
            log_path[PATH_MAX + 16], prefix[PATH_MAX + 32], time_flag[64], fork_flag[64];
        snprintf(binary, sizeof binary, "%s/%s", bin_dir, name);
        snprintf(out, sizeof out, "%s/%s", o->out, name);
        snprintf(scratch, sizeof scratch, "%s/new-inputs", out);
        snprintf(corpus, sizeof corpus, "%s/%s", o->corpus, name);
        snprintf(prefix, sizeof prefix, "-artifact_prefix=%s/", out);
        snprintf(time_flag, sizeof time_flag, "-max_total_time=%u", share);
        snprintf(fork_flag, sizeof fork_flag, "-fork=%u", o->jobs);
        if (chanfuzz_make_folder(scratch) || chanfuzz_make_folder(corpus) ||
            !make_log(out, log_path, sizeof log_path)) {
            fprintf(stderr, "chanfuzz fuzz: cannot make %s, %s or a log in %s: %s\n", scratch,
                    corpus, out, strerror(errno));
            return CHANFUZZ_EXIT_USAGE;
        }
        if (!o->json) fprintf(stderr, "chanfuzz fuzz: %s for %u s\n", name, share);
        char *forked_argv[] = {binary,    fork_flag,      "-ignore_crashes=1", time_flag,
                               prefix,    timeout_flag,   semantics_flag,      scratch,
                               corpus,    NULL};
        char *in_process_argv[] = {binary,         time_flag, prefix, timeout_flag,
                                   semantics_flag, scratch,   corpus, NULL};
        char **fuzz_argv = share >= FORK_MIN_SECONDS ? forked_argv : in_process_argv;
        bool killed;
        /* Killed two seconds after its share: libFuzzer runs up to a second
         * past -max_total_time, checks its clock only between inputs (one
         * can hang), and starts slowly with ASan on a loaded machine. */
        int ran = chanfuzz_run_until(fuzz_argv, log_path, chanfuzz_monotonic() + share + 2.0,
                                     &killed);
        figures->processes++;
        double fuzzed = chanfuzz_monotonic();
        time->fuzzing += fuzzed - now;
        /* Interrupted: libFuzzer's group got the signal too; what it found
         * and the inputs it made are still merged and bucketed below. */
        if (!chanfuzz_interrupted() && !killed && (ran == CHANFUZZ_EXIT_USAGE || ran < 0)) {
            fprintf(stderr, "chanfuzz fuzz: %s did not run as a libFuzzer target (exit %d; "
                            "log %s)\n", binary, ran, log_path);
            return CHANFUZZ_EXIT_USAGE;
        }
        unsigned long long executions = chanfuzz_log_executions(log_path);
        figures->executions += executions;
        figures->per_target[t] = executions;
        figures->fuzzed++;
        char *merge_argv[] = {binary, "-merge=1", semantics_flag, corpus, scratch, NULL};
        /* At least a second, so that a short budget still keeps inputs. */
        double merge_end = start + plan->merge_end;
        if (merge_end < fuzzed + 1.0) merge_end = fuzzed + 1.0;
        chanfuzz_run_until(merge_argv, log_path, merge_end, &killed);
        double merged = chanfuzz_monotonic();
        time->merging += merged - fuzzed;
        size_t first_new = buckets->count;
        if (!chanfuzz_buckets_collect(buckets, target, semantics, out)) {
            fprintf(stderr, "chanfuzz fuzz: out of memory\n");
            return CHANFUZZ_EXIT_USAGE;
        }
        finish_buckets(buckets, first_new, semantics, start + plan->total,
                       share < MINIMIZE_CAP ? share : MINIMIZE_CAP, figures);
        time->minimizing += chanfuzz_monotonic() - merged;
        extra += chanfuzz_monotonic() - now - share;
        samples[(*sample_count)++] = (chanfuzz_fuzz_sample){chanfuzz_monotonic() - start,
                                                            figures->executions, buckets->count};
    }
    return 0;
}

/* The multi-variant path (fuzz_multi_run.h): one libFuzzer process for
 * every selected variant, for the whole fuzzing time. Returns 0, a usage
 * status, or -1 when the binary has no multi-variant mode (the caller
 * falls back on fuzz_each). */
static int fuzz_all_at_once(const options *o, const chanfuzz_target *targets, size_t count,
                            const char *bin_dir, double start, const chanfuzz_fuzz_plan *plan,
                            chanfuzz_multi_run *run, chanfuzz_buckets *buckets,
                            chanfuzz_fuzz_sample *samples, size_t *sample_count, timing *time,
                            run_figures *figures) {
    char name[256], binary[PATH_MAX + 300];
    chanfuzz_fuzz_target_name(&targets[0], name, sizeof name);
    snprintf(binary, sizeof binary, "%s/%s", bin_dir, name);
    run->binary = binary;
    if (!o->json)
        fprintf(stderr, "chanfuzz fuzz: %zu variant%s in one process (%s) for %.0f s\n", count,
                count == 1 ? "" : "s", name, plan->fuzz_end - plan->started);
    double began = chanfuzz_monotonic();
    chanfuzz_multi_outcome outcome = chanfuzz_multi_fuzz(run, start + plan->fuzz_end,
                                                      start + plan->total);
    double fuzzed = chanfuzz_monotonic();
    if (outcome == CHANFUZZ_MULTI_UNSUPPORTED) {
        chanfuzz_multi_keep(run);   /* removes the seed copies */
        time->startup += chanfuzz_monotonic() - began;
        fprintf(stderr, "chanfuzz fuzz: %s has no multi-variant mode (-chanfuzz_targets): "
                        "one process per variant\n", binary);
        return -1;
    }
    if (outcome == CHANFUZZ_MULTI_FAILED) {
        fprintf(stderr, "chanfuzz fuzz: %s could not be started: %s\n", binary, strerror(errno));
        return CHANFUZZ_EXIT_USAGE;
    }
    time->fuzzing = fuzzed - began;
    chanfuzz_multi_keep(run);
    double merged = chanfuzz_monotonic();
    time->merging = merged - fuzzed;
    figures->executions = run->total;
    figures->processes = run->processes;
    figures->crashed = run->crashes;
    figures->corpus_added = run->added;
    for (size_t t = 0; t < count; t++) {
        figures->per_target[t] = run->executions[t];
        figures->fuzzed += run->executions[t] > 0;
    }
    for (size_t t = 0; t < count; t++) {
        char out[PATH_MAX + 300], artifacts[PATH_MAX + 320];
        chanfuzz_fuzz_target_name(&targets[t], name, sizeof name);
        snprintf(out, sizeof out, "%s/%s", o->out, name);
        snprintf(artifacts, sizeof artifacts, "%s/%s", out, CHANFUZZ_MULTI_ARTIFACTS);
        go_semantics semantics = semantics_of(o, &targets[t]);
        /* The model findings: the fuzzing process ran each and returned, so
         * they are judged here (a child each took 0.25 to 0.9 s on a loaded
         * machine: most of a 30 s budget for 35 files); libFuzzer's own
         * artifacts crashed or hung it, and are judged in children. */
        chanfuzz_isolate_configure(false, o->exec_timeout);
        bool ok = chanfuzz_buckets_collect(buckets, &targets[t], semantics, out);
        chanfuzz_isolate_configure(o->isolate, o->exec_timeout);
        if (!ok || !chanfuzz_buckets_collect(buckets, &targets[t], semantics, artifacts)) {
            fprintf(stderr, "chanfuzz fuzz: out of memory\n");
            return CHANFUZZ_EXIT_USAGE;
        }
        chanfuzz_buckets_note_found(buckets, &targets[t], out, start);
    }
    /* Buckets of different variants, each under its own semantics. */
    for (size_t i = 0; i < buckets->count; i++) {
        chanfuzz_buckets rest = {.items = &buckets->items[i], .count = buckets->count - i,
                                 .capacity = buckets->count - i};
        size_t same = 1;
        while (same < rest.count && rest.items[same].target.scenario == rest.items[0].target.scenario &&
               rest.items[same].target.variant == rest.items[0].target.variant)
            same++;
        rest.count = same;
        finish_buckets(&rest, 0, semantics_of(o, &rest.items[0].target), start + plan->total,
                       MINIMIZE_CAP, figures);
        i += same - 1;
    }
    time->minimizing = chanfuzz_monotonic() - merged;
    samples[(*sample_count)++] = (chanfuzz_fuzz_sample){chanfuzz_monotonic() - start,
                                                        figures->executions, buckets->count};
    return 0;
}

static void print_summary(const options *o, const chanfuzz_target *targets, size_t count,
                          const chanfuzz_buckets *buckets, size_t unexpected, double seconds,
                          const timing *time, const run_figures *f) {
    double rate = time->fuzzing > 0 ? (double)f->executions / time->fuzzing : 0;
    if (!o->json) {
        printf("%zu finding%s in %llu executions, %.1f s: %s\n", buckets->count,
               buckets->count == 1 ? "" : "s", f->executions, seconds,
               unexpected ? "SOME NOT AS EXPECTED" : "every finding as expected");
        printf("time: start-up %.1f s, fuzzing %.1f s, merging %.1f s, minimizing %.1f s "
               "(budget %u s); %.0f executions/s; %zu of %zu variants fuzzed (%s, %u "
               "process%s, %u crashed)\n",
               time->startup, time->fuzzing, time->merging, time->minimizing, o->seconds, rate,
               f->fuzzed, count, f->mode, f->processes, f->processes == 1 ? "" : "es", f->crashed);
        if (f->minimize_skipped)
            printf("%zu bucket%s not minimized: the budget ran out\n", f->minimize_skipped,
                   f->minimize_skipped == 1 ? "" : "s");
        return;
    }
    printf("{\"executions\":%llu,\"seconds\":%.1f,\"findings\":%zu,\"unexpected\":%zu,"
           "\"budget_seconds\":%u,\"mode\":\"%s\",\"startup_seconds\":%.3f,"
           "\"fuzz_seconds\":%.3f,\"merge_seconds\":%.3f,\"minimize_seconds\":%.3f,"
           "\"executions_per_second\":%.0f,\"variants\":%zu,\"variants_fuzzed\":%zu,"
           "\"variants_skipped\":%zu,\"processes\":%u,\"crashed_processes\":%u,"
           "\"buckets_not_minimized\":%zu,\"corpus_added\":%zu,\"variant_executions\":{",
           f->executions, seconds, buckets->count, unexpected, o->seconds, f->mode,
           time->startup, time->fuzzing, time->merging, time->minimizing, rate, count, f->fuzzed,
           f->skipped, f->processes, f->crashed, f->minimize_skipped, f->corpus_added);
    for (size_t t = 0; t < count; t++) {
        char name[256];
        chanfuzz_fuzz_target_name(&targets[t], name, sizeof name);
        printf("%s\"%s\":%llu", t ? "," : "", name, (unsigned long long)f->per_target[t]);
    }
    printf("}}\n");
}

int chanfuzz_fuzz_command(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return usage(NULL);
    double start = chanfuzz_monotonic();
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
    chanfuzz_buckets buckets = {0};
    chanfuzz_fuzz_sample *samples = calloc(count + 1, sizeof *samples);
    run_figures figures = {.mode = "multi", .per_target = calloc(count, sizeof(uint64_t))};
    size_t sample_count = 1; /* the start: nothing yet */
    if (!samples || !figures.per_target) abort();
    char timeout_flag[64];
    /* libFuzzer counts whole seconds; 0 is no timeout to both. */
    snprintf(timeout_flag, sizeof timeout_flag, "-timeout=%u",
             (unsigned)(o.exec_timeout + 0.999999));
    chanfuzz_isolate_configure(o.isolate, o.exec_timeout);
    chanfuzz_interrupt_install();
    timing time = {0};
    char semantics_flag[64];
    snprintf(semantics_flag, sizeof semantics_flag, "-chanfuzz_go_semantics=%s",
             go_semantics_name(o.semantics));
    chanfuzz_multi_run run = {.targets = targets, .count = count, .out = o.out,
                              .corpus = o.corpus, .jobs = o.jobs, .timeout_flag = timeout_flag,
                              .semantics_flag = o.semantics_given ? semantics_flag : NULL};
    bool multi = !o.per_variant;
    if (multi && !chanfuzz_multi_prepare(&run)) status = CHANFUZZ_EXIT_USAGE;
    /* Seeding is start-up: the plan is made for what is left after it. */
    time.startup = chanfuzz_monotonic() - start;
    chanfuzz_fuzz_plan plan = chanfuzz_fuzz_make_plan(o.seconds, time.startup);
    if (!status && multi) {
        status = fuzz_all_at_once(&o, targets, count, bin_dir, start, &plan, &run, &buckets,
                                  samples, &sample_count, &time, &figures);
        if (status < 0) {
            multi = false;
            status = 0;
        }
        chanfuzz_multi_free(&run);
    }
    if (!status && !multi) {
        figures.mode = "per-variant";
        status = fuzz_each(&o, targets, count, bin_dir, timeout_flag, start, &plan, &buckets,
                           samples, &sample_count, &time, &figures);
    }
    if (chanfuzz_interrupted())
        fprintf(stderr, "chanfuzz fuzz: interrupted (%s): the findings so far\n",
                strsignal(chanfuzz_interrupted()));
    double seconds = chanfuzz_monotonic() - start;
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
    print_summary(&o, targets, count, &buckets, unexpected, seconds, &time, &figures);
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
    free(figures.per_target);
    if (chanfuzz_interrupted()) status = chanfuzz_interrupt_status();
    chanfuzz_buckets_free(&buckets);
    free(targets);
    return status;
}
