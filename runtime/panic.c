/* panic.c -- panics and fatal errors of the modelled program.
 *
 * Both are findings, not crashes: they end the execution with the failing
 * goroutine's site and message, and the process goes on. They differ as in
 * Go: a panic (send on closed channel, negative WaitGroup counter) is what
 * recover could stop; a fatal error (unlock of unlocked mutex, stack
 * overflow, concurrent map writes) never is. */
#include "sched.h"

void go_panic_at(const go_site *site, const char *message) {
    go_exec *e = cf_exec();
    cf_fail(e, GO_END_PANIC, site, message);
    __builtin_unreachable();
}

void cf_fatal(go_exec *e, const go_site *site, const char *message) {
    cf_fail(e, GO_END_FATAL, site, message);
}
