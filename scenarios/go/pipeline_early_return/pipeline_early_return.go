// Package pipeline_early_return: gen -> sq -> sq -> consumer, in the
// shape of the Go blog's "Pipelines and cancellation".
//
// Each stage is a goroutine reading its input channel and sending on its
// own unbuffered output. storeAll ranges over the last stage and returns
// on the first error from store. Nobody drains the pipeline after that:
// the last sq blocks sending the value in its hands, the sq before it
// blocks sending to it, and gen behind them -- a chain of blocked
// goroutines, each waiting on a channel that only the next blocked one
// holds: partial deadlocks.
//
// Fix, as the blog does it: storeAll closes a done channel on its way out
// (defer close(done)); every stage takes it, sends with
// select { case out <- v: case <-done: return }, and closes its output
// with defer.
package pipeline_early_return

import (
	"errors"
	"math/rand"
)

var errStore = errors.New("store: failed")

var items = []int{1, 2, 3, 4, 5, 6}

// store saves v; whether it fails is the input.
func store(v int) error {
	_ = v
	if rand.Intn(2) == 1 {
		return errStore
	}
	return nil
}

// gen and sq are the buggy stages: their sends cannot give up.

func gen(nums ...int) <-chan int {
	out := make(chan int)
	go func() {
		for _, n := range nums {
			out <- n
		}
		close(out)
	}()
	return out
}

func sq(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for n := range in {
			out <- n * n
		}
		close(out)
	}()
	return out
}

// genDone and sqDone are the fixed stages.

func genDone(done <-chan struct{}, nums ...int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, n := range nums {
			select {
			case out <- n:
			case <-done:
				return
			}
		}
	}()
	return out
}

func sqDone(done <-chan struct{}, in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for n := range in {
			select {
			case out <- n * n:
			case <-done:
				return
			}
		}
	}()
	return out
}

// drainUntilError stores every result until the first error.
func drainUntilError(results <-chan int) error {
	for v := range results {
		if err := store(v); err != nil {
			return err // the stages behind are not drained
		}
	}
	return nil
}

// storeAllLeaky is the buggy consumer.
func storeAllLeaky() error {
	return drainUntilError(sq(sq(gen(items...))))
}

// storeAll is the fixed one.
func storeAll() error {
	done := make(chan struct{})
	defer close(done)
	return drainUntilError(sqDone(done, sqDone(done, genDone(done, items...))))
}
