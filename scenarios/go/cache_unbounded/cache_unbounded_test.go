package cache_unbounded

import (
	"runtime"
	"testing"
)

const (
	requests        = 200
	checkpointEvery = 10
)

// serveMany serves requests one after another, with a collection every
// checkpointEvery requests (chanfuzz's growth checkpoints).
func serveMany() {
	for i := 0; i < requests; i++ {
		serve()
		if (i+1)%checkpointEvery == 0 {
			runtime.GC()
		}
	}
}

// TestCacheUnbounded_buggy serves 200 requests into a cache that never
// evicts: its entries grow with them.
//
//chanfuzz:expect growth
func TestCacheUnbounded_buggy(t *testing.T) {
	reset(false)
	serveMany()
	t.Log(len(sessions), "sessions cached")
}

// TestCacheUnbounded_fixed serves them into a cache bounded to maxSessions.
func TestCacheUnbounded_fixed(t *testing.T) {
	reset(true)
	serveMany()
	if n := len(sessions); n > maxSessions {
		t.Error(n, "sessions cached, want at most", maxSessions)
	}
}
