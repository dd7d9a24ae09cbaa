package errgroup_ignores_ctx

import (
	"context"
	"testing"
)

// TestErrgroupIgnoresCtx_buggy searches once; after a backend error the
// legacy worker blocks on its send and the closer in wg.Wait.
//
//chanfuzz:expect partial_deadlock
func TestErrgroupIgnoresCtx_buggy(t *testing.T) {
	out, err := search(context.Background(), false)
	t.Log("search:", out, err)
}

// TestErrgroupIgnoresCtx_fixed searches with every worker watching ctx.
func TestErrgroupIgnoresCtx_fixed(t *testing.T) {
	out, err := search(context.Background(), true)
	t.Log("search:", out, err)
}
