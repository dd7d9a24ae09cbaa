/* fuzz_buckets.c -- crash files into buckets by crash state, the smallest
 * input of each minimized, and the child processes that takes.
 *
 * libFuzzer names a crash file by the hash of its bytes, so two inputs
 * showing one leak are two files; the detectors' crash state (kind and
 * sites, never ids or times) is what says they are one bug. Each file is
 * replayed in this process -- the same code path as the standalone
 * driver -- rather than trusting the ==chanfuzz== line of a log that fork
 * mode interleaves. */
#include "fuzz_buckets.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

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
    int failed = posix_spawn(&child, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed) return -1;
    int status;
    while (waitpid(child, &status, 0) < 0) {
    }
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
        if (!b->reproducer || size < b->reproducer_size ||
            (size == b->reproducer_size && strcmp(path, b->reproducer) < 0)) {
            free(b->reproducer);
            b->reproducer = path;
            b->reproducer_size = size;
        } else {
            free(path);
        }
    }
    closedir(dir);
    return ok;
}

void chanfuzz_buckets_minimize(chanfuzz_buckets *buckets, size_t from, const char *binary,
                               const char *extra_flag, go_semantics semantics, unsigned seconds,
                               const char *log_path) {
    for (size_t i = from; i < buckets->count; i++) {
        chanfuzz_bucket *b = &buckets->items[i];
        if (!b->reproduces || !b->reproducer || b->reproducer_size == 0) continue;
        char hash[17], time_flag[64], *minimized;
        chanfuzz_crash_state_hash(b->crash_state, hash);
        size_t length = strlen(b->reproducer) + 32;
        if (!(minimized = malloc(length))) continue;
        /* Next to the crash file: minimized-<crash state hash>. */
        const char *slash = strrchr(b->reproducer, '/');
        int folder_length = slash ? (int)(slash - b->reproducer) : 1;
        snprintf(minimized, length, "%.*s/minimized-%s", folder_length,
                 slash ? b->reproducer : ".", hash);
        snprintf(time_flag, sizeof time_flag, "-max_total_time=%u", seconds ? seconds : 1);
        char exact[4200];
        snprintf(exact, sizeof exact, "-exact_artifact_path=%s", minimized);
        char *argv[] = {(char *)binary, "-minimize_crash=1", time_flag, exact,
                        (char *)(extra_flag ? extra_flag : "-runs=100000"), b->reproducer, NULL};
        chanfuzz_run_logged(argv, log_path);
        judged j;
        size_t size = 0;
        if (judge_file(&b->target, semantics, minimized, &j, &size) && j.reproduces &&
            !strcmp(j.crash_state, b->crash_state) && size <= b->reproducer_size) {
            free(b->reproducer);
            b->reproducer = minimized;
            b->reproducer_size = size;
        } else {
            free(minimized);
        }
    }
}

void chanfuzz_buckets_free(chanfuzz_buckets *buckets) {
    for (size_t i = 0; i < buckets->count; i++) free(buckets->items[i].reproducer);
    free(buckets->items);
    *buckets = (chanfuzz_buckets){0};
}
