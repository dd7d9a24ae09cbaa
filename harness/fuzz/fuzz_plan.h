/* fuzz_plan.h -- how `chanfuzz fuzz --time T` spends T seconds of wall
 * time (fuzz_plan.c). Pure arithmetic on seconds, so it is tested as a
 * unit (tests/test_fuzz_plan.c) and never by timing a run.
 *
 * The whole command -- start-up, fuzzing, merging the new inputs into the
 * corpus, bucketing and minimizing the crashes -- ends by T. The plan is
 * made once, after start-up (seeding the corpus included), as deadlines
 * counted from the command's start:
 *
 *   0 ... started      start-up (measured, not planned)
 *   ... fuzz_end       fuzzing: every libFuzzer process stops by then
 *   ... merge_end      merging new inputs (a process killed at the deadline)
 *   ... T              bucketing, minimizing, traces, the table
 *
 * The tail after fuzzing is a share of what is left after start-up
 * (fuzz_plan.c: 15%, at least 2 s, at most 15 s, never more than half):
 * judging the crash files and minimizing run in this process, merging (in
 * the per-variant path) is a process per variant. */
#ifndef CHANFUZZ_FUZZ_PLAN_H
#define CHANFUZZ_FUZZ_PLAN_H

#include <stddef.h>

typedef struct chanfuzz_fuzz_plan {
    double total;       /* T */
    double started;     /* start-up took this long */
    double fuzz_end;    /* deadlines, seconds from the command's start */
    double merge_end;
} chanfuzz_fuzz_plan;

/* The plan for `total` seconds when start-up took `started`. When start-up
 * used everything, every deadline is `started` (nothing more fits). */
chanfuzz_fuzz_plan chanfuzz_fuzz_make_plan(double total, double started);

/* Whole seconds (libFuzzer's -max_total_time) for the next of `left`
 * variants fuzzed one process each, when `remaining` seconds of fuzzing
 * are left and a process costs `overhead` seconds besides its fuzzing
 * (start, corpus load, merge): its fair share of what is left, at least
 * 1 while one second and its overhead still fit, else 0 (skip it). */
unsigned chanfuzz_fuzz_variant_share(double remaining, size_t left, double overhead);

/* Whole seconds (libFuzzer's -max_total_time) for one more process of the
 * multi-variant run when `remaining` seconds of fuzzing are left; 0 when
 * under a second is left (a process would spend it starting). libFuzzer
 * stops only when more than N whole seconds have passed, so N is one less
 * than what is left (but at least 1). */
unsigned chanfuzz_fuzz_process_seconds(double remaining);

/* Seconds the next of `left` buckets may spend minimizing when
 * `remaining` seconds are left before T: its fair share, at most
 * `cap`; 0 when nothing is left. */
double chanfuzz_fuzz_minimize_share(double remaining, size_t left, double cap);

#endif
