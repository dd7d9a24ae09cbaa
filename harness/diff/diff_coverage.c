/* diff_coverage.c -- which pairs of operation kinds met on one object.
 *
 * The model's interpreter (diff_model.c) notes every op that touches a
 * channel, context, mutex, WaitGroup or timer; two touches of one object
 * in one execution are a pair, "across" when two goroutines made them. The
 * issue names the pairs that matter (send/recv, send/close, close/recv,
 * select/close, lock/unlock across goroutines, cancel/Done, timer/select):
 * the summary reports each of those, and the count of all pairs seen. */
#include "diff.h"

const char *diff_touch_name(diff_touch kind) {
    static const char *const names[DIFF_TOUCH_KIND_COUNT] = {
        "send", "recv", "range", "close", "select-send", "select-recv", "select-done",
        "select-tick", "cancel", "done", "withtimeout", "lock", "unlock", "add", "wgdone",
        "wait", "timer", "stop", "tick"};
    return (unsigned)kind < DIFF_TOUCH_KIND_COUNT ? names[kind] : "?";
}

void diff_pairs_merge(diff_pairs *into, const diff_pairs *from) {
    for (unsigned a = 0; a < DIFF_TOUCH_KIND_COUNT; a++)
        for (unsigned b = 0; b < DIFF_TOUCH_KIND_COUNT; b++) {
            into->seen[a][b] |= from->seen[a][b];
            into->across[a][b] |= from->across[a][b];
        }
}

size_t diff_pairs_count(const diff_pairs *p) {
    size_t n = 0;
    for (unsigned a = 0; a < DIFF_TOUCH_KIND_COUNT; a++)
        for (unsigned b = a; b < DIFF_TOUCH_KIND_COUNT; b++) n += p->seen[a][b];
    return n;
}

typedef struct required_pair {
    diff_touch a, b;
    bool across;             /* must be made by two goroutines */
} required_pair;

static const required_pair required[] = {
    {DIFF_TOUCH_SEND, DIFF_TOUCH_RECV, true},
    {DIFF_TOUCH_SEND, DIFF_TOUCH_CLOSE, false},
    {DIFF_TOUCH_RECV, DIFF_TOUCH_CLOSE, false},
    {DIFF_TOUCH_RANGE, DIFF_TOUCH_CLOSE, true},
    {DIFF_TOUCH_SEND, DIFF_TOUCH_RANGE, true},
    {DIFF_TOUCH_CLOSE, DIFF_TOUCH_CLOSE, false},
    {DIFF_TOUCH_CLOSE, DIFF_TOUCH_SELECT_SEND, false},
    {DIFF_TOUCH_CLOSE, DIFF_TOUCH_SELECT_RECV, false},
    {DIFF_TOUCH_SEND, DIFF_TOUCH_SELECT_RECV, true},
    {DIFF_TOUCH_RECV, DIFF_TOUCH_SELECT_SEND, true},
    {DIFF_TOUCH_SELECT_SEND, DIFF_TOUCH_SELECT_RECV, true},
    {DIFF_TOUCH_SELECT_DONE, DIFF_TOUCH_CANCEL, true},
    {DIFF_TOUCH_CANCEL, DIFF_TOUCH_DONE, true},
    {DIFF_TOUCH_DONE, DIFF_TOUCH_TIMEOUT, false},
    {DIFF_TOUCH_SELECT_DONE, DIFF_TOUCH_TIMEOUT, false},
    {DIFF_TOUCH_LOCK, DIFF_TOUCH_UNLOCK, true},
    {DIFF_TOUCH_LOCK, DIFF_TOUCH_LOCK, true},
    {DIFF_TOUCH_ADD, DIFF_TOUCH_WAIT, false},
    {DIFF_TOUCH_WG_DONE, DIFF_TOUCH_WAIT, true},
    {DIFF_TOUCH_ADD, DIFF_TOUCH_WG_DONE, false},
    {DIFF_TOUCH_SELECT_TICK, DIFF_TOUCH_TIMER, false},
    {DIFF_TOUCH_TIMER, DIFF_TOUCH_TICK, false},
    {DIFF_TOUCH_TIMER, DIFF_TOUCH_STOP, false},
    {DIFF_TOUCH_STOP, DIFF_TOUCH_TICK, false},
};

size_t diff_pairs_report_required(const diff_pairs *p, FILE *out, size_t *required_count) {
    size_t covered = 0, n = sizeof required / sizeof required[0];
    for (size_t i = 0; i < n; i++) {
        unsigned a = required[i].a < required[i].b ? required[i].a : required[i].b;
        unsigned b = required[i].a < required[i].b ? required[i].b : required[i].a;
        bool ok = required[i].across ? p->across[a][b] : p->seen[a][b];
        covered += ok;
        if (out)
            fprintf(out, "  %-3s %s/%s%s\n", ok ? "yes" : "NO", diff_touch_name(required[i].a),
                    diff_touch_name(required[i].b), required[i].across ? " (across goroutines)" : "");
    }
    if (required_count) *required_count = n;
    return covered;
}
