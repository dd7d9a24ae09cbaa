package waitgroup_missing_done

import "testing"

// TestWaitgroupMissingDone_buggy waits for three jobs; a failed one skips
// Done and leaves the waiter blocked in Wait.
//
//chanfuzz:expect partial_deadlock
func TestWaitgroupMissingDone_buggy(t *testing.T) {
	t.Log("waitAll:", waitAll(3, false))
}

// TestWaitgroupMissingDone_fixed waits for them with Done deferred. A
// timeout may still win the race (the model lets the clock run while the
// jobs are runnable, as a loaded machine would); it leaks nothing.
func TestWaitgroupMissingDone_fixed(t *testing.T) {
	t.Log("waitAll:", waitAll(3, true))
}
