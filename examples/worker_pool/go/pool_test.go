package pool

import "testing"

// TestFanOut_buggy: an early return leaves the other workers blocked.
//
//chanfuzz:expect partial_deadlock
func TestFanOut_buggy(t *testing.T) {
	if err := fanOutV1(4); err != nil {
		t.Log(err)
	}
}

// TestFanOut_fixed: the buffered results channel; must stay clean.
func TestFanOut_fixed(t *testing.T) {
	if err := fanOut(4); err != nil {
		t.Log(err)
	}
}
