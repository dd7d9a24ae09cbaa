// Package cockroach_13755 is the GoKer kernel of cockroachdb/cockroach#13755
// (fix commit ef906076adc1), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Context. The GoBench
// authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine opens a query result set, which derives a
//     cancellable context and starts a watcher goroutine, and returns
//     without closing the result set;
//   - the watcher waits on the context's Done channel and then closes the
//     result set.
//
// Blocking interleaving: none is needed. Only closing the result set cancels
// the context, and nobody closes it, so the watcher waits on Done for ever
// after the test returns (the cancel function is never called either).
//
// Fix (upstream, cockroachdb/cockroach#13755): close the rows when done with
// them; closing cancels the context and releases the watcher.
package cockroach_13755

import (
	"context"
	"testing"
)

type resultSet struct {
	cancel context.CancelFunc
}

func openResultSet(parent context.Context) *resultSet {
	rs := &resultSet{}
	var ctx context.Context
	ctx, rs.cancel = context.WithCancel(parent)
	go rs.watch(ctx)
	return rs
}

func (rs *resultSet) watch(ctx context.Context) {
	<-ctx.Done()
	rs.Close()
}

// Close releases the result set; it is idempotent.
func (rs *resultSet) Close() {
	rs.cancel()
}

// TestCockroach13755_buggy: the result set is never closed; the watcher
// waits on ctx.Done() for ever.
//
//chanfuzz:expect partial_deadlock
//chanfuzz:allow lost_cancel
func TestCockroach13755_buggy(t *testing.T) {
	rs := openResultSet(context.Background())
	_ = rs
}

// TestCockroach13755_fixed: the caller closes the result set.
func TestCockroach13755_fixed(t *testing.T) {
	rs := openResultSet(context.Background())
	rs.Close()
}
