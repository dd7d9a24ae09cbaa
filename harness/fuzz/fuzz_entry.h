/* fuzz_entry.h -- the libFuzzer entry points every fuzz binary shares
 * (fuzz_entry.c), and the two knobs the standalone driver turns: which
 * variant runs, and what a finding does.
 *
 * A fuzz binary runs one scenario variant. Which one is decided, first
 * match wins, by:
 *   1. the flag -chanfuzz_target=NAME:VARIANT
 *   2. the name it was built with (target_name.c, -DCHANFUZZ_TARGET=...)
 *   3. its own file name, when it is fuzz_<scenario>_<variant>
 * Flags it takes besides libFuzzer's (removed from argv before libFuzzer
 * parses it):
 *   -chanfuzz_target=NAME:VARIANT   run this variant
 *   -chanfuzz_info=1                print the variant's info line (JSON,
 *                                   fuzz_target.h) and exit 0
 *   -chanfuzz_go_semantics=1.22|1.23  Go timer semantics (default: 1.23,
 *                                   or 1.22 for scenarios only meant for it)
 * Environment: CHANFUZZ_FEEDBACK=0 turns interleaving feedback off. */
#ifndef CHANFUZZ_FUZZ_ENTRY_H
#define CHANFUZZ_FUZZ_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz_target.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What a finding does. The default prints the report and the crash-state
 * line to stderr and aborts, so libFuzzer saves and minimizes the input. */
typedef void chanfuzz_finding_handler(const chanfuzz_target *target, const uint8_t *data,
                                      size_t size, const chanfuzz_findings *findings);
void chanfuzz_fuzz_set_finding_handler(chanfuzz_finding_handler *handler);

/* The variant LLVMFuzzerTestOneInput runs (NULL before one is chosen), and
 * choosing another (the driver replays a whole corpus tree in one
 * process). */
const chanfuzz_target *chanfuzz_fuzz_current_target(void);
void chanfuzz_fuzz_choose_target(const chanfuzz_target *target);

/* The Go semantics the current target runs under. */
go_semantics chanfuzz_fuzz_current_semantics(void);

/* Inputs run so far in this process. */
uint64_t chanfuzz_fuzz_executions(void);

#endif
