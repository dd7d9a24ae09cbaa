/* stack.c -- goroutine stacks (see stack.h for the layout and the why). */
#include "stack.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "sanitizer.h"

/* Bytes per stack, descriptor included. Go starts goroutines at 8 KiB and
 * grows them; C stacks cannot grow, so we reserve generously and pay only
 * for the pages touched (the mapping is MAP_NORESERVE). ASan's redzones
 * make frames ~3x larger. */
#if CF_ASAN
#define CF_STACK_BYTES (512u * 1024u)
#else
#define CF_STACK_BYTES (128u * 1024u)
#endif

/* A guarded stack's descriptor lives in the top 64 bytes of its mapping, so
 * a fresh goroutine touches one page for both its first frame and its
 * descriptor. (Its own overflow runs into its guard page, away from it.) */
#define CF_STACK_DESCRIPTOR 64u

const uint64_t cf_stack_canary = 0xC4A9F022DEADB10Cull;

/* One mapping: [guard page] then CF_STACK_SLAB slots of
 * [canary zone page][CF_STACK_BYTES]. */
struct cf_slab {
    char *base;                 /* the mapping, guard page first */
    unsigned free_count;        /* its stacks on the canary free list */
    bool doomed;                /* trim: about to be unmapped */
    struct cf_slab *prev, *next; /* every slab */
    cf_stack stacks[CF_STACK_SLAB]; /* descriptors, off the stacks */
};

/* The pool: process-wide, holds only free stacks, so nothing of one
 * execution survives into the next. Each list is LIFO: the warmest stack
 * (its top pages already faulted in) first. */
static struct {
    cf_stack *guarded_free;
    size_t guarded_free_count;
    cf_stack *canary_free;
    size_t canary_free_count;
    cf_slab *slabs;
    size_t guarded_live;        /* guarded mappings, free or in use */
    size_t guarded_limit;       /* 0 until computed */
    size_t page;
} pool;

/* Collections scan stacks conservatively (graph.h): a word an earlier
 * execution left in what is now a frame's padding would read as a pointer
 * into this execution's objects, which reuse freed addresses, and the
 * same decisions would no longer give the same trace. So a stack's first
 * use in each execution starts from zeroes where frames were: down to the
 * deepest switch its goroutines made (dirty_low, kept by sched.c), and
 * CF_STACK_SCRUB_MARGIN below it for the calls that went deeper between
 * switches (allocation, decisions, event hooks). Stale words deeper still,
 * from a recursion that never switched, may be read. Measured on the
 * demo (release): its executions take 0.51 us, and 0.06 us more with the
 * scrub; a fixed 32 KiB window cost 0.25 us per stack. */
#if CF_ASAN
#define CF_STACK_SCRUB_MARGIN (6u * 1024u)
#else
#define CF_STACK_SCRUB_MARGIN (2u * 1024u)
#endif

/* Executions ended (cf_stack_trim_pool): a stack whose generation is older
 * is scrubbed before its next use. */
static uint64_t generation;

static size_t page_size(void) {
    if (pool.page == 0) pool.page = (size_t)sysconf(_SC_PAGESIZE);
    return pool.page;
}

static size_t slot_bytes(void) { return page_size() + CF_STACK_BYTES; }
static size_t slab_bytes(void) { return page_size() + CF_STACK_SLAB * slot_bytes(); }

size_t cf_stack_usable_size(void) {
    return CF_STACK_BYTES - CF_STACK_DESCRIPTOR;
}

size_t cf_stack_guarded_limit(void) {
    if (pool.guarded_limit == 0) {
        /* Two mappings per guarded stack; leave room for the process's own
         * mappings (libraries, heap arenas, sanitizer shadow and
         * allocator regions, ASan fake stacks) and for canary slabs. */
        long max_maps = 65530;
        FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
        if (f) {
            if (fscanf(f, "%ld", &max_maps) != 1) max_maps = 65530;
            fclose(f);
        }
        long reserve = CF_ASAN ? 12000 : 6000;
        long limit = (max_maps - reserve) / 2;
        pool.guarded_limit = limit < 256 ? 256 : (size_t)limit;
    }
    return pool.guarded_limit;
}

void cf_stack_set_guarded_limit(size_t limit) { pool.guarded_limit = limit; }

static uint64_t *canary_word(const cf_stack *s) { return (uint64_t *)s->lo - 1; }

/* ---- mapping ------------------------------------------------------------ */

