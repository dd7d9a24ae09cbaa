/* chanfuzz/sources.h -- the harness's decision sources: fuzz bytes, PCT, and
 * bounded exhaustive exploration.
 *
 * Each source is a go_decider (chanfuzz/exec.h, section 1): the runtime asks
 * it every nondeterministic question of an execution, and records the
 * answers by meaning. A source's state lives in a struct the caller owns;
 * set it up again before every execution.
 *
 * Sections:
 *   1. Fuzz bytes   libFuzzer's input: data from the front, schedule from
 *                   the tail; any byte string is a valid input
 *   2. PCT          probabilistic concurrency testing (priority scheduling
 *                   with d-1 random priority change points)
 *   3. Exhaustive   depth-first over every decision sequence, with a
 *                   preemption bound and a cap on schedules
 *   4. Seeds        the seed of each execution of a seeded run
 */
#ifndef CHANFUZZ_SOURCES_H
#define CHANFUZZ_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/exec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Fuzz bytes ----------------------------------------------------- */

/* Reads a fuzz input as FuzzedDataProvider does: scenario data (DATA
 * decisions) from the front, every other decision from the tail, backwards,
 * so that mutating one part does not shift the other. The two ends meet in
 * the middle; once they have, every decision answers 0 (nothing unusual),
 * so a shorter input means fewer preemptions and smaller data.
 *
 * The encoding (harness/sources/README.md, "Fuzz bytes"):
 *   PREEMPT        one byte; preempt only when its low three bits are 001
 *                  (1 in 8 of random bytes; 0x00 and 0xff both mean "no")
 *   other kinds    ceil(bits(options - 1) / 8) bytes, most significant
 *                  first, modulo options (one byte up to 256 options);
 *                  the byte equal to the answer always encodes it
 * A side that runs dry mid-value uses the bytes it got.
 *
 *     chanfuzz_fuzz_bytes src;
 *     go_config cfg = {.decider = chanfuzz_fuzz_bytes_decider(&src, data, size)};
 *     go_exec *e = go_exec_run(&cfg, scenario, NULL);
 *     // src.front_used, src.tail_used: what the execution consumed
 */
typedef struct chanfuzz_fuzz_bytes {
    const uint8_t *data;
    size_t size;
    size_t front_used;   /* bytes consumed from the front (DATA) */
    size_t tail_used;    /* bytes consumed from the tail (everything else);
                            front_used + tail_used <= size */
} chanfuzz_fuzz_bytes;

/* Resets src to read `data` (not copied: it must outlive the execution). */
go_decider chanfuzz_fuzz_bytes_decider(chanfuzz_fuzz_bytes *src, const uint8_t *data,
                                       size_t size);

/* Encodes a decision log as a fuzz input that makes the fuzz-bytes source
 * give the same answers (the inverse of the reader: a trace file or a
 * seeded run becomes a corpus entry). Decisions that answer 0 at the end of
 * the log are left out: a dry input answers 0. Returns a malloc'ed buffer
 * (caller frees; NULL with *size 0 when nothing needs encoding, or when
 * out of memory). */
uint8_t *chanfuzz_fuzz_bytes_encode(const go_decision *log, size_t count, size_t *size);

/* ---- 2. PCT ------------------------------------------------------------- */

/* Burckhardt, Kothari, Musuvathi, Nagarakatte, "A Randomized Scheduler with
 * Probabilistic Guarantees of Finding Bugs" (ASPLOS 2010): every goroutine
 * gets a random priority when it first appears, the highest-priority
 * runnable goroutine always runs, and at d-1 random steps in [1, k] the
 * running goroutine drops below every initial priority. A bug of depth d
 * (d ordering constraints) is found with probability at least 1/(n k^(d-1))
 * per execution, n goroutines, k steps.
 *
 * A step is one PREEMPT or SCHEDULE decision. SELECT, MUTEX, DATA, CLOCK and
 * TIMER come from a seeded PRNG. Same parameters and seed, same answers.
 *
 * PCT is unfair: a high-priority goroutine that polls (a loop that never
 * blocks) starves the one it waits for, and the execution never ends. The
 * guarantee covers the first k steps only, so past `fair_after` steps (4k+1000
 * for the k given to init) the source schedules as the random mode does
 * (`fair` says it did), as Coyote's fair PCT does.
 *
 *     chanfuzz_pct pct;
 *     chanfuzz_pct_init(&pct, 3, 1000);
 *     for (uint64_t seed = 1; ...; seed++) {
 *         go_config cfg = {.decider = chanfuzz_pct_decider(&pct, seed)};
 *         go_exec_free(go_exec_run(&cfg, scenario, NULL)); // pct.steps: refine k
 *     }
 *     chanfuzz_pct_free(&pct);
 */
