/* fuzz_multi.h -- one libFuzzer process serving many scenario variants
 * (fuzz_multi.c; harness/fuzz/README.md, "Many variants, one process").
 *
 * A target given -chanfuzz_targets=LIST (a file naming NAME:VARIANT per
 * line) runs, for each input, the variant its first two bytes choose:
 *
 *   input = index (2 bytes, little endian, taken modulo the list's length)
 *           + the variant's own fuzz input
 *
 * Every input is valid (modulo), and an input with fewer than two bytes
 * runs the first variant with no bytes. A model finding does not crash the
 * process: the variant's input (prefix removed) is written once per crash
 * state as FINDINGS/fuzz_<s>_<v>/crash-<crash state hash>, atomically, and
 * fuzzing goes on. Only a real crash, hang or sanitizer report in scenario
 * code ends the process (libFuzzer's own artifact, prefix included).
 *
 * The encoding helpers are what `chanfuzz fuzz` uses to seed such a
 * process from the per-variant corpora and to split new inputs back. */
#ifndef CHANFUZZ_FUZZ_MULTI_H
#define CHANFUZZ_FUZZ_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_target.h"

enum { CHANFUZZ_MULTI_PREFIX_BYTES = 2 };

/* The list position an input chooses among `count` variants (count > 0). */
static inline size_t chanfuzz_multi_index(const uint8_t *data, size_t size, size_t count) {
    if (size < CHANFUZZ_MULTI_PREFIX_BYTES) return 0;
    return ((size_t)data[0] | (size_t)data[1] << 8) % count;
}

/* The prefix choosing list position `index`. */
static inline void chanfuzz_multi_prefix(size_t index, uint8_t out[CHANFUZZ_MULTI_PREFIX_BYTES]) {
    out[0] = (uint8_t)index;
    out[1] = (uint8_t)(index >> 8);
}

/* The variant's own input inside a multi input. */
static inline const uint8_t *chanfuzz_multi_payload(const uint8_t *data, size_t *size) {
    if (*size < CHANFUZZ_MULTI_PREFIX_BYTES) {
        *size = 0;
        return data;
    }
    *size -= CHANFUZZ_MULTI_PREFIX_BYTES;
    return data + CHANFUZZ_MULTI_PREFIX_BYTES;
}

/* ---- the process side (fuzz_entry.c) ------------------------------------- */

/* Reads the list; false with one line in `why` (file and line) when a line
 * names no registered variant, the list is empty or longer than 65,536. */
bool chanfuzz_multi_load(const char *list_path, char *why, size_t why_size);

/* Where findings go (-chanfuzz_findings=DIR), and where the per-variant
 * execution counts are written at exit (-chanfuzz_stats=FILE; may be
 * NULL). Call after chanfuzz_multi_load. */
void chanfuzz_multi_set_outputs(const char *findings_dir, const char *stats_path);

bool chanfuzz_multi_active(void);

/* The list's length. With -chanfuzz_info=1 beside -chanfuzz_targets a
 * target prints {"multi":N} and exits: `chanfuzz fuzz`'s probe. */
size_t chanfuzz_multi_count(void);

/* Writes the execution counts now (a process about to _exit). */
void chanfuzz_multi_finish(void);

/* Time-fair mode, for fuzzing (not for a merge or a replay, whose
 * coverage must depend on the input alone): a variant over twice the
 * average time per variant is skipped until the others catch up. */
void chanfuzz_multi_set_fair(bool on);

/* The variant an input runs and its payload; counts the execution. NULL
 * when the time-fair mode skips it (the caller returns -1: libFuzzer then
 * keeps nothing of the input). Call chanfuzz_multi_done after running it. */
const chanfuzz_target *chanfuzz_multi_pick(const uint8_t **data, size_t *size);
void chanfuzz_multi_done(const chanfuzz_target *target);

/* The multi mode's finding handler: record, print the crash-state lines
 * the first time a crash state is seen, return. */
void chanfuzz_multi_record(const chanfuzz_target *target, const uint8_t *data, size_t size,
                           const chanfuzz_findings *findings);

#endif
