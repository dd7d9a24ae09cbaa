/* chanfuzz/findings.h -- judging a finished execution: findings, the
 * detectors that make them, what to ignore or expect, and the three report
 * formats (text, JSON, SARIF).
 *
 * Run an execution, judge it, report, free:
 *
 *     go_exec *e = go_exec_run(&cfg, scenario, NULL);
 *     chanfuzz_findings *f = chanfuzz_detect(e, NULL);
 *     chanfuzz_report_info where = {.scenario = "timeout_worker", .variant = "buggy"};
 *     chanfuzz_write_text(stdout, &where, f);
 *     int status = chanfuzz_exit_status(f);
 *     chanfuzz_findings_free(f);     // findings do not point into e:
 *     go_exec_free(e);               // free them in either order
 *
 * Sections:
 *   1. Findings       kinds, the goroutines involved, witnesses, crash state
 *   2. Detection      chanfuzz_detect runs every detector on a go_exec
 *   3. Ignoring       goroutines and sites to leave out (goleak's options)
 *   4. Expecting      which kinds a run must and may show, and the verdict
 *   5. Reports        text (Go-style dump), JSON Lines, SARIF 2.1.0
 *   6. Exit status    0 clean, 1 findings, 2 usage or input error
 */
#ifndef CHANFUZZ_FINDINGS_H
#define CHANFUZZ_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chanfuzz/exec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Findings -------------------------------------------------------- */

/* What was found. The numbers are the bits of chanfuzz_kind_set and the
 * order findings are listed in: append only. */
typedef enum chanfuzz_kind {
    CHANFUZZ_PANIC = 0,           /* an unrecovered panic */
    CHANFUZZ_FATAL_ERROR,         /* a fatal error (unlock of unlocked mutex) */
    CHANFUZZ_STACK_OVERFLOW,      /* a goroutine overflowed its stack */
    CHANFUZZ_STEP_BUDGET,         /* goroutines still runnable when the step
                                     (or settle) budget ran out: livelock */
    CHANFUZZ_GLOBAL_DEADLOCK,     /* all goroutines are asleep - deadlock! */
    CHANFUZZ_LEAK,                /* blocked with nothing to wake it after
                                     main returned (blocked sender, ...) */
    CHANFUZZ_NEVER_EXITS,         /* still woken by timers when settling ended */
    CHANFUZZ_PARTIAL_DEADLOCK,    /* blocked goroutines nothing live can reach */
    CHANFUZZ_LOST_CANCEL,         /* a context's cancel function never called */
    CHANFUZZ_CONTEXT_REGISTERED,  /* a context still registered in its parent
                                     at the end (or an AfterFunc never stopped) */
    CHANFUZZ_UNRELEASED_CLOSURE,  /* a closure retained past its use */
    CHANFUZZ_RESOURCE_NOT_CLOSED, /* a resource opened and never closed */
    CHANFUZZ_TIMER_NOT_STOPPED,   /* a Ticker left running that Go keeps:
                                     any under Go 1.22, one a global holds
                                     under Go 1.23 (detect_timers.c) */
    CHANFUZZ_GROWTH,              /* live objects (or map entries) keep
                                     rising over a stress run's checkpoints;
                                     a plateau is not growth */
    CHANFUZZ_CRASH,               /* a fatal signal (SIGSEGV, SIGABRT, ...)
                                     or a sanitizer report in the program's
                                     code: the CLI's isolation (isolate.h) */
    CHANFUZZ_HANG,                /* a goroutine ran --exec-timeout seconds
                                     without a runtime call: the watchdog */
    CHANFUZZ_KIND_COUNT
} chanfuzz_kind;
/* chanfuzz_detect produces every kind; GROWTH only from executions that
 * took checkpoints (go_checkpoint, go_stress: stress mode). */

/* The stable identifier used in JSON, SARIF ruleIds and expectation lists:
 * "panic", "fatal_error", "stack_overflow", "step_budget", "global_deadlock",
 * "leak", "never_exits", "partial_deadlock", "lost_cancel",
 * "context_registered", "unreleased_closure", "resource_not_closed",
 * "timer_not_stopped", "growth", "crash", "hang". */
