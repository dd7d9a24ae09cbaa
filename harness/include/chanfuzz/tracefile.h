/* chanfuzz/tracefile.h -- decision-trace files: reproducers a person can
 * read and the CLI replays.
 *
 * A trace file holds what an execution needs to happen again: the
 * scenario's name, the Go semantics it ran under, and its decisions by
 * meaning. The format (version 1) is specified in harness/sources/README.md:
 *
 *     chanfuzz-trace 1
 *     # anything after '#' is a comment
 *     scenario timeout_worker/buggy
 *     go-semantics 1.23
 *     preempt over 2 -> 1
 *     schedule over 3 -> 2
 *     data over 10000000001 -> 5000000
 *     end 3
 *
 * Sections:
 *   1. The file in memory
 *   2. Reading           corrupt files are rejected with one line naming the
 *                        file and the position; never a crash or an abort
 *   3. Writing
 *   4. From and to executions
 */
#ifndef CHANFUZZ_TRACEFILE_H
#define CHANFUZZ_TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "chanfuzz/exec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. The file in memory ------------------------------------------------ */

#define CHANFUZZ_TRACE_MAGIC "chanfuzz-trace"
#define CHANFUZZ_TRACE_VERSION 1

typedef struct chanfuzz_trace_file {
    char *scenario;            /* malloc'ed; "" when unnamed */
    char *program;             /* malloc'ed; NULL when the file has no
                                  "program TEXT" line (the scenario's
                                  chanfuzz_scenario.program when written) */
    go_semantics semantics;
    go_decision *decisions;    /* malloc'ed, count of them */
    size_t count;
} chanfuzz_trace_file;

/* Releases what a read or chanfuzz_trace_file_from_exec allocated; the
 * struct is left empty (scenario NULL, count 0). */
void chanfuzz_trace_file_free(chanfuzz_trace_file *trace);

/* ---- 2. Reading ------------------------------------------------------------- */

/* Why a file was rejected. */
typedef struct chanfuzz_trace_error {
    size_t line, column;     /* 1-based, in bytes; 0, 0 when the file could
                                not be read at all */
    char message[512];       /* one line, no newline:
                                "repro.trace:7:20: answer 3 is not below the
                                option count 3" */
} chanfuzz_trace_error;

/* Parses `size` bytes of `text` (need not be NUL-terminated); `name` is
 * the file name the error message starts with. On success fills *trace
 * (free it with chanfuzz_trace_file_free) and returns true; on failure
 * fills *error, leaves *trace empty and returns false. */
bool chanfuzz_trace_file_parse(const char *name, const char *text, size_t size,
                               chanfuzz_trace_file *trace, chanfuzz_trace_error *error);

/* Reads and parses the file at `path`. */
bool chanfuzz_trace_file_load(const char *path, chanfuzz_trace_file *trace,
                              chanfuzz_trace_error *error);

/* ---- 3. Writing ------------------------------------------------------------- */

/* A scenario name the format can hold: printable, no whitespace or '#'
 * ("" is valid: unnamed). */
bool chanfuzz_trace_scenario_name_valid(const char *name);

/* A trace's program line is "KIND ID [WHERE]" (chanfuzz go test: "go
 * HASH PACKAGE"). Two programs are the same when kind and id are: WHERE
 * says where to find the program, and the same package loaded as a module
 * and from GOPATH has two. NULL is no program (a C scenario). */
bool chanfuzz_program_same(const char *a, const char *b);
/* Is it a program chanfuzz go translated from Go? */
bool chanfuzz_program_is_go(const char *program);
/* The path of chanfuzz-go, the Go frontend: $CHANFUZZ_GO_FRONTEND, or
 * beside the running program (installed), or in the build tree's
 * gofront/stage/bin two levels above it. False when none is there. */
bool chanfuzz_go_frontend_path(char *out, size_t size);

/* Writes `trace` in the current format version. `comment` (may be NULL)
 * goes in '#' lines after the magic line, one per line of it, control
 * characters replaced by '?'. Returns false, having written nothing, for a
 * trace the reader would reject (a scenario name it cannot hold, a kind
 * without a name, options below 2, an answer not below its options), and
 * false when writing failed. */
bool chanfuzz_trace_file_write(FILE *out, const chanfuzz_trace_file *trace,
                               const char *comment);

/* ---- 4. From and to executions ---------------------------------------------- */

/* The trace file of a finished execution: its decisions and semantics, and
 * `scenario` (copied; NULL for ""). Returns false when out of memory. To
 * turn a raw fuzz input into a trace file, run the scenario with
 * chanfuzz_fuzz_bytes_decider and pass the execution here. */
bool chanfuzz_trace_file_from_exec(chanfuzz_trace_file *trace, const go_exec *exec,
                                   const char *scenario);

/* Makes `config` replay `trace`: its decider becomes go_decider_replay
 * over the trace's decisions (through *replay, which must outlive the
 * execution) and its semantics the trace's. Other fields are left alone. */
void chanfuzz_trace_file_replay_config(const chanfuzz_trace_file *trace,
                                       go_replay_source *replay, go_config *config);

#ifdef __cplusplus
}
#endif
#endif
