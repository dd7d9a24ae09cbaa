/* testing.c -- *testing.T and *testing.B as Go 1.19's tRunner runs them.
 *
 * Each test function runs in a goroutine of its own, as a Go call (so
 * t.Fatal's runtime.Goexit runs its deferred calls), under a deferred
 * "tRunner" epilogue that, like Go's: releases the parallel subtests
 * (closes the barrier they wait on) and waits for each; runs the Cleanup
 * functions, last added first, each as a Go call; then signals the parent
 * on the test's channel (buffered, capacity 1, as Go's). The parent --
 * the scenario's main goroutine for the top-level test, or t.Run -- waits
 * on that model channel, so a test that never finishes is seen as the
 * detectors see any blocked goroutine. t.Parallel signals the parent
 * early and waits for the barrier.
 *
 * A failure propagates to the parents, as Go's Fail. When the top-level
 * test ended failed, gort_test_main panics (go_panic_at) at the site of
 * the first failure with "--- FAIL: <test name>: <its log>", so the
 * harness reports a finding. Skips are not failures. Log lines are
 * decorated as Go's ("    file.go:12: text\n") and go to the output.
 *
 * gort_test values are go_alloc'ed; the execution's root test is also
 * kept in a static for gort_test_failed. Not modelled: subtest name
 * de-duplication (#01), -run filters, benchmarks' N (always 1), timing. */
#include <stdio.h>
#include <stdlib.h>

#include "gort_internal.h"

struct gort_test {
    gort_test *parent;
    gort_string name;          /* the full name: Parent/sub */
    gort_buf *log;             /* its decorated log lines, or NULL */
    gort_func fn;
    bool failed, skipped, parallel, done, benchmark;
    go_chan *signal;           /* buffered 1: Parallel and the end */
    go_chan *barrier;          /* closed when fn returned: parallel subtests go */
    gort_slice cleanups;       /* []gort_func */
    gort_slice subs;           /* []*gort_test, the parallel subtests */
    gort_int tempdirs;
};

static const go_site runner_site = {__FILE__, "testing.tRunner", __LINE__};

static struct {
    gort_test *root;
    bool failed;
    const go_site *fail_site;
    gort_test *first_failed;
    char *message;             /* malloc'ed: the FAIL panic's text */
} state;

void gort__test_reset(void) {
    free(state.message);
    memset(&state, 0, sizeof state);
}

bool gort_test_failed(void) { return state.failed; }

static gort_test *new_test(const go_site *site, gort_test *parent, gort_string name,
                           gort_func fn, bool benchmark) {
    gort_test *t = go_alloc_at(site, sizeof *t);
    t->parent = parent;
    if (parent) {
        gort_buf *b = gort__buf_new();
        gort__buf_gostr(b, parent->name);
        gort__buf_byte(b, '/');
        for (gort_int i = 0; i < name.len; i++) /* rewrite: spaces become _ */
            gort__buf_byte(b, name.ptr[i] == ' ' ? '_' : (char)name.ptr[i]);
        name = gort__buf_finish(site, b);
    }
    t->name = name;
    t->fn = fn;
    t->benchmark = benchmark;
    t->signal = go_make_chan_at(site, 1);
    t->barrier = go_make_chan_at(site, 0);
    return t;
}

/* ---- the runner ------------------------------------------------------------- */

static void call_func(void *arg) {
    const gort_func *f = arg;
    ((void (*)(void *))f->fn)(f->env);
}

static void call_test(void *arg) {
    gort_test *t = arg;
    ((void (*)(void *, gort_test *))t->fn.fn)(t->fn.env, t);
}

/* tRunner's deferred epilogue: runs when fn returns, calls Goexit or
 * panics. */
static void runner_done(void *arg) {
    gort_test *t = arg;
    if (t->subs.len > 0) {
        go_close_at(&runner_site, t->barrier);
        for (gort_int i = 0; i < t->subs.len; i++)
            (void)go_recv_at(&runner_site, ((gort_test **)t->subs.ptr)[i]->signal, NULL);
    }
    while (t->cleanups.len > 0) {
        gort_func f = ((gort_func *)t->cleanups.ptr)[--t->cleanups.len];
        go_call_at(&runner_site, call_func, &f);
    }
    t->done = true;
    go_send_at(&runner_site, t->signal, 1);
}

static void runner(void *arg) {
    go_defer_at(&runner_site, "testing.tRunner.func1", runner_done, arg);
    go_call_at(&runner_site, call_test, arg);
}

static void compose_failure(void) {
    gort_test *t = state.first_failed ? state.first_failed : state.root;
    gort_buf *b = gort__buf_new();
    gort__buf_str(b, "--- FAIL: ");
    gort__buf_gostr(b, t->name);
    /* The log, one line: "file.go:12: text; file.go:14: more" */
    bool first = true;
    const char *log = t->log ? t->log->data : NULL;
    size_t length = t->log ? t->log->len : 0;
    for (size_t i = 0; i < length;) {
        size_t j = i;
        while (j < length && log[j] != '\n') j++;
        size_t k = i;
        while (k < j && log[k] == ' ') k++;
        if (k < j) {
            gort__buf_str(b, first ? ": " : "; ");
            gort__buf_write(b, log + k, j - k);
            first = false;
        }
        i = j + 1;
    }
    free(state.message);
    state.message = gort__buf_take(b);
}

