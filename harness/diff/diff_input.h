/* diff_input.h -- the programs one `chanfuzz diff` run compares, with the
 * name each came from (a file, or "random#N"). */
#ifndef CHANFUZZ_DIFF_INPUT_H
#define CHANFUZZ_DIFF_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "chanfuzz/ops.h"

typedef struct diff_inputs {
    chanfuzz_program *programs;
    char **names;
    size_t count, capacity;
} diff_inputs;

/* Adds FILE (text if *.ops, else raw bytes) or every regular file of DIR.
 * On failure returns false with one line in error ("FILE:LINE:COL: what"
 * for text). */
bool diff_inputs_load(diff_inputs *in, const char *path, char *error, size_t error_size);
bool diff_inputs_add(diff_inputs *in, const chanfuzz_program *p, const char *name);
void diff_inputs_free(diff_inputs *in);

#endif
