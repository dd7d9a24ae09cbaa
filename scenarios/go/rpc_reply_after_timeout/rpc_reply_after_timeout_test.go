package rpc_reply_after_timeout

import (
	"testing"
	"time"
)

func callOnce(t *testing.T, buffered bool) {
	c := Dial(buffered)
	defer c.Close()
	v, err := c.Call(1, 10*time.Millisecond)
	if err == nil && v != 42 {
		t.Error("Call returned", v, "want 42")
	}
	t.Log("Call:", v, err)
}

// TestRpcReplyAfterTimeout_buggy makes one call with a 10ms timeout; a reply
// that arrives as the timer fires blocks the read loop for ever.
//
//chanfuzz:expect partial_deadlock
func TestRpcReplyAfterTimeout_buggy(t *testing.T) {
	callOnce(t, false)
}

// TestRpcReplyAfterTimeout_fixed makes the call with a buffered reply channel.
func TestRpcReplyAfterTimeout_fixed(t *testing.T) {
	callOnce(t, true)
}
