package ticker_range_after_stop

import "testing"

// TestTickerRangeAfterStop_buggy stops a range-over-t.C poller with t.Stop;
// the poller waits for a tick for ever.
//
//chanfuzz:expect partial_deadlock
func TestTickerRangeAfterStop_buggy(t *testing.T) {
	runProgram(startRangePoller)
}

// TestTickerRangeAfterStop_fixed stops a poller through its done channel.
func TestTickerRangeAfterStop_fixed(t *testing.T) {
	runProgram(startPoller)
}
