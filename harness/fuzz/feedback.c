/* feedback.c -- the runtime's events as libFuzzer extra counters.
 *
 * Features, each hashed with a tag so families do not collide on purpose:
 *   event      (event kind, site, detail): a select at S took case 2, a
 *              goroutine blocked at S in "chan send", a panic at S
 *   meet       (site A, site B, object kind, what met, B had blocked): an
 *              unbuffered send met its receive after the receiver waited,
 *              or found it already there -- the two orders of one pair
 *   order      (previous site on the object, this site, event kind): the
 *              order in which sites touched one channel, mutex, context
 *   switch     (site the processor left): libFuzzer's hit-count buckets
 *              (1, 2, 3, 4-7, 8-15, ...) turn the count of preemptions at
 *              a site into schedule depth
 *   end        (creation site, end state, wait reason) per goroutine left:
 *              a goroutine leaked in a new way is new coverage
 * Goroutine and object ids are left out of the hashed values (they vary
 * with the schedule without meaning anything new); sites are offsets from
 * an anchor in this executable, stable across runs despite ASLR, so a
 * corpus keeps its coverage when a fork-mode child reloads it.
 */
#include "feedback.h"

#include <stdlib.h>
#include <string.h>

#if CHANFUZZ_FEEDBACK_BYTES > 0
_Static_assert((CHANFUZZ_FEEDBACK_BYTES & (CHANFUZZ_FEEDBACK_BYTES - 1)) == 0,
               "CHANFUZZ_FEEDBACK_BYTES must be a power of two");
_Static_assert(CHANFUZZ_FEEDBACK_BYTES % 64 == 0, "CHANFUZZ_FEEDBACK_BYTES must be a multiple of 64");

/* libFuzzer finds this section in the executable (not in a shared
 * library: those are ignored) and treats every byte as a counter. */
__attribute__((used, section("__libfuzzer_extra_counters"), aligned(64))) static uint8_t
    counters[CHANFUZZ_FEEDBACK_BYTES];
#endif

enum feature_family { FEATURE_EVENT = 1, FEATURE_MEET, FEATURE_ORDER, FEATURE_SWITCH, FEATURE_END };

static const char site_anchor;

/* A site as a number that is the same in every run of this binary. */
static uint32_t site_number(const go_site *site) {
    if (!site) return 0;
    return (uint32_t)((uintptr_t)site - (uintptr_t)&site_anchor);
}

/* splitmix64's finalizer: every input bit moves every output bit, which a
 * mask to a few KiB needs. */
static uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void hit(enum feature_family family, uint64_t a, uint64_t b, uint64_t c) {
#if CHANFUZZ_FEEDBACK_BYTES > 0
    uint64_t h = mix(mix(mix((uint64_t)family * 0x9e3779b97f4a7c15ull ^ a) ^ b) ^ c);
    uint8_t *counter = &counters[h & (CHANFUZZ_FEEDBACK_BYTES - 1)];
    /* Saturate: a wrap to 0 would read as "never happened". */
    if (*counter != UINT8_MAX) (*counter)++;
#else
    (void)family, (void)a, (void)b, (void)c;
#endif
}

bool chanfuzz_feedback_enabled(void) {
    static int enabled = -1;
    if (enabled < 0) {
        const char *setting = getenv("CHANFUZZ_FEEDBACK");
        enabled = !(setting && strcmp(setting, "0") == 0) && CHANFUZZ_FEEDBACK_BYTES > 0;
    }
    return enabled;
}

size_t chanfuzz_feedback_size(void) { return CHANFUZZ_FEEDBACK_BYTES; }

void chanfuzz_feedback_begin(chanfuzz_feedback *feedback) { memset(feedback, 0, sizeof *feedback); }

static size_t object_slot(go_object_kind kind, uint64_t id) {
    return mix(((uint64_t)kind << 56) ^ id) % CHANFUZZ_FEEDBACK_OBJECT_SLOTS;
}

static bool *blocked_flag(chanfuzz_feedback *feedback, uint64_t goroutine) {
    return &feedback->blocked[goroutine % CHANFUZZ_FEEDBACK_GOROUTINE_SLOTS];
}

void chanfuzz_feedback_event(void *self, const go_event *event) {
    chanfuzz_feedback *feedback = self;
    uint32_t site = site_number(event->site);
    feedback->events++;

    switch (event->kind) {
    case GO_EVENT_SWITCH:
        hit(FEATURE_SWITCH, site, 0, 0);
        return;   /* the processor moving is not an act on an object */
    case GO_EVENT_BLOCK:
        *blocked_flag(feedback, event->goroutine) = true;
        break;
    case GO_EVENT_WAKE:
        *blocked_flag(feedback, event->other) = false;
        break;
    case GO_EVENT_MEET: {
        bool partner_waited = *blocked_flag(feedback, event->other);
        hit(FEATURE_MEET, ((uint64_t)site << 32) | site_number(event->other_site),
            ((uint64_t)event->object_kind << 8) | (uint64_t)event->detail, partner_waited);
        break;
    }
    default:
        break;
    }
    hit(FEATURE_EVENT, event->kind, site, (uint64_t)event->detail);

    if (event->object_kind != GO_OBJ_NONE) {
        uint32_t *last = &feedback->last_site_on_object[object_slot(event->object_kind,
                                                                    event->object_id)];
        hit(FEATURE_ORDER, ((uint64_t)*last << 32) | site, event->kind, event->object_kind);
        *last = site;
    }
}

void chanfuzz_feedback_finish(void *self, const go_exec *exec) {
    (void)self;
    size_t count = go_exec_goroutine_count(exec);
    for (size_t i = 0; i < count; i++) {
        const go_goroutine_info *g = go_exec_goroutine(exec, i);
        hit(FEATURE_END, site_number(g->creator_site), g->state, g->wait_reason);
    }
    hit(FEATURE_END, 0, go_exec_end(exec), count);
}
