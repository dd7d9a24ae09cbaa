/* isolate.c -- the child process of chanfuzz_isolate_run, its crash record,
 * its watchdog, and what the parent makes of its death (isolate.h). */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chanfuzz/isolate.h>

/* The sanitizers' interface, weak: absent from plain builds. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));
void __asan_set_error_report_callback(void (*callback)(const char *)) __attribute__((weak));
void __ubsan_get_current_report_data(const char **issue_kind, const char **message,
                                     const char **file, unsigned *line, unsigned *column,
                                     char **memory_address) __attribute__((weak));

/* Decisions a crash record holds: a step budget's worth and more. */
#define CRASH_DECISIONS_MAX ((size_t)1 << 21)
#define SARIF_TEXT_MAX ((size_t)8 << 20)
#define SHARED_ARENA_BYTES ((size_t)1 << 29)
#define ALTSTACK_BYTES (64u * 1024u)

/* ---- The shared record -------------------------------------------------------- */

typedef struct crash_record {
    volatile sig_atomic_t recorded;  /* a crash or hang was seen */
    volatile sig_atomic_t finished;  /* body returned: the child exits */
    int kind;                        /* chanfuzz_kind */
    int signal;
    char error[160];                 /* a sanitizer's error line, or "" */
    bool in_goroutine;
    go_running running;              /* its pointers are the child's; the
                                        static ones (sites, names) are the
                                        parent's too */
    size_t decision_count;
    double timeout;                  /* a hang: the watchdog's seconds */
    chanfuzz_sarif *sarif_log;       /* the parent's log the text is for */
    size_t sarif_length;
    char sarif[SARIF_TEXT_MAX];      /* the child's SARIF results, JSON */
    go_decision decisions[CRASH_DECISIONS_MAX];
} crash_record;

static crash_record *record;
static bool isolate = true, in_child;
static double exec_timeout = CHANFUZZ_EXEC_TIMEOUT_DEFAULT;
static volatile pid_t child_pid;
static chanfuzz_sarif *child_sarif; /* in a child: its results so far */

static void *map_shared(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "chanfuzz: cannot map %zu bytes of shared memory: %s\n", bytes,
                strerror(errno));
        abort();
    }
    return p;
}

static crash_record *the_record(void) {
    if (!record) record = map_shared(sizeof *record);
    return record;
}

void chanfuzz_isolate_configure(bool enabled, double timeout) {
    isolate = enabled;
    exec_timeout = timeout;
}

bool chanfuzz_isolate_enabled(void) { return isolate; }
bool chanfuzz_isolate_in_child(void) { return in_child; }

void chanfuzz_isolate_execution_done(void) {
    if (in_child) record->recorded = 0;
}

void chanfuzz_isolate_kill_child(int sig) {
    pid_t pid = child_pid;
    if (pid > 0) kill(pid, sig);
}

/* ---- Shared memory for the commands ----------------------------------------------- */

typedef struct arena {
    size_t used;            /* bytes handed out, this header included */
    _Alignas(16) unsigned char bytes[];
} arena;

static arena *shared;

void *chanfuzz_shared_calloc(size_t count, size_t size) {
    if (!shared) {
        shared = map_shared(SHARED_ARENA_BYTES);
        shared->used = sizeof *shared;
    }
    if (size && count > (SHARED_ARENA_BYTES / size)) abort();
    size_t bytes = (count * size + 15) & ~(size_t)15;
    if (bytes > SHARED_ARENA_BYTES - shared->used) {
        fprintf(stderr, "chanfuzz: out of shared memory\n");
        abort();
    }
    void *p = (unsigned char *)shared + shared->used;
    shared->used += bytes ? bytes : 16;
    return p; /* fresh pages of the mapping: zero */
}

void *chanfuzz_shared_grow(void *old, size_t old_size, size_t new_size) {
    void *p = chanfuzz_shared_calloc(1, new_size);
    if (old && old_size) memcpy(p, old, old_size < new_size ? old_size : new_size);
    return p; /* the old block stays: at most doubles what is used */
}

/* ---- SARIF across the fork ----------------------------------------------------------- */