const char *chanfuzz_kind_id(chanfuzz_kind kind);
/* In words, as reports and crash states say it: "leak", "global deadlock",
 * "step budget exhausted", "context still registered", ... */
const char *chanfuzz_kind_name(chanfuzz_kind kind);
/* The kind whose id is `id`; false when there is none. */
bool chanfuzz_kind_from_id(const char *id, chanfuzz_kind *kind);

/* A set of kinds, one bit each: CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK) | ... */
typedef uint32_t chanfuzz_kind_set;
#define CHANFUZZ_KIND_BIT(kind) ((chanfuzz_kind_set)1u << (kind))

#define CHANFUZZ_STATE_MAX 256        /* an object's state text */
#define CHANFUZZ_CRASH_STATE_MAX 512  /* longer crash states are cut */
#define CHANFUZZ_MESSAGE_MAX 256

/* A goroutine taking part in a finding, with its end state. */
typedef struct chanfuzz_goroutine {
    /* As go_exec_goroutine reported it. Its pointers (sites, entry name)
     * are static strings of the program, so they outlive the go_exec.
     * For a stack overflow wait_site is NULL: the runtime's is where the
     * goroutine last blocked, not where it overflowed. */
    go_goroutine_info info;
    /* go_exec_describe_object of the object it waits on: "unbuffered, 0
     * senders and 1 receiver waiting, not closed"; "" when none. */
    char object_state[CHANFUZZ_STATE_MAX];
    /* Virtual ns from blocking to the end of the execution; 0 unless
     * blocked or never exiting. */
    int64_t blocked_for;
} chanfuzz_goroutine;

/* How the witness's links read. */
typedef enum chanfuzz_witness_kind {
    CHANFUZZ_WITNESS_NONE = 0,        /* the message and site say it all
                                         (panic, fatal error, overflow,
                                         step budget) */
    CHANFUZZ_WITNESS_BLOCKING_OBJECT, /* each distinct object the finding's
                                         goroutines wait on, in goroutine
                                         order; none for nil channels and
                                         select, which the summary names */
    CHANFUZZ_WITNESS_CONTEXT,         /* the context(s), each followed by its
                                         cancel function or by the ancestor
                                         it is registered in */
    CHANFUZZ_WITNESS_CYCLE,           /* partial deadlock: the object each
                                         goroutine of a wait cycle waits on,
                                         in cycle order */
    CHANFUZZ_WITNESS_HOLDER_CHAIN,    /* a root (kind NONE, its words in
                                         state: global "registry", leaked
                                         goroutine 2), then each object
                                         holding the next, ending at the one
                                         held: a closure, a resource, the
                                         object an orphan waits on */
    CHANFUZZ_WITNESS_GROWTH,          /* growth: a link per site that kept
                                         growing, role "grew", its object
                                         kind, id 0, the site, and the
                                         series in words in state; the
                                         numbers are in chanfuzz_finding's
                                         growth array */
    CHANFUZZ_WITNESS_WAIT_CHAIN,      /* partial deadlock, no cycle: the
                                         object each goroutine waits on,
                                         held by the next goroutine, which
                                         waits too; the last object no
                                         other goroutine holds (a pipeline
                                         behind a consumer that left) */
} chanfuzz_witness_kind;

/* "none", "blocking_object", "context", "cycle", "holder_chain",
 * "growth", "wait_chain" (added last: the values of the others stay) */
const char *chanfuzz_witness_kind_id(chanfuzz_witness_kind kind);

/* One object of a witness. */
typedef struct chanfuzz_witness_link {
    const char *role;               /* static: "waited on", "context",
                                       "cancel function", "registered in",
                                       "root", "via", "held", "retained",
                                       "resource" */
    go_object_kind object_kind;     /* NONE: a chain's root or a goroutine
                                       in it, described by state */
    uint64_t object_id;             /* chan#id, context#id, ...; for NONE
                                       the goroutine's id, if any */
    char state[CHANFUZZ_STATE_MAX]; /* go_exec_describe_object's text */
    const go_site *site;            /* where the object was made, when the
                                       runtime says (contexts); else NULL */
} chanfuzz_witness_link;