static cf_stack *map_guarded(void) {
    size_t page = page_size();
    char *base = mmap(NULL, page + CF_STACK_BYTES, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return NULL;
    if (mprotect(base + page, CF_STACK_BYTES, PROT_READ | PROT_WRITE) != 0) {
        munmap(base, page + CF_STACK_BYTES);
        return NULL;
    }
    pool.guarded_live++;
    cf_stack *s = (cf_stack *)(base + page + CF_STACK_BYTES - CF_STACK_DESCRIPTOR);
    *s = (cf_stack){.lo = base + page, .size = cf_stack_usable_size(), .guarded = true,
                    .generation = generation};
    return s;
}

static void push_canary(cf_stack *s) {
    s->next_free = pool.canary_free;
    pool.canary_free = s;
    pool.canary_free_count++;
    s->slab->free_count++;
}

/* Maps a slab and puts all but its highest stack in the pool. The guard
 * page goes in by mprotect, which splits the mapping in two: still two
 * mappings per CF_STACK_SLAB stacks. */
static cf_stack *map_slab(void) {
    cf_slab *slab = malloc(sizeof *slab);
    if (!slab) return NULL;
    size_t page = page_size();
    slab->base = mmap(NULL, slab_bytes(), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slab->base == MAP_FAILED) {
        free(slab);
        return NULL;
    }
    if (mprotect(slab->base, page, PROT_NONE) != 0) {
        munmap(slab->base, slab_bytes());
        free(slab);
        return NULL;
    }
    slab->free_count = 0;
    slab->doomed = false;
    slab->prev = NULL;
    slab->next = pool.slabs;
    if (pool.slabs) pool.slabs->prev = slab;
    pool.slabs = slab;
    for (unsigned i = 0; i < CF_STACK_SLAB; i++) {
        char *zone = slab->base + page + (size_t)i * slot_bytes();
        slab->stacks[i] = (cf_stack){.lo = zone + page, .size = cf_stack_usable_size(),
                                     .slab = slab, .generation = generation};
    }
    /* Lowest first onto the LIFO list, so stacks are handed out from the
     * top of the slab down: an overflow (which runs downwards) then
     * tramples free stacks rather than live ones while the slab fills. */
    for (unsigned i = 0; i + 1 < CF_STACK_SLAB; i++) push_canary(&slab->stacks[i]);
    return &slab->stacks[CF_STACK_SLAB - 1];
}

/* Unpoisons the part of a stack whose shadow its frames may have left
 * poisoned: from its deepest switch, less the margin for calls that went
 * deeper between switches, to its top. Frames below that returned, and
 * unpoisoned their redzones as they did; an overflow, which leaves
 * redzones below lo, is unpoisoned at release. Unpoisoning all 512 KiB of
 * an ASan stack writes (and makes resident) 64 KiB of shadow: 6.4 GB and
 * minutes for 100,000 goroutines, against a few hundred bytes here. */
static void unpoison_used(const cf_stack *s) {
    if (!CF_ASAN || !s->dirty_low) return;
    char *lo = s->lo, *top = lo + s->size;
    char *from = (char *)s->dirty_low - CF_STACK_SCRUB_MARGIN;
    if (from < lo) from = lo;
    cf_san_unpoison(from, (size_t)(top - from));
}

static void unmap_slab(cf_slab *slab) {
    if (slab->prev) slab->prev->next = slab->next; else pool.slabs = slab->next;
    if (slab->next) slab->next->prev = slab->prev;
    for (unsigned i = 0; i < CF_STACK_SLAB; i++) unpoison_used(&slab->stacks[i]);
    munmap(slab->base, slab_bytes());
    free(slab);
}

/* ---- acquire and release -------------------------------------------------- */

cf_stack *cf_stack_acquire(void) {
    cf_stack *s;
    if (pool.guarded_free) {
        s = pool.guarded_free;
        pool.guarded_free = s->next_free;
        pool.guarded_free_count--;
    } else if (pool.guarded_live < cf_stack_guarded_limit()) {
        s = map_guarded();
    } else if (pool.canary_free) {
        s = pool.canary_free;
        pool.canary_free = s->next_free;
        pool.canary_free_count--;
        s->slab->free_count--;
    } else {
        s = map_slab();
    }
    if (!s) return NULL;
    s->next_free = NULL;
    char *lo = s->lo, *top = lo + s->size;
    if (s->generation != generation) {
        if (s->dirty_low) { /* used since its last scrub */
            char *from = (char *)s->dirty_low - CF_STACK_SCRUB_MARGIN;
            if (from < lo) from = lo;
            cf_san_unpoison(from, (size_t)(top - from));
            memset(from, 0, (size_t)(top - from));
        }
        s->generation = generation;
        s->dirty_low = top;
    } else if (!s->dirty_low) {
        s->dirty_low = top;
    }
    /* Written here rather than at release: an overflow of the stack above
     * may have overwritten the canary of this one while it sat free. */
    if (!s->guarded) *canary_word(s) = cf_stack_canary;
    cf_san_register_root(s->lo, s->size);
    s->registered = true;
    return s;
}

void cf_stack_release(cf_stack *s, bool abandoned) {
    if (s->registered) {
        cf_san_unregister_root(s->lo, s->size);
        s->registered = false;
    }
    if (s->overflowed) {
        /* The overflowing frames left redzones below lo: in the guard page,
         * or all the way down the slab. Every stack they crossed is free or
         * being torn down now (an overflow ends the execution). */
        if (s->guarded)
            cf_san_unpoison((char *)s->lo - page_size(), page_size() + CF_STACK_BYTES);
        else
            cf_san_unpoison(s->slab->base, slab_bytes());
        s->overflowed = false;
    } else if (abandoned) {
        unpoison_used(s);
    }
    if (s->guarded) {
        s->next_free = pool.guarded_free;
        pool.guarded_free = s;
        pool.guarded_free_count++;
    } else {
        push_canary(s);
    }
}

/* ---- overflow ------------------------------------------------------------- */

bool cf_stack_guard_hit(const cf_stack *s, const void *addr) {
    const char *guard = s->guarded ? (const char *)s->lo - page_size() : s->slab->base;
    return (const char *)addr >= guard && (const char *)addr < guard + page_size();
}

void cf_stack_note_overflow(cf_stack *s) { s->overflowed = true; }

bool cf_stack_trampled_by(const cf_stack *s, const cf_stack *overflowed) {
    return !s->guarded && !overflowed->guarded && s->slab == overflowed->slab &&
           (const char *)s->lo < (const char *)overflowed->lo;
}

uint64_t *cf_stack_canary_at(const void *addr) {
    const char *a = addr;
    for (cf_slab *slab = pool.slabs; slab; slab = slab->next) {
        const char *first = slab->base + page_size();
        if (a < first || a >= slab->base + slab_bytes()) continue;
        return canary_word(&slab->stacks[(size_t)(a - first) / slot_bytes()]);
    }
    return NULL;
}

/* ---- trimming ------------------------------------------------------------- */

static int by_address(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)*(char *const *)a, y = (uintptr_t)*(char *const *)b;
    return (x > y) - (x < y);
}

