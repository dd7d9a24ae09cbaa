/* stack.c -- goroutine stacks (see stack.h for the layout and the why). */
#include "stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "sanitizer.h"

/* Usable size. Go starts goroutines at 8 KiB and grows them; C stacks cannot
 * grow, so we reserve generously and pay only for the pages touched (the
 * mapping is MAP_NORESERVE). ASan's redzones make frames ~3x larger. */
#if CF_ASAN
#define CF_STACK_BYTES (512u * 1024u)
#else
#define CF_STACK_BYTES (128u * 1024u)
#endif

/* The descriptor lives in the top 64 bytes of the stack mapping, so a fresh
 * goroutine touches one page for both its first frame and its descriptor. */
#define CF_STACK_DESCRIPTOR 64u
/* Canary stacks keep this many bytes at the low end for the canary. */
#define CF_STACK_CANARY_AREA 64u

const uint64_t cf_stack_canary = 0xC4A9F022DEADB10Cull;

struct cf_slab {
    char *base;             /* CF_STACK_SLAB stacks of CF_STACK_BYTES */
    unsigned free_count;    /* stacks of this slab in the pool */
};

/* The pool: process-wide, holds only free stacks, so nothing of one
 * execution survives into the next. */
static struct {
    cf_stack *free;         /* LIFO: the warmest stack first */
    size_t free_count;
    size_t guarded_live;    /* guarded mappings, free or in use */
    size_t guarded_limit;   /* 0 until computed */
    size_t page;
} pool;

static size_t page_size(void) {
    if (pool.page == 0) pool.page = (size_t)sysconf(_SC_PAGESIZE);
    return pool.page;
}

size_t cf_stack_usable_size(void) {
    return CF_STACK_BYTES - CF_STACK_DESCRIPTOR;
}

size_t cf_stack_guarded_limit(void) {
    if (pool.guarded_limit == 0) {
        /* Two mappings per guarded stack; leave room for the process's own
         * mappings (libraries, heap arenas, sanitizer shadow and
         * allocator regions, canary slabs). */
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

static cf_stack *describe(char *region, bool guarded, cf_slab *slab) {
    cf_stack *s = (cf_stack *)(region + CF_STACK_BYTES - CF_STACK_DESCRIPTOR);
    s->guarded = guarded;
    s->slab = slab;
    s->registered = false;
    s->next_free = NULL;
    if (guarded) {
        s->lo = region;
        s->size = CF_STACK_BYTES - CF_STACK_DESCRIPTOR;
    } else {
        s->lo = region + CF_STACK_CANARY_AREA;
        s->size = CF_STACK_BYTES - CF_STACK_DESCRIPTOR - CF_STACK_CANARY_AREA;
        ((uint64_t *)s->lo)[-1] = cf_stack_canary;
    }
    return s;
}

static void push_free(cf_stack *s) {
    s->next_free = pool.free;
    pool.free = s;
    pool.free_count++;
    if (s->slab) s->slab->free_count++;
}

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
    return describe(base + page, true, NULL);
}

/* Maps a slab and puts all but one of its stacks in the pool. */
static cf_stack *map_slab(void) {
    cf_slab *slab = malloc(sizeof *slab);
    if (!slab) return NULL;
    slab->base = mmap(NULL, (size_t)CF_STACK_SLAB * CF_STACK_BYTES,
                      PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (slab->base == MAP_FAILED) {
        free(slab);
        return NULL;
    }
    slab->free_count = 0;
    for (unsigned i = 1; i < CF_STACK_SLAB; i++)
        push_free(describe(slab->base + (size_t)i * CF_STACK_BYTES, false, slab));
    return describe(slab->base, false, slab);
}

cf_stack *cf_stack_acquire(void) {
    cf_stack *s = pool.free;
    if (s) {
        pool.free = s->next_free;
        pool.free_count--;
        if (s->slab) s->slab->free_count--;
    } else if (pool.guarded_live < cf_stack_guarded_limit()) {
        s = map_guarded();
    } else {
        s = map_slab();
    }
    if (!s) return NULL;
    s->next_free = NULL;
    cf_san_register_root(s->lo, s->size);
    s->registered = true;
    return s;
}

void cf_stack_release(cf_stack *s, bool abandoned) {
    if (s->registered) {
        cf_san_unregister_root(s->lo, s->size);
        s->registered = false;
    }
    if (abandoned) cf_san_unpoison(s->lo, s->size);
    if (!s->guarded) ((uint64_t *)s->lo)[-1] = cf_stack_canary;
    push_free(s);
}

bool cf_stack_guard_hit(const cf_stack *s, const void *addr) {
    if (!s->guarded) return false;
    const char *guard = (const char *)s->lo - page_size();
    return (const char *)addr >= guard && (const char *)addr < (const char *)s->lo;
}

static void unmap(cf_stack *s) {
    char *region = s->guarded ? s->lo : (char *)s->lo - CF_STACK_CANARY_AREA;
    if (s->guarded) {
        cf_san_unpoison(region, CF_STACK_BYTES);
        munmap(region - page_size(), page_size() + CF_STACK_BYTES);
        pool.guarded_live--;
    }
}

void cf_stack_trim_pool(void) {
    if (pool.free_count <= CF_STACK_POOL_KEEP) return;
    /* Keep the warmest CF_STACK_POOL_KEEP; unmap guarded stacks past them.
     * Canary stacks go only with their whole slab. */
    cf_stack **link = &pool.free;
    size_t kept = 0;
    while (*link) {
        cf_stack *s = *link;
        if (kept >= CF_STACK_POOL_KEEP && s->guarded) {
            *link = s->next_free;
            pool.free_count--;
            unmap(s);
            continue;
        }
        kept++;
        link = &s->next_free;
    }
    if (pool.free_count <= CF_STACK_POOL_KEEP) return;
    /* Whole free slabs: unlink their stacks, then unmap each slab once. */
    link = &pool.free;
    cf_slab *doomed[64];
    size_t ndoomed = 0;
    while (*link && ndoomed < 64) {
        cf_stack *s = *link;
        if (s->slab && s->slab->free_count == CF_STACK_SLAB &&
            pool.free_count > CF_STACK_POOL_KEEP) {
            cf_slab *slab = s->slab;
            cf_stack **scan = &pool.free;
            while (*scan) {
                if ((*scan)->slab == slab) {
                    *scan = (*scan)->next_free;
                    pool.free_count--;
                } else {
                    scan = &(*scan)->next_free;
                }
            }
            slab->free_count = 0;
            doomed[ndoomed++] = slab;
            link = &pool.free;
            continue;
        }
        link = &s->next_free;
    }
    for (size_t i = 0; i < ndoomed; i++) {
        cf_san_unpoison(doomed[i]->base, (size_t)CF_STACK_SLAB * CF_STACK_BYTES);
        munmap(doomed[i]->base, (size_t)CF_STACK_SLAB * CF_STACK_BYTES);
        free(doomed[i]);
    }
}
