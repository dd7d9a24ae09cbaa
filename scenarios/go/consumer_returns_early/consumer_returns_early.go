// Package consumer_returns_early: the caller stops reading at the first
// error and leaves the producer behind.
//
// firstError starts a producer that sends process(i) for each item on an
// unbuffered channel and closes it at the end; the caller ranges over the
// results and returns the first non-nil error. If any result but the last
// is an error, the caller is gone before the producer's next send, which
// then blocks for ever. Only the producer reaches the channel: a partial
// deadlock.
//
// Fix, as in the Go blog's "Pipelines and cancellation": the caller closes
// a done channel on its way out (defer close(done)) and the producer's
// every send selects on it, returning when it is closed.
package consumer_returns_early

import (
	"errors"
	"math/rand"
)

var errProcess = errors.New("process: failed")

// process handles item i; whether it fails is the scenario's input.
func process(i int) error {
	_ = i
	if rand.Intn(2) == 1 {
		return errProcess
	}
	return nil
}

// firstErrorUnguarded is the buggy version: the producer's sends cannot
// give up.
func firstErrorUnguarded(n int) error {
	results := make(chan error)
	go func() {
		for i := 0; i < n; i++ {
			results <- process(i) // blocks for ever once the caller left
		}
		close(results)
	}()
	for err := range results {
		if err != nil {
			return err
		}
	}
	return nil
}

// firstError is the fixed version: done tells the producer to stop.
func firstError(n int) error {
	results := make(chan error)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(results)
		for i := 0; i < n; i++ {
			select {
			case results <- process(i):
			case <-done:
				return
			}
		}
	}()
	for err := range results {
		if err != nil {
			return err
		}
	}
	return nil
}
