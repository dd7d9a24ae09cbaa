/* detect_death.c -- the finding of an execution that never came back: the
 * program died of a fatal signal or a sanitizer report (crash), or one of
 * its goroutines ran on without a runtime call (hang). The CLI's
 * isolation (harness/cli/isolate.c) saw it from a parent process; the
 * execution's own state is gone, and what is left is which goroutine was
 * running, where it was created and its last scheduling point. */
#include <stdio.h>
#include <stdlib.h>

#include "detect.h"

chanfuzz_findings *chanfuzz_findings_of_death(chanfuzz_kind kind, const char *error,
                                              const char *message,
                                              const go_goroutine_info *running,
                                              go_semantics semantics) {
    chanfuzz_findings *all = calloc(1, sizeof *all);
    chanfuzz_finding *f = all ? calloc(1, sizeof *f) : NULL;
    chanfuzz_goroutine *g = f && running ? calloc(1, sizeof *g) : NULL;
    if (!f || (running && !g)) {
        free(all);
        free(f);
        return NULL;
    }
    all->end = GO_END_FATAL;
    all->semantics = semantics;
    snprintf(all->end_message, sizeof all->end_message, "%s", message);
    all->items = f;
    all->count = 1;
    f->kind = kind;
    f->occurrences = 1;
    cf_crash_state_death(f->crash_state, sizeof f->crash_state, kind, error, running);
    snprintf(f->title, sizeof f->title, "%s", chanfuzz_kind_name(kind));
    snprintf(f->message, sizeof f->message, "%s", message);
    if (running) {
        g->info = *running;
        f->goroutines = g;
        f->goroutine_count = 1;
        /* Where the model last saw it; the fault itself is in C code the
         * model does not see. */
        f->site = running->wait_site ? running->wait_site : running->creator_site;
        f->creation_site = running->creator_site;
        snprintf(f->witness.summary, sizeof f->witness.summary, "%s in goroutine %llu (%s)",
                 message, (unsigned long long)running->id, running->entry_name);
        if (running->wait_site)
            cf_append(f->witness.summary, sizeof f->witness.summary,
                      ", last runtime call at %s",
                      chanfuzz_site_position(running->wait_site).text);
    } else {
        snprintf(f->witness.summary, sizeof f->witness.summary, "%s outside any goroutine",
                 message);
    }
    return all;
}
