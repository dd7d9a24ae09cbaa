/* fuzz_buckets.c -- crash files into buckets by crash state, and the
 * smallest input of each minimized in this process.
 *
 * libFuzzer names a crash file by the hash of its bytes, so two inputs
 * showing one leak are two files; the detectors' crash state (kind and
 * sites, never ids or times) is what says they are one bug. Each file is
 * judged again -- the same code path as the standalone driver, in a child
 * process (fuzz_judge_isolated.h), since a crash file may crash the
 * scenario -- rather than trusting the ==chanfuzz== line of a log that
 * fork mode interleaves. */
#include "fuzz_buckets.h"

#include <chanfuzz/atomic_file.h>
#include <chanfuzz/interrupt.h>
#include <chanfuzz/isolate.h>

#include "fuzz_judge_isolated.h"

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

/* libFuzzer's artifacts (its -artifact_prefix files), by the prefix it
 * names each with, and the crash state of one that gives no finding when
 * judged again. An out-of-memory input is not judged again: it would take
 * this machine's memory, not a child's, and ASan allows no limit set
 * after its start. */
typedef enum artifact { ARTIFACT_CRASH, ARTIFACT_TIMEOUT, ARTIFACT_LEAK, ARTIFACT_OOM } artifact;
static const struct {
    const char *prefix;
    chanfuzz_kind kind;
    const char *unreproduced;
} artifacts[] = {
    [ARTIFACT_CRASH] = {"crash-", CHANFUZZ_CRASH,
                        "no chanfuzz finding when judged again (libFuzzer's crash: see the log)"},
    [ARTIFACT_TIMEOUT] = {"timeout-", CHANFUZZ_HANG,
                          "timeout: past libFuzzer's -timeout, not past --exec-timeout when "
                          "judged again (see the log)"},
    [ARTIFACT_LEAK] = {"leak-", CHANFUZZ_CRASH,
                       "memory leak in scenario code (LeakSanitizer: see the log; replay with "
                       "--no-isolate on the asan build to see it again)"},
    [ARTIFACT_OOM] = {"oom-", CHANFUZZ_CRASH,
                      "out of memory (libFuzzer's -rss_limit_mb or -malloc_limit_mb: see the "
                      "log; not judged again)"},
};
#define ARTIFACT_COUNT (sizeof artifacts / sizeof artifacts[0])

static bool artifact_of(const char *name, artifact *out) {
    for (size_t i = 0; i < ARTIFACT_COUNT; i++)
        if (!strncmp(name, artifacts[i].prefix, strlen(artifacts[i].prefix))) {
            *out = (artifact)i;
            return true;
        }
    return false;
}

