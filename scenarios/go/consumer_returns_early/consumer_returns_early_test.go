package consumer_returns_early

import "testing"

const items = 3

// checkFirst fails the test unless err is nil or process's error: the first
// error must be passed on as it is.
func checkFirst(t *testing.T, err error) {
	t.Helper()
	if err != nil && err != errProcess {
		t.Fatalf("first error: got %v, want nil or %v", err, errProcess)
	}
}

// TestConsumerReturnsEarly_buggy reads results until the first error; an
// early error leaves the producer blocked on its next send.
//
//chanfuzz:expect partial_deadlock
func TestConsumerReturnsEarly_buggy(t *testing.T) {
	checkFirst(t, firstErrorUnguarded(items))
}

// TestConsumerReturnsEarly_fixed does the same with a done channel.
func TestConsumerReturnsEarly_fixed(t *testing.T) {
	checkFirst(t, firstError(items))
}
