/* side_stack.h -- calling harness code (decision sources, event hooks, the
 * trace recorder) on a stack the collector never scans (side_stack.c).
 *
 * The check and the switch are inline: a decision is the most frequent
 * call out of the runtime (one per scheduling point), and an out-of-line
 * wrapper cost a frame of its own -- 24 of the ~60 instructions a yield's
 * decision took (bench_runtime, callgrind). Every caller still leaves the
 * same words on the goroutine's stack whatever the source. */
#ifndef CF_SIDE_STACK_H
#define CF_SIDE_STACK_H

#include <stdbool.h>

#include "switch.h"

extern _Thread_local unsigned char *cf_side_stack_top; /* NULL until first use */
extern _Thread_local bool cf_on_side_stack;           /* a call on it is under way */

/* Maps this thread's side stack; returns its top. */
unsigned char *cf_side_stack_map(void);

/* Calls fn(arg) on the side stack; in place when already on it. */
static inline void cf_call_off_stack(void (*fn)(void *), void *arg) {
    if (__builtin_expect(cf_on_side_stack, 0)) {
        fn(arg);
        return;
    }
    unsigned char *top = cf_side_stack_top;
    if (__builtin_expect(top == NULL, 0)) top = cf_side_stack_map();
    cf_on_side_stack = true;
    cf_call_on_stack(fn, arg, top);
    cf_on_side_stack = false;
}

#endif
