package timeout_unbuffered_result

import "testing"

func check(t *testing.T, v int, err error) {
	if err == nil && v != 42 {
		t.Error("fetch returned", v, "want 42")
	}
	t.Log("fetch:", v, err)
}

// TestTimeoutUnbufferedResult_buggy fetches once; when slowCall outlasts the
// timeout, the worker is left blocked on its unbuffered send.
//
//chanfuzz:expect partial_deadlock
func TestTimeoutUnbufferedResult_buggy(t *testing.T) {
	v, err := fetchUnbuffered()
	check(t, v, err)
}

// TestTimeoutUnbufferedResult_fixed fetches with a buffered result channel.
func TestTimeoutUnbufferedResult_fixed(t *testing.T) {
	v, err := fetch()
	check(t, v, err)
}
