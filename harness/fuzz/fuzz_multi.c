/* fuzz_multi.c -- the process side of one libFuzzer process serving many
 * variants (fuzz_multi.h has the input format and the contract).
 *
 * Why: `chanfuzz fuzz all` used to start a libFuzzer process per variant,
 * each loading its corpus, merging with a second process and dying at
 * its first finding; with 76 variants that cost more wall time than the
 * fuzzing. Here one process keeps going for the whole budget, so the
 * per-variant cost is a few corpus entries, not two process starts.
 *
 * State is per process and never touched by an execution: the list, the
 * crash states already recorded (so a bug found a thousand times costs
 * one file), and the executions per variant. */
#include "fuzz_multi.h"

#include <chanfuzz/atomic_file.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct multi_variant {
    chanfuzz_target target;
    uint64_t executions;
    uint64_t nanoseconds;        /* spent running it (fair mode only) */
    uint64_t *recorded;          /* crash-state hashes written (or found) */
    size_t recorded_count, recorded_capacity;
} multi_variant;

static multi_variant *variants;
static size_t variant_count;
static const char *findings_dir;  /* argv storage: lives as long as we do */
static const char *stats_dir;
/* Time-fair mode (while fuzzing many variants): a variant that has used
 * more than FAIR_FACTOR times the average time per variant (plus
 * FAIR_SLACK_NS) is skipped until the others catch up. Without it the
 * stress scenarios, 10 to 30 ms an execution with ASan against 0.1 ms for
 * most, took nearly all of a 76-variant run (measured: 30 executions of
 * first_result:fixed in 51 s). One process per variant gave each the same
 * time; this keeps that share without the processes. */
static bool fair;
static uint64_t total_nanoseconds;
static const uint64_t FAIR_FACTOR = 2, FAIR_SLACK_NS = 2000000;
static uint64_t started_at;      /* the current input's start (fair mode) */

bool chanfuzz_multi_active(void) { return variant_count > 0; }

size_t chanfuzz_multi_count(void) { return variant_count; }

bool chanfuzz_multi_load(const char *list_path, char *why, size_t why_size) {
    FILE *list = fopen(list_path, "r");
    if (!list) {
        snprintf(why, why_size, "%s: cannot read: %s", list_path, strerror(errno));
        return false;
    }
    char line[512];
    size_t capacity = 0, number = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, list)) {
        number++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0]) continue;
        chanfuzz_target target;
        if (!chanfuzz_target_parse(line, &target)) {
            snprintf(why, why_size, "%s:%zu: no such scenario variant '%s'", list_path, number, line);
            ok = false;
        } else if (variant_count == 65536) {
            snprintf(why, why_size, "%s:%zu: more than 65536 variants", list_path, number);
            ok = false;
        } else {
            if (variant_count == capacity) {
                capacity = capacity ? 2 * capacity : 64;
                multi_variant *grown = realloc(variants, capacity * sizeof *grown);
                if (!grown) abort();
                variants = grown;
            }
            variants[variant_count++] = (multi_variant){.target = target};
        }
    }
    fclose(list);
    if (ok && !variant_count) {
        snprintf(why, why_size, "%s: names no scenario variant", list_path);
        ok = false;
    }
    if (!ok) variant_count = 0;
    return ok;
}

static void write_stats(void) {
    if (!stats_dir || !variant_count) return;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%ld.stats", stats_dir, (long)getpid());
    size_t size = 0, capacity = variant_count * 300 + 1;
    char *text = malloc(capacity);
    if (!text) return;
    for (size_t i = 0; i < variant_count; i++) {
        char name[256];
        chanfuzz_fuzz_target_name(&variants[i].target, name, sizeof name);
        size += (size_t)snprintf(text + size, capacity - size, "%s %llu\n", name,
                                 (unsigned long long)variants[i].executions);
    }
    /* Nothing to do about a failure at exit: the caller falls back on
     * libFuzzer's own count. */
    (void)chanfuzz_atomic_write(path, text, size);
    free(text);
}

void chanfuzz_multi_finish(void) { write_stats(); }

void chanfuzz_multi_set_outputs(const char *findings, const char *stats) {
    findings_dir = findings;
    stats_dir = stats;
    if (stats) atexit(write_stats);
}

/* The counts are written at exit and, because a process killed at its
 * deadline or by a crash never gets there, every STATS_EVERY executions
 * when a second has passed since the last write (time() is a vDSO call;
 * once per 4096 inputs it costs nothing measurable). Each write replaces
 * this process's file whole (atomically), so a reader sees one version. */
