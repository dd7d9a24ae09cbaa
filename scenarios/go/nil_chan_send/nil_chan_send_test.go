package nil_chan_send

import "testing"

// TestNilChanSend_buggy runs once; without Report the result is sent on a
// nil channel.
//
//chanfuzz:expect partial_deadlock
func TestNilChanSend_buggy(t *testing.T) {
	t.Log("run:", runReporting(randomOptions()))
}

// TestNilChanSend_fixed runs with the channel always made.
func TestNilChanSend_fixed(t *testing.T) {
	t.Log("run:", run(randomOptions()))
}
