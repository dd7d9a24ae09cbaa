/* driver_main.c -- the standalone driver: the fuzz target's own code run
 * over files and folders without libFuzzer (gcc builds, CTest), where a
 * finding is compared with the variant's verdict instead of crashing.
 *
 *   fuzz_<s>_<v> [--expect MODE] [--quiet] PATH...        (built for one variant)
 *   chanfuzz-fuzz-driver --target NAME:VARIANT [...] PATH...
 *   chanfuzz-fuzz-driver --corpus DIR                      (a whole corpus tree)
 *
 * MODE, what each input must do:
 *   verdict   give the variant's verdict: an expected kind and nothing
 *             unexpected for a buggy variant, no finding for a fixed one
 *             (the regression corpus)
 *   allowed   nothing the variant does not expect or allow (seeds; the
 *             default)
 *   report    only report; exit 1 when anything was found (a reproducer)
 * --corpus DIR replays DIR/fuzz_<s>_<v>/ as seeds (allowed) and
 * DIR/regressions/<s>/<v>/ (verdict); other folders (fuzz_ops, owned by
 * its own test) are skipped and named.
 * Exit: 0 every input as required, 1 some not, 2 usage or unreadable input.
 * -chanfuzz_* flags (fuzz_entry.h) are accepted too. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_entry.h"

typedef enum expect_mode { EXPECT_VERDICT, EXPECT_ALLOWED, EXPECT_REPORT } expect_mode;

typedef struct driver {
    const char *program;
    bool quiet;
    uint64_t inputs, failures;
    chanfuzz_input_verdict last_verdict;  /* of the input just run */
} driver;

static driver the_driver;

static void note_findings(const chanfuzz_target *target, const uint8_t *data, size_t size,
                          const chanfuzz_findings *findings) {
    (void)data, (void)size;
    the_driver.last_verdict = chanfuzz_fuzz_classify(target, findings);
    if (the_driver.quiet) return;
    chanfuzz_report_info info = {.scenario = target->scenario->name,
                                 .variant = chanfuzz_variant_name(target->variant)};
    chanfuzz_write_text(stdout, &info, findings);
}

static bool wanted(const chanfuzz_target *target, expect_mode mode, chanfuzz_input_verdict got) {
    switch (mode) {
    case EXPECT_VERDICT:
        return target->variant == CHANFUZZ_BUGGY ? got == CHANFUZZ_INPUT_EXPECTED
                                                 : got == CHANFUZZ_INPUT_CLEAN;
    case EXPECT_ALLOWED: return got != CHANFUZZ_INPUT_UNEXPECTED;
    case EXPECT_REPORT: return got == CHANFUZZ_INPUT_CLEAN;
    }
    return false;
}

/* The whole file, malloc'ed (never NULL on success, even when empty);
 * NULL with errno set when it cannot be read. */
static uint8_t *read_file(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    uint8_t *data = malloc(1);
    size_t used = 0, capacity = 1;
    for (;;) {
        if (used == capacity) {
            uint8_t *grown = data ? realloc(data, capacity * 2) : NULL;
            if (!grown) {
                free(data);
                fclose(file);
                errno = ENOMEM;
                return NULL;
            }
            data = grown;
            capacity *= 2;
        }
        size_t got = fread(data + used, 1, capacity - used, file);
        used += got;
        if (got == 0) break;
    }
    int failed = ferror(file);
    fclose(file);
    if (failed) {
        free(data);
        errno = EIO;
        return NULL;
    }
    *size = used;
    return data;
}

