package request_server_timeout

import (
	"runtime"
	"testing"
)

const (
	requests        = 120
	checkpointEvery = 6
)

// serveMany serves requests one after another, with a collection every
// checkpointEvery requests (chanfuzz's growth checkpoints).
func serveMany(t *testing.T, serve func(*Request) (Response, error)) {
	timeouts := 0
	for id := 0; id < requests; id++ {
		resp, err := serve(&Request{ID: id})
		if err != nil {
			timeouts++
		} else if resp.ID != id {
			t.Error("response", resp.ID, "for request", id)
		}
		if (id+1)%checkpointEvery == 0 {
			runtime.GC()
		}
	}
	t.Log(timeouts, "of", requests, "requests timed out")
}

// TestRequestServerTimeout_buggy serves 120 requests; each one that times
// out leaves its handler blocked on the response channel.
//
//chanfuzz:expect growth,partial_deadlock
//chanfuzz:allow leak
func TestRequestServerTimeout_buggy(t *testing.T) {
	serveMany(t, serveUnbuffered)
}

// TestRequestServerTimeout_fixed serves them with buffered responses.
func TestRequestServerTimeout_fixed(t *testing.T) {
	serveMany(t, serve)
}