/* What a test (or a person) checks independently of the message. */
typedef struct chanfuzz_witness {
    chanfuzz_witness_kind kind;
    char summary[2 * CHANFUZZ_STATE_MAX]; /* one line: "blocked sender on
                                             chan#1 (unbuffered, ...)" */
    chanfuzz_witness_link *links;
    size_t link_count;
} chanfuzz_witness;

/* One finding: everything of one kind that shares a crash state. */
typedef struct chanfuzz_finding {
    chanfuzz_kind kind;
    /* One line: the kind in words and the sites that identify the bug,
     * never goroutine ids, object ids, step counts, times or addresses, so
     * that the same bug under any schedule has the same crash state and
     * different bugs have different ones (libFuzzer/ClusterFuzz bucketing):
     *
     *   leak: chan send at scenarios/x.c:12 (worker) created at scenarios/x.c:19
     *   never exits: select at scenarios/x.c:30 (poll) created at scenarios/x.c:41
     *   global deadlock: sync.WaitGroup.Wait at x.c:20 (run); chan send at x.c:9 (worker)
     *   step budget exhausted: runnable spin created at x.c:18
     *   panic: close of closed channel at x.c:12 (closer)
     *   fatal error: sync: unlock of unlocked mutex at x.c:5 (release)
     *   stack overflow: in recurse created at x.c:40
     *   partial deadlock: chan receive at x.c:5 (half) created at x.c:10
     *   lost cancel: context.WithTimeout at x.c:12 (fetch)
     *   context still registered: context.WithCancel at x.c:14 (child) in
     *       context.WithCancel at x.c:12        (one line in practice)
     *   resource never closed: os.Open at x.c:7 (load)
     *   unreleased closure: closure at x.c:9 (register) held by global "registry"
     *   timer never stopped: time.NewTicker at x.c:12 (poll)
     *   growth: heap objects at x.c:30 (cache_put); map entries at x.c:20 (main)
 *   crash: SIGSEGV in deref created at x.c:40
 *   crash: AddressSanitizer: heap-use-after-free in main
 *   hang: in spin created at x.c:18
     *
     * Format: "<kind name>: <what> at <file>:<line> (<function>)", then
     * per kind: " created at <file>:<line>" for a goroutine made by a go
     * statement; the main goroutine's site first, then the others' sorted
     * and distinct, for a global deadlock (at most 4 in all); " in <ctor>
     * at <file>:<line>" for the ancestor a context is registered in;
     * " held by global \"NAME\"" or " held by a pending timer" for the
     * root that keeps a closure; for growth, each growing site as
     * "<kind> objects" or "map entries" at it, sorted and distinct, at
     * most 3, without counts (they vary with the number of rounds). */
    char crash_state[CHANFUZZ_CRASH_STATE_MAX];
    char title[64];                   /* "blocked sender", "blocked in
                                         sync.Mutex.Lock", "panic", ... */
    char message[CHANFUZZ_MESSAGE_MAX]; /* "1 goroutine blocked", the panic
                                           text, "all goroutines are asleep
                                           - deadlock!" */
    const go_site *site;              /* the primary location: blocking,
                                         panicking or allocation site; NULL
                                         when unknown (main's overflow) */
    const go_site *creation_site;     /* the go statement of the goroutines
                                         involved (the first one's), or NULL */
    chanfuzz_goroutine *goroutines;   /* sorted by id; none for contexts */
    size_t goroutine_count;
    size_t occurrences;               /* goroutines or contexts merged in */
    chanfuzz_witness witness;
    /* Growth findings: the sites that kept growing, most growth first;
     * none for other kinds. */
    struct chanfuzz_growth *growth;
    size_t growth_count;
} chanfuzz_finding;

