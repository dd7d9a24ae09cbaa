/* clock.c -- virtual time and the timer heap (see clock.h). */
#include "clock.h"

#include <stdlib.h>

#include "sched.h"

/* ---- the heap, ordered by (when, seq) ------------------------------------ */

static bool earlier(const cf_timer *a, const cf_timer *b) {
    return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void place(cf_clock *c, uint32_t i, cf_timer *t) {
    c->heap[i] = t;
    t->heap_index = i;
}

static void sift_up(cf_clock *c, uint32_t i) {
    cf_timer *t = c->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!earlier(t, c->heap[parent])) break;
        place(c, i, c->heap[parent]);
        i = parent;
    }
    place(c, i, t);
}

static void sift_down(cf_clock *c, uint32_t i) {
    cf_timer *t = c->heap[i];
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= c->count) break;
        if (child + 1 < c->count && earlier(c->heap[child + 1], c->heap[child])) child++;
        if (!earlier(c->heap[child], t)) break;
        place(c, i, c->heap[child]);
        i = child;
    }
    place(c, i, t);
}

void cf_timer_init(cf_timer *t, void (*fire)(go_exec *, cf_timer *),
                   bool (*can_wake)(const cf_timer *), cf_object *owner, void *context) {
    t->when = 0;
    t->seq = 0;
    t->heap_index = CF_TIMER_IDLE;
    t->fire = fire;
    t->can_wake = can_wake;
    t->owner = owner;
    t->context = context;
}

void cf_timer_arm(go_exec *e, cf_timer *t, int64_t when) {
    cf_clock *c = &e->clock;
    cf_require(!cf_timer_pending(t), "timer armed twice");
    if (c->count == c->capacity) {
        uint32_t capacity = c->capacity ? c->capacity * 2 : 64;
        cf_timer **heap = realloc(c->heap, sizeof *heap * capacity);
        cf_require(heap != NULL, "timer heap allocation");
        c->heap = heap;
        c->capacity = capacity;
    }
    t->when = when < c->now ? c->now : when;
    t->seq = c->next_seq++;
    c->count++;
    place(c, c->count - 1, t);
    sift_up(c, c->count - 1);
}

bool cf_timer_disarm(go_exec *e, cf_timer *t) {
    cf_clock *c = &e->clock;
    if (!cf_timer_pending(t)) return false;
    uint32_t i = t->heap_index;
    t->heap_index = CF_TIMER_IDLE;
    c->count--;
    if (i == c->count) return true;
    place(c, i, c->heap[c->count]);
    sift_down(c, i);
    sift_up(c, c->heap[i]->heap_index);
    return true;
}

/* ---- advancing ------------------------------------------------------------ */

int64_t cf_clock_next_waking(const go_exec *e) {
    const cf_clock *c = &e->clock;
    int64_t next = -1;
    for (uint32_t i = 0; i < c->count; i++) {
        const cf_timer *t = c->heap[i];
        if ((next < 0 || t->when < next) && (!t->can_wake || t->can_wake(t))) next = t->when;
    }
    return next;
}

/* Collects into `ties` the pending timers due at `when`, in arming order. */
static uint32_t collect_due(cf_clock *c, int64_t when, cf_timer ***ties, uint32_t *capacity) {
    uint32_t n = 0;
    /* Depth-first over the heap: only subtrees whose root is due can hold
     * due timers. */
    uint32_t stack[64];
    uint32_t depth = 0;
    if (c->count && c->heap[0]->when == when) stack[depth++] = 0;
    while (depth) {
        uint32_t i = stack[--depth];
        if (n == *capacity) {
            *capacity = *capacity ? *capacity * 2 : 16;
            *ties = realloc(*ties, sizeof **ties * *capacity);
            cf_require(*ties != NULL, "timer tie allocation");
        }
        (*ties)[n++] = c->heap[i];
        for (uint32_t child = 2 * i + 1; child <= 2 * i + 2 && child < c->count; child++)
            if (c->heap[child]->when == when) stack[depth++] = child;
    }
    /* Insertion sort by seq: ties are few. */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && (*ties)[j]->seq < (*ties)[j - 1]->seq; j--) {
            cf_timer *swap = (*ties)[j];
            (*ties)[j] = (*ties)[j - 1];
            (*ties)[j - 1] = swap;
        }
    return n;
}

static void fire(go_exec *e, cf_timer *t) {
    cf_timer_disarm(e, t);
    bool was_firing = e->clock.firing;
    e->clock.firing = true;
    t->fire(e, t);
    e->clock.firing = was_firing;
}

void cf_clock_advance_to(go_exec *e, int64_t target) {
    cf_clock *c = &e->clock;
    cf_require(target >= c->now, "the clock never goes back");
    if (e->settling && target > e->settle_deadline) cf_settle_exhausted(e);
    c->horizon = target;
    if (target > c->now) c->moved_at_step = e->steps;
    while (c->count && c->heap[0]->when <= target) {
        int64_t when = c->heap[0]->when;
        c->now = when;
        /* Equal deadlines: which fires first is a decision, asked again
         * after each firing since a firing may stop or arm timers. */
        uint32_t n = collect_due(c, when, &c->ties, &c->ties_capacity);
        uint32_t pick = n > 1 ? (uint32_t)cf_decide(e, GO_DECIDE_TIMER, n) : 0;
        fire(e, c->ties[pick]);
    }
    c->now = target;
    c->latest = target;
    c->idle_polls = 0;
}

void cf_clock_advance_next(go_exec *e) {
    if (e->clock.count) cf_clock_advance_to(e, e->clock.heap[0]->when);
}

void cf_clock_advance_if_still(go_exec *e) {
    cf_clock *c = &e->clock;
    if (!c->count || e->steps - c->moved_at_step < CF_CLOCK_STILL_STEPS) return;
    int64_t target = c->now;
    for (uint32_t i = 0; i < c->count; i++) {
        int64_t when = c->heap[i]->when;
        if (when > c->now && (target == c->now || when < target)) target = when;
    }
    c->moved_at_step = e->steps; /* once per CF_CLOCK_STILL_STEPS, even if nothing is later */
    cf_clock_advance_to(e, target);
}

void cf_clock_check(const go_exec *e) {
    const cf_clock *c = &e->clock;
    /* advance_to refuses to go back; this catches whatever else moved it
     * (latest is kept where the clock moves, so the check is a compare). */
    cf_require(c->now >= c->latest, "the clock never goes back");
    for (uint32_t i = 0; i < c->count; i++) {
        cf_require(c->heap[i]->heap_index == i, "a pending timer knows its heap slot");
        cf_require(c->heap[i]->when >= c->now, "no pending timer is overdue");
        if (i) cf_require(!earlier(c->heap[i], c->heap[(i - 1) / 2]), "the timer heap is ordered");
    }
}

void cf_clock_term(cf_clock *c) {
    free(c->heap);
    free(c->ties);
}
