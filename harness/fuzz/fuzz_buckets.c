/* fuzz_buckets.c -- crash files into buckets by crash state, and the
 * smallest input of each minimized in this process.
 *
 * libFuzzer names a crash file by the hash of its bytes, so two inputs
 * showing one leak are two files; the detectors' crash state (kind and
 * sites, never ids or times) is what says they are one bug. Each file is
 * replayed in this process -- the same code path as the standalone
 * driver -- rather than trusting the ==chanfuzz== line of a log that fork
 * mode interleaves. */
#include "fuzz_buckets.h"

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/interrupt.h>

#include <dirent.h>
#include <limits.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

unsigned char *chanfuzz_read_whole(const char *path, size_t *size) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    unsigned char *data = NULL;
    size_t used = 0, capacity = 0;
    for (;;) {
        if (used == capacity) {
            capacity = capacity ? 2 * capacity : 4096;
            unsigned char *grown = realloc(data, capacity);
            if (!grown) {
                free(data);
                fclose(file);
                return NULL;
            }
            data = grown;
        }
        size_t got = fread(data + used, 1, capacity - used, file);
        used += got;
        if (got == 0) break;
    }
    bool failed = ferror(file);
    fclose(file);
    if (failed) {
        free(data);
        return NULL;
    }
    *size = used;
    return data;
}