typedef struct chanfuzz_pct {
    /* Parameters (chanfuzz_pct_init): */
    uint32_t depth;              /* d >= 1: the bug depth aimed at */
    uint64_t steps_estimate;     /* k >= 1: expected steps per execution */
    uint64_t fair_after;         /* steps of priority scheduling, from init's k */

    /* Per execution (chanfuzz_pct_decider resets them): */
    uint64_t random;             /* splitmix64 state */
    uint64_t *change_points;     /* depth-1 distinct steps in [1, k]; the
                                    i-th lowers the running goroutine to
                                    priority i+1 */
    uint64_t steps;              /* steps taken so far */
    uint64_t changes;            /* priority changes made (<= depth-1) */
    bool fair;                   /* ran past fair_after: scheduled fairly */
    uint64_t *priority;          /* by goroutine id; 0 = not seen yet */
    size_t priority_capacity;
    uint64_t *runnable;          /* scratch: go_decide_runnable's ids */
    size_t runnable_capacity;
} chanfuzz_pct;

/* Sets the parameters (depth 0 counts as 1, steps_estimate 0 as 1). */
void chanfuzz_pct_init(chanfuzz_pct *pct, uint32_t depth, uint64_t steps_estimate);

/* Starts a new execution's schedule: fresh priorities and change points
 * drawn from `seed`. Call before every execution. */
go_decider chanfuzz_pct_decider(chanfuzz_pct *pct, uint64_t seed);

void chanfuzz_pct_free(chanfuzz_pct *pct);

/* ---- Portfolio ------------------------------------------------------- */

/* The default exploration: random and PCT at growing depths, interleaved
 * by execution index (portfolio.c says why and how).
 *
 *     chanfuzz_strategy s = chanfuzz_portfolio_strategy(i);
 *     // s.kind RANDOM: go_decider_prng; PCT: chanfuzz_pct at s.depth
 */
#define CHANFUZZ_PORTFOLIO_MAX_DEPTH 8
typedef enum chanfuzz_strategy_kind {
    CHANFUZZ_STRATEGY_RANDOM,
    CHANFUZZ_STRATEGY_PCT,
} chanfuzz_strategy_kind;
typedef struct chanfuzz_strategy {
    chanfuzz_strategy_kind kind;
    uint32_t depth;              /* PCT: 1..CHANFUZZ_PORTFOLIO_MAX_DEPTH */
} chanfuzz_strategy;

/* The strategy of execution `index` (0-based) of a portfolio run. */
chanfuzz_strategy chanfuzz_portfolio_strategy(uint64_t index);
/* "random", "pct depth 2". */
void chanfuzz_strategy_name(chanfuzz_strategy s, char *out, size_t size);

/* ---- 3. Exhaustive ------------------------------------------------------ */

/* Stateless model checking: runs the scenario from scratch once per
 * decision sequence, depth-first (answers in increasing order, the last
 * decision varied first), until every sequence within the bounds has run
 * or the cap is reached.
 *
 * A preemption is a PREEMPT answered 1: the running goroutine could go on,
 * and the source interrupted it (another goroutine runs, or with CLOCK 1
 * the clock jumps). Choosing who runs after a goroutine blocks, exits or
 * yields is not one, nor is any SELECT, MUTEX, CLOCK, TIMER or DATA answer.
 *
 * DATA decisions over more than max_data_options options are restricted to
 * the smallest, middle and largest datum (0, options/2, options-1): a
 * duration up to 10 s cannot be enumerated. The result says when that
 * happened: "exhausted" then means exhausted within the restriction. */
typedef struct chanfuzz_explore_options {
    go_config config;              /* template for every execution; its
                                      decider is replaced */
    uint32_t preemption_bound;     /* at most this many preemptions */
    uint64_t max_schedules;        /* cap (0: CHANFUZZ_EXPLORE_MAX_SCHEDULES) */
    uint64_t max_data_options;     /* enumerate DATA up to this many options
                                      (0: CHANFUZZ_EXPLORE_MAX_DATA_OPTIONS) */
} chanfuzz_explore_options;

#define CHANFUZZ_EXPLORE_MAX_SCHEDULES 100000u
#define CHANFUZZ_EXPLORE_MAX_DATA_OPTIONS 16u

typedef struct chanfuzz_explore_result {
    uint64_t schedules;        /* executions run, one per decision sequence */
    bool exhausted;            /* every sequence within the bounds ran */
    bool stopped;              /* the visitor asked to stop */
    bool data_restricted;      /* some DATA decision was not enumerated */
    bool nondeterministic;     /* a re-run diverged from its prefix: the
                                  scenario depends on something besides its
                                  decisions; `message` says where */
    size_t longest;            /* most decisions in one execution */
    char message[200];
} chanfuzz_explore_result;

/* Called with every execution before it is freed; returns false to stop
 * exploring (e.g. at the first finding). */
typedef bool chanfuzz_explore_visit(void *self, const go_exec *exec);

chanfuzz_explore_result chanfuzz_explore(const chanfuzz_explore_options *options,
                                         go_func *main, void *arg,
                                         chanfuzz_explore_visit *visit, void *visit_self);

/* ---- 4. Seeds ---------------------------------------------------------- */

/* The seed of execution `index` (0-based) of a run seeded `seed` (random
 * and PCT): a mix of both, so runs with neighbouring seeds explore
 * unrelated schedules (execution_seed.c says why it matters). */
uint64_t chanfuzz_execution_seed(uint64_t seed, uint64_t index);

/* splitmix64's finalizer: every input bit moves every output bit (the
 * execution seeds above; hashes whose low bits index a table). */
uint64_t chanfuzz_mix64(uint64_t z);

#ifdef __cplusplus
}
#endif
#endif
