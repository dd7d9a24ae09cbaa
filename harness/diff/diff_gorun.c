/* diff_gorun.c -- Go's side: one binary per batch, many runs per program.
 *
 * Each run is its own process (`prog INDEX SEED`, GOMAXPROCS in its
 * environment): a panic, a fatal error or Go's deadlock report ends the
 * process, and a deadlock is only reported when nothing else exists, so
 * runs cannot share one. Runs go `parallel` at a time; a run that outlives
 * its timeout is killed and gives an OTHER outcome ("go run timed out"). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"

bool diff_go_available(void) {
    const char *path = getenv("PATH");
    if (!path) return false;
    char dir[4096];
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(dir, sizeof dir, "%.*s/go", (int)n, path);
        if (n && access(dir, X_OK) == 0) return true;
        path += n + (path[n] == ':');
    }
    return false;
}

/* ---- build ------------------------------------------------------------------ */

static bool write_file(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) return false;
    fputs(text, f);
    return fclose(f) == 0;
}

bool diff_batch_build(diff_batch *b, const chanfuzz_program *programs, size_t n,
                      const diff_go_options *options, char *error, size_t error_size) {
    memset(b, 0, sizeof *b);
    snprintf(b->dir, sizeof b->dir, "%s/chanfuzz-diff-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(b->dir)) {
        snprintf(error, error_size, "diff: cannot make a directory under /tmp: %s", strerror(errno));
        return false;
    }
    b->programs = n;
    b->lines = 8 + n * (2 + CHANFUZZ_OPS_BODIES * (CHANFUZZ_OPS_MAX_OPS + 3));
    b->line_program = malloc(b->lines * sizeof *b->line_program);
    b->line_body = malloc(b->lines);
    b->line_op = malloc(b->lines);
    if (!b->line_program || !b->line_body || !b->line_op) {
        snprintf(error, error_size, "diff: out of memory");
        return false;
    }
    memset(b->line_program, 0xff, b->lines * sizeof *b->line_program);
    memset(b->line_body, 0xff, b->lines);
    memset(b->line_op, 0xff, b->lines);
    if (!write_file(b->dir, "go.mod", "module chanfuzzdiff\n\ngo 1.19\n") ||
        !write_file(b->dir, "support.go", diff_go_support)) {
        snprintf(error, error_size, "diff: cannot write into %s", b->dir);
        return false;
    }
    char path[512];
    snprintf(path, sizeof path, "%s/prog.go", b->dir);
    FILE *out = fopen(path, "w");
    if (!out) {
        snprintf(error, error_size, "diff: cannot write %s", path);
        return false;
    }
    /* The header is exactly 4 lines: the line map counts from there. */
    fprintf(out, "package main\n");
    fprintf(out, "import (\"context\"; \"runtime\"; \"sync\"; \"time\")\n");
    fprintf(out, "var _, _, _, _ = context.Background, runtime.GC, sync.NewCond, time.Now\n");
    fprintf(out, "var programs = []func(){");
    for (size_t i = 0; i < n; i++) fprintf(out, "%sp%zu", i ? ", " : "", i);
    fprintf(out, "}\n");
    size_t line = 4;
    for (size_t i = 0; i < n; i++)
        diff_export_program(out, &programs[i], i, &line, b->line_program,
                            b->line_body, b->line_op, b->lines);
    if (fclose(out) != 0) {
        snprintf(error, error_size, "diff: cannot write %s", path);
        return false;
    }
    char command[1024];
    snprintf(command, sizeof command, "cd '%s' && go build -o prog . > build.log 2>&1", b->dir);
    if (system(command) != 0) {
        snprintf(error, error_size, "diff: go build failed in %s (see build.log there)", b->dir);
        return false;
    }
    return true;
}

void diff_batch_free(diff_batch *b) {
    free(b->line_program);
    free(b->line_body);
    free(b->line_op);
    if (b->dir[0] && !getenv("CHANFUZZ_DIFF_KEEP")) {
        char command[600];
        snprintf(command, sizeof command, "rm -rf '%s'", b->dir);
        if (system(command) != 0) fprintf(stderr, "diff: could not remove %s\n", b->dir);
    }
    memset(b, 0, sizeof *b);
}

/* ---- runs ---------------------------------------------------------------------- */

typedef struct buffer {
    char *data;
    size_t length, capacity;
} buffer;

static void buffer_read(buffer *buf, int fd, bool *open) {
    if (buf->capacity - buf->length < 4096) {
        size_t capacity = buf->capacity ? 2 * buf->capacity : 16384;
        char *data = realloc(buf->data, capacity + 1);
        if (!data) { *open = false; return; }
        buf->data = data;
        buf->capacity = capacity;
    }
    ssize_t n = read(fd, buf->data + buf->length, buf->capacity - buf->length);
    if (n <= 0) *open = false;
    else buf->length += (size_t)n;
    buf->data[buf->length] = '\0';
}

