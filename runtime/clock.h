/* clock.h -- virtual time and the heap of pending timers.
 *
 * Time is virtual, as in testing/synctest: it starts at 0 in every
 * execution and moves only when
 *   - no goroutine can run and a pending timer could wake one (the clock
 *     jumps to it), or
 *   - the decision source says so at a scheduling point (runnable code
 *     took that long: a CLOCK decision), or
 *   - the only running goroutine is busy-polling (select taking default, a
 *     loop of atomic loads) with nothing else runnable: polling cannot
 *     change anything, so it must not stop time.
 * Go's synctest counts only "durable" blocking; every block modelled here
 * is durable, so the model needs no such distinction.
 *
 * Timers with the same deadline fire in an order the decision source
 * chooses (TIMER decisions). Firing never blocks: it readies goroutines,
 * fills timer channels, starts AfterFunc goroutines, cancels contexts.
 *
 * Invariants (cf_clock_check): the heap is ordered by (when, seq); every
 * pending timer knows its heap slot; no pending timer is overdue; the
 * clock never goes back (now >= the latest time it showed).
 */
#ifndef CF_CLOCK_H
#define CF_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct go_exec go_exec;
typedef struct cf_object cf_object;
typedef struct cf_timer cf_timer;

#define CF_TIMER_IDLE UINT32_MAX   /* heap_index of a timer not pending */

/* Polls in a row after which a busy-waiting goroutine counts as idle (see
 * cf_sched_note_poll). A handful, so a poll-then-work sequence is left
 * alone but a loop is not. */
#define CF_IDLE_POLLS 8

/* Steps after which a clock that has not moved, with a timer pending,
 * moves on to the next deadline (cf_clock_advance_if_still). In Go time
 * passes while code runs: ten thousand scheduling operations take a
 * millisecond or more, so a timer due sooner has fired; here time only
 * moves when nothing can run or a CLOCK decision says so, and a program
 * that always has someone runnable (pollers taking turns) would never see
 * a Sleep end on the plain schedule that exhaustive search and a dry fuzz
 * input follow. */
#define CF_CLOCK_STILL_STEPS 10000

struct cf_timer {
    int64_t when;                  /* deadline, virtual ns */
    uint64_t seq;                  /* arming order: ties in the heap */
    uint32_t heap_index;           /* slot in exec's heap, or CF_TIMER_IDLE */
    /* Called when the timer fires, after it left the heap (a periodic
     * timer re-arms itself). Must not block. */
    void (*fire)(go_exec *e, cf_timer *t);
    /* Would firing now wake a goroutine (or start one)? NULL: always. A
     * ticker whose channel nobody waits on would not: it must not keep an
     * execution alive. */
    bool (*can_wake)(const cf_timer *t);
    cf_object *owner;              /* the timer or context it belongs to;
                                      NULL for a Sleep */
    void *context;                 /* for fire: the sleeping goroutine's
                                      waiter, or owner-specific data */
};

typedef struct cf_clock {
    int64_t now;                   /* virtual ns since the execution began */
    cf_timer **heap;               /* binary min-heap on (when, seq) */
    uint32_t count;
    uint32_t capacity;
    uint64_t next_seq;
    int64_t horizon;               /* target of the advance under way: a
                                      ticker due again before it skips to
                                      its first tick after it */
    uint32_t idle_polls;           /* polls in a row with nothing runnable */
    uint64_t moved_at_step;        /* the step at which now last moved on */
    int64_t latest;                /* the latest time the clock has shown:
                                      now may never fall below it */
    bool firing;                   /* inside a fire callback */
    cf_timer **ties;               /* scratch: timers due at one instant */
    uint32_t ties_capacity;
} cf_clock;

/* Puts t in the heap to fire at `when` (clamped to now: a deadline in the
 * past fires at the next opportunity). t must not be pending. */
void cf_timer_arm(go_exec *e, cf_timer *t, int64_t when);

/* Takes t out of the heap. Returns whether it was pending. */
bool cf_timer_disarm(go_exec *e, cf_timer *t);

static inline bool cf_timer_pending(const cf_timer *t) {
    return t->heap_index != CF_TIMER_IDLE;
}

/* Initializes a timer that is not pending. */
void cf_timer_init(cf_timer *t, void (*fire)(go_exec *, cf_timer *),
                   bool (*can_wake)(const cf_timer *), cf_object *owner, void *context);

/* Is any timer pending? */
static inline bool cf_clock_has_timers(const cf_clock *c) { return c->count > 0; }

/* The earliest deadline among pending timers that could wake someone, or
 * -1 when there is none. */
int64_t cf_clock_next_waking(const go_exec *e);

/* Advances the clock to `target` (>= now) firing, in deadline order, every
 * timer due by then; ties are decided. Periodic timers that fall due
 * repeatedly before target fire once per call (Go drops ticks for slow
 * receivers). */
void cf_clock_advance_to(go_exec *e, int64_t target);

/* Advances to the earliest pending timer and fires what is due then. */
void cf_clock_advance_next(go_exec *e);

/* After CF_CLOCK_STILL_STEPS steps with a timer pending and the clock
 * standing still: advances to the first deadline after now (firing what is
 * due up to it). Deterministic: a function of the steps and the timers. */
void cf_clock_advance_if_still(go_exec *e);

/* Something happened (a goroutine blocked or woke): polls start over. */
static inline void cf_clock_note_progress(cf_clock *c) { c->idle_polls = 0; }

void cf_clock_check(const go_exec *e);
void cf_clock_term(cf_clock *c);

#endif
