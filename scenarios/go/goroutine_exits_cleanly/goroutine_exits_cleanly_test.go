package goroutine_exits_cleanly

import "testing"

// TestGoroutineExitsCleanly_fixed serves one request; whichever way its
// goroutine leaves, nothing of it stays.
func TestGoroutineExitsCleanly_fixed(t *testing.T) {
	handle()
}