static int run_file(const char *path, expect_mode mode) {
    size_t size = 0;
    uint8_t *data = read_file(path, &size);
    if (!data) {
        fprintf(stderr, "%s: %s: cannot read: %s\n", the_driver.program, path, strerror(errno));
        return -1;
    }
    const chanfuzz_target *target = chanfuzz_fuzz_current_target();
    the_driver.last_verdict = CHANFUZZ_INPUT_CLEAN;
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    the_driver.inputs++;
    bool ok = wanted(target, mode, the_driver.last_verdict);
    if (!ok) the_driver.failures++;
    if (!the_driver.quiet || !ok)
        printf("%s %s: %s:%s %s\n", ok ? "ok  " : "FAIL", path, target->scenario->name,
               chanfuzz_variant_name(target->variant),
               chanfuzz_input_verdict_name(the_driver.last_verdict));
    return ok ? 0 : 1;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a folder, sorted (readdir's order is the file system's,
 * and output must not depend on it), without dot files and README*. */
static char **list_folder(const char *path, size_t *count) {
    DIR *folder = opendir(path);
    if (!folder) return NULL;
    char **names = NULL;
    size_t used = 0, capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(folder))) {
        if (entry->d_name[0] == '.' || strncmp(entry->d_name, "README", 6) == 0) continue;
        /* Decision-trace files are replayed by `chanfuzz corpus check`
         * (CTest cli_corpus_check_repository), not read as fuzz bytes. */
        size_t length = strlen(entry->d_name);
        if (length > 6 && strcmp(entry->d_name + length - 6, ".trace") == 0) continue;
        if (length > 7 && strcmp(entry->d_name + length - 7, ".expect") == 0) continue;
        if (used == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            char **grown = realloc(names, capacity * sizeof *names);
            if (!grown) break;
            names = grown;
        }
        names[used] = strdup(entry->d_name);
        if (names[used]) used++;
    }
    closedir(folder);
    if (used) qsort(names, used, sizeof *names, by_name);
    *count = used;
    return names ? names : calloc(1, sizeof *names);
}

static void free_list(char **names, size_t count) {
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
}

static char *join(const char *folder, const char *name) {
    size_t length = strlen(folder) + strlen(name) + 2;
    char *path = malloc(length);
    if (path) snprintf(path, length, "%s/%s", folder, name);
    return path;
}