/* One site that kept growing over a stress run's checkpoints. */
typedef struct chanfuzz_growth {
    const go_site *site;              /* the allocation site */
    go_object_kind kind;              /* of the objects made there */
    const char *measure;              /* static: "objects" (live objects
                                         made at site) or "entries" (the
                                         entries of the maps made there) */
    size_t first;                     /* the measure at the first and */
    size_t last;                      /* the last checkpoint */
    double slope;                     /* least-squares slope over the later
                                         half, per checkpoint */
    size_t first_bytes;               /* bytes of those objects then */
    size_t last_bytes;
    size_t *series;                   /* the measure at every checkpoint */
    size_t series_count;
} chanfuzz_growth;

/* Every finding of one execution, and how that execution ended. Owns all
 * it points to except sites and entry names (static in the program). */
typedef struct chanfuzz_findings {
    go_end end;                       /* go_exec_end */
    char end_message[CHANFUZZ_MESSAGE_MAX]; /* go_exec_message */
    int64_t end_time;                 /* virtual ns */
    uint64_t steps;
    go_semantics semantics;
    bool settle_exhausted;
    chanfuzz_finding *items;          /* by kind, then crash state */
    size_t count;
    size_t ignored;                   /* goroutines and contexts left out by
                                         the ignore rules */
} chanfuzz_findings;

/* A 64-bit FNV-1a hash of a crash state, as 16 lowercase hex digits in
 * out[17]: the SARIF partialFingerprint and a short bucket name. */
void chanfuzz_crash_state_hash(const char *crash_state, char out[17]);

/* The finding of `kind` among f's, or NULL; the first if several. */
const chanfuzz_finding *chanfuzz_findings_first(const chanfuzz_findings *f, chanfuzz_kind kind);

/* The one finding of an execution that died (CHANFUZZ_CRASH: `error` is
 * the signal, "SIGSEGV", or the sanitizer's error) or hung (CHANFUZZ_HANG)
 * in goroutine `running` (its wait_site the last scheduling point; NULL
 * when no goroutine was running). Malloc'ed; NULL when out of memory. */
chanfuzz_findings *chanfuzz_findings_of_death(chanfuzz_kind kind, const char *error,
                                              const char *message,
                                              const go_goroutine_info *running,
                                              go_semantics semantics);

/* ---- 2. Detection ------------------------------------------------------- */

typedef struct chanfuzz_ignore chanfuzz_ignore;

/* Judges a finished execution with every detector. Precision first: an
 * end state is judged only when it is final -- leaks, never-exits,
 * contexts, resources, closures, timers and growth after main returned
 * and the rest settled (GO_END_RETURNED), never in an execution cut short by a panic,
 * a fatal error, a deadlock or the step budget, where they might still
 * have moved on. Partial deadlocks are the exception: what nothing live
 * reaches stays unreached, so they are judged in cut executions too
 * (a global deadlock excepted). After main returned each blocked
 * goroutine gets one verdict: partial deadlock when the final collection
 * found it unreachable, leak otherwise. A stopped execution (a replay
 * that diverged) has no findings; chanfuzz_exit_status calls it an input
 * error.
 * `ignore` may be NULL. Returns NULL only when out of memory. */
chanfuzz_findings *chanfuzz_detect(const go_exec *exec, const chanfuzz_ignore *ignore);

void chanfuzz_findings_free(chanfuzz_findings *findings);

/* ---- 3. Ignoring -------------------------------------------------------- */

/* Goroutines (in leak, partial-deadlock, never-exits and step-budget
 * findings) and objects (contexts, closures, resources and tickers by
 * the site that made them; growing sites by their allocation site) to
 * leave out, as goleak's IgnoreTopFunction and
 * IgnoreCurrent do. A finding left with nothing is dropped; panics, fatal
 * errors and global deadlocks are never ignored (expect them instead,
 * section 4). Rules are copied. */
chanfuzz_ignore *chanfuzz_ignore_new(void);
void chanfuzz_ignore_free(chanfuzz_ignore *ignore);
/* A new set with the same rules (NULL copies as empty); NULL when out of
 * memory. */
