package timeout_worker_ignores_ctx

import (
	"context"
	"testing"
)

func check(t *testing.T, v int, err error) {
	if err == nil && v != 42 {
		t.Error("fetch returned", v, "want 42")
	}
	t.Log("fetch:", v, err)
}

// TestTimeoutWorkerIgnoresCtx_buggy fetches once; when the deadline wins,
// the worker is left blocked on its send.
//
//chanfuzz:expect partial_deadlock
func TestTimeoutWorkerIgnoresCtx_buggy(t *testing.T) {
	v, err := fetchIgnoringCtx(context.Background())
	check(t, v, err)
}

// TestTimeoutWorkerIgnoresCtx_fixed fetches with a worker that watches ctx.
func TestTimeoutWorkerIgnoresCtx_fixed(t *testing.T) {
	v, err := fetch(context.Background())
	check(t, v, err)
}
