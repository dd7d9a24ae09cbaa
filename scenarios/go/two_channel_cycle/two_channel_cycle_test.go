package two_channel_cycle

import "testing"

// TestTwoChannelCycle_buggy runs the handshake where both peers wait for
// the other first.
//
//chanfuzz:expect partial_deadlock
func TestTwoChannelCycle_buggy(t *testing.T) {
	handshakeBothListen()
}

// TestTwoChannelCycle_fixed runs the handshake where A speaks first.
func TestTwoChannelCycle_fixed(t *testing.T) {
	handshake()
}