typedef struct child {
    pid_t pid;
    int out_fd, err_fd;
    bool out_open, err_open;
    buffer out, err;
    double deadline;
    bool timed_out;
} child;

static double now_seconds(void) { /* wall clock: only for run timeouts */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool start_child(child *c, const char *binary, size_t index, unsigned procs, unsigned seed,
                        unsigned ms_scale, double timeout) {
    memset(c, 0, sizeof *c);
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return false;
    if (pipe2(err, O_CLOEXEC) != 0) { close(out[0]); close(out[1]); return false; }
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        char index_text[32], seed_text[32], procs_text[32], scale_text[32];
        snprintf(scale_text, sizeof scale_text, "%u", ms_scale);
        snprintf(index_text, sizeof index_text, "%zu", index);
        snprintf(seed_text, sizeof seed_text, "%u", seed);
        snprintf(procs_text, sizeof procs_text, "%u", procs);
        setenv("GOMAXPROCS", procs_text, 1);
        execl(binary, binary, index_text, seed_text, scale_text, (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    c->pid = pid;
    c->out_fd = out[0];
    c->err_fd = err[0];
    c->out_open = c->err_open = true;
    c->deadline = now_seconds() + timeout;
    return true;
}

static bool child_done(const child *c) { return !c->out_open && !c->err_open; }

/* Reads from every running child until one finishes or times out. */
static void pump(child *children, size_t count) {
    struct pollfd fds[2 * 8];
    child *owner[2 * 8];
    bool *open_flag[2 * 8];
    buffer *into[2 * 8];
    size_t nfds = 0;
    for (size_t i = 0; i < count; i++) {
        child *c = &children[i];
        if (!c->pid) continue;
        if (now_seconds() > c->deadline && !c->timed_out) {
            c->timed_out = true;
            kill(c->pid, SIGKILL);
        }
        if (c->out_open) {
            fds[nfds] = (struct pollfd){c->out_fd, POLLIN, 0};
            owner[nfds] = c, open_flag[nfds] = &c->out_open, into[nfds++] = &c->out;
        }
        if (c->err_open) {
            fds[nfds] = (struct pollfd){c->err_fd, POLLIN, 0};
            owner[nfds] = c, open_flag[nfds] = &c->err_open, into[nfds++] = &c->err;
        }
    }
    if (!nfds) return;
    if (poll(fds, nfds, 100) <= 0) return;
    for (size_t i = 0; i < nfds; i++)
        if (fds[i].revents) buffer_read(into[i], fds[i].fd, open_flag[i]);
    (void)owner;
}

static void finish_child(const diff_batch *b, child *c, diff_set *outcomes) {
    close(c->out_fd);
    close(c->err_fd);
    int status;
    waitpid(c->pid, &status, 0);
    diff_outcome *o = malloc(sizeof *o);
    if (o) {
        diff_parse_run(b, c->out.data ? c->out.data : "", c->err.data ? c->err.data : "",
                       c->timed_out, o);
        char line[8192];
        diff_outcome_format(o, line, sizeof line);
        diff_set_add(outcomes, line);
        free(o);
    }
    free(c->out.data);
    free(c->err.data);
    memset(c, 0, sizeof *c);
}

void diff_batch_run(const diff_batch *b, size_t index, const chanfuzz_program *p,
                    const diff_go_options *options, diff_set *outcomes) {
    char binary[512];
    snprintf(binary, sizeof binary, "%s/prog", b->dir);
    double timeout = options->run_timeout +
                     2.0 * diff_program_time_bound(p) * options->ms_scale / 1000.0;
    unsigned total = 2 * options->seeds, started = 0, finished = 0;
    child children[8];
    size_t slots = options->parallel ? options->parallel : 1;
    if (slots > 8) slots = 8;
    memset(children, 0, sizeof children);
    while (finished < total) {
        for (size_t i = 0; i < slots && started < total; i++) {
            if (children[i].pid) continue;
            /* Run r: GOMAXPROCS 1 then 2; seed 0 (no perturbation) first. */
            unsigned procs = 1 + started % 2, seed = started / 2;
            if (!start_child(&children[i], binary, index, procs, seed, options->ms_scale, timeout)) {
                diff_set_add(outcomes, "other \"diff: could not start a go run\"");
                finished++;
            }
            started++;
        }
        pump(children, slots);
        for (size_t i = 0; i < slots; i++)
            if (children[i].pid && child_done(&children[i])) {
                finish_child(b, &children[i], outcomes);
                finished++;
            }
    }
}
