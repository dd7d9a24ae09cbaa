/* merge_nil_select -- the classic merge of two channels: a channel that
 * closes is set to nil so its case stops firing, but the loop forgets to
 * end when both are nil. The merging goroutine then waits in a select
 * whose every case is a nil channel: blocked forever, wait reason "select"
 * (Go says "select (no cases)" only for `select {}`; checked against Go's
 * runtime/select.go: a select with cases parks with waitReasonSelect even
 * when all of them are nil). Its deferred close(out) never runs either.
 *
 * The Go code it models (catalogue pattern 15):
 *
 *  func merge(a, b <-chan int) <-chan int {
 *      out := make(chan int)
 *      go func() {
 *          defer close(out)
 *          for {                                   // BUG
 *              select {
 *              case v, ok := <-a:
 *                  if !ok { a = nil; continue }
 *                  out <- v
 *              case v, ok := <-b:
 *                  if !ok { b = nil; continue }
 *                  out <- v
 *              }
 *          }
 *      }()
 *      return out
 *  }
 *
 *  func produce(n int) <-chan int {
 *      ch := make(chan int)
 *      go func() {
 *          for i := 0; i < n; i++ { ch <- i }
 *          close(ch)
 *      }()
 *      return ch
 *  }
 *
 *  func sum(na, nb int) int {
 *      out := merge(produce(na), produce(nb))
 *      total := 0
 *      for i := 0; i < na+nb; i++ {                // takes what it knows is coming
 *          total += <-out
 *      }
 *      return total
 *  }
 *
 * Fixed: for a != nil || b != nil { ... }
 *
 * The reader takes the count it expects rather than ranging over out: a
 * range would turn the bug into Go's global deadlock, which Go reports by
 * itself; counting readers leave the merger behind silently. The counts
 * are input. */
#include <chanfuzz/scenario.h>

#define MAX_ITEMS 3

static void close_chan(void *ch) { go_close((go_chan *)ch); }

static void producer(void *env) {
    go_chan *ch = go_env_chan(env, 0);
    go_word n = go_env_word(env, 1);
    for (go_word i = 0; i < n; i++) go_send(ch, i);
    go_close(ch);
}

static go_chan *produce(go_word n) {
    go_chan *ch = go_make_chan(0);
    go_go(producer, go_closure(ch, n));
    return ch;
}

/* The merging goroutine; `a` and `b` are captured variables it sets to
 * nil, so it works on locals copied from its closure. */
static void merge_loop(go_chan *a, go_chan *b, go_chan *out, bool stop_when_both_nil) {
    for (;;) {
        if (stop_when_both_nil && a == NULL && b == NULL) return;
        go_word v;
        bool ok;
        int chosen = go_select(go_case_recv2(a, &v, &ok), go_case_recv2(b, &v, &ok));
        if (!ok) {
            if (chosen == 0) a = NULL;
            else b = NULL;
            continue;
        }
        go_send(out, v);
    }
}

static void merger_buggy(void *env) {
    go_chan *out = go_env_chan(env, 2);
    go_defer(close_chan, out);
    merge_loop(go_env_chan(env, 0), go_env_chan(env, 1), out, false);
}

static void merger_fixed(void *env) {
    go_chan *out = go_env_chan(env, 2);
    go_defer(close_chan, out);
    merge_loop(go_env_chan(env, 0), go_env_chan(env, 1), out, true);
}

static void sum(go_func *merger) {
    go_word na = go_fz_intn(MAX_ITEMS + 1), nb = go_fz_intn(MAX_ITEMS + 1);
    go_chan *a = produce(na), *b = produce(nb);
    go_chan *out = go_make_chan(0); /* merge(a, b) */
    go_go(merger, go_closure(a, b, out));
    go_word total = 0;
    for (go_word i = 0; i < na + nb; i++) total += go_recv(out);
    (void)total; /* return total */
}

static void merge_nil_select_buggy(void *arg) { sum(merger_buggy); }
static void merge_nil_select_fixed(void *arg) { sum(merger_fixed); }

CHANFUZZ_SCENARIO(merge_nil_select) = {
    .name = "merge_nil_select",
    .description = "merge sets closed inputs to nil but never stops: select on two nil "
                   "channels blocks forever",
    .fix = "for a != nil || b != nil: the loop ends once both inputs are closed",
    .tags = "pattern channel select",
    .file = CHANFUZZ_HERE,
    .buggy = {merge_nil_select_buggy, .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {merge_nil_select_fixed},
};
