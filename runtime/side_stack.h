/* side_stack.h -- calling harness code (decision sources, event hooks, the
 * trace recorder) on a stack the collector never scans (side_stack.c). */
#ifndef CF_SIDE_STACK_H
#define CF_SIDE_STACK_H

void cf_call_off_stack(void (*fn)(void *), void *arg);

#endif