chanfuzz_ignore *chanfuzz_ignore_copy(const chanfuzz_ignore *ignore);

/* goleak.IgnoreTopFunction: a goroutine whose entry function (go_go's fn)
 * or blocking function (the C function of its wait site) is `function`;
 * an object made in `function`. */
void chanfuzz_ignore_top_function(chanfuzz_ignore *ignore, const char *function);

/* A goroutine blocked at, or created at, file:line; an object made there.
 * `file` matches a site's whole path or its tail after a '/'
 * ("x.c" matches "scenarios/x.c"); line 0 matches every line. */
void chanfuzz_ignore_site(chanfuzz_ignore *ignore, const char *file, int line);

/* The analogue of goleak.IgnoreCurrent: goroutines started by `function`
 * (the C function of their go statement), such as a scenario's setup that
 * starts long-lived helpers on purpose. */
void chanfuzz_ignore_created_by(chanfuzz_ignore *ignore, const char *function);

/* Makes `ignore` leave out what `also` leaves out too, without copying its
 * rules (NULL: only its own again). `also` must outlive the detections
 * that use `ignore` that way. */
void chanfuzz_ignore_also(chanfuzz_ignore *ignore, const chanfuzz_ignore *also);

/* Adds a rule from its text form (for command lines and scenario tables):
 * "top:FUNCTION", "site:FILE[:LINE]", "created-by:FUNCTION". Returns
 * false, adding nothing, when spec is none of these. */
bool chanfuzz_ignore_parse(chanfuzz_ignore *ignore, const char *spec);

/* ---- 4. Expecting -------------------------------------------------------- */

/* A scenario's verdict over one run or many: the kinds it must show (a
 * buggy variant: at least once over the runs noted) and may show, and
 * what the runs did show. Anything else is unexpected.
 *
 *     chanfuzz_expectation x;
 *     chanfuzz_expect_init(&x, CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK), 0);
 *     for (each seed) { ... chanfuzz_expect_note(&x, findings); ... }
 *     if (chanfuzz_expect_verdict(&x, &missing, &unexpected) != CHANFUZZ_AS_EXPECTED) ...
 */
typedef struct chanfuzz_expectation {
    chanfuzz_kind_set expected;  /* must be seen in some run */
    chanfuzz_kind_set allowed;   /* may be seen (expected kinds always may) */
    chanfuzz_kind_set seen;      /* kinds seen so far */
    uint64_t runs;               /* executions noted */
} chanfuzz_expectation;

typedef enum chanfuzz_verdict {
    CHANFUZZ_AS_EXPECTED = 0,
    CHANFUZZ_MISSING_EXPECTED,   /* an expected kind was never seen */
    CHANFUZZ_UNEXPECTED_FINDING, /* a kind neither expected nor allowed was
                                    seen (reported over a missing one) */
} chanfuzz_verdict;

/* "as expected", "missing expected kind", "unexpected finding" */
const char *chanfuzz_verdict_name(chanfuzz_verdict verdict);

void chanfuzz_expect_init(chanfuzz_expectation *x, chanfuzz_kind_set expected,
                          chanfuzz_kind_set allowed);
void chanfuzz_expect_note(chanfuzz_expectation *x, const chanfuzz_findings *findings);
/* The verdict so far; missing and unexpected (either may be NULL) get the
 * kinds behind it. */
chanfuzz_verdict chanfuzz_expect_verdict(const chanfuzz_expectation *x,
                                         chanfuzz_kind_set *missing,
                                         chanfuzz_kind_set *unexpected);

/* Parses a comma-separated list of kind ids ("leak,lost_cancel"; "" is
 * the empty set). Returns false on an unknown id. */
bool chanfuzz_kind_set_parse(const char *list, chanfuzz_kind_set *set);

/* ---- 5. Reports ----------------------------------------------------------- */

