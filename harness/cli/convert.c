/* convert.c -- `chanfuzz convert FILE -o OUT`: the two reproducer forms
 * into each other.
 *
 *   raw fuzz input -> trace file   run it with chanfuzz_fuzz_bytes, write
 *                                  the decisions it made (by meaning)
 *   trace file -> raw fuzz input   chanfuzz_fuzz_bytes_encode of its
 *                                  decisions, checked by running the bytes
 *                                  and comparing the decisions made
 *
 * Exit status: 0 written, 2 usage or input error. */
#include <stdlib.h>
#include <string.h>

#include <chanfuzz/sources.h>

#include "cli.h"

const char cli_usage_convert[] =
    "usage: chanfuzz convert FILE [--scenario NAME:buggy|fixed] [--go-semantics 1.22|1.23] -o OUT";

static const char *const accepted[] = {"--scenario", "-o", "--output", "--go-semantics", NULL};

static bool same_decisions(const go_decision *a, size_t na, const go_decision *b, size_t nb) {
    /* A dry input answers 0: trailing zero answers on either side match. */
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n; i++)
        if (a[i].kind != b[i].kind || a[i].options != b[i].options || a[i].answer != b[i].answer)
            return false;
    for (size_t i = n; i < na; i++) if (a[i].answer) return false;
    for (size_t i = n; i < nb; i++) if (b[i].answer) return false;
    return true;
}

static int trace_to_raw(const cli_input *in, const char *out_path) {
    size_t size;
    uint8_t *bytes = chanfuzz_fuzz_bytes_encode(in->trace.decisions, in->trace.count, &size);
    /* The bytes must schedule as the trace does. */
    chanfuzz_fuzz_bytes src;
    go_config cfg = chanfuzz_target_config(&in->target,
                                           chanfuzz_fuzz_bytes_decider(&src, bytes, size),
                                           in->semantics);
    go_exec *e = chanfuzz_target_run(&in->target, &cfg);
    size_t count;
    const go_decision *log = go_exec_decisions(e, &count);
    bool same = same_decisions(log, count, in->trace.decisions, in->trace.count);
    go_exec_free(e);
    if (!same) {
        free(bytes);
        return cli_fail("convert", "%s: the trace does not fit the scenario's code any more "
                                   "(replay it to see where it diverges)", in->path);
    }
    bool ok = chanfuzz_atomic_write(out_path, bytes, size);
    free(bytes);
    if (!ok) return cli_fail("convert", "%s: cannot write: %m", out_path);
    printf("wrote %s: raw fuzz input of %zu bytes for %s (%zu decisions; Go %s semantics is "
           "not recorded in raw inputs: replay with --go-semantics %s)\n",
           out_path, size, in->trace.scenario, in->trace.count, go_semantics_name(in->semantics),
           go_semantics_name(in->semantics));
    return CHANFUZZ_EXIT_CLEAN;
}

static int raw_to_trace(const cli_input *in, const char *out_path) {
    go_exec *e = cli_input_run(in, false, NULL, NULL);
    chanfuzz_findings *f = chanfuzz_target_judge(&in->target, e, NULL);
    if (!f) abort();
    char comment[CHANFUZZ_CRASH_STATE_MAX + 1200];
    int n = snprintf(comment, sizeof comment, "converted from the raw fuzz input %s", in->path);
    for (size_t i = 0; i < f->count && n > 0 && (size_t)n < sizeof comment; i++)
        n += snprintf(comment + n, sizeof comment - (size_t)n, "\n%s", f->items[i].crash_state);
    bool ok = cli_write_trace("convert", out_path, e, &in->target, comment);
    size_t count;
    go_exec_decisions(e, &count);
    char name[300];
    cli_target_name(&in->target, name, sizeof name);
    if (ok)
        printf("wrote %s: %s, %zu decisions, %zu finding%s%s%s\n", out_path, name, count,
               f->count, f->count == 1 ? "" : "s", f->count ? ": " : "",
               f->count ? f->items[0].crash_state : "");
    chanfuzz_findings_free(f);
    go_exec_free(e);
    return ok ? CHANFUZZ_EXIT_CLEAN : CHANFUZZ_EXIT_USAGE;
}

int cli_convert(int argc, char **argv) {
    cli_file_args args;
    if (cli_parse_file_args("convert", argc, argv, accepted, cli_usage_convert, &args))
        return CHANFUZZ_EXIT_USAGE;
    const char *path = args.path, *out_path = args.output;
    if (!out_path) return cli_fail("convert", "where to? -o OUT (%s)", cli_usage_convert);
    cli_input in;
    if (!cli_input_load("convert", path, args.scenario, args.semantics, args.semantics_given,
                        &in))
        return CHANFUZZ_EXIT_USAGE;
    int status = in.is_trace ? trace_to_raw(&in, out_path) : raw_to_trace(&in, out_path);
    cli_input_free(&in);
    return status;
}