int chanfuzz_run_logged(char *const argv[], const char *log_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path,
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t child;
    /* In a process group of its own, which a SIGINT or SIGTERM of ours is
     * sent on to: a -fork parent and its workers stop with us. */
    int failed = chanfuzz_interrupt_spawn(&child, &actions, argv);
    posix_spawn_file_actions_destroy(&actions);
    if (failed) return -1;
    int status = chanfuzz_interrupt_wait(child);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* The crash state an input reproduces, judged in this process. */
typedef struct judged {
    bool reproduces;
    chanfuzz_kind kind;
    chanfuzz_input_verdict verdict;
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
} judged;

static bool judge_file(const chanfuzz_target *target, go_semantics semantics, const char *path,
                       judged *out, size_t *size) {
    unsigned char *data = chanfuzz_read_whole(path, size);
    if (!data) return false;
    chanfuzz_findings *findings =
        chanfuzz_fuzz_judge(target, data, *size, semantics, NULL, NULL, NULL, NULL);
    free(data);
    if (!findings) return false;
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(target, findings);
    *out = (judged){.reproduces = primary != NULL,
                    .verdict = chanfuzz_fuzz_classify(target, findings)};
    if (primary) {
        out->kind = primary->kind;
        snprintf(out->crash_state, sizeof out->crash_state, "%s", primary->crash_state);
    } else {
        /* A sanitizer report, a timeout or out-of-memory: the log has it. */
        snprintf(out->crash_state, sizeof out->crash_state,
                 "no chanfuzz finding (sanitizer, timeout or oom: see the log)");
    }
    chanfuzz_findings_free(findings);
    return true;
}

/* Makes (path, size) the bucket's reproducer when `better`, else lets
 * path go. Takes path, malloc'ed. */
static void keep_if(chanfuzz_bucket *b, char *path, size_t size, bool better) {
    if (!better) {
        free(path);
        return;
    }
    free(b->reproducer);
    b->reproducer = path;
    b->reproducer_size = size;
}

static chanfuzz_bucket *find_bucket(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                                    const char *crash_state) {
    for (size_t i = 0; i < buckets->count; i++) {
        chanfuzz_bucket *b = &buckets->items[i];
        if (b->target.scenario == target->scenario && b->target.variant == target->variant &&
            !strcmp(b->crash_state, crash_state))
            return b;
    }
    if (buckets->count == buckets->capacity) {
        size_t capacity = buckets->capacity ? 2 * buckets->capacity : 8;
        chanfuzz_bucket *grown = realloc(buckets->items, capacity * sizeof *grown);
        if (!grown) return NULL;
        buckets->items = grown;
        buckets->capacity = capacity;
    }
    chanfuzz_bucket *b = &buckets->items[buckets->count++];
    *b = (chanfuzz_bucket){.target = *target};
    snprintf(b->crash_state, sizeof b->crash_state, "%s", crash_state);
    return b;
}

bool chanfuzz_buckets_collect(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                              go_semantics semantics, const char *folder) {
    DIR *dir = opendir(folder);
    if (!dir) return true;   /* no artifacts: nothing crashed */
    struct dirent *entry;
    bool ok = true;
    while (ok && (entry = readdir(dir))) {
        if (strncmp(entry->d_name, "crash-", 6) != 0) continue;
        size_t length = strlen(folder) + strlen(entry->d_name) + 2;
        char *path = malloc(length);
        if (!path) {
            ok = false;
            break;
        }
        snprintf(path, length, "%s/%s", folder, entry->d_name);
        judged j;
        size_t size = 0;
        if (!judge_file(target, semantics, path, &j, &size)) {
            free(path);
            continue;
        }
        chanfuzz_bucket *b = find_bucket(buckets, target, j.crash_state);
        if (!b) {
            free(path);
            ok = false;
            break;
        }
        b->crashes++;
        b->reproduces = j.reproduces;
        b->kind = j.kind;
        b->verdict = j.verdict;
        /* Keep the smallest; on a tie the first in name order, so the
         * choice does not depend on readdir's order. */
        keep_if(b, path, size,
                !b->reproducer || size < b->reproducer_size ||
                    (size == b->reproducer_size && strcmp(path, b->reproducer) < 0));
    }
    closedir(dir);
    return ok;
}

/* Does data still give exactly this crash state? */
static bool gives(const chanfuzz_target *target, go_semantics semantics, const uint8_t *data,
                  size_t size, const char *crash_state) {
    chanfuzz_findings *findings =
        chanfuzz_fuzz_judge(target, data, size, semantics, NULL, NULL, NULL, NULL);
    if (!findings) return false;
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(target, findings);
    bool same = primary && !strcmp(primary->crash_state, crash_state);
    chanfuzz_findings_free(findings);
    return same;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Delta debugging over the bytes, every candidate judged in this process:
 * remove chunks of halving size (the whole tail first: past its end a
 * fuzz input answers every question with the plain choice), then lower
 * single bytes to 0, last first (0 is no preemption, the first option).
 * Keeps a change when the crash state is still the same. Stops at the
 * deadline. Returns the new size; data is changed in place. */
static size_t shrink(const chanfuzz_target *target, go_semantics semantics, uint8_t *data,
                     size_t size, const char *crash_state, double deadline) {
    uint8_t *candidate = malloc(size ? size : 1);
    if (!candidate) return size;
    size_t chunk = size / 2 ? size / 2 : 1;
    while (size > 0 && now_seconds() < deadline) {
        bool removed = false;
        /* Tail first: the schedule is read from the tail. */
        for (size_t end = size; end > 0 && now_seconds() < deadline;) {
            size_t at = end > chunk ? end - chunk : 0, take = end - at;
            memcpy(candidate, data, at);
            memcpy(candidate + at, data + end, size - end);
            if (gives(target, semantics, candidate, size - take, crash_state)) {
                memcpy(data, candidate, size - take);
                size -= take;
                removed = true;
            }
            end = at;
        }
        if (removed) continue;
        if (chunk == 1) break;
        chunk /= 2;
    }
    for (size_t k = size; k-- > 0 && now_seconds() < deadline;) {
        if (data[k] == 0) continue;
        uint8_t old = data[k];
        data[k] = 0;
        if (!gives(target, semantics, data, size, crash_state)) data[k] = old;
    }
    free(candidate);
    return size;
}

void chanfuzz_buckets_minimize(chanfuzz_buckets *buckets, size_t from, go_semantics semantics,
                               unsigned seconds) {
    for (size_t i = from; i < buckets->count; i++) {
        chanfuzz_bucket *b = &buckets->items[i];
        if (!b->reproduces || !b->reproducer || b->reproducer_size == 0) continue;
        size_t size;
        uint8_t *data = chanfuzz_read_whole(b->reproducer, &size);
        if (!data) continue;
        double deadline = now_seconds() + (seconds ? seconds : 1);
        size_t shrunk = shrink(&b->target, semantics, data, size, b->crash_state, deadline);
        char hash[17], *minimized;
        chanfuzz_crash_state_hash(b->crash_state, hash);
        size_t length = strlen(b->reproducer) + 64;
        /* Next to the crash file: minimized-<crash state hash>, kept only
         * when it is smaller and judged again to give the same state. */
        const char *slash = strrchr(b->reproducer, '/');
        int folder_length = slash ? (int)(slash - b->reproducer) : 1;
        char stem[PATH_MAX];
        if (shrunk < b->reproducer_size && (minimized = malloc(length))) {
            snprintf(stem, sizeof stem, "%.*s/minimized-%s", folder_length,
                     slash ? b->reproducer : ".", hash);
            judged j;
            size_t written = 0;
            /* Never over another run's minimized input of the same state:
             * the one it reported must stay what it reported. */
            bool same = chanfuzz_atomic_create(stem, "", data, shrunk, minimized, length) &&
                        judge_file(&b->target, semantics, minimized, &j, &written) &&
                        j.reproduces && !strcmp(j.crash_state, b->crash_state);
            keep_if(b, minimized, written, same);
        }
        free(data);
    }
}

void chanfuzz_buckets_free(chanfuzz_buckets *buckets) {
    for (size_t i = 0; i < buckets->count; i++) {
        free(buckets->items[i].reproducer);
        free(buckets->items[i].trace);
    }
    free(buckets->items);
    *buckets = (chanfuzz_buckets){0};
}