void gort_test_main(const char *name, gort_func fn, bool benchmark) {
    gort_string n = {(const uint8_t *)name, (gort_int)strlen(name)};
    gort_test *t = new_test(&runner_site, NULL, n, fn, benchmark);
    state.root = t;
    go_go_at(&runner_site, "testing.tRunner", runner, t);
    (void)go_recv_at(&runner_site, t->signal, NULL);
    if (t->failed) {
        compose_failure();
        go_panic_at(state.fail_site ? state.fail_site : &runner_site, state.message);
    }
}

/* ---- T's methods -------------------------------------------------------------- */

bool gort_t_run(const go_site *site, gort_test *t, gort_string name, gort_func f) {
    gort_check_nil(site, t);
    gort_test *sub = new_test(site, t, name, f, t->benchmark);
    go_go_at(site, "testing.tRunner", runner, sub);
    (void)go_recv_at(site, sub->signal, NULL);
    return !sub->failed;
}

void gort_t_parallel(const go_site *site, gort_test *t) {
    gort_check_nil(site, t);
    if (t->parallel) go_panic_at(site, "testing: t.Parallel called multiple times");
    t->parallel = true;
    if (!t->parent) return; /* one top-level test: nothing to wait for */
    gort_test *parent = t->parent;
    parent->subs = gort_slice_append(site, parent->subs, sizeof t, &t, 1);
    go_send_at(site, t->signal, 1);          /* release the calling Run */
    (void)go_recv_at(site, parent->barrier, NULL);
}

void gort_t_cleanup(const go_site *site, gort_test *t, gort_func f) {
    gort_check_nil(site, t);
    t->cleanups = gort_slice_append(site, t->cleanups, sizeof f, &f, 1);
}

static void fail(const go_site *site, gort_test *t) {
    if (!state.failed) {
        state.failed = true;
        state.fail_site = site;
        state.first_failed = t;
    }
    for (gort_test *c = t; c; c = c->parent) c->failed = true;
}

/* c.log: decorate and keep. Sprintln's text for the non-f forms. The log is
 * malloc'ed text (a gort_buf, freed by the next gort_exec_begin), and the
 * line goes to the output without becoming a model string: a t.Log was
 * three go_alloc'ed strings, which the final collection then had to index,
 * sort and free. */
static void log_text(const go_site *site, gort_test *t, gort_string format, bool formatted,
                     gort_slice args) {
    gort_buf *text = gort__format_buf(site, format, formatted, args);
    const char *file = site && site->file ? site->file : "???";
    const char *slash = strrchr(file, '/');
    if (slash) file = slash + 1;
    gort_buf *line = gort__buf_new();
    gort__buf_str(line, "    ");
    gort__buf_str(line, file);
    gort__buf_byte(line, ':');
    gort__buf_uint(line, site ? (uint64_t)site->line : 1, 0);
    gort__buf_str(line, ": ");
    const char *at = text->data, *end = at + text->len;
    if (end > at && end[-1] == '\n') end--;
    while (at < end) {
        const char *newline = memchr(at, '\n', (size_t)(end - at));
        const char *stop = newline ? newline : end;
        gort__buf_write(line, at, (size_t)(stop - at));
        if (!newline) break;
        gort__buf_str(line, "\n        ");
        at = newline + 1;
    }
    gort__buf_byte(line, '\n');
    gort__buf_free(text);
    gort_output_append((gort_string){(const uint8_t *)line->data, (gort_int)line->len});
    if (!t->log) t->log = gort__buf_new();
    gort__buf_write(t->log, line->data, line->len);
    gort__buf_free(line);
}

static bool has_text(bool formatted, gort_slice args) { return formatted || args.len > 0; }

void gort_t_log(const go_site *site, gort_test *t, gort_string format, bool formatted,
                gort_slice args) {
    gort_check_nil(site, t);
    log_text(site, t, format, formatted, args);
}

void gort_t_error(const go_site *site, gort_test *t, gort_string format, bool formatted,
                  gort_slice args) {
    gort_check_nil(site, t);
    if (has_text(formatted, args)) log_text(site, t, format, formatted, args);
    fail(site, t);
}

void gort_t_fatal(const go_site *site, gort_test *t, gort_string format, bool formatted,
                  gort_slice args) {
    gort_t_error(site, t, format, formatted, args);
    go_goexit_at(site);
}

void gort_t_skip(const go_site *site, gort_test *t, gort_string format, bool formatted,
                 gort_slice args) {
    gort_check_nil(site, t);
    if (has_text(formatted, args)) log_text(site, t, format, formatted, args);
    t->skipped = true;
    go_goexit_at(site);
}

void gort_t_fail(gort_test *t) {
    static const go_site site = {__FILE__, "testing.(*common).Fail", __LINE__};
    gort_check_nil(&site, t);
    fail(NULL, t);
}

bool gort_t_failed(const gort_test *t) { return t && t->failed; }
bool gort_t_skipped(const gort_test *t) { return t && t->skipped; }
gort_string gort_t_name(const gort_test *t) {
    gort_string none = {NULL, 0};
    return t ? t->name : none;
}

gort_string gort_t_tempdir(const go_site *site, gort_test *t) {
    gort_check_nil(site, t);
    gort_buf *b = gort__buf_new();
    gort__buf_str(b, "/tmp/");
    for (gort_int i = 0; i < t->name.len; i++)
        gort__buf_byte(b, t->name.ptr[i] == '/' ? '_' : (char)t->name.ptr[i]);
    gort__buf_str(b, "000/");
    gort__buf_uint(b, (uint64_t)++t->tempdirs, 3);
    return gort__buf_finish(site, b);
}

gort_int gort_b_n(const gort_test *b) {
    (void)b;
    return 1;
}