static bool is_folder(const char *path) {
    struct stat info;
    return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* A file, or every file of a folder and its subfolders. -1: unreadable. */
static int run_path(const char *path, expect_mode mode) {
    if (!is_folder(path)) return run_file(path, mode);
    size_t count;
    char **names = list_folder(path, &count);
    if (!names) {
        fprintf(stderr, "%s: %s: cannot read folder: %s\n", the_driver.program, path,
                strerror(errno));
        return -1;
    }
    int worst = 0;
    for (size_t i = 0; i < count && worst >= 0; i++) {
        char *child = join(path, names[i]);
        int status = child ? run_path(child, mode) : -1;
        if (status < 0 || status > worst) worst = status;
        free(child);
    }
    free_list(names, count);
    return worst;
}

/* regressions/goker/<package.Test>/<variant>/ holds Go traces, for the
 * Go runner's check: a folder that names no scenario here and has no
 * variant folder in it is such a corpus. An unknown scenario with variant
 * folders is a stale regression, and fails. */
static bool holds_another_corpus(const char *name, char **children, size_t count) {
    if (chanfuzz_scenario_find(name, strlen(name))) return false;
    for (size_t i = 0; i < count; i++)
        if (!strcmp(children[i], "buggy") || !strcmp(children[i], "fixed")) return false;
    return true;
}

/* corpus/regressions/<scenario>/<variant>/: verdict. */
static int run_regressions(const char *root) {
    size_t scenario_count;
    char **scenarios = list_folder(root, &scenario_count);
    if (!scenarios) return 0;   /* no regressions yet */
    int worst = 0;
    for (size_t i = 0; i < scenario_count && worst >= 0; i++) {
        char *scenario_path = join(root, scenarios[i]);
        size_t variant_count = 0;
        char **variants = scenario_path ? list_folder(scenario_path, &variant_count) : NULL;
        bool skip = variants && holds_another_corpus(scenarios[i], variants, variant_count);
        if (skip)
            printf("SKIP %s: not a scenario of this binary, and its folders are not variants "
                   "(the GoKer kernels' Go traces: chanfuzz go corpus check)\n", scenario_path);
        for (size_t j = 0; variants && !skip && j < variant_count && worst >= 0; j++) {
            char spec[512], *variant_path = join(scenario_path, variants[j]);
            snprintf(spec, sizeof spec, "%s:%s", scenarios[i], variants[j]);
            chanfuzz_target target;
            int status;
            if (!chanfuzz_target_parse(spec, &target)) {
                printf("FAIL %s: no scenario variant '%s' in the registry\n", variant_path, spec);
                the_driver.failures++;
                status = 1;
            } else {
                chanfuzz_fuzz_choose_target(&target);
                status = run_path(variant_path, EXPECT_VERDICT);
            }
            if (status < 0 || status > worst) worst = status;
            free(variant_path);
        }
        if (variants) free_list(variants, variant_count);
        free(scenario_path);
    }
    free_list(scenarios, scenario_count);
    return worst;
}

static int run_corpus(const char *root) {
    size_t count;
    char **names = list_folder(root, &count);
    if (!names) {
        fprintf(stderr, "%s: %s: cannot read folder: %s\n", the_driver.program, root,
                strerror(errno));
        return -1;
    }
    int worst = 0;
    for (size_t i = 0; i < count && worst >= 0; i++) {
        char *path = join(root, names[i]);
        int status = 0;
        chanfuzz_target target;
        size_t length = strlen(names[i]);
        bool scenario_shaped = strncmp(names[i], "fuzz_", 5) == 0 &&
                               ((length > 6 && !strcmp(names[i] + length - 6, "_buggy")) ||
                                (length > 6 && !strcmp(names[i] + length - 6, "_fixed")));
        if (!path || !is_folder(path)) {
            /* README.md and the like */
        } else if (!strcmp(names[i], "regressions")) {
            status = run_regressions(path);
        } else if (chanfuzz_fuzz_target_from_name(names[i], &target)) {
            chanfuzz_fuzz_choose_target(&target);
            status = run_path(path, EXPECT_ALLOWED);
        } else if (scenario_shaped) {
            printf("FAIL %s: no scenario variant of that name in the registry\n", path);
            the_driver.failures++;
            status = 1;
        } else {
            printf("skip %s: not a scenario target\n", path);
        }
        if (status < 0 || status > worst) worst = status;
        free(path);
    }
    free_list(names, count);
    return worst;
}

static void usage(void) {
    fprintf(stderr,
            "usage: %s [--target NAME:VARIANT] [--expect verdict|allowed|report] [--quiet] PATH...\n"
            "       %s --corpus DIR [--quiet]\n",
            the_driver.program, the_driver.program);
    exit(CHANFUZZ_EXIT_USAGE);
}

int main(int argc, char **argv) {
    the_driver.program = argc > 0 ? argv[0] : "chanfuzz-fuzz-driver";
    LLVMFuzzerInitialize(&argc, &argv);
    chanfuzz_fuzz_set_finding_handler(note_findings);

    expect_mode mode = EXPECT_ALLOWED;
    const char *corpus = NULL;
    int first_path = argc;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--quiet")) {
            the_driver.quiet = true;
        } else if (!strcmp(arg, "--target") && i + 1 < argc) {
            chanfuzz_target target;
            if (!chanfuzz_target_parse(argv[++i], &target)) {
                fprintf(stderr, "%s: --target: no such scenario variant '%s'\n", the_driver.program,
                        argv[i]);
                return CHANFUZZ_EXIT_USAGE;
            }
            chanfuzz_fuzz_choose_target(&target);
        } else if (!strcmp(arg, "--expect") && i + 1 < argc) {
            const char *word = argv[++i];
            if (!strcmp(word, "verdict")) mode = EXPECT_VERDICT;
            else if (!strcmp(word, "allowed")) mode = EXPECT_ALLOWED;
            else if (!strcmp(word, "report")) mode = EXPECT_REPORT;
            else {
                fprintf(stderr, "%s: --expect: expected verdict, allowed or report, not '%s'\n",
                        the_driver.program, word);
                return CHANFUZZ_EXIT_USAGE;
            }
        } else if (!strcmp(arg, "--corpus") && i + 1 < argc) {
            corpus = argv[++i];
        } else if (arg[0] == '-' && arg[1] == '-') {
            usage();
        } else if (arg[0] == '-') {
            fprintf(stderr, "%s: '%s': a libFuzzer flag, but this is the standalone driver "
                            "(built without libFuzzer)\n", the_driver.program, arg);
            return CHANFUZZ_EXIT_USAGE;
        } else {
            first_path = i;
            break;
        }
    }
    int status;
    if (corpus) {
        if (first_path < argc) usage();
        status = run_corpus(corpus);
    } else {
        if (first_path >= argc) usage();
        if (!chanfuzz_fuzz_current_target()) {
            fprintf(stderr, "%s: no scenario variant chosen: pass --target NAME:VARIANT\n",
                    the_driver.program);
            return CHANFUZZ_EXIT_USAGE;
        }
        status = 0;
        for (int i = first_path; i < argc && status >= 0; i++) {
            int one = run_path(argv[i], mode);
            if (one < 0 || one > status) status = one;
        }
    }
    if (status < 0) return CHANFUZZ_EXIT_USAGE;
    printf("%s: %llu inputs, %llu as required, %llu not\n", the_driver.program,
           (unsigned long long)the_driver.inputs,
           (unsigned long long)(the_driver.inputs - the_driver.failures),
           (unsigned long long)the_driver.failures);
    return the_driver.failures ? CHANFUZZ_EXIT_FINDINGS : CHANFUZZ_EXIT_CLEAN;
}
