/* detect.h -- what the detectors share: the list they fill, the crash-state
 * builders, and the ignore rules. Private to harness/detect and
 * harness/report. */
#ifndef CF_DETECT_H
#define CF_DETECT_H

#include <chanfuzz/findings.h>
#include <chanfuzz/site_column.h>

/* ---- the list being built (finding.c) ------------------------------------ */

/* Every detector gets this: the execution to judge, the rules to apply,
 * and the list to add to. `failed` is set when an allocation failed; the
 * list is then dropped whole rather than reported half-built. */
typedef struct cf_detection {
    const go_exec *exec;
    const chanfuzz_ignore *ignore;
    chanfuzz_findings *findings;
    size_t capacity;
    bool failed;
} cf_detection;

/* The finding of `kind` with `crash_state`, made if there is none yet
 * (title, message and witness kind then empty): findings of one
 * execution are deduplicated on their crash state. NULL when out of
 * memory. The pointer is valid until the next cf_finding_for: the list
 * may move when it grows. */
chanfuzz_finding *cf_finding_for(cf_detection *d, chanfuzz_kind kind, const char *crash_state);

/* Adds goroutine `g` to finding f, with its object's state and how long
 * it has been blocked, and counts an occurrence. */
chanfuzz_goroutine *cf_finding_add_goroutine(cf_detection *d, chanfuzz_finding *f,
                                             const go_goroutine_info *g);

/* Adds a link to f's witness unless one for the same object is there
 * already (goroutines merged into one finding often wait on one object).
 * The state is described from the execution. */
chanfuzz_witness_link *cf_witness_add(cf_detection *d, chanfuzz_finding *f, const char *role,
                                      go_object_kind kind, uint64_t id, const go_site *site);

/* Adds a link to f's witness as it is, without looking for an equal one
 * or describing an object: the caller writes its state (growth's sites,
 * which are not objects). */
chanfuzz_witness_link *cf_witness_append(cf_detection *d, chanfuzz_finding *f, const char *role,
                                         go_object_kind kind, uint64_t id, const go_site *site);

/* Appends to f's witness the chain that holds object (kind, id), as the
 * final collection found it: a root link (object kind NONE, its words in
 * `state`: global "registry", leaked goroutine 2), then each object, or
 * goroutine reached through an object it waits on, down to the object
 * itself. Returns the chain's length, 0 when nothing holds it; *root (if
 * not NULL) gets the root. */
size_t cf_witness_add_holder_chain(cf_detection *d, chanfuzz_finding *f, go_object_kind kind,
                                   uint64_t id, go_holder *root);

/* Appends w's links as a chain: "global \"registry\" -> map#1 -> closure#3". */
void cf_append_chain(char *out, size_t size, const chanfuzz_witness *w);

/* Sorts findings by kind then crash state, and each finding's goroutines
 * by id, so that reports do not depend on the order detectors ran. */
void cf_findings_sort(chanfuzz_findings *findings);

/* Appends to the string in out (of size) whatever fits; out stays
 * terminated. Texts here are cut, never overflowed. */
void cf_append(char *out, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* "1 goroutine blocked", "3 goroutines blocked": n and the noun, plural
 * when n != 1, then `rest`. */
void cf_count_phrase(char *out, size_t size, size_t n, const char *one, const char *many,
                     const char *rest);

/* ---- crash states (crash_state.c) ----------------------------------------- */

/* "chan send at scenarios/x.c:12 (worker)": what and where, in the words
 * every crash state uses for a site. A NULL site gives "<what> in <func>"
 * when a function name is known, else just <what>. */
void cf_crash_where(char *out, size_t size, const char *what, const go_site *site,
                    const char *fallback_function);

/* Crash states, by kind (the formats are in findings.h). */
void cf_crash_state_goroutine(char *out, size_t size, chanfuzz_kind kind,
                              const go_goroutine_info *g);
void cf_crash_state_failure(char *out, size_t size, chanfuzz_kind kind, const char *message,
                            const go_goroutine_info *failed);
/* "crash: SIGSEGV in worker created at x.c:4", "hang: in spin created
 * at x.c:9"; running is NULL when no goroutine ran. */
void cf_crash_state_death(char *out, size_t size, chanfuzz_kind kind, const char *error,
                          const go_goroutine_info *running);
void cf_crash_state_deadlock(char *out, size_t size, const go_exec *exec);
/* The runnable goroutines of a step-budget finding, n of them. */
void cf_crash_state_runnable(char *out, size_t size, const go_goroutine_info *const *runnable,
                             size_t n);
void cf_crash_state_context(char *out, size_t size, chanfuzz_kind kind, const go_exec *exec,
                            const go_context_info *c);

/* "resource never closed: os.Open at x.c:5 (load)" */
void cf_crash_state_resource(char *out, size_t size, const go_resource_info *r);
/* "unreleased closure: closure at x.c:12 (register) held by global
 * \"registry\"", or "... held by a pending timer". */
void cf_crash_state_closure(char *out, size_t size, const go_object_info *closure,
                            const go_holder *root);

/* "timer never stopped: time.NewTicker at x.c:12 (poll)" */
void cf_crash_state_timer(char *out, size_t size, const go_timer_info *t);

/* "heap objects", "map entries": what grew at one site, in words. */
void cf_growth_what(char *out, size_t size, const chanfuzz_growth *g);
/* "growth: heap objects at x.c:30 (put); map entries at x.c:20 (main)":
 * the growing sites, sorted and distinct, at most 3. */
void cf_crash_state_growth(char *out, size_t size, const chanfuzz_growth *growth, size_t n);

/* "context.WithTimeout", "context.AfterFunc", ...: the Go constructor. */
const char *cf_context_constructor(go_context_kind kind);

/* ---- ignore rules (ignore.c) ------------------------------------------------ */

bool cf_ignore_goroutine(const chanfuzz_ignore *ignore, const go_goroutine_info *g);
/* An object (context, closure, resource) made at `site`. */
bool cf_ignore_made_at(const chanfuzz_ignore *ignore, const go_site *site);

/* ---- goroutines (detect_goroutines.c, detect_partial.c) ------------------ */

/* "blocked sender", "blocked receiver", "blocked in select", "blocked in
 * sync.Mutex.Lock": what Go programmers call a goroutine stuck that way. */
void cf_leak_title(char *out, size_t size, go_wait_reason reason);

/* "blocked sender on chan#1 (unbuffered, ...)", "blocked receiver on a
 * nil channel", "blocked in select: no case can proceed". */
void cf_blocked_summary(char *out, size_t size, const go_goroutine_info *g,
                        const char *object_state);

/* Blocked, and the final collection found nothing live that reaches it. */
bool cf_partially_deadlocked(const go_exec *exec, const go_goroutine_info *g);

/* ---- detectors (detect_*.c), run in this order by chanfuzz_detect --------- */

void cf_detect_failure(cf_detection *d);     /* panic, fatal error, overflow */
void cf_detect_step_budget(cf_detection *d); /* runnable at the end: livelock */
void cf_detect_deadlock(cf_detection *d);    /* global deadlock */
void cf_detect_leaks(cf_detection *d);       /* blocked, never exits */
void cf_detect_partial_deadlocks(cf_detection *d);
void cf_detect_lost_cancel(cf_detection *d);
void cf_detect_registered(cf_detection *d);
void cf_detect_resources(cf_detection *d);
void cf_detect_unreleased_closures(cf_detection *d);
void cf_detect_timers(cf_detection *d);      /* timer never stopped */
void cf_detect_growth(cf_detection *d);      /* stress mode */

#endif