enum { STATS_EVERY = 4096 };
static uint64_t picks;
static time_t stats_written;

static uint64_t now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void chanfuzz_multi_set_fair(bool on) { fair = on && variant_count > 1; }

const chanfuzz_target *chanfuzz_multi_pick(const uint8_t **data, size_t *size) {
    multi_variant *v = &variants[chanfuzz_multi_index(*data, *size, variant_count)];
    if (fair) {
        if (v->nanoseconds > FAIR_FACTOR * (total_nanoseconds / variant_count) + FAIR_SLACK_NS)
            return NULL;
        started_at = now_nanoseconds();
    }
    v->executions++;
    /* Also at each variant's first input: a short run killed early still
     * says which variants ran. */
    if (stats_dir && (v->executions == 1 ||
                      (++picks % STATS_EVERY == 0 && time(NULL) != stats_written))) {
        stats_written = time(NULL);
        write_stats();
    }
    *data = chanfuzz_multi_payload(*data, size);
    return &v->target;
}

static multi_variant *variant_of(const chanfuzz_target *target) {
    /* target points into variants[] (chanfuzz_multi_pick returned it). */
    return (multi_variant *)((const char *)target - offsetof(multi_variant, target));
}

void chanfuzz_multi_done(const chanfuzz_target *target) {
    if (!fair) return;
    uint64_t spent = now_nanoseconds() - started_at;
    variant_of(target)->nanoseconds += spent;
    total_nanoseconds += spent;
}

/* Was this crash state recorded before? Remembers it if not. */
static bool seen_before(multi_variant *v, uint64_t hash) {
    for (size_t i = 0; i < v->recorded_count; i++)
        if (v->recorded[i] == hash) return true;
    if (v->recorded_count == v->recorded_capacity) {
        size_t capacity = v->recorded_capacity ? 2 * v->recorded_capacity : 8;
        uint64_t *grown = realloc(v->recorded, capacity * sizeof *grown);
        if (!grown) return false;   /* records again next time: harmless */
        v->recorded = grown;
        v->recorded_capacity = capacity;
    }
    v->recorded[v->recorded_count++] = hash;
    return false;
}

/* FOLDER/found.tsv, a line per crash state as first written: its hash,
 * the variant's executions so far in this process, and CLOCK_MONOTONIC
 * seconds (one clock for every process of the machine), for the report's
 * "executions to find" and "first seen". One write() of a short line with
 * O_APPEND, so -fork workers appending at once do not interleave. */
static void note_found(const char *folder, const char *hash, uint64_t executions) {
    char path[PATH_MAX + 16], line[96];
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    snprintf(path, sizeof path, "%s/found.tsv", folder);
    int length = snprintf(line, sizeof line, "%s\t%llu\t%.3f\n", hash,
                          (unsigned long long)executions, now.tv_sec + now.tv_nsec / 1e9);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return;   /* the figures are "-" then: the finding is kept */
    ssize_t ignored = write(fd, line, (size_t)length);   /* the same on a short write */
    (void)ignored;
    close(fd);
}

void chanfuzz_multi_record(const chanfuzz_target *target, const uint8_t *data, size_t size,
                           const chanfuzz_findings *findings) {
    multi_variant *v = variant_of(target);
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(target, findings);
    char hash[17];
    chanfuzz_crash_state_hash(primary->crash_state, hash);
    if (seen_before(v, strtoull(hash, NULL, 16))) return;
    char name[256], folder[PATH_MAX], stem[PATH_MAX + 32], written[PATH_MAX + 64];
    chanfuzz_fuzz_target_name(target, name, sizeof name);
    snprintf(folder, sizeof folder, "%s/%s", findings_dir ? findings_dir : ".", name);
    snprintf(stem, sizeof stem, "%s/crash-%s", folder, hash);
    /* An earlier process of this run (or an earlier run) may have it. */
    if (access(stem, F_OK) == 0) return;
    mkdir(folder, 0755);
    if (!chanfuzz_atomic_create(stem, "", data, size, written, sizeof written))
        fprintf(stderr, "==chanfuzz== cannot write %s: %s\n", stem, strerror(errno));
    else
        note_found(folder, hash, v->executions);
    fprintf(stderr, "==chanfuzz== CRASH STATE: %s\n", primary->crash_state);
    fprintf(stderr, "==chanfuzz== FINDING: target=%s kind=%s verdict=%s executions=%llu file=%s\n",
            name, chanfuzz_kind_id(primary->kind),
            chanfuzz_input_verdict_name(chanfuzz_fuzz_classify(target, findings)),
            (unsigned long long)v->executions, written);
}
