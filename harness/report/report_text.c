/* report_text.c -- the report a person reads: a header, the crash state,
 * the witness, then the goroutines involved in the shape of Go's own
 * dump (DESIGN.md, "Findings and reports"), so a Go programmer reads it
 * without a legend:
 *
 *   chanfuzz: leak in scenario timeout_worker (buggy): 1 goroutine blocked
 *   crash state: leak: chan send at scenarios/timeout_worker.c:12 (worker) created at ...
 *   witness: blocked sender on chan#1 (unbuffered, 1 sender and 0 receivers waiting, ...)
 *
 *   goroutine 2 [chan send, 5ms]:
 *       worker at scenarios/timeout_worker.c:12
 *           send on chan#1 (unbuffered, 1 sender and 0 receivers waiting, not closed)
 *   created by leaky_timeout in goroutine 1 at scenarios/timeout_worker.c:19
 */
#include <inttypes.h>
#include <string.h>

#include "report.h"

void cf_report_header(char *out, size_t size, const chanfuzz_report_info *info,
                      const chanfuzz_finding *f) {
    const char *scenario = info ? info->scenario : NULL;
    const char *variant = info ? info->variant : NULL;
    if (scenario && variant)
        snprintf(out, size, "chanfuzz: %s in scenario %s (%s): %s", chanfuzz_kind_name(f->kind),
                 scenario, variant, f->message);
    else if (scenario)
        snprintf(out, size, "chanfuzz: %s in scenario %s: %s", chanfuzz_kind_name(f->kind),
                 scenario, f->message);
    else
        snprintf(out, size, "chanfuzz: %s: %s", chanfuzz_kind_name(f->kind), f->message);
}

/* Go's time.Duration.String for what the dump needs (non-negative, as the
 * runtime's own dump writes it: "us" for microseconds): "5ms", "1.5us",
 * "1h0m3s". */
static void format_duration(char *out, size_t size, int64_t ns) {
    static const struct {
        int64_t scale;
        int digits;
        const char *unit;
    } below_second[] = {{1, 0, "ns"}, {1000, 3, "us"}, {1000000, 6, "ms"}};
    int64_t scale = 1000000000;
    int digits = 9;
    const char *unit = "s";
    int length = 0;
    if (ns < 0) ns = 0;
    if (ns < 1000000000) {
        int u = ns < 1000 ? 0 : ns < 1000000 ? 1 : 2;
        scale = below_second[u].scale;
        digits = below_second[u].digits;
        unit = below_second[u].unit;
    } else {
        int64_t hours = ns / 3600000000000LL, minutes = ns / 60000000000LL % 60;
        if (hours) length = snprintf(out, size, "%" PRId64 "h%" PRId64 "m", hours, minutes);
        else if (minutes) length = snprintf(out, size, "%" PRId64 "m", minutes);
        ns %= 60000000000LL;
    }
    if (length < 0 || (size_t)length >= size) return;
    int64_t whole = ns / scale, fraction = ns % scale;
    if (fraction == 0) {
        snprintf(out + length, size - (size_t)length, "%" PRId64 "%s", whole, unit);
        return;
    }
    char decimals[16];
    snprintf(decimals, sizeof decimals, "%0*" PRId64, digits, fraction);
    for (int i = (int)strlen(decimals) - 1; i > 0 && decimals[i] == '0'; i--) decimals[i] = '\0';
    snprintf(out + length, size - (size_t)length, "%" PRId64 ".%s%s", whole, decimals, unit);
}

/* What the goroutine was doing to its object, in the runtime dump's
 * words: "send on", "receive from", ... */
static const char *operation(go_wait_reason reason) {
    switch (reason) {
    case GO_WAIT_CHAN_SEND: return "send on";
    case GO_WAIT_CHAN_RECV: return "receive from";
    case GO_WAIT_CHAN_SEND_NIL: return "send on nil channel";
    case GO_WAIT_CHAN_RECV_NIL: return "receive from nil channel";
    case GO_WAIT_SELECT: return "select on";
    case GO_WAIT_SELECT_NO_CASES: return "select with no cases";
    case GO_WAIT_MUTEX_LOCK:
    case GO_WAIT_RWMUTEX_LOCK: return "Lock on";
    case GO_WAIT_RWMUTEX_RLOCK: return "RLock on";
    case GO_WAIT_WAITGROUP_WAIT:
    case GO_WAIT_COND_WAIT: return "Wait on";
    case GO_WAIT_SLEEP: return "sleep";
    default: return "";
    }
}

/* "chan send, 5ms", "running" (Go's word for the goroutine that failed),
 * "runnable", "chan receive, never exits". */
