package merge_nil_select

import "testing"

// TestMergeNilSelect_buggy sums through a merge that never ends: it is left
// in a select on two nil channels.
//
//chanfuzz:expect partial_deadlock
func TestMergeNilSelect_buggy(t *testing.T) {
	t.Log("total:", sum(mergeForever))
}

// TestMergeNilSelect_fixed sums through a merge that ends.
func TestMergeNilSelect_fixed(t *testing.T) {
	t.Log("total:", sum(merge))
}
