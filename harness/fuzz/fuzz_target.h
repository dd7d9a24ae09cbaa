/* fuzz_target.h -- what the fuzz binaries of harness/fuzz/ share: running
 * one fuzz input against one scenario variant and classifying the result
 * against the variant's verdict.
 *
 * Three programs use it: the libFuzzer targets (fuzz_entry.c: every
 * finding crashes), the standalone driver (driver_main.c: findings are
 * compared with the verdict, nothing crashes) and `chanfuzz fuzz`
 * (fuzz_command.c: crash files are bucketed by the crash state this
 * computes). Internal to harness/fuzz/.
 *
 * Sections:
 *   1. Judging      one input, one execution, its findings
 *   2. Verdicts     what an input's findings mean for its variant
 *   3. Naming       fuzz_<scenario>_<variant>, and the variant's info line
 */
#ifndef CHANFUZZ_FUZZ_TARGET_H
#define CHANFUZZ_FUZZ_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chanfuzz/findings.h"
#include "chanfuzz/scenario.h"

/* ---- 1. Judging ------------------------------------------------------------ */

/* The Go semantics a target runs under when nobody asks for one: the
 * default (1.23), unless the scenario only runs under 1.22. */
go_semantics chanfuzz_fuzz_semantics_for(const chanfuzz_target *target);

/* Runs `target` once with every decision read from (data, size) by the
 * fuzz-bytes source, and judges the execution with the scenario's own
 * ignore rules. `hook` (may be NULL) sees every event. When `finish` is not
 * NULL it is called with the execution before it is freed (feedback reads
 * the end states there). Returns the findings (caller frees), or NULL when
 * out of memory. */
typedef void chanfuzz_fuzz_finish(void *self, const go_exec *exec);
chanfuzz_findings *chanfuzz_fuzz_judge(const chanfuzz_target *target, const uint8_t *data,
                                       size_t size, go_semantics semantics, go_event_hook *hook,
                                       void *hook_self, chanfuzz_fuzz_finish *finish,
                                       void *finish_self);

/* ---- 2. Verdicts ------------------------------------------------------------- */

typedef enum chanfuzz_input_verdict {
    CHANFUZZ_INPUT_CLEAN = 0,     /* no findings */
    CHANFUZZ_INPUT_EXPECTED,      /* an expected kind, nothing unexpected:
                                     the buggy variant's bug, found */
    CHANFUZZ_INPUT_ALLOWED,       /* only kinds the variant allows */
    CHANFUZZ_INPUT_UNEXPECTED,    /* a kind neither expected nor allowed: a
                                     false alarm, or a bug in the fix */
} chanfuzz_input_verdict;

/* "clean", "expected", "allowed", "unexpected" */
const char *chanfuzz_input_verdict_name(chanfuzz_input_verdict verdict);

chanfuzz_input_verdict chanfuzz_fuzz_classify(const chanfuzz_target *target,
                                              const chanfuzz_findings *findings);

/* The finding that names an input's crash: the first of an expected kind,
 * else the first unexpected one, else the first; NULL when none. Its crash
 * state is what libFuzzer's crash is bucketed by. */
const chanfuzz_finding *chanfuzz_fuzz_primary(const chanfuzz_target *target,
                                              const chanfuzz_findings *findings);

/* Is `kind` expected or allowed by the variant? */
bool chanfuzz_fuzz_kind_ok(const chanfuzz_target *target, chanfuzz_kind kind);

/* ---- 3. Naming --------------------------------------------------------------- */

/* "fuzz_<scenario>_<variant>" into out; false when it does not fit. */
bool chanfuzz_fuzz_target_name(const chanfuzz_target *target, char *out, size_t size);

/* The target a binary or corpus folder name stands for:
 * "fuzz_<scenario>_<variant>", optionally with a directory before it.
 * False when the name is not of that form or names no registered variant. */
bool chanfuzz_fuzz_target_from_name(const char *name, chanfuzz_target *target);

/* Kinds as comma-separated ids ("leak,partial_deadlock"; "" for none). */
void chanfuzz_fuzz_write_kinds(FILE *out, chanfuzz_kind_set kinds);

/* One JSON object on one line describing the variant, for scripts
 * (fuzz-smoke.sh reads it from `-chanfuzz_info=1`):
 *   {"target":"fuzz_x_buggy","scenario":"x","variant":"buggy",
 *    "tags":"pattern channel","rare":false,"expect":"leak","allow":"",
 *    "semantics":"1.23","executions":1000}
 * The strings come from the registry ([a-z0-9_ ] names and tags), so no
 * escaping is needed beyond what chanfuzz's names allow. */
void chanfuzz_fuzz_write_info(FILE *out, const chanfuzz_target *target);

#endif
