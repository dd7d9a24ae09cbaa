/* execution_seed.c -- the seed of one execution of a seeded run.
 *
 * A run with --seed S used to give its execution i the stream of seed
 * S+i, so --seed S+1 was --seed S shifted by one execution: "30 seeds"
 * were one stream, and two CI shards with neighbouring seeds repeated each
 * other's work. Each execution's seed is now a mix of (S, i): splitmix64's
 * finalizer of S, plus i, through the finalizer again. Two runs' streams
 * meet only where mix(S) + i = mix(S') + j, which for any two seeds and
 * budgets below 2^40 is as likely as a random 64-bit collision. Exact
 * replay is kept: a finding names its run's seed and execution. */
#include <chanfuzz/sources.h>

uint64_t chanfuzz_mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

uint64_t chanfuzz_execution_seed(uint64_t seed, uint64_t index) {
    return chanfuzz_mix64(chanfuzz_mix64(seed + 0x9E3779B97F4A7C15ull) + index);
}
