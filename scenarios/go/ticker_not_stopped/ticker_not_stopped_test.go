package ticker_not_stopped

import "testing"

// TestTickerNotStopped_buggy runs with the flusher; stopping it leaves its
// Ticker running, held by the package variable.
//
//chanfuzz:expect timer_not_stopped
func TestTickerNotStopped_buggy(t *testing.T) {
	runProgram(StopFlusherLeavingTicker)
}

// TestTickerNotStopped_fixed stops the Ticker too.
func TestTickerNotStopped_fixed(t *testing.T) {
	runProgram(StopFlusher)
}
