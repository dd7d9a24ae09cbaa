/* scan.c -- conservative scanning for collections (see scan.h).
 *
 * Go's collector knows where every pointer is; C does not tell us, so
 * memory the scenario owns -- goroutine stacks, C globals and statics,
 * go_alloc payloads, captured and buffered words -- is read a word at a
 * time, and a word counts as a reference when it points into an object's
 * allocation (interior pointers included, as in Go). The price is the
 * usual one of conservative collectors: an integer that happens to equal
 * an object's address, or a stale pointer left in a dead stack slot,
 * keeps that object alive. Never the other way round.
 */
#define _GNU_SOURCE /* REG_RSP, for the ucontext build */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "goroutine.h"
#include "sanitizer.h"
#include "sched.h"

/* ---- the address index --------------------------------------------------- */

/* LSD radix sort of n addresses, 11 bits a pass over the bits in which
 * they differ (objects lie within a few MiB of each other: two or three
 * passes), using `spare` (n entries) as the other buffer. qsort with a
 * comparator took 40% of a collection of 10,000 objects. */
static void sort_by_address(cf_object **objects, cf_object **spare, size_t n) {
    if (n <= 64) { /* insertion sort: a radix pass clears 16 KiB of counts */
        for (size_t i = 1; i < n; i++) {
            cf_object *obj = objects[i];
            size_t j = i;
            for (; j > 0 && (uintptr_t)objects[j - 1] > (uintptr_t)obj; j--)
                objects[j] = objects[j - 1];
            objects[j] = obj;
        }
        return;
    }
    uintptr_t low = UINTPTR_MAX, high = 0;
    for (size_t i = 0; i < n; i++) {
        uintptr_t a = (uintptr_t)objects[i];
        if (a < low) low = a;
        if (a > high) high = a;
    }
    cf_object **from = objects, **to = spare;
    for (unsigned shift = 0; n > 1 && (high - low) >> shift; shift += 11) {
        size_t count[2048] = {0};
        for (size_t i = 0; i < n; i++) count[(((uintptr_t)from[i] - low) >> shift) & 2047]++;
        for (size_t d = 0, sum = 0; d < 2048; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[(((uintptr_t)from[i] - low) >> shift) & 2047]++] = from[i];
        cf_object **swap = from;
        from = to;
        to = swap;
    }
    if (from != objects) memcpy(objects, from, n * sizeof *objects);
}

/* Objects are separate callocs, so their ranges never overlap: sorted by
 * address, the one that may hold a word is the last one starting at or
 * below it (cf_index_find). */
void cf_index_build(cf_tracer *t, cf_object **spare) {
    size_t n = 0;
    for (cf_object *obj = t->e->objects; obj; obj = obj->next) t->by_address[n++] = obj;
    sort_by_address(t->by_address, spare, n);
    t->lowest = n ? (uintptr_t)t->by_address[0] : 1;
    t->highest = n ? (uintptr_t)t->by_address[n - 1] + t->by_address[n - 1]->size : 0;
}

/* ---- ranges of words ---------------------------------------------------------- */

#if CF_ASAN
/* Remembers the live fake frame holding w, if it is a new one: stack
 * locals whose address is taken live there, not on the goroutine's own
 * stack, under detect_stack_use_after_return. The frame's address is
 * always in a register or on the real stack while the function runs (its
 * epilogue needs it to release the frame), so following such words from
 * the real stack finds every live frame; frames found point to others. */
static void CF_NO_ASAN note_fake_frame(cf_tracer *t, uintptr_t w) {
    void *begin, *end;
    if (!__asan_addr_is_in_fake_stack(t->fake_stack, (void *)w, &begin, &end)) return;
    for (size_t i = 0; i < t->fake_frame_count; i += 2)
        if (t->fake_frames[i] == begin) return;
    if (t->fake_frame_count + 2 > t->fake_frame_capacity) {
        size_t capacity = t->fake_frame_capacity ? t->fake_frame_capacity * 2 : 32;
        const void **frames = realloc(t->fake_frames, sizeof *frames * capacity);
        cf_require(frames != NULL, "fake frame list allocation");
        t->fake_frames = frames;
        t->fake_frame_capacity = capacity;
    }
    t->fake_frames[t->fake_frame_count++] = begin;
    t->fake_frames[t->fake_frame_count++] = end;
}
#endif

/* Uninstrumented: stack frames and globals carry poisoned redzones that
 * an instrumented read would report. The words are only compared, never
 * followed, so reading a redzone is harmless. */
void CF_NO_ASAN cf_scan_range(cf_tracer *t, const void *from, const void *to) {
    const uintptr_t align = sizeof(uintptr_t) - 1;
    uintptr_t first = ((uintptr_t)from + align) & ~align;
    const uintptr_t *p = (const uintptr_t *)first, *end = (const uintptr_t *)to;
    /* Most words are no pointer into the heap: two compares reject them.
     * Copies, because a hit calls out and the compiler must then assume
     * the tracer changed. */
    const uintptr_t lowest = t->lowest, highest = t->highest;
    for (; p < end; p++) {
        uintptr_t w = *p;
        if (w >= lowest && w < highest) {
            int64_t node = cf_index_find(t, w);
            if (node >= 0) {
                t->data_slot = p;
                cf_tracer_hit(t, (uint32_t)node);
                continue;
            }
        }
#if CF_ASAN
        if (t->fake_stack) note_fake_frame(t, w);
#endif
    }
}

/* ---- stacks -------------------------------------------------------------------- */

void cf_scan_stack(cf_tracer *t, cf_goroutine *g) {
    if (!g->stack) return;
    const char *lo = g->stack->lo, *top = lo + g->stack->size;
    bool running = t->running_from && g == t->e->current;
#if defined(CF_CONTEXT_UCONTEXT)
    /* swapcontext keeps the registers in the ucontext, not on the stack:
     * scan them, and the stack from the saved stack pointer where this
     * file knows where the ucontext keeps it (else all of it). A context
     * never switched to yet (makecontext's) has it too. */
    const char *from = running ? t->running_from : lo;
    if (!running) {
        cf_scan_range(t, &g->context, &g->context + 1);
#if defined(__x86_64__)
        from = (const char *)g->context.uc.uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
        from = (const char *)g->context.uc.uc_mcontext.sp;
#endif
    }
#else
    const char *from = running ? t->running_from : g->context.sp;
#endif
    /* A goroutine that overflowed saved no stack pointer since: its last
     * one may lie anywhere; read only what is surely its stack. */
    if (from < lo || from > top) from = lo;
#if CF_ASAN
    /* An overflowed goroutine's last switch (sched.c's die) freed its fake
     * stack: the handle it saved before is stale. */
    t->fake_stack = running         ? __asan_get_current_fake_stack()
                    : g->overflowed ? NULL
                                    : g->asan_fake_stack;
    t->fake_frame_count = 0;
#endif
    cf_scan_range(t, from, top);
#if CF_ASAN
    for (size_t i = 0; i < t->fake_frame_count; i += 2)
        cf_scan_range(t, t->fake_frames[i], t->fake_frames[i + 1]);
    t->fake_stack = NULL;
#endif
}

/* ---- the program's data ------------------------------------------------------------ */

void cf_scan_data_segments(cf_tracer *t) {
    size_t count;
    const cf_data_range *ranges = cf_program_data(&count);
    for (size_t i = 0; i < count; i++)
        cf_scan_range(t, (const void *)ranges[i].start, (const void *)ranges[i].end);
}
