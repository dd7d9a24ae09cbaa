/* fuzz_ops_target.c -- the libFuzzer entry point of fuzz_ops.
 *
 * Every input is a program (its front) and a schedule (the rest); see
 * ops_bytes.c. Findings are what random programs do and are not reported:
 * only a consistency failure of the runtime or the detectors (ops_check.c)
 * crashes, with the program printed so the bug can be read, and any crash
 * of the runtime itself is caught by the sanitizers. libFuzzer then saves
 * and minimizes the input; `chanfuzz ops print` shows it as text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "chanfuzz/ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    chanfuzz_program program;
    chanfuzz_ops_check_result result;
    chanfuzz_ops_check_input(data, size, &program, &result);
    if (!result.consistent) {
        fprintf(stderr, "fuzz_ops: runtime or detector inconsistency: %s\nprogram:\n",
                result.problem);
        chanfuzz_ops_print(stderr, &program);
        abort();
    }
    return 0;
}