int chanfuzz_isolate_sarif_add(chanfuzz_sarif *log, const chanfuzz_report_info *info,
                  const chanfuzz_findings *findings) {
    if (!in_child) return chanfuzz_sarif_add(log, info, findings);
    if (!child_sarif && !(child_sarif = chanfuzz_sarif_new())) return -1;
    if (chanfuzz_sarif_add(child_sarif, info, findings) != 0) return -1;
    char *text = chanfuzz_sarif_results_text(child_sarif);
    if (!text) return -1;
    size_t length = strlen(text);
    int status = length < SARIF_TEXT_MAX ? 0 : -1;
    if (status == 0) {
        /* Length last: the parent reads a whole text or the previous one. */
        record->sarif_length = 0;
        memcpy(record->sarif, text, length + 1);
        record->sarif_log = log;
        record->sarif_length = length;
    }
    free(text);
    return status;
}

static void collect_sarif(void) {
    if (!record->sarif_length || !record->sarif_log) return;
    if (chanfuzz_sarif_add_results_text(record->sarif_log, record->sarif) != 0) abort();
    record->sarif_length = 0;
}

/* ---- The child: recording a death ------------------------------------------------------ */

/* Async-signal-safe: loads and stores into the shared record only. */
static void record_running(chanfuzz_kind kind, int sig) {
    crash_record *r = record;
    r->kind = kind;
    r->signal = sig;
    r->in_goroutine = go_exec_running(&r->running);
    size_t count = r->in_goroutine ? r->running.decision_count : 0;
    if (count > CRASH_DECISIONS_MAX) count = CRASH_DECISIONS_MAX;
    for (size_t i = 0; i < count; i++) r->decisions[i] = r->running.decisions[i];
    r->decision_count = count;
    r->recorded = 1;
}

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
#define FATAL_SIGNAL_COUNT (sizeof fatal_signals / sizeof fatal_signals[0])
static struct sigaction previous[FATAL_SIGNAL_COUNT] GO_NOT_SCANNED;

/* To the handler that was there before ours: the runtime's (a guard-page
 * hit is a stack overflow, not a crash: it switches away and the
 * execution ends as a finding of its own), a sanitizer's (its report),
 * or the default, which ends the child with the signal. */
static void chain(int sig, siginfo_t *info, void *uctx) {
    for (size_t i = 0; i < FATAL_SIGNAL_COUNT; i++) {
        if (fatal_signals[i] != sig) continue;
        struct sigaction *prev = &previous[i];
        if (prev->sa_flags & SA_SIGINFO) {
            if (prev->sa_sigaction) {
                prev->sa_sigaction(sig, info, uctx);
                return;
            }
        } else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN) {
            prev->sa_handler(sig);
            return;
        }
        /* The default: a fault repeats on return, a raised signal is
         * raised again (blocked until we return), and either ends us. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
}

static void on_fatal_signal(int sig, siginfo_t *info, void *uctx) {
    /* Recorded before chaining: a sanitizer's handler never returns. */
    if (!record->recorded) record_running(CHANFUZZ_CRASH, sig);
    chain(sig, info, uctx);
}

static void on_sanitizer_report(const char *report) {
    /* "==1==ERROR: AddressSanitizer: heap-use-after-free on address ..." */
    const char *error = strstr(report, "ERROR: ");
    if (!error) return;
    error += strlen("ERROR: ");
    size_t length = strcspn(error, "\n");
    const char *on = strstr(error, " on ");
    if (on && (size_t)(on - error) < length) length = (size_t)(on - error);
    if (length >= sizeof record->error) length = sizeof record->error - 1;
    memcpy(record->error, error, length);
    record->error[length] = '\0';
}

/* UBSan calls this hook (weak in its runtime) on every report: the issue
 * kind ("integer-divide-by-zero") names the error as ASan's line does. */