static void state_words(char *out, size_t size, const chanfuzz_goroutine *g) {
    const go_goroutine_info *info = &g->info;
    const char *reason = go_wait_reason_name(info->wait_reason);
    char blocked[32] = "";
    if (g->blocked_for > 0) format_duration(blocked, sizeof blocked, g->blocked_for);
    switch (info->state) {
    case GO_STATE_BLOCKED:
        snprintf(out, size, "%s%s%s", reason, blocked[0] ? ", " : "", blocked);
        break;
    case GO_STATE_NEVER_EXITS:
        if (info->wait_reason != GO_WAIT_NONE)
            snprintf(out, size, "%s, never exits", reason);
        else
            snprintf(out, size, "never exits");
        break;
    case GO_STATE_FAILED: snprintf(out, size, "running"); break;
    case GO_STATE_RUNNABLE: snprintf(out, size, "runnable"); break;
    default: snprintf(out, size, "%s", go_end_state_name(info->state)); break;
    }
}

static void write_goroutine(FILE *out, const chanfuzz_goroutine *g) {
    const go_goroutine_info *info = &g->info;
    char state[96];
    state_words(state, sizeof state, g);
    fprintf(out, "goroutine %" PRIu64 " [%s]:\n", info->id, state);
    if (info->wait_site)
        fprintf(out, "    %s at %s\n", info->wait_site->func,
                chanfuzz_site_position(info->wait_site).text);
    else
        fprintf(out, "    %s\n", info->entry_name);
    bool waiting = info->state == GO_STATE_BLOCKED || info->state == GO_STATE_NEVER_EXITS;
    if (waiting && info->object_kind != GO_OBJ_NONE)
        fprintf(out, "        %s %s#%" PRIu64 " (%s)\n", operation(info->wait_reason),
                go_object_kind_name(info->object_kind), info->object_id, g->object_state);
    else if (waiting && info->wait_reason != GO_WAIT_SELECT && info->wait_reason != GO_WAIT_NONE)
        fprintf(out, "        %s\n", operation(info->wait_reason));
    if (info->creator_site)
        fprintf(out, "created by %s in goroutine %" PRIu64 " at %s\n",
                info->creator_site->func, info->creator_id,
                chanfuzz_site_position(info->creator_site).text);
}

/* The witness's links, one per line, when they add to its summary: a
 * context's, a chain's, every object after the first a leak waits on. */
static void write_links(FILE *out, const chanfuzz_witness *w) {
    bool summary_says_it = w->kind == CHANFUZZ_WITNESS_BLOCKING_OBJECT && w->link_count <= 1;
    if (summary_says_it) return;
    for (size_t i = 0; i < w->link_count; i++) {
        const chanfuzz_witness_link *l = &w->links[i];
        if (l->object_kind == GO_OBJ_NONE) {
            /* A chain's root or a goroutine in it: its words are its state. */
            fprintf(out, "    %s %s\n", l->role, l->state);
            continue;
        }
        if (w->kind == CHANFUZZ_WITNESS_GROWTH && l->site) {
            /* A site, not one object: "grew heap at x.c:30 (put): 10 -> 160 ..." */
            fprintf(out, "    %s %s at %s (%s): %s\n", l->role,
                    go_object_kind_name(l->object_kind), chanfuzz_site_position(l->site).text,
                    l->site->func, l->state);
            continue;
        }
        fprintf(out, "    %s %s#%" PRIu64 " (%s)", l->role, go_object_kind_name(l->object_kind),
                l->object_id, l->state);
        if (l->site)
            fprintf(out, " made at %s (%s)", chanfuzz_site_position(l->site).text, l->site->func);
        fputc('\n', out);
    }
}

static void write_finding(FILE *out, const chanfuzz_report_info *info, const chanfuzz_finding *f) {
    char header[CHANFUZZ_MESSAGE_MAX + 256];
    cf_report_header(header, sizeof header, info, f);
    fprintf(out, "%s\n", header);
    fprintf(out, "crash state: %s\n", f->crash_state);
    if (f->witness.summary[0]) fprintf(out, "witness: %s\n", f->witness.summary);
    write_links(out, &f->witness);
    for (size_t i = 0; i < f->goroutine_count; i++) {
        fputc('\n', out);
        write_goroutine(out, &f->goroutines[i]);
    }
    if (f->goroutine_count == 0 && f->site)
        fprintf(out, "\n    %s at %s\n", f->site->func, chanfuzz_site_position(f->site).text);
    if (info && (info->reproducer || info->replay_command)) fputc('\n', out);
    if (info && info->reproducer) fprintf(out, "reproducer: %s\n", info->reproducer);
    if (info && info->replay_command) fprintf(out, "replay: %s\n", info->replay_command);
}

void chanfuzz_write_text(FILE *out, const chanfuzz_report_info *info,
                         const chanfuzz_findings *findings) {
    for (size_t i = 0; findings && i < findings->count; i++) {
        if (i) fputc('\n', out);
        write_finding(out, info, &findings->items[i]);
    }
}
