package worker_blocks_without_done

import "testing"

// TestWorkerBlocksWithoutDone_buggy feeds a worker that ignores ctx; the
// caller's cancel does not reach it.
//
//chanfuzz:expect partial_deadlock
func TestWorkerBlocksWithoutDone_buggy(t *testing.T) {
	feed(workerIgnoringCtx)
}

// TestWorkerBlocksWithoutDone_fixed feeds a worker that selects on ctx.Done().
func TestWorkerBlocksWithoutDone_fixed(t *testing.T) {
	feed(worker)
}
