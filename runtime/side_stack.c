/* side_stack.c -- the harness's code runs off the goroutine stacks.
 *
 * The collector scans goroutine stacks conservatively, and a frame's
 * unused slots hold whatever the last deeper call left there. The decision
 * source, the event hook and the trace recorder are called from inside a
 * goroutine, and what they leave differs between a fuzz-bytes source and
 * a replay of the same answers, or with record_trace on and off: a stale
 * word naming a channel that nothing else holds kept its timer alive in
 * one run and not in the other, and a replay met a different decision
 * than the run it replayed (harness/ops/known_bugs). The same decisions
 * must give the same execution whoever makes them, so these calls run on
 * a stack of their own, which the collector never scans.
 *
 * One stack per thread (an execution runs on one thread), mapped on first
 * use with a guard page below; a call made from a call already on it runs
 * in place.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "check.h"
#include "side_stack.h"
#include "switch.h"

#define SIDE_STACK_BYTES (256u * 1024u)
#define GUARD_BYTES 4096u

_Thread_local unsigned char *cf_side_stack_top;
_Thread_local bool cf_on_side_stack;

unsigned char *cf_side_stack_map(void) {
    unsigned char *base = mmap(NULL, SIDE_STACK_BYTES + GUARD_BYTES, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    cf_require(base != MAP_FAILED, "side stack allocation");
    cf_require(mprotect(base, GUARD_BYTES, PROT_NONE) == 0, "side stack guard page");
    cf_side_stack_top = base + GUARD_BYTES + SIDE_STACK_BYTES;
    return cf_side_stack_top;
}