void __ubsan_on_report(void);
void __ubsan_on_report(void) {
    if (!in_child || !__ubsan_get_current_report_data) return;
    const char *issue = NULL, *message = NULL, *file = NULL;
    unsigned line = 0, column = 0;
    char *address = NULL;
    __ubsan_get_current_report_data(&issue, &message, &file, &line, &column, &address);
    if (issue)
        snprintf(record->error, sizeof record->error, "UndefinedBehaviorSanitizer: %s", issue);
}

static void on_sanitizer_death(void) {
    if (!record->recorded) record_running(CHANFUZZ_CRASH, 0);
    if (!record->error[0]) snprintf(record->error, sizeof record->error, "sanitizer error");
}

/* ---- The child: the watchdog ------------------------------------------------------------ */

static const go_exec *watched_exec;
static uint64_t watched_goroutine, watched_steps;
static size_t watched_decisions;
static double watched_since;

static double monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_watchdog_tick(int sig) {
    (void)sig;
    go_running now;
    double at = monotonic_seconds();
    if (!go_exec_running(&now)) {
        watched_exec = NULL;
        return;
    }
    if (now.exec != watched_exec || now.goroutine != watched_goroutine ||
        now.steps != watched_steps || now.decision_count != watched_decisions) {
        watched_exec = now.exec;
        watched_goroutine = now.goroutine;
        watched_steps = now.steps;
        watched_decisions = now.decision_count;
        watched_since = at;
        return;
    }
    if (at - watched_since < exec_timeout) return;
    record->timeout = exec_timeout;
    record_running(CHANFUZZ_HANG, 0);
    _exit(124);
}

static void start_watchdog(void) {
    if (exec_timeout <= 0) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_watchdog_tick;
    sa.sa_flags = SA_RESTART | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    /* Ticks at a tenth of the timeout (at most every second): a hang is
     * seen between S and 1.1 S after its last scheduling point. */
    double tick = exec_timeout / 10 < 1 ? exec_timeout / 10 : 1;
    struct itimerval timer = {0};
    timer.it_interval.tv_sec = (time_t)tick;
    timer.it_interval.tv_usec = (suseconds_t)((tick - (double)(time_t)tick) * 1e6);
    if (!timer.it_interval.tv_sec && timer.it_interval.tv_usec < 1000)
        timer.it_interval.tv_usec = 1000;
    timer.it_value = timer.it_interval;
    setitimer(ITIMER_REAL, &timer, NULL);
}

static void enter_child(void) {
    in_child = true;
    child_sarif = NULL;
    record->recorded = 0;
    record->finished = 0;
    record->error[0] = '\0';
    record->sarif_length = 0;
    /* An alternate stack, unless a sanitizer's or the runtime's is there:
     * the faulting stack may be a goroutine's guard page. */
    stack_t current;
    if (sigaltstack(NULL, &current) != 0 || (current.ss_flags & SS_DISABLE)) {
        stack_t ss = {.ss_sp = malloc(ALTSTACK_BYTES), .ss_size = ALTSTACK_BYTES};
        if (ss.ss_sp) sigaltstack(&ss, NULL);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < FATAL_SIGNAL_COUNT; i++)
        sigaction(fatal_signals[i], &sa, &previous[i]);
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(on_sanitizer_death);
    if (__asan_set_error_report_callback) __asan_set_error_report_callback(on_sanitizer_report);
    start_watchdog();
}

/* ---- The parent ----------------------------------------------------------------------------- */

/* Names and words of their own: the report must not depend on the C
 * library's wording. */
static const struct {
    int signal;
    const char *name, *words;
} signal_names[] = {
    {SIGSEGV, "SIGSEGV", "segmentation violation"}, {SIGBUS, "SIGBUS", "bus error"},
    {SIGFPE, "SIGFPE", "arithmetic exception"},     {SIGILL, "SIGILL", "illegal instruction"},
    {SIGABRT, "SIGABRT", "abort"},                  {SIGTRAP, "SIGTRAP", "trace trap"},
    {SIGSYS, "SIGSYS", "bad system call"},          {SIGKILL, "SIGKILL", "killed"},
    {SIGTERM, "SIGTERM", "terminated"},             {SIGINT, "SIGINT", "interrupted"},
    {SIGXCPU, "SIGXCPU", "CPU time limit exceeded"}, {SIGPIPE, "SIGPIPE", "broken pipe"},
};

