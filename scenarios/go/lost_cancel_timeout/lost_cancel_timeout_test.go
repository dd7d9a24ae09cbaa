package lost_cancel_timeout

import "testing"

// TestLostCancelTimeout_buggy serves three requests; every cache hit leaves
// its context registered on serverCtx with its cancel never called.
//
//chanfuzz:expect lost_cancel,context_registered
func TestLostCancelTimeout_buggy(t *testing.T) {
	serveAll(handleDroppingCancel)
}

// TestLostCancelTimeout_fixed serves them with the cancel deferred first.
func TestLostCancelTimeout_fixed(t *testing.T) {
	serveAll(handle)
}
