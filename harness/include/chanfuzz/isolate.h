/* isolate.h -- scenario code runs in a child process, so that a fatal
 * signal, a sanitizer report or a hang in it is a finding of the command
 * instead of its end.
 *
 * The commands that run scenarios (run, replay, minimize, corpus check,
 * and go test through them) call chanfuzz_isolate_run around the part that
 * executes: run per variant, replay once, minimize per candidate, corpus
 * check per file. The child is a fork() of the command: it shares the
 * program's static data (sites, names) at the same addresses, and writes
 * what the parent must keep into MAP_SHARED memory that survives its death:
 *   - the crash record: kind, signal or sanitizer error, the goroutine that
 *     was running (go_exec_running) and the decisions it had made, written
 *     by the child's fatal-signal handler, its sanitizer death callback or
 *     its watchdog;
 *   - whatever the command keeps in cli_shared_alloc memory (run keeps its
 *     variants' tables there) and the child's SARIF results.
 * Nothing is written per execution or per decision: the cost of isolation
 * is one fork per call (bench/bench_isolate.c measures it).
 *
 * The watchdog (--exec-timeout S) is a timer in the child: when one
 * goroutine has run S seconds of wall clock with no scheduling point (the
 * steps and decisions of go_running stand still), the child records a
 * hang and exits. The wall clock decides only when to give up; the
 * finding (its crash state: the goroutine, never a time) and the
 * reproducer are the model's, so a replay under the same watchdog hangs
 * at the same place again. */
#ifndef CHANFUZZ_CLI_ISOLATE_H
#define CHANFUZZ_CLI_ISOLATE_H

#include <stdbool.h>
#include <stddef.h>

#include <chanfuzz/exec.h>
#include <chanfuzz/findings.h>

/* The documented default of --exec-timeout, in seconds. */
#define CHANFUZZ_EXEC_TIMEOUT_DEFAULT 10.0

/* What the parent learned of a child that died. */
typedef struct chanfuzz_crash {
    chanfuzz_kind kind;            /* CHANFUZZ_CRASH or CHANFUZZ_HANG */
    int signal;                    /* the fatal signal; 0 for a sanitizer
                                      report (error says which) or a hang */
    char error[160];               /* "SIGSEGV", "AddressSanitizer:
                                      heap-use-after-free", "hang" */
    char message[CHANFUZZ_MESSAGE_MAX]; /* the report's message line */
    bool in_goroutine;             /* a goroutine was running: */
    go_goroutine_info goroutine;   /* it, state FAILED, wait_site its last
                                      scheduling point */
    go_semantics semantics;
    uint64_t steps;                /* scheduling points taken */
    go_decision *decisions;        /* malloc'ed: the decisions made so far */
    size_t decision_count;
} chanfuzz_crash;

void chanfuzz_crash_free(chanfuzz_crash *crash);

/* ---- Configuration (the commands' flags) ---------------------------------- */

/* --no-isolate: run in the command's own process (a debugger's view);
 * --exec-timeout S (0: no watchdog). */
void chanfuzz_isolate_configure(bool isolate, double exec_timeout);
bool chanfuzz_isolate_enabled(void);

/* ---- Running isolated ------------------------------------------------------ */

#define CHANFUZZ_ISOLATE_DIED (-1)

/* Runs body(self) in a child process and returns its result (0..255), or
 * CHANFUZZ_ISOLATE_DIED when it died: then *crash is filled (free it with
 * chanfuzz_crash_free). Without isolation body runs here, under no watchdog.
 * stdout and stderr are flushed before the fork, so nothing is written
 * twice. */
int chanfuzz_isolate_run(int (*body)(void *self), void *self, chanfuzz_crash *crash);

/* Is this the child of chanfuzz_isolate_run? */
bool chanfuzz_isolate_in_child(void);

/* The child: one execution is over and judged; a fault from now on is not
 * the last execution's (the runtime's overflow handling may have passed a
 * guard-page fault through the crash handler). */
void chanfuzz_isolate_execution_done(void);

/* Sends sig to the running child, if any (async-signal-safe): for the
 * command's SIGINT/SIGTERM handling. The child is in the command's own
 * process group, so a terminal's ^C reaches it anyway. */
void chanfuzz_isolate_kill_child(int sig);

/* ---- What survives the child ------------------------------------------------ */

/* Zeroed memory the child and the parent share, never freed: a bump
 * allocator over one MAP_SHARED|MAP_NORESERVE mapping (pages cost only
 * when touched). Aborts when out of memory, as the callers' malloc did. */
void *chanfuzz_shared_calloc(size_t count, size_t size);
/* Grows a chanfuzz_shared_calloc block (old_size bytes) to new_size bytes. */
void *chanfuzz_shared_grow(void *old, size_t old_size, size_t new_size);

/* Adds findings to a SARIF log, through the parent when in a child: the
 * child's results are published as they are added and merged into `log`
 * by chanfuzz_isolate_run when the child ends, however it ends. */
int chanfuzz_isolate_sarif_add(chanfuzz_sarif *log, const chanfuzz_report_info *info,
                  const chanfuzz_findings *findings);

/* ---- The finding ---------------------------------------------------------------- */

/* The crash as one finding of kind crash or hang (malloc'ed; free with
 * chanfuzz_findings_free). Crash state: "crash: SIGSEGV in worker created
 * at x.c:40", "hang: in spin created at x.c:18" -- the error and the
 * goroutine, never an address or a time. */
chanfuzz_findings *chanfuzz_crash_findings(const chanfuzz_crash *crash);

#endif
