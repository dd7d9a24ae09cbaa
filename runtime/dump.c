/* dump.c -- goroutine dumps in the shape of Go's own. */
#include <string.h>

#include "sched.h"

static const cf_object *find_object(const go_exec *e, go_object_kind kind, uint64_t id) {
    for (const cf_object *obj = e->objects; obj; obj = obj->next)
        if (obj->kind == kind && obj->id == id) return obj;
    return NULL;
}

void go_exec_describe_object(const go_exec *e, go_object_kind kind, uint64_t id,
                             char *out, size_t size) {
    const cf_object *obj = find_object(e, kind, id);
    if (size == 0) return;
    out[0] = '\0';
    if (obj && obj->ops && obj->ops->describe) obj->ops->describe(obj, out, size);
}

/* What the goroutine was doing, in words: "send on chan#1". */
static const char *operation(go_wait_reason reason) {
    switch (reason) {
    case GO_WAIT_CHAN_SEND: return "send on";
    case GO_WAIT_CHAN_RECV: return "receive from";
    case GO_WAIT_CHAN_SEND_NIL: return "send on nil channel";
    case GO_WAIT_CHAN_RECV_NIL: return "receive from nil channel";
    case GO_WAIT_SELECT: return "select";
    case GO_WAIT_SELECT_NO_CASES: return "select with no cases";
    case GO_WAIT_MUTEX_LOCK:
    case GO_WAIT_RWMUTEX_LOCK: return "Lock on";
    case GO_WAIT_RWMUTEX_RLOCK: return "RLock on";
    case GO_WAIT_WAITGROUP_WAIT: return "Wait on";
    case GO_WAIT_COND_WAIT: return "Wait on";
    default: return "";
    }
}

static void write_one(const go_exec *e, const go_goroutine_info *g, FILE *out) {
    const char *state = g->state == GO_STATE_BLOCKED ? go_wait_reason_name(g->wait_reason)
                        : g->state == GO_STATE_FAILED ? "running"
                                                      : "runnable";
    if (g->state == GO_STATE_NEVER_EXITS) state = "never exits";
    fprintf(out, "goroutine %llu [%s", (unsigned long long)g->id, state);
    if (g->state == GO_STATE_BLOCKED && e->end_time > g->blocked_at_time) {
        char blocked[32];
        cf_format_duration(e->end_time - g->blocked_at_time, blocked, sizeof blocked);
        fprintf(out, ", %s", blocked);
    }
    fprintf(out, "]:\n");
    if (g->wait_site) {
        fprintf(out, "    %s at %s:%d\n", g->wait_site->func, g->wait_site->file,
                g->wait_site->line);
    } else {
        fprintf(out, "    %s\n", g->entry_name);
    }
    if (g->state == GO_STATE_BLOCKED && g->object_kind != GO_OBJ_NONE) {
        char desc[160];
        go_exec_describe_object(e, g->object_kind, g->object_id, desc, sizeof desc);
        fprintf(out, "        %s %s#%llu (%s)\n", operation(g->wait_reason),
                go_object_kind_name(g->object_kind), (unsigned long long)g->object_id, desc);
    } else if (g->state == GO_STATE_BLOCKED && g->wait_reason != GO_WAIT_SELECT) {
        fprintf(out, "        %s\n", operation(g->wait_reason));
    }
    if (g->creator_site)
        fprintf(out, "created by %s in goroutine %llu at %s:%d\n", g->creator_site->func,
                (unsigned long long)g->creator_id, g->creator_site->file,
                g->creator_site->line);
}

void go_exec_write_goroutines(const go_exec *e, FILE *out) {
    for (size_t i = 0; i < e->info_count; i++) {
        if (i) fputc('\n', out);
        write_one(e, &e->infos[i], out);
    }
}

/* Go's time.Duration.String, without its allocation: the largest unit
 * below an hour with the fraction trimmed, and h/m/s above. */
void cf_format_duration(int64_t ns, char *out, size_t size) {
    static const struct { int64_t scale; const char *unit; } small[] = {
        {1, "ns"}, {1000, "us"}, {1000000, "ms"}};
    if (ns < 0) ns = 0;
    if (ns < 1000000000) {
        int u = ns < 1000 ? 0 : ns < 1000000 ? 1 : 2;
        int64_t whole = ns / small[u].scale, frac = ns % small[u].scale;
        int len = snprintf(out, size, "%lld", (long long)whole);
        if (frac && (size_t)len < size) {
            char digits[16];
            snprintf(digits, sizeof digits, "%0*lld", u == 1 ? 3 : 6, (long long)frac);
            for (int i = (int)strlen(digits) - 1; i >= 0 && digits[i] == '0'; i--) digits[i] = 0;
            len += snprintf(out + len, size - (size_t)len, ".%s", digits);
        }
        if ((size_t)len < size) snprintf(out + len, size - (size_t)len, "%s", small[u].unit);
        return;
    }
    int64_t hours = ns / 3600000000000LL, minutes = ns / 60000000000LL % 60;
    int64_t seconds = ns / 1000000000 % 60, frac = ns % 1000000000;
    int len = 0;
    if (hours) len += snprintf(out + len, size - (size_t)len, "%lldh", (long long)hours);
    if (hours || minutes)
        len += snprintf(out + len, size - (size_t)len, "%lldm", (long long)minutes);
    len += snprintf(out + len, size - (size_t)len, "%lld", (long long)seconds);
    if (frac) {
        char digits[16];
        snprintf(digits, sizeof digits, "%09lld", (long long)frac);
        for (int i = 8; i >= 0 && digits[i] == '0'; i--) digits[i] = 0;
        len += snprintf(out + len, size - (size_t)len, ".%s", digits);
    }
    snprintf(out + len, size - (size_t)len, "s");
}
