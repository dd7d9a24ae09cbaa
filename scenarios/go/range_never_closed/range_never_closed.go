// Package range_never_closed: `for range` over a channel its producer
// never closes.
//
// A background consumer sums what generate(n) produces. generate's
// goroutine sends n values on an unbuffered channel and returns, without
// close(ch). range ends only at a close, so after the last value the
// consumer waits for ever (with n == 0, from the start), and report is
// never reached. Once the producer has returned nothing live reaches ch:
// the consumer is partially deadlocked, while the rest of the program
// carries on.
//
// Fix: the producer closes the channel on its way out, whatever way that
// is: defer close(ch).
package range_never_closed

import (
	"math/rand"
	"runtime"
)

// generateUnclosed is the buggy producer: it never closes ch.
func generateUnclosed(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// generate is the fixed producer.
func generate(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 0; i < n; i++ {
			ch <- i
		}
	}()
	return ch
}

// report is where a finished consumer hands its total on.
func report(total int) { _ = total }

// sumInBackground starts a consumer over what gen produces and returns at
// once; the caller goes on with its own work.
func sumInBackground(gen func(n int) <-chan int) {
	go func() {
		total := 0
		for v := range gen(rand.Intn(4)) { // waits for a close
			total += v
		}
		report(total)
	}()
}

// serve is the caller's own work while the consumer runs.
func serve() { runtime.Gosched() }
