// Package ticker_not_stopped: a ticker loop that is shut down through its
// done channel, while the Ticker itself is never stopped.
//
// StartFlusher stores a Flusher (a Ticker and a done channel) in a package
// variable and runs its loop, which flushes on every tick until done is
// closed. StopFlusher closes done, so the loop goroutine exits cleanly --
// but nobody calls flusher.ticker.Stop(), and the package variable still
// holds the Ticker: it keeps ticking for the life of the program (under Go
// 1.23 too, which collects only unreferenced Tickers). An unstopped timer,
// with no goroutine left to show it.
//
// Fix: StopFlusher stops the ticker before it closes done.
package ticker_not_stopped

import (
	"math/rand"
	"time"
)

// Flusher flushes buffered output periodically.
type Flusher struct {
	ticker *time.Ticker
	done   chan struct{}
}

var flusher *Flusher

func flush() {}

// StartFlusher starts the package's flusher.
func StartFlusher(interval time.Duration) {
	flusher = &Flusher{ticker: time.NewTicker(interval), done: make(chan struct{})}
	go flusher.loop()
}

func (f *Flusher) loop() {
	for {
		select {
		case <-f.ticker.C:
			flush()
		case <-f.done:
			return
		}
	}
}

// StopFlusherLeavingTicker is the buggy stop: the loop exits, the Ticker
// keeps running.
func StopFlusherLeavingTicker() {
	close(flusher.done)
}

// StopFlusher is the fixed stop.
func StopFlusher() {
	flusher.ticker.Stop()
	close(flusher.done)
}

// runProgram runs the program's work with the flusher on, then stops it.
func runProgram(stop func()) {
	StartFlusher(time.Second)
	time.Sleep(time.Duration(rand.Intn(5000)) * time.Millisecond) // the program's work
	stop()
}
