package send_after_close

import "testing"

// TestSendAfterClose_buggy fetches once; after a timeout the worker's send
// meets a closed channel and panics, after the test itself has returned.
//
//chanfuzz:expect panic
func TestSendAfterClose_buggy(t *testing.T) {
	v, err := fetchClosingOnTimeout()
	t.Log("fetch:", v, err)
}

// TestSendAfterClose_fixed fetches with a buffered channel and no close.
func TestSendAfterClose_fixed(t *testing.T) {
	v, err := fetch()
	if err == nil && v != 42 {
		t.Error("fetch returned", v, "want 42")
	}
	t.Log("fetch:", v, err)
}
