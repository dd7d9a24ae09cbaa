package afterfunc_not_stopped

import "testing"

// TestAfterfuncNotStopped_buggy runs three jobs; each failed one leaves its
// watchdog armed, its closure holding the 64 KiB buffer.
//
//chanfuzz:expect unreleased_closure
func TestAfterfuncNotStopped_buggy(t *testing.T) {
	runJobs(processLeavingWatchdog)
}

// TestAfterfuncNotStopped_fixed runs them with the Stop deferred.
func TestAfterfuncNotStopped_fixed(t *testing.T) {
	runJobs(process)
}