static void signal_words(int sig, char *name, size_t name_size, const char **words) {
    for (size_t i = 0; i < sizeof signal_names / sizeof signal_names[0]; i++)
        if (signal_names[i].signal == sig) {
            snprintf(name, name_size, "%s", signal_names[i].name);
            *words = signal_names[i].words;
            return;
        }
    snprintf(name, name_size, "signal %d", sig);
    *words = "fatal signal";
}

static void read_crash(int status, chanfuzz_crash *crash) {
    const crash_record *r = record;
    memset(crash, 0, sizeof *crash);
    crash->kind = r->recorded ? (chanfuzz_kind)r->kind : CHANFUZZ_CRASH;
    crash->signal = r->recorded ? r->signal : WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    /* The sanitizer's error says more than the signal it raised. */
    const char *words = "";
    if (crash->kind == CHANFUZZ_HANG)
        snprintf(crash->error, sizeof crash->error, "hang");
    else if (r->error[0])
        snprintf(crash->error, sizeof crash->error, "%s", r->error);
    else if (crash->signal)
        signal_words(crash->signal, crash->error, sizeof crash->error, &words);
    else
        snprintf(crash->error, sizeof crash->error, "exit status %d",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    if (crash->kind == CHANFUZZ_HANG)
        snprintf(crash->message, sizeof crash->message,
                 "goroutine %llu ran %gs without a runtime call (--exec-timeout %g)",
                 (unsigned long long)r->running.goroutine, r->timeout, r->timeout);
    else if (!r->error[0] && crash->signal)
        snprintf(crash->message, sizeof crash->message, "fatal signal %s (%s)", crash->error,
                 words);
    else
        snprintf(crash->message, sizeof crash->message, "%s", crash->error);
    crash->in_goroutine = r->recorded && r->in_goroutine;
    if (crash->in_goroutine) {
        crash->goroutine = (go_goroutine_info){
            .id = r->running.goroutine,
            .state = GO_STATE_FAILED,
            .entry_name = r->running.entry_name,
            .creator_site = r->running.creator_site,
            .creator_id = r->running.creator_id,
            .wait_site = r->running.last_site,
        };
        crash->semantics = r->running.semantics;
        crash->steps = r->running.steps;
        crash->decision_count = r->decision_count;
        crash->decisions = malloc((r->decision_count ? r->decision_count : 1) *
                                  sizeof *crash->decisions);
        if (!crash->decisions) abort();
        memcpy(crash->decisions, r->decisions, r->decision_count * sizeof *r->decisions);
    }
}

int chanfuzz_isolate_run(int (*body)(void *self), void *self, chanfuzz_crash *crash) {
    if (!isolate || in_child) return body(self);
    the_record();
    chanfuzz_shared_calloc(0, 0); /* mapped before the fork: the child's
                                allocations are the parent's to read */
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "chanfuzz: fork: %s\n", strerror(errno));
        exit(CHANFUZZ_EXIT_USAGE);
    }
    if (pid == 0) {
        enter_child();
        int status = body(self);
        fflush(stdout);
        fflush(stderr);
        record->finished = 1;
        /* _exit: the parent's atexit work (LSan's leak check of memory
         * the fork copied) is the parent's. */
        _exit(status & 0xff);
    }
    child_pid = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    child_pid = 0;
    collect_sarif();
    if (record->finished && WIFEXITED(status)) return WEXITSTATUS(status);
    read_crash(status, crash);
    return CHANFUZZ_ISOLATE_DIED;
}

void chanfuzz_crash_free(chanfuzz_crash *crash) {
    free(crash->decisions);
    crash->decisions = NULL;
}

chanfuzz_findings *chanfuzz_crash_findings(const chanfuzz_crash *crash) {
    chanfuzz_findings *f = chanfuzz_findings_of_death(
        crash->kind, crash->error, crash->message, crash->in_goroutine ? &crash->goroutine : NULL,
        crash->semantics);
    if (!f) abort();
    f->steps = crash->steps;
    return f;
}