/* Where the findings come from; every field may be NULL. */
typedef struct chanfuzz_report_info {
    const char *scenario;        /* "timeout_worker" */
    const char *variant;         /* "buggy", "fixed" */
    const char *reproducer;      /* path of the reproducer file */
    const char *replay_command;  /* how to replay it, as a shell command */
} chanfuzz_report_info;

/* The Go-style dump, one block per finding, blank lines between:
 *
 *   chanfuzz: leak in scenario timeout_worker (buggy): 1 goroutine blocked
 *   crash state: leak: chan send at scenarios/timeout_worker.c:12 (worker) created at ...
 *   witness: blocked sender on chan#1 (unbuffered, 1 sender and 0 receivers waiting, ...)
 *
 *   goroutine 2 [chan send, 5ms]:
 *       worker at scenarios/timeout_worker.c:12
 *           send on chan#1 (unbuffered, 1 sender and 0 receivers waiting, not closed)
 *   created by leaky_timeout in goroutine 1 at scenarios/timeout_worker.c:19
 *
 *   reproducer: crash-1.trace
 *   replay: chanfuzz replay crash-1.trace
 *
 * Nothing when there are no findings. */
void chanfuzz_write_text(FILE *out, const chanfuzz_report_info *info,
                         const chanfuzz_findings *findings);

/* JSON Lines: one object per finding, one line each, in the schema of
 * harness/report/README.md ("format": "chanfuzz.finding/1"). Returns 0,
 * or -1 when out of memory. */
int chanfuzz_write_json(FILE *out, const chanfuzz_report_info *info,
                        const chanfuzz_findings *findings);
/* The object of finding `index` as a malloc'ed string (caller frees), or
 * NULL when out of memory or out of range. */
char *chanfuzz_finding_json(const chanfuzz_report_info *info, const chanfuzz_findings *findings,
                            size_t index);

/* A SARIF 2.1.0 log with one run of tool "chanfuzz" and one result per
 * finding, gathered over any number of executions; a crash state already
 * added is not added again.
 *
 *     chanfuzz_sarif *log = chanfuzz_sarif_new();
 *     for (each execution) chanfuzz_sarif_add(log, &info, findings);
 *     chanfuzz_sarif_write(log, file);
 *     chanfuzz_sarif_free(log);
 *
 * add and write return 0, or -1 when out of memory. */
typedef struct chanfuzz_sarif chanfuzz_sarif;
chanfuzz_sarif *chanfuzz_sarif_new(void);
int chanfuzz_sarif_add(chanfuzz_sarif *log, const chanfuzz_report_info *info,
                       const chanfuzz_findings *findings);
int chanfuzz_sarif_write(const chanfuzz_sarif *log, FILE *out);
/* The results added so far as a JSON array (malloc'ed; NULL when out of
 * memory), and adding such an array to another log, each crash state once:
 * how a child process's results reach its parent's log. */
char *chanfuzz_sarif_results_text(const chanfuzz_sarif *log);
int chanfuzz_sarif_add_results_text(chanfuzz_sarif *log, const char *text);
void chanfuzz_sarif_free(chanfuzz_sarif *log);
/* The whole dance for one execution. */
int chanfuzz_write_sarif(FILE *out, const chanfuzz_report_info *info,
                         const chanfuzz_findings *findings);

/* ---- 6. Exit status ------------------------------------------------------- */

enum {
    CHANFUZZ_EXIT_CLEAN = 0,     /* nothing found (or as expected) */
    CHANFUZZ_EXIT_FINDINGS = 1,  /* findings (or a verdict not as expected) */
    CHANFUZZ_EXIT_USAGE = 2,     /* bad usage or input: no findings to judge */
};

/* 2 for NULL (detection failed) or a stopped execution (a reproducer that
 * diverged), 1 with findings, else 0. */
int chanfuzz_exit_status(const chanfuzz_findings *findings);
/* 0 for CHANFUZZ_AS_EXPECTED, else 1. */
int chanfuzz_exit_status_of_verdict(chanfuzz_verdict verdict);

#ifdef __cplusplus
}
#endif
#endif
