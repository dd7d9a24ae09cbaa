/* nil_chan_send -- a channel made on one path only: on the other the
 * variable keeps its zero value, nil, and the goroutine that sends its
 * result on it blocks forever ("chan send (nil chan)"). The caller's
 * receive on the same nil channel would block too; its timeout hides it.
 *
 * The Go code it models (catalogue pattern 15):
 *
 *  func run(opts Options) error {
 *      var errc chan error             // BUG: nil unless opts.Report
 *      if opts.Report {
 *          errc = make(chan error, 1)
 *      }
 *      go func() {
 *          errc <- work()              // nil channel: blocks forever
 *      }()
 *      select {
 *      case err := <-errc:             // never ready when errc is nil
 *          return err
 *      case <-time.After(timeout):
 *          return errTimeout
 *      }
 *  }
 *
 * Fixed: errc := make(chan error, 1) on every path.
 *
 * opts.Report is input: the fuzzer has to take the path that leaves the
 * channel nil. A nil channel can never be woken, so the sender is
 * partially deadlocked (nothing else is involved; the witness names the
 * nil channel). */
#include <chanfuzz/scenario.h>

#define WORK_TIME_MAX (10 * GO_MS)
#define TIMEOUT (100 * GO_MS)

static go_error err_work = {"work failed"};

/* go func() { errc <- work() }() */
static void reporter(void *env) {
    go_chan *errc = go_env_chan(env, 0);
    go_sleep(go_fz_duration(WORK_TIME_MAX));
    go_send(errc, go_fz_bool() ? &err_work : NULL);
}

static void run(bool always_make) {
    bool report = go_fz_bool(); /* opts.Report */
    go_chan *errc = NULL;
    if (report || always_make) {
        errc = go_make_chan(1);
    }
    go_go(reporter, go_closure(errc));
    go_select(go_case_recv(errc, NULL), go_case_recv(go_after(TIMEOUT), NULL));
}

static void nil_chan_send_buggy(void *arg) { run(false); }
static void nil_chan_send_fixed(void *arg) { run(true); }

CHANFUZZ_SCENARIO(nil_chan_send) = {
    .name = "nil_chan_send",
    .description = "a channel made on one path only: the send on the nil one blocks forever",
    .fix = "errc := make(chan error, 1) on every path",
    .tags = "pattern channel select timer",
    .file = CHANFUZZ_HERE,
    .buggy = {nil_chan_send_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {nil_chan_send_fixed},
};
