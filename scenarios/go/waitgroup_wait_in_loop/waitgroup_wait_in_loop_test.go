package waitgroup_wait_in_loop

import "testing"

// TestWaitgroupWaitInLoop_buggy collects with the Wait in the spawn loop;
// from three items on, the test itself blocks for ever in wg.Wait.
//
//chanfuzz:expect global_deadlock
func TestWaitgroupWaitInLoop_buggy(t *testing.T) {
	t.Log("sum:", collect(true))
}

// TestWaitgroupWaitInLoop_fixed collects with the Wait only in the closer.
func TestWaitgroupWaitInLoop_fixed(t *testing.T) {
	t.Log("sum:", collect(false))
}
