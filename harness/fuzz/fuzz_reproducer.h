/* fuzz_reproducer.h -- a bucket's reproducer written as a trace file that
 * `chanfuzz replay` and `chanfuzz go replay` take as it is (fuzz_reproducer.c
 * says why the raw input is not enough). Internal to harness/fuzz/. */
#ifndef CHANFUZZ_FUZZ_REPRODUCER_H
#define CHANFUZZ_FUZZ_REPRODUCER_H

#include <stdbool.h>

#include "fuzz_buckets.h"

/* Replays the bucket's (minimized) raw reproducer and writes its trace as
 * reproducer-<crash state hash>.trace beside it; sets b->trace. False when
 * the input no longer reproduces, or the file cannot be written. */
bool chanfuzz_bucket_write_trace(chanfuzz_bucket *b, go_semantics semantics);

#endif
