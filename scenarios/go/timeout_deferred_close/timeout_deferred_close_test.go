package timeout_deferred_close

import "testing"

func check(t *testing.T, v int, err error) {
	if err == nil && v != 42 {
		t.Error("fetch returned", v, "want 42")
	}
	t.Log("fetch:", v, err)
}

// TestTimeoutDeferredClose_buggy fetches once; after a timeout the worker
// blocks on its send and its deferred close never runs.
//
//chanfuzz:expect partial_deadlock
func TestTimeoutDeferredClose_buggy(t *testing.T) {
	v, err := fetchClosing()
	check(t, v, err)
}

// TestTimeoutDeferredClose_fixed fetches with a buffered result channel.
func TestTimeoutDeferredClose_fixed(t *testing.T) {
	v, err := fetch()
	check(t, v, err)
}
