/* support.h -- running a scenario function as an execution, for tests. */
#ifndef CF_TEST_SUPPORT_H
#define CF_TEST_SUPPORT_H

#include <chanfuzz/exec.h>

/* UNDER_ASAN: 1 in ASan builds (gcc or clang), where tests scale down and
 * may ask LSan directly (a leak report at exit does not fail a Criterion
 * test, so leak tests call __lsan_do_recoverable_leak_check). */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif
#if UNDER_ASAN
#include <sanitizer/lsan_interface.h>
#endif

/* Runs fn under the first-ready source (no preemption, FIFO). */
go_exec *run_first(go_func *fn, void *arg);

/* The same, no argument and no trace, under the given timer semantics. */
go_exec *run_under(go_func *fn, go_semantics semantics);

/* Runs fn under a seeded PRNG source (preemption 1 in 2). */
go_exec *run_seeded(go_func *fn, void *arg, uint64_t seed);

/* Runs fn replaying `answers`: each decision takes the next answer
 * (reduced modulo its option count); past the end, 0. Records the trace. */
go_exec *run_answers(go_func *fn, void *arg, const uint64_t *answers, size_t count);

/* Like run_answers, but answers[i] must meet a decision of kinds[i]: a
 * change in the scheduler's decision sequence fails the test loudly (with
 * the trace) instead of silently testing another interleaving. */
go_exec *run_script(go_func *fn, void *arg, const go_decision_kind *kinds,
                    const uint64_t *answers, size_t count);

/* Mappings in /proc/self/maps: every goroutine stack is one or two, so
 * this measures stacks neither reused nor unmapped. */
size_t mapping_count(void);

/* The end state of goroutine `id` (exited when it returned). */
go_end_state state_of(const go_exec *e, uint64_t id);

/* Info of goroutine `id`, or NULL if it exited. */
const go_goroutine_info *info_of(const go_exec *e, uint64_t id);

/* The trace as a malloc'ed string (caller frees). */
char *trace_text(const go_exec *e);

/* The goroutine dump as a malloc'ed string (caller frees). */
char *dump_text(const go_exec *e);

/* The inspection record of context#id; fails the test if there is none. */
const go_context_info *context_info(const go_exec *e, uint64_t id);

#endif