/* Judges one artifact file in a child (fuzz_judge_isolated.h). */
static bool judge_file(const chanfuzz_target *target, go_semantics semantics, const char *path,
                       artifact type, chanfuzz_judged *out, size_t *size) {
    unsigned char *data = chanfuzz_read_whole(path, size);
    if (!data) return false;
    bool judged = type == ARTIFACT_OOM
                      ? (*out = (chanfuzz_judged){.semantics = semantics}, true)
                      : chanfuzz_judge_isolated(target, semantics, data, *size, out);
    free(data);
    if (judged && !out->reproduces) {
        out->kind = artifacts[type].kind;
        snprintf(out->crash_state, sizeof out->crash_state, "%s", artifacts[type].unreproduced);
    }
    return judged;
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


void chanfuzz_buckets_note_found(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                                 const char *folder, double started) {
    char path[PATH_MAX], hash[17], line[128], want[17];
    snprintf(path, sizeof path, "%s/found.tsv", folder);
    FILE *found = fopen(path, "r");
    if (!found) return;
    unsigned long long executions;
    double seconds;
    while (fgets(line, sizeof line, found)) {
        if (sscanf(line, "%16[0-9a-f]\t%llu\t%lf", hash, &executions, &seconds) != 3) continue;
        for (size_t i = 0; i < buckets->count; i++) {
            chanfuzz_bucket *b = &buckets->items[i];
            if (b->target.scenario != target->scenario || b->target.variant != target->variant)
                continue;
            chanfuzz_crash_state_hash(b->crash_state, want);
            if (strcmp(want, hash)) continue;
            double since = seconds > started ? seconds - started : 0;
            if (executions && (!b->found_at_execution || since < b->found_at_seconds)) {
                b->found_at_seconds = since;
                b->found_at_execution = executions;
            }
        }
    }
    fclose(found);
}

/* The bucket's reproducer becomes (path, j): a death's decisions go with
 * it, for its trace. Takes path and j's decisions. */
static void keep_judged(chanfuzz_bucket *b, char *path, size_t size, chanfuzz_judged *j) {
    /* Keep the smallest; on a tie the first in name order, so the
     * choice does not depend on readdir's order. */
    bool better = !b->reproducer || size < b->reproducer_size ||
                  (size == b->reproducer_size && strcmp(path, b->reproducer) < 0);
    keep_if(b, path, size, better);
    if (!better) {
        chanfuzz_judged_free(j);
        return;
    }
    free(b->death_decisions);
    b->died = j->died;
    b->death_semantics = j->semantics;
    b->death_decisions = j->decisions;
    b->death_decision_count = j->decision_count;
    j->decisions = NULL;
}

bool chanfuzz_buckets_collect(chanfuzz_buckets *buckets, const chanfuzz_target *target,
                              go_semantics semantics, const char *folder) {
    DIR *dir = opendir(folder);
    if (!dir) return true;   /* no artifacts: nothing crashed */
    struct dirent *entry;
    bool ok = true;
    artifact type;
    while (ok && (entry = readdir(dir))) {
        if (!artifact_of(entry->d_name, &type)) continue;
        size_t length = strlen(folder) + strlen(entry->d_name) + 2;
        char *path = malloc(length);
        if (!path) {
            ok = false;
            break;
        }
        snprintf(path, length, "%s/%s", folder, entry->d_name);
        chanfuzz_judged j;
        size_t size = 0;
        if (!judge_file(target, semantics, path, type, &j, &size)) {
            free(path);
            continue;
        }
        chanfuzz_bucket *b = find_bucket(buckets, target, j.crash_state);
        if (!b) {
            free(path);
            chanfuzz_judged_free(&j);
            ok = false;
            break;
        }
        b->crashes++;
        b->reproduces = j.reproduces;
        b->kind = j.kind;
        b->verdict = j.verdict;
        keep_judged(b, path, size, &j);
    }
    closedir(dir);
    return ok;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* What the shrinking asks of a candidate: does it still give the crash
 * state? */
typedef struct shrink_goal {
    const chanfuzz_target *target;
    go_semantics semantics;
    const char *crash_state;
    bool isolated;   /* each candidate in a child of its own: a crash's */
} shrink_goal;

static bool gives(const shrink_goal *goal, const uint8_t *data, size_t size) {
    if (goal->isolated) {
        chanfuzz_judged j;
        bool same = chanfuzz_judge_isolated(goal->target, goal->semantics, data, size, &j) &&
                    j.reproduces && !strcmp(j.crash_state, goal->crash_state);
        chanfuzz_judged_free(&j);
        return same;
    }
    chanfuzz_findings *findings = chanfuzz_fuzz_judge(goal->target, data, size, goal->semantics,
                                                      NULL, NULL, NULL, NULL);
    if (!findings) return false;
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(goal->target, findings);
    bool same = primary && !strcmp(primary->crash_state, goal->crash_state);
    chanfuzz_findings_free(findings);
    return same;
}

/* Delta debugging over the bytes: remove chunks of halving size (the
 * whole tail first: past its end a fuzz input answers every question with
 * the plain choice), then lower single bytes to 0, last first (0 is no
 * preemption, the first option). Keeps a change when the crash state is
 * still the same. Stops at the deadline.
 *
 * data and *size change only to a candidate already judged, the size
 * last: when the shrinking runs in a child that a candidate kills, the
 * parent reads the last good input from them. */
static void shrink(const shrink_goal *goal, uint8_t *data, size_t *size, double deadline) {
    uint8_t *candidate = malloc(*size ? *size : 1);
    if (!candidate) return;
    size_t chunk = *size / 2 ? *size / 2 : 1;
    while (*size > 0 && now_seconds() < deadline) {
        bool removed = false;
        /* Tail first: the schedule is read from the tail. */
        for (size_t end = *size; end > 0 && now_seconds() < deadline;) {
            size_t at = end > chunk ? end - chunk : 0, take = end - at;
            memcpy(candidate, data, at);
            memcpy(candidate + at, data + end, *size - end);
            if (gives(goal, candidate, *size - take)) {
                memcpy(data, candidate, *size - take);
                *size -= take;
                removed = true;
            }
            end = at;
        }
        if (removed) continue;
        if (chunk == 1) break;
        chunk /= 2;
    }
    for (size_t k = *size; k-- > 0 && now_seconds() < deadline;) {
        if (data[k] == 0) continue;
        memcpy(candidate, data, *size);
        candidate[k] = 0;
        if (gives(goal, candidate, *size)) data[k] = 0;
    }
    free(candidate);
}

/* A model finding's input shrinks in one child: its candidates are
 * judged there at in-process speed, and a candidate that crashes the
 * scenario ends the shrinking, not chanfuzz fuzz. */
typedef struct shrink_job {
    const shrink_goal *goal;
    uint8_t *data;   /* shared memory */
    size_t *size;    /* shared memory */
    double deadline;
} shrink_job;

static int shrink_in_child(void *self) {
    const shrink_job *job = self;
    shrink(job->goal, job->data, job->size, job->deadline);
    return 0;
}

/* Shrinks (data, size) for b's crash state; returns the new size. */
static size_t shrink_bucket(const chanfuzz_bucket *b, go_semantics semantics, uint8_t *data,
                            size_t size, double deadline) {
    shrink_goal goal = {&b->target, semantics, b->crash_state, b->died};
    if (b->died) {
        shrink(&goal, data, &size, deadline);
        return size;
    }
    shrink_job job = {&goal, chanfuzz_shared_calloc(size ? size : 1, 1),
                      chanfuzz_shared_calloc(1, sizeof(size_t)), deadline};
    memcpy(job.data, data, size);
    *job.size = size;
    chanfuzz_crash crash;
    if (chanfuzz_isolate_run(shrink_in_child, &job, &crash) == CHANFUZZ_ISOLATE_DIED)
        chanfuzz_crash_free(&crash);
    memcpy(data, job.data, *job.size);
    return *job.size;
}

void chanfuzz_buckets_minimize(chanfuzz_buckets *buckets, size_t from, go_semantics semantics,
                               double seconds) {
    for (size_t i = from; i < buckets->count; i++) {
        chanfuzz_bucket *b = &buckets->items[i];
        /* A hang's every candidate would cost the watchdog's seconds. */
        if (!b->reproduces || !b->reproducer || b->reproducer_size == 0 ||
            b->kind == CHANFUZZ_HANG)
            continue;
        size_t size;
        uint8_t *data = chanfuzz_read_whole(b->reproducer, &size);
        if (!data) continue;
        double deadline = now_seconds() + (seconds > 0 ? seconds : 1);
        size_t shrunk = shrink_bucket(b, semantics, data, size, deadline);
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
            chanfuzz_judged j = {0};
            size_t written = 0;
            /* Never over another run's minimized input of the same state:
             * the one it reported must stay what it reported. */
            bool same = chanfuzz_atomic_create(stem, "", data, shrunk, minimized, length) &&
                        judge_file(&b->target, semantics, minimized, ARTIFACT_CRASH, &j,
                                   &written) &&
                        j.reproduces && !strcmp(j.crash_state, b->crash_state);
            if (same) keep_judged(b, minimized, written, &j);
            else {
                free(minimized);
                chanfuzz_judged_free(&j);
            }
        }
        free(data);
    }
}

void chanfuzz_buckets_free(chanfuzz_buckets *buckets) {
    for (size_t i = 0; i < buckets->count; i++) {
        free(buckets->items[i].reproducer);
        free(buckets->items[i].death_decisions);
        free(buckets->items[i].trace);
    }
    free(buckets->items);
    *buckets = (chanfuzz_buckets){0};
}
