/* trace.c -- events out through the hook, and the trace as text.
 *
 * The text names goroutines, objects and sites, never addresses, so the
 * same decisions give byte-identical text in every build and clone. */
#include <stdlib.h>

#include "sched.h"
#include "side_stack.h"

static void trace_push(go_exec *e, const cf_trace_entry *entry) {
    if (e->trace_count == e->trace_capacity) {
        size_t capacity = e->trace_capacity ? e->trace_capacity * 2 : 1024;
        cf_trace_entry *trace = realloc(e->trace, sizeof *trace * capacity);
        cf_require(trace != NULL, "trace allocation");
        e->trace = trace;
        e->trace_capacity = capacity;
    }
    e->trace[e->trace_count++] = *entry;
}

void cf_trace_append_decision(go_exec *e, size_t index) {
    cf_trace_entry entry = {.is_decision = true, .decision_index = index};
    trace_push(e, &entry);
}

typedef struct event_call {
    go_exec *e;
    const go_event *ev;
} event_call;

static void hook_and_record(void *self) {
    const event_call *call = self;
    go_exec *e = call->e;
    if (e->config.event_hook) e->config.event_hook(e->config.event_hook_self, call->ev);
    if (e->config.record_trace) {
        cf_trace_entry entry = {.is_decision = false, .event = *call->ev};
        trace_push(e, &entry);
    }
}

/* On the side stack, as decisions are (side_stack.c): a hook or the trace
 * must not change what the collector finds on goroutine stacks. */
void cf_emit_event(go_exec *e, const go_event *ev) {
    event_call call = {e, ev};
    cf_call_off_stack(hook_and_record, &call);
}

static const char *const event_names[GO_EVENT_KIND_COUNT] = {
    [GO_EVENT_SPAWN] = "spawn", [GO_EVENT_SWITCH] = "switch",
    [GO_EVENT_BLOCK] = "block", [GO_EVENT_WAKE] = "wake",
    [GO_EVENT_MEET] = "meet",   [GO_EVENT_SELECT] = "select",
    [GO_EVENT_CLOSE] = "close", [GO_EVENT_EXIT] = "exit",
    [GO_EVENT_PANIC] = "panic", [GO_EVENT_DEFER] = "defer",
    [GO_EVENT_COLLECT] = "collect",
};

static const char *const defer_how_names[] = {
    [GO_DEFER_AT_RETURN] = "at return", [GO_DEFER_BY_PANIC] = "by panic",
    [GO_DEFER_BY_GOEXIT] = "by goexit", [GO_DEFER_RECOVERED] = "recovered",
};

static void write_site(FILE *out, const char *label, const go_site *site) {
    if (site) fprintf(out, " %s %s:%d (%s)", label, site->file, site->line, site->func);
}

static void write_event(FILE *out, const go_event *ev) {
    fprintf(out, "event %s g%llu", event_names[ev->kind], (unsigned long long)ev->goroutine);
    if (ev->other) fprintf(out, " g%llu", (unsigned long long)ev->other);
    if (ev->object_kind != GO_OBJ_NONE)
        fprintf(out, " %s#%llu", go_object_kind_name(ev->object_kind),
                (unsigned long long)ev->object_id);
    switch (ev->kind) {
    case GO_EVENT_BLOCK:
        fprintf(out, " [%s]", go_wait_reason_name((go_wait_reason)ev->detail));
        break;
    case GO_EVENT_SELECT:
    case GO_EVENT_MEET:
        fprintf(out, " %lld", (long long)ev->detail);
        break;
    case GO_EVENT_PANIC:
        fprintf(out, " %s", go_end_name((go_end)ev->detail));
        break;
    case GO_EVENT_DEFER:
        if ((uint64_t)ev->detail <= GO_DEFER_RECOVERED)
            fprintf(out, " %s", defer_how_names[ev->detail]);
        break;
    case GO_EVENT_COLLECT:
        fprintf(out, " freed %lld", (long long)ev->detail);
        break;
    default:
        break;
    }
    write_site(out, "at", ev->site);
    write_site(out, "with", ev->other_site);
    fputc('\n', out);
}

void go_exec_write_trace(const go_exec *exec, FILE *out) {
    size_t decision_no = 0;
    fprintf(out, "go-semantics %s\n", go_semantics_name(exec->config.semantics));
    if (!exec->config.record_trace) {
        for (size_t i = 0; i < exec->decision_count; i++) {
            const go_decision *d = &exec->decisions[i];
            fprintf(out, "decision %zu: %s over %llu -> %llu\n", i + 1,
                    go_decision_kind_name((go_decision_kind)d->kind),
                    (unsigned long long)d->options, (unsigned long long)d->answer);
        }
    }
    for (size_t i = 0; i < exec->trace_count; i++) {
        const cf_trace_entry *t = &exec->trace[i];
        if (t->is_decision) {
            const go_decision *d = &exec->decisions[t->decision_index];
            fprintf(out, "decision %zu: %s over %llu -> %llu\n", ++decision_no,
                    go_decision_kind_name((go_decision_kind)d->kind),
                    (unsigned long long)d->options, (unsigned long long)d->answer);
        } else {
            write_event(out, &t->event);
        }
    }
    fprintf(out, "end %s", go_end_name(exec->end));
    if (exec->message[0]) fprintf(out, ": %s", exec->message);
    char when[32];
    cf_format_duration(exec->end_time, when, sizeof when);
    fprintf(out, " after %llu steps at %s\n", (unsigned long long)exec->steps, when);
}
