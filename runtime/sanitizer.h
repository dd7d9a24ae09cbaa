/* sanitizer.h -- what the sanitizers must be told about coroutine stacks.
 * Every call is a no-op without the sanitizer it serves.
 *
 * - ASan tracks one stack per thread; each switch is bracketed by
 *   start_switch_fiber (on the way out: where we are going) and
 *   finish_switch_fiber (on arrival: restores the fake stack). A NULL
 *   fake-stack save on the way out frees the leaving fiber's fake stack:
 *   only a goroutine's last switch may pass NULL.
 * - ASan's shadow outlives munmap and stack reuse: a stack left by a
 *   goroutine that did not return normally still has poisoned redzones and
 *   must be unpoisoned before it is reused or unmapped.
 * - LSan scans only the thread's own stack: live goroutine stacks are
 *   registered as root regions, and unregistered when released (a pooled
 *   stack left registered would hide real leaks). */
#ifndef CF_SANITIZER_H
#define CF_SANITIZER_H

#include <stdbool.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define CF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CF_ASAN 1
#endif
#endif
#ifndef CF_ASAN
#define CF_ASAN 0
#endif

#if CF_ASAN || defined(CF_LSAN)
#define CF_LSAN_ROOTS 1
#include <sanitizer/lsan_interface.h>
#else
#define CF_LSAN_ROOTS 0
#endif

#if CF_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

static inline void cf_san_start_switch(void **fake_stack_save, const void *bottom,
                                       size_t size) {
#if CF_ASAN
    __sanitizer_start_switch_fiber(fake_stack_save, bottom, size);
#else
    (void)fake_stack_save, (void)bottom, (void)size;
#endif
}

static inline void cf_san_finish_switch(void *fake_stack_save, const void **bottom_old,
                                        size_t *size_old) {
#if CF_ASAN
    __sanitizer_finish_switch_fiber(fake_stack_save, bottom_old, size_old);
#else
    (void)fake_stack_save, (void)bottom_old, (void)size_old;
#endif
}

static inline void cf_san_unpoison(const void *addr, size_t size) {
#if CF_ASAN
    __asan_unpoison_memory_region(addr, size);
#else
    (void)addr, (void)size;
#endif
}

static inline void cf_san_poison(const void *addr, size_t size) {
#if CF_ASAN
    __asan_poison_memory_region(addr, size);
#else
    (void)addr, (void)size;
#endif
}

static inline void cf_san_register_root(const void *addr, size_t size) {
#if CF_LSAN_ROOTS
    __lsan_register_root_region(addr, size);
#else
    (void)addr, (void)size;
#endif
}

static inline void cf_san_unregister_root(const void *addr, size_t size) {
#if CF_LSAN_ROOTS
    __lsan_unregister_root_region(addr, size);
#else
    (void)addr, (void)size;
#endif
}

/* ASan's fake stacks (detect_stack_use_after_return) are made per fiber on
 * first use and sized from the fiber's stack: an mmap and munmap of
 * megabytes per goroutine, which made executions 20x slower (measured on
 * the demo: 1.36 ms instead of 68 us). A goroutine that returned normally
 * leaves its fake stack with no live frames (its exit path is
 * CF_NO_ASAN), so the next goroutine adopts it, as a thread keeps its own
 * across calls. Abandoned goroutines still free theirs (NULL save). */
void *cf_san_fake_stack_take(void);

/* Functions on the path a goroutine takes to its last switch: their frames
 * are never popped, so they must leave no poisoned redzones behind. */
#if CF_ASAN
#define CF_NO_ASAN __attribute__((no_sanitize_address))
#else
#define CF_NO_ASAN
#endif

#endif
