package poll_loop_cancel_skipped

import (
	"sync/atomic"
	"testing"
)

// TestPollLoopCancelSkipped_buggy runs once; when setup fails the poller is
// never cancelled and spins for ever.
//
//chanfuzz:expect step_budget,lost_cancel
func TestPollLoopCancelSkipped_buggy(t *testing.T) {
	atomic.StoreInt64(&queueChecks, 0)
	t.Log("run:", runStopAtEnd())
}

// TestPollLoopCancelSkipped_fixed runs with the cancel deferred.
func TestPollLoopCancelSkipped_fixed(t *testing.T) {
	atomic.StoreInt64(&queueChecks, 0)
	t.Log("run:", run())
}
