/* trace_json.h -- a replay's schedule in the Chrome trace-event format
 * (chrome://tracing, ui.perfetto.dev, and the HTML report's timelines): one track per goroutine, a complete
 * ("X") event for every span a goroutine ran, an instant ("i") event for
 * every other runtime event, with its object, sites and detail in args.
 *
 * Time on the axis is logical: one microsecond per runtime event, so every
 * step is visible even when virtual time stands still; the virtual clock
 * (go_now) is in each event's args as virtual_ns.
 *
 *     chanfuzz_trace_json *t = chanfuzz_trace_json_new();
 *     go_exec *e = <run with event_hook = chanfuzz_trace_json_hook, self = t>;
 *     chanfuzz_trace_json_write(t, out, "first_result/buggy");
 *     chanfuzz_trace_json_free(t);
 */
#ifndef CHANFUZZ_TRACE_JSON_H
#define CHANFUZZ_TRACE_JSON_H

#include <stdio.h>

#include <chanfuzz/exec.h>

typedef struct chanfuzz_trace_json chanfuzz_trace_json;

chanfuzz_trace_json *chanfuzz_trace_json_new(void);
/* The go_event_hook to run the execution with. */
void chanfuzz_trace_json_hook(void *self, const go_event *event);
/* Writes {"traceEvents": [...], "displayTimeUnit": "ns", ...}; false when
 * writing failed. */
bool chanfuzz_trace_json_write(const chanfuzz_trace_json *t, FILE *out, const char *title);
/* The same document as one line of JSON, malloc'ed (caller frees); what
 * the HTML report draws its timelines from (chanfuzz/report_html.h).
 * NULL when out of memory. */
char *chanfuzz_trace_json_text(const chanfuzz_trace_json *t, const char *title);
void chanfuzz_trace_json_free(chanfuzz_trace_json *t);

#endif
