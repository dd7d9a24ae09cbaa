/* timer.h -- the Timer, Ticker and AfterFunc object (timer.c), shared with
 * the end-of-execution inspection of timers (timer_inspect.c).
 *
 * A timer's life, as inspection reports it (exec.h, "Timers"):
 *   pending  armed in the clock's heap: a Timer or AfterFunc that has not
 *            fired, a Ticker that runs;
 *   fired    a one-shot that fired and was not armed again since;
 *   stopped  Stop took it out of the heap (before or after it fired), and
 *            no Reset armed it since.
 * A Go 1.23 timer that a collection found unreferenced is freed (and so
 * disarmed) with its object: inspection never sees it.
 */
#ifndef CF_TIMER_H
#define CF_TIMER_H

#include "chan.h"
#include "clock.h"

struct go_timer {
    cf_object obj;
    cf_timer timer;
    go_chan *c;              /* t.C; NULL for AfterFunc */
    int64_t period;          /* tickers: the interval; 0 for timers */
    go_func *fn;             /* AfterFunc: what runs, in a new goroutine */
    void *arg;
    const char *fn_name;
    uint64_t creator;        /* goroutine that called AfterFunc */
    bool stopped;            /* Stop was called at least once */
    bool from_after;         /* made by time.After: no handle to stop */
    bool stopped_since_armed;/* the last thing done to it was Stop */
    uint64_t fired;          /* times it fired */
    const go_site *stop_site;/* the last Stop call, or NULL */
};

/* timer_inspect.c: records every live timer (exec.h, "Timers") at the end
 * of the execution, after the final collection and before teardown; and
 * frees the record (go_exec_free). */
void cf_timer_snapshot(go_exec *e);
void cf_timer_snapshot_free(go_exec *e);

#endif
