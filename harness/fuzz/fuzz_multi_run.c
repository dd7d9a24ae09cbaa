/* fuzz_multi_run.c -- seeding, running, merging and splitting the
 * multi-variant libFuzzer process (fuzz_multi_run.h has the files). */
#include "fuzz_multi_run.h"

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/interrupt.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_buckets.h"
#include "fuzz_multi.h"
#include "fuzz_plan.h"

/* ---- processes ---------------------------------------------------------------- */

double chanfuzz_monotonic(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int chanfuzz_run_until(char *const argv[], const char *log_path, double deadline, bool *killed) {
    return chanfuzz_run_watched(argv, log_path, deadline, NULL, NULL, killed);
}

int chanfuzz_run_watched(char *const argv[], const char *log_path, double deadline,
                         chanfuzz_watch *watch, void *self, bool *killed) {
    *killed = false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path,
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t child;
    int failed = chanfuzz_interrupt_spawn(&child, &actions, argv);
    posix_spawn_file_actions_destroy(&actions);
    if (failed) return -1;
    /* Poll without reaping (WNOWAIT): chanfuzz_interrupt_wait reaps, and
     * forgets the group the interrupt handler forwards signals to. */
    double next_watch = 0;
    for (;;) {
        siginfo_t info = {0};
        int got = waitid(P_PID, (id_t)child, &info, WEXITED | WNOHANG | WNOWAIT);
        if (got == 0 && info.si_pid == child) break;
        if (got < 0 && errno != EINTR) break;
        double now = chanfuzz_monotonic();
        if (watch && now >= next_watch) {
            double earlier = watch(self);
            if (earlier < deadline) deadline = earlier;
            next_watch = now + 0.5;
        }
        if (now >= deadline) {
            kill(-child, SIGKILL);
            *killed = true;
            break;
        }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    int status = chanfuzz_interrupt_wait(child);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

unsigned long long chanfuzz_log_executions(const char *log_path) {
    FILE *log = fopen(log_path, "r");
    if (!log) return 0;
    char line[1024];
    unsigned long long last = 0, n;
    while (fgets(line, sizeof line, log))
        if (line[0] == '#' && sscanf(line + 1, "%llu", &n) == 1) last = n;
    fclose(log);
    return last;
}

int chanfuzz_make_folder(const char *path) {
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

/* ---- files ---------------------------------------------------------------------- */

/* A seed's name: 16 hex digits of a 64-bit FNV-1a hash of its bytes, so
 * the seed a crash file repeats is found by name. */
static void content_name(const uint8_t *data, size_t size, char out[17]) {
    uint64_t hash = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; i++) hash = (hash ^ data[i]) * 0x100000001b3ull;
    snprintf(out, 17, "%016llx", (unsigned long long)hash);
}

/* A file that must survive: atomically, never over an existing one (an
 * existing name holds the same bytes: names are content hashes). */
static bool write_new(const char *path, const uint8_t *data, size_t size) {
    chanfuzz_atomic_file f;
    if (!chanfuzz_atomic_open(&f, path)) return false;
    if (size && fwrite(data, 1, size, f.stream) != size) {
        chanfuzz_atomic_abandon(&f);
        return false;
    }
    return chanfuzz_atomic_commit_new(&f) || errno == EEXIST;
}

/* A scratch copy (a seed): no fsync, no temporary -- the folder is this
 * run's own and its names are content hashes, so a torn file can only be
 * one this run wrote and will not read after a crash of its own. */
static bool write_scratch(const char *path, const uint8_t *data, size_t size) {
    FILE *file = fopen(path, "wb");
    if (!file) return false;
    bool ok = (!size || fwrite(data, 1, size, file) == size);
    return fclose(file) == 0 && ok;
}

/* Calls each(self, path, name) for the regular files of a folder that do
 * not start with a dot (an atomic write's temporary). */
typedef void each_file(void *self, const char *path, const char *name);
static void for_files(const char *folder, each_file *each, void *self) {
    DIR *dir = opendir(folder);
    if (!dir) return;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.') continue;
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) each(self, path, entry->d_name);
    }
    closedir(dir);
}

static void remove_file(void *self, const char *path, const char *name) {
    (void)self, (void)name;
    unlink(path);
}

/* ---- seeding -------------------------------------------------------------------- */

typedef struct seeding {
    chanfuzz_multi_run *run;
    size_t index;
} seeding;

static void add_seed(chanfuzz_multi_run *run, size_t index, const uint8_t *data, size_t size) {
    uint8_t prefix[CHANFUZZ_MULTI_PREFIX_BYTES];
    chanfuzz_multi_prefix(index, prefix);
    uint8_t *whole = malloc(size + sizeof prefix);
    if (!whole) return;
    memcpy(whole, prefix, sizeof prefix);
    if (size) memcpy(whole + sizeof prefix, data, size);
    char name[17], path[PATH_MAX + 32];
    content_name(whole, size + sizeof prefix, name);
    snprintf(path, sizeof path, "%s/seeds/%s", run->work, name);
    if (write_scratch(path, whole, size + sizeof prefix)) run->seeds++;
    free(whole);
}

static void seed_file(void *self, const char *path, const char *name) {
    (void)name;
    seeding *s = self;
    size_t size;
    uint8_t *data = chanfuzz_read_whole(path, &size);
    if (!data) return;
    add_seed(s->run, s->index, data, size);
    free(data);
}

bool chanfuzz_multi_prepare(chanfuzz_multi_run *run) {
    char path[PATH_MAX + 64];
    snprintf(run->work, sizeof run->work, "%s/multi-XXXXXX", run->out);
    if (chanfuzz_make_folder(run->out) || !mkdtemp(run->work)) {
        fprintf(stderr, "chanfuzz fuzz: cannot make %s: %s\n", run->work, strerror(errno));
        return false;
    }
    run->executions = calloc(run->count, sizeof *run->executions);
    if (!run->executions) abort();
    const char *folders[] = {"seeds", "new", "artifacts", "stats"};
    for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", run->work, folders[i]);
        if (chanfuzz_make_folder(path)) {
            fprintf(stderr, "chanfuzz fuzz: cannot make %s: %s\n", path, strerror(errno));
            return false;
        }
    }
    snprintf(path, sizeof path, "%s/targets.txt", run->work);
    FILE *list = fopen(path, "w");
    if (!list) {
        fprintf(stderr, "chanfuzz fuzz: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    for (size_t i = 0; i < run->count; i++) {
        fprintf(list, "%s:%s\n", run->targets[i].scenario->name,
                chanfuzz_variant_name(run->targets[i].variant));
        /* Every variant starts with at least its prefix alone (the plain
         * schedule), so each is run even when its corpus folder is empty. */
        add_seed(run, i, NULL, 0);
        char name[256], folder[PATH_MAX + 256];
        chanfuzz_fuzz_target_name(&run->targets[i], name, sizeof name);
        snprintf(folder, sizeof folder, "%s/%s", run->corpus, name);
        for_files(folder, seed_file, &(seeding){run, i});
    }
    if (fclose(list)) {
        fprintf(stderr, "chanfuzz fuzz: cannot write %s\n", path);
        return false;
    }
    return true;
}

/* ---- fuzzing -------------------------------------------------------------------- */

/* The variant a multi input is for, its payload, and that variant's folder
 * under `base`. */
static const uint8_t *split_input(const chanfuzz_multi_run *run, const uint8_t *data,
                                  size_t *size, const char *base, char *folder,
                                  size_t folder_size, size_t *index) {
    *index = chanfuzz_multi_index(data, *size, run->count);
    char name[256];
    chanfuzz_fuzz_target_name(&run->targets[*index], name, sizeof name);
    snprintf(folder, folder_size, "%s/%s", base, name);
    return chanfuzz_multi_payload(data, size);
}

/* A libFuzzer artifact (a real crash, hang, out-of-memory or leak) goes
 * to its variant's folder without its prefix, where bucketing finds it;
 * the seed it repeats, if any, is dropped so the next process does not
 * die on it while loading. */
static void move_artifact(void *self, const char *path, const char *name) {
    chanfuzz_multi_run *run = self;
    size_t size;
    uint8_t *data = chanfuzz_read_whole(path, &size);
    if (!data) return;
    char seed[17], seed_path[PATH_MAX + 32], folder[PATH_MAX], to[PATH_MAX + 256];
    content_name(data, size, seed);
    snprintf(seed_path, sizeof seed_path, "%s/seeds/%s", run->work, seed);
    unlink(seed_path);
    size_t payload_size = size, index;
    const uint8_t *payload =
        split_input(run, data, &payload_size, run->out, folder, sizeof folder, &index);
    /* Beside the model findings, not among them: these crashed or hung a
     * process, so they are judged in children (chanfuzz_multi_artifacts). */
    size_t used = strlen(folder);
    snprintf(folder + used, sizeof folder - used, "/%s", CHANFUZZ_MULTI_ARTIFACTS);
    snprintf(to, sizeof to, "%s/%s", folder, name);
    if (chanfuzz_make_folder(folder) || !write_new(to, payload, payload_size))
        fprintf(stderr, "chanfuzz fuzz: cannot write %s: %s\n", to, strerror(errno));
    else
        unlink(path);
    free(data);
}

static void collect_artifacts(chanfuzz_multi_run *run) {
    char folder[PATH_MAX + 16];
    snprintf(folder, sizeof folder, "%s/artifacts", run->work);
    for_files(folder, move_artifact, run);
}

/* A process may crash on an input again and again (a seed no longer
 * dropped, a hang the mutator keeps finding): past this many, the rest of
 * the budget goes to merging and bucketing. */
enum { MAX_CRASHED_PROCESSES = 16 };

/* What the processes libFuzzer starts itself see (fuzz_entry.c): -fork
 * workers get argv without our flags. Unset after,
 * so a per-variant process started later is not turned into a multi one. */
static void set_multi_environment(const chanfuzz_multi_run *run, bool on) {
    if (!on) {
        unsetenv("CHANFUZZ_FUZZ_END");
        unsetenv("CHANFUZZ_FUZZ_TARGETS");
        unsetenv("CHANFUZZ_FUZZ_FINDINGS");
        unsetenv("CHANFUZZ_FUZZ_STATS");
        return;
    }
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/targets.txt", run->work);
    setenv("CHANFUZZ_FUZZ_TARGETS", path, 1);
    setenv("CHANFUZZ_FUZZ_FINDINGS", run->out, 1);
    snprintf(path, sizeof path, "%s/stats", run->work);
    setenv("CHANFUZZ_FUZZ_STATS", path, 1);
}

/* Does the binary have the multi-variant mode and know every selected
 * variant? A binary built before it, a stand-in script or one linking
 * other scenarios says otherwise (no {"multi":N} line, or exit 2). */
static bool has_multi_mode(chanfuzz_multi_run *run, double deadline) {
    char list_flag[PATH_MAX + 32], log_path[PATH_MAX + 16];
    snprintf(list_flag, sizeof list_flag, "-chanfuzz_targets=%s/targets.txt", run->work);
    snprintf(log_path, sizeof log_path, "%s/probe.log", run->work);
    char *argv[] = {(char *)run->binary, list_flag, "-chanfuzz_info=1", NULL};
    bool killed;
    /* A binary that takes the probe for a fuzzing run must not eat the
     * budget: ten seconds, when it has that much. */
    double now = chanfuzz_monotonic();
    if (chanfuzz_run_until(argv, log_path, deadline < now + 10 ? deadline : now + 10, &killed) != 0)
        return false;
    FILE *log = fopen(log_path, "r");
    if (!log) return false;
    char line[256];
    size_t count = 0;
    bool found = false;
    while (!found && fgets(line, sizeof line, log))
        found = sscanf(line, "{\"multi\":%zu}", &count) == 1 && count == run->count;
    fclose(log);
    return found;
}

/* Judging a crash file for its bucket, and minimizing it, in the command's
 * process: the stress scenarios take up to ~0.3 s a replay with ASan on a
 * loaded machine, so 0.1 s a file on average is what the tail must hold for
 * every file the process has written; fuzzing ends earlier when they would
 * not fit. */
static const double JUDGE_SECONDS_PER_FILE = 0.1;

typedef struct fuzz_watch {
    const chanfuzz_multi_run *run;
    double end;           /* the command's end (T) */
} fuzz_watch;

static size_t count_crash_files(const chanfuzz_multi_run *run) {
    size_t files = 0;
    for (size_t i = 0; i < run->count; i++) {
        char name[256], folder[PATH_MAX + 256];
        chanfuzz_fuzz_target_name(&run->targets[i], name, sizeof name);
        snprintf(folder, sizeof folder, "%s/%s", run->out, name);
        DIR *dir = opendir(folder);
        if (!dir) continue;
        struct dirent *entry;
        while ((entry = readdir(dir))) files += strncmp(entry->d_name, "crash-", 6) == 0;
        closedir(dir);
    }
    return files;
}

/* The latest the fuzzing may end so that judging the files so far fits. */
static double judging_deadline(void *self) {
    const fuzz_watch *w = self;
    return w->end - (double)count_crash_files(w->run) * JUDGE_SECONDS_PER_FILE;
}

chanfuzz_multi_outcome chanfuzz_multi_fuzz(chanfuzz_multi_run *run, double deadline, double end) {
    if (!has_multi_mode(run, deadline)) return CHANFUZZ_MULTI_UNSUPPORTED;
    fuzz_watch watch = {run, end};
    char list_flag[PATH_MAX + 32], findings_flag[PATH_MAX + 32], stats_flag[PATH_MAX + 32],
        prefix_flag[PATH_MAX + 32], new_dir[PATH_MAX + 8], seeds[PATH_MAX + 8],
        log_path[PATH_MAX + 32], time_flag[64], fork_flag[64];
    snprintf(list_flag, sizeof list_flag, "-chanfuzz_targets=%s/targets.txt", run->work);
    snprintf(findings_flag, sizeof findings_flag, "-chanfuzz_findings=%s", run->out);
    snprintf(stats_flag, sizeof stats_flag, "-chanfuzz_stats=%s/stats", run->work);
    snprintf(prefix_flag, sizeof prefix_flag, "-artifact_prefix=%s/artifacts/", run->work);
    snprintf(new_dir, sizeof new_dir, "%s/new", run->work);
    snprintf(seeds, sizeof seeds, "%s/seeds", run->work);
    snprintf(fork_flag, sizeof fork_flag, "-fork=%u", run->jobs);
    set_multi_environment(run, true);
    /* The deadline the fuzzing process keeps itself (fuzz_entry.c). */
    char end_text[64];
    snprintf(end_text, sizeof end_text, "%.3f", deadline);
    setenv("CHANFUZZ_FUZZ_END", end_text, 1);
    chanfuzz_multi_outcome outcome = CHANFUZZ_MULTI_DONE;
    while (!chanfuzz_interrupted()) {
        unsigned seconds = chanfuzz_fuzz_process_seconds(deadline - chanfuzz_monotonic());
        if (!seconds) break;
        /* The target stops itself at the deadline; -max_total_time is the
         * backstop for a binary that does not (it ends later, never
         * earlier: it runs up to N + 1 s). */
        seconds += 1;
        snprintf(time_flag, sizeof time_flag, "-max_total_time=%u", seconds);
        snprintf(log_path, sizeof log_path, "%s/fuzz-%u.log", run->work, run->processes + 1);
        char *argv[16];
        int n = 0;
        argv[n++] = (char *)run->binary;
        argv[n++] = time_flag;
        if (run->jobs > 1) {
            argv[n++] = fork_flag;
            argv[n++] = "-ignore_crashes=1";
        }
        argv[n++] = prefix_flag;
        if (run->timeout_flag) argv[n++] = (char *)run->timeout_flag;
        argv[n++] = list_flag;
        argv[n++] = findings_flag;
        argv[n++] = stats_flag;
        if (run->semantics_flag) argv[n++] = (char *)run->semantics_flag;
        argv[n++] = new_dir;
        argv[n++] = seeds;
        argv[n] = NULL;
        bool killed;
        /* Half a second of grace: libFuzzer checks its clock between
         * inputs, then writes its statistics. */
        int status = chanfuzz_run_watched(argv, log_path, deadline + 0.5, judging_deadline,
                                          &watch, &killed);
        run->processes++;
        unsigned long long executions = chanfuzz_log_executions(log_path);
        run->total += executions;
        if (run->processes == 1 && !executions && (status == CHANFUZZ_EXIT_USAGE || status < 0)) {
            outcome = status < 0 ? CHANFUZZ_MULTI_FAILED : CHANFUZZ_MULTI_UNSUPPORTED;
            break;
        }
        collect_artifacts(run);
        if (status == 0 || killed || chanfuzz_interrupted()) {
            if (killed && chanfuzz_monotonic() < deadline)
                fprintf(stderr, "chanfuzz fuzz: fuzzing ended %.1f s early: judging the %zu crash "
                                "files so far needs the rest of the budget\n",
                        deadline - chanfuzz_monotonic(), count_crash_files(run));
            break;
        }
        run->crashes++;
        fprintf(stderr, "chanfuzz fuzz: the fuzzing process ended with status %d (log %s): "
                        "restarting it for the time left\n", status, log_path);
        if (run->crashes >= MAX_CRASHED_PROCESSES) {
            fprintf(stderr, "chanfuzz fuzz: %u crashed processes: fuzzing stops early\n",
                    run->crashes);
            break;
        }
    }
    set_multi_environment(run, false);
    return outcome;
}

/* ---- keeping new inputs ----------------------------------------------------------- */

static void split_kept(void *self, const char *path, const char *name) {
    chanfuzz_multi_run *run = self;
    size_t size, index;
    uint8_t *data = chanfuzz_read_whole(path, &size);
    if (!data) return;
    char folder[PATH_MAX], to[PATH_MAX + 256];
    const uint8_t *payload = split_input(run, data, &size, run->corpus, folder, sizeof folder, &index);
    snprintf(to, sizeof to, "%s/%s", folder, name);
    /* No fsync: hundreds of them took seconds of a 60 s budget on a busy
     * disk, and a torn corpus file is still a valid input (every byte
     * string is one). "x": never over an existing name. */
    FILE *file = chanfuzz_make_folder(folder) ? NULL : fopen(to, "wbx");
    if (file) {
        bool ok = !size || fwrite(payload, 1, size, file) == size;
        if (fclose(file) == 0 && ok) run->added++;
        else unlink(to);
    }
    free(data);
}

static void read_stats(void *self, const char *path, const char *name) {
    (void)name;
    chanfuzz_multi_run *run = self;
    FILE *stats = fopen(path, "r");
    if (!stats) return;
    char target[256];
    unsigned long long executions;
    while (fscanf(stats, "%255s %llu", target, &executions) == 2)
        for (size_t i = 0; i < run->count; i++) {
            char name_i[256];
            chanfuzz_fuzz_target_name(&run->targets[i], name_i, sizeof name_i);
            if (!strcmp(name_i, target)) run->executions[i] += executions;
        }
    fclose(stats);
}

void chanfuzz_multi_keep(chanfuzz_multi_run *run) {
    char folder[PATH_MAX + 16];
    snprintf(folder, sizeof folder, "%s/stats", run->work);
    for_files(folder, read_stats, run);
    snprintf(folder, sizeof folder, "%s/new", run->work);
    for_files(folder, split_kept, run);
    /* The copies go now, inside the budget's tail (unlinking a thousand
     * files took seconds on a busy disk); the logs stay. */
    const char *copies[] = {"seeds", "new", "stats"};
    for (size_t i = 0; i < sizeof copies / sizeof copies[0]; i++) {
        snprintf(folder, sizeof folder, "%s/%s", run->work, copies[i]);
        for_files(folder, remove_file, NULL);
        rmdir(folder);
    }
}

void chanfuzz_multi_free(chanfuzz_multi_run *run) {
    free(run->executions);
    run->executions = NULL;
}