/* Unmaps the `count` guarded stacks of list s. The kernel hands out
 * consecutive mmaps next to each other, so runs of them are unmapped in
 * one munmap: each call flushes the TLB (an IPI to every core the process
 * ran on), and 100,000 goroutines' teardown spent a tenth of its time
 * there one stack at a time. */
static void unmap_guarded_list(cf_stack *s, size_t count) {
    char **bases = malloc((count ? count : 1) * sizeof *bases);
    size_t n = 0, length = page_size() + CF_STACK_BYTES;
    while (s) {
        cf_stack *next = s->next_free;
        pool.guarded_free_count--;
        pool.guarded_live--;
        /* ASan keeps shadow across munmap: whatever maps here next must
         * not inherit poisoned redzones. */
        unpoison_used(s);
        char *base = (char *)s->lo - page_size();
        if (bases && n < count) bases[n++] = base;
        else munmap(base, length);
        s = next;
    }
    if (!bases) return;
    qsort(bases, n, sizeof *bases, by_address);
    for (size_t i = 0; i < n;) {
        size_t run = 1;
        while (i + run < n && bases[i + run] == bases[i] + run * length) run++;
        munmap(bases[i], run * length);
        i += run;
    }
    free(bases);
}

/* Drops the stacks of doomed slabs from the canary free list. */
static void unlink_doomed(void) {
    cf_stack **link = &pool.canary_free;
    while (*link) {
        cf_stack *s = *link;
        if (s->slab->doomed) {
            *link = s->next_free;
            pool.canary_free_count--;
        } else {
            link = &s->next_free;
        }
    }
}

void cf_stack_trim_pool(void) {
    generation++; /* called once per execution, at its end */
    size_t free_total = pool.guarded_free_count + pool.canary_free_count;
    if (free_total <= CF_STACK_POOL_KEEP) return;

    /* Canary slabs first: a guarded stack is the better stack to keep.
     * Only a slab whose every stack is free can go. One pass marks, one
     * pass unlinks, so trimming is linear in the pool's size. */
    size_t doomed = 0;
    for (cf_slab *slab = pool.slabs; slab && free_total > CF_STACK_POOL_KEEP;
         slab = slab->next) {
        if (slab->free_count != CF_STACK_SLAB) continue;
        slab->doomed = true;
        free_total -= CF_STACK_SLAB;
        doomed++;
    }
    if (doomed) {
        unlink_doomed();
        cf_slab *slab = pool.slabs;
        while (slab) {
            cf_slab *next = slab->next;
            if (slab->doomed) unmap_slab(slab);
            slab = next;
        }
    }

    /* Then guarded stacks past the warmest ones. */
    if (free_total <= CF_STACK_POOL_KEEP) return;
    size_t excess = free_total - CF_STACK_POOL_KEEP;
    size_t keep = excess < pool.guarded_free_count ? pool.guarded_free_count - excess : 0;
    cf_stack **link = &pool.guarded_free;
    for (size_t kept = 0; *link && kept < keep; kept++) link = &(*link)->next_free;
    cf_stack *s = *link;
    *link = NULL;
    unmap_guarded_list(s, pool.guarded_free_count - keep);
}
