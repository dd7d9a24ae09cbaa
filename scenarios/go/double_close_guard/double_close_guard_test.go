package double_close_guard

import "testing"

// TestDoubleCloseGuard_buggy stops the server from two goroutines at once;
// both may pass the check, and the second close panics.
//
//chanfuzz:expect panic
func TestDoubleCloseGuard_buggy(t *testing.T) {
	s := NewServer()
	go s.StopRacy()
	go s.StopRacy()
	s.Wait()
}

// TestDoubleCloseGuard_fixed does the same with a sync.Once.
func TestDoubleCloseGuard_fixed(t *testing.T) {
	s := NewServer()
	go s.Stop()
	go s.Stop()
	s.Wait()
}
