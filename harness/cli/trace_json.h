/* trace_json.h -- a replay's schedule in the Chrome trace-event format
 * (chrome://tracing, ui.perfetto.dev): one track per goroutine, a complete
 * ("X") event for every span a goroutine ran, an instant ("i") event for
 * every other runtime event, with its object, sites and detail in args.
 *
 * Time on the axis is logical: one microsecond per runtime event, so every
 * step is visible even when virtual time stands still; the virtual clock
 * (go_now) is in each event's args as virtual_ns.
 *
 *     trace_json *t = trace_json_new();
 *     go_exec *e = <run with event_hook = trace_json_hook, self = t>;
 *     trace_json_write(t, out, "first_result/buggy");
 *     trace_json_free(t);
 */
#ifndef CHANFUZZ_CLI_TRACE_JSON_H
#define CHANFUZZ_CLI_TRACE_JSON_H

#include <stdio.h>

#include <chanfuzz/exec.h>

typedef struct trace_json trace_json;

trace_json *trace_json_new(void);
/* The go_event_hook to run the execution with. */
void trace_json_hook(void *self, const go_event *event);
/* Writes {"traceEvents": [...], "displayTimeUnit": "ns", ...}; false when
 * writing failed. */
bool trace_json_write(const trace_json *t, FILE *out, const char *title);
void trace_json_free(trace_json *t);

#endif
