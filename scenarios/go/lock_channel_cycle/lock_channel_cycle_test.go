package lock_channel_cycle

import "testing"

// TestLockChannelCycle_buggy starts an applier that waits for its update
// holding the lock the client needs first.
//
//chanfuzz:expect partial_deadlock
func TestLockChannelCycle_buggy(t *testing.T) {
	start(applyHoldingLock)
}

// TestLockChannelCycle_fixed starts an applier that receives before it locks.
func TestLockChannelCycle_fixed(t *testing.T) {
	start(apply)
}
