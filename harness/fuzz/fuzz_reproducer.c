/* fuzz_reproducer.c -- a bucket's reproducer as a trace file.
 *
 * libFuzzer's input is raw bytes: replaying it needs the scenario named on
 * the command line, and names neither the Go semantics nor the program a
 * translated Go test was built from. The trace of the same execution names
 * all three and lists the decisions by meaning, so `chanfuzz replay FILE`
 * and `chanfuzz go replay FILE` (which retranslates the package the trace
 * names and refuses a changed program) take it as it is. */
#include "fuzz_reproducer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <chanfuzz/tracefile.h>

#include <chanfuzz/atomic_file.h>

#include "fuzz_buckets.h"

typedef struct capture {
    chanfuzz_trace_file trace;
    const char *name;
    bool taken;
} capture;

static void take_trace(void *self, const go_exec *exec) {
    capture *c = self;
    c->taken = chanfuzz_trace_file_from_exec(&c->trace, exec, c->name);
}

static bool from_decisions(capture *c, const chanfuzz_bucket *b) {
    size_t count = b->death_decision_count;
    c->trace = (chanfuzz_trace_file){.scenario = strdup(c->name),
                                     .semantics = b->death_semantics,
                                     .decisions = malloc((count ? count : 1) *
                                                         sizeof *c->trace.decisions),
                                     .count = count};
    c->taken = true;
    if (!c->trace.scenario || !c->trace.decisions) return false;
    if (count) memcpy(c->trace.decisions, b->death_decisions, count * sizeof *b->death_decisions);
    return true;
}

/* Written through chanfuzz/atomic_file.h: a reader sees a whole trace or
 * none. */
static bool write_trace(const char *path, const chanfuzz_trace_file *trace, const char *comment) {
    chanfuzz_atomic_file f;
    if (!chanfuzz_atomic_open(&f, path)) return false;
    if (!chanfuzz_trace_file_write(f.stream, trace, comment)) {
        chanfuzz_atomic_abandon(&f);
        return false;
    }
    return chanfuzz_atomic_commit(&f);
}

bool chanfuzz_bucket_write_trace(chanfuzz_bucket *b, go_semantics semantics) {
    if (!b->reproduces || !b->reproducer) return false;
    size_t size;
    unsigned char *data = chanfuzz_read_whole(b->reproducer, &size);
    if (!data) return false;
    char name[300], hash[17];
    snprintf(name, sizeof name, "%s:%s", b->target.scenario->name,
             chanfuzz_variant_name(b->target.variant));
    capture c = {.name = name};
    bool ok;
    if (b->died) {
        /* Running it again here would die as the judging child did: the
         * trace is the decisions that child made up to the fault. */
        ok = from_decisions(&c, b);
    } else {
        chanfuzz_findings *findings =
            chanfuzz_fuzz_judge(&b->target, data, size, semantics, NULL, NULL, take_trace, &c);
        ok = findings && c.taken;
        chanfuzz_findings_free(findings);
    }
    free(data);
    const char *program = b->target.scenario->program;
    if (ok && program && !(c.trace.program = strdup(program))) ok = false;

    const char *slash = strrchr(b->reproducer, '/');
    int folder_length = slash ? (int)(slash - b->reproducer) : 1;
    chanfuzz_crash_state_hash(b->crash_state, hash);
    size_t length = strlen(b->reproducer) + 48;
    char *path = ok ? malloc(length) : NULL;
    if (path) {
        snprintf(path, length, "%.*s/reproducer-%s.trace", folder_length,
                 slash ? b->reproducer : ".", hash);
        char comment[CHANFUZZ_CRASH_STATE_MAX + 64];
        snprintf(comment, sizeof comment, "from the libFuzzer input %s\n%s", b->reproducer,
                 b->crash_state);
        if (write_trace(path, &c.trace, comment)) {
            free(b->trace);
            b->trace = path;
        } else {
            free(path);
            ok = false;
        }
    }
    if (c.taken) chanfuzz_trace_file_free(&c.trace);
    return ok && b->trace;
}
