package pipeline_early_return

import "testing"

// TestPipelineEarlyReturn_buggy stores the pipeline's output until an error;
// every stage behind is left blocked on its send.
//
//chanfuzz:expect partial_deadlock
func TestPipelineEarlyReturn_buggy(t *testing.T) {
	t.Log("storeAll:", storeAllLeaky())
}

// TestPipelineEarlyReturn_fixed does the same with a done channel.
func TestPipelineEarlyReturn_fixed(t *testing.T) {
	t.Log("storeAll:", storeAll())
}
