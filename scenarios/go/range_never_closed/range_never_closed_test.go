package range_never_closed

import "testing"

// TestRangeNeverClosed_buggy starts a consumer over a producer that never
// closes its channel; the consumer is left waiting in range.
//
//chanfuzz:expect partial_deadlock
func TestRangeNeverClosed_buggy(t *testing.T) {
	sumInBackground(generateUnclosed)
	serve()
}

// TestRangeNeverClosed_fixed does the same with a closing producer.
func TestRangeNeverClosed_fixed(t *testing.T) {
	sumInBackground(generate)
	serve()
}
