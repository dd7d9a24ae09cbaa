package consumer_returns_early

import "testing"

const items = 3

// TestConsumerReturnsEarly_buggy reads results until the first error; an
// early error leaves the producer blocked on its next send.
//
//chanfuzz:expect partial_deadlock
func TestConsumerReturnsEarly_buggy(t *testing.T) {
	t.Log("first error:", firstErrorUnguarded(items))
}

// TestConsumerReturnsEarly_fixed does the same with a done channel.
func TestConsumerReturnsEarly_fixed(t *testing.T) {
	t.Log("first error:", firstError(items))
}
