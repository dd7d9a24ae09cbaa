/* double_close_guard -- Stop guards close(quit) with a select that checks
 * whether quit is already closed. Two callers can both pass the check
 * before either closes: the second close panics ("close of closed
 * channel"). Only the interleaving where both checks come before both
 * closes shows it, which is what the scheduler has to find.
 *
 * The Go code it models (catalogue pattern 17):
 *
 *  type Server struct {
 *      quit     chan struct{}
 *      stopOnce sync.Once                  // the fix uses it
 *  }
 *
 *  func (s *Server) Stop() {
 *      select {
 *      case <-s.quit:                      // already stopped
 *      default:
 *          close(s.quit)                   // BUG: check-then-act race
 *      }
 *  }
 *
 *  func main() {
 *      s := &Server{quit: make(chan struct{})}
 *      go s.Stop()                         // the signal handler
 *      go s.Stop()                         // the health checker giving up
 *      <-s.quit
 *  }
 *
 * Fixed: func (s *Server) Stop() { s.stopOnce.Do(func() { close(s.quit) }) }
 *
 * The Server is a model heap object (new(Server)) shared through the
 * goroutines' arguments, as Go's method value s.Stop captures s. */
#include <chanfuzz/scenario.h>

typedef struct server {
    go_chan *quit;
    go_once *stop_once;
} server;

static void close_quit(void *s) { go_close(((server *)s)->quit); }

static void stop_racy(void *arg) {
    server *s = arg;
    if (go_select_default(go_case_recv(s->quit, NULL)) == 0) return; /* already stopped */
    go_close(s->quit); /* BUG: the other Stop may have closed it since */
}

static void stop_once(void *arg) {
    server *s = arg;
    go_once_do(s->stop_once, close_quit, s);
}

static void serve(go_func *stop) {
    server *s = go_alloc(sizeof *s);
    s->quit = go_make_chan(0);
    s->stop_once = go_once_new();
    go_go(stop, s);
    go_go(stop, s);
    go_recv(s->quit);
}

static void double_close_guard_buggy(void *arg) { serve(stop_racy); }
static void double_close_guard_fixed(void *arg) { serve(stop_once); }

CHANFUZZ_SCENARIO(double_close_guard) = {
    .name = "double_close_guard",
    .description = "close guarded by a select-default check: two Stops race to a double close",
    .fix = "s.stopOnce.Do(func() { close(s.quit) })",
    .tags = "pattern channel select once",
    .file = CHANFUZZ_HERE,
    .buggy = {double_close_guard_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PANIC)},
    .fixed = {double_close_guard_fixed},
};
