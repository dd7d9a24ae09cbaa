// Package ticker_range_after_stop: a poller in `for range t.C`, stopped
// with t.Stop.
//
// startPoller starts a goroutine that polls on every tick of a Ticker and
// returns t.Stop as the way to stop it. But Stop does not close t.C: after
// it the loop waits for a tick that never comes, and the goroutine (with
// what it captured) is blocked for ever. Nothing else can reach the
// channel: a partial deadlock.
//
// Fix: the poller selects on t.C and on a done channel that the returned
// stop func closes, and stops the Ticker itself on its way out.
package ticker_range_after_stop

import (
	"math/rand"
	"time"
)

func poll() {}

// startRangePoller is the buggy poller.
func startRangePoller(interval time.Duration) (stop func()) {
	t := time.NewTicker(interval)
	go func() {
		for range t.C { // ends only if t.C is closed, and it never is
			poll()
		}
	}()
	return t.Stop
}

// startPoller is the fixed one.
func startPoller(interval time.Duration) (stop func()) {
	t := time.NewTicker(interval)
	done := make(chan struct{})
	go func() {
		defer t.Stop()
		for {
			select {
			case <-t.C:
				poll()
			case <-done:
				return
			}
		}
	}()
	return func() { close(done) }
}

// runProgram runs the program's work with a poller on, then stops it.
func runProgram(start func(time.Duration) func()) {
	stop := start(time.Second)
	time.Sleep(time.Duration(rand.Intn(5000)) * time.Millisecond) // the program's work
	stop()
}
