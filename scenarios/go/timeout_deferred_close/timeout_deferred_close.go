// Package timeout_deferred_close: the popular belief that a deferred
// close(result) releases a worker whose caller timed out.
//
// fetch starts a worker that defers close(result) and then sends
// slowCall's value on the unbuffered result; fetch waits for the value or
// 50ms. When the timeout wins, fetch returns and the worker's send has no
// receiver. The deferred close would run when the worker returns, but the
// worker never returns: the send before it blocks first. (A close would
// not wake a sender anyway, except into a panic.) The worker and the
// channel, reachable only from it, stay for ever: a partial deadlock.
//
// Fix: room for the one result, make(chan int, 1). The send completes, the
// worker returns, and the deferred close runs harmlessly.
package timeout_deferred_close

import (
	"errors"
	"math/rand"
	"time"
)

var (
	errTimeout  = errors.New("fetch: timeout")
	errNoResult = errors.New("fetch: no result")
)

const timeout = 50 * time.Millisecond

// slowCall stands for a backend call whose latency depends on its input.
func slowCall() int {
	time.Sleep(time.Duration(rand.Intn(100)) * time.Millisecond)
	return 42
}

// fetchWith runs the worker on a result channel of the given capacity.
func fetchWith(capacity int) (int, error) {
	result := make(chan int, capacity)
	go func() {
		defer close(result) // only runs once the send below completed
		result <- slowCall()
	}()
	select {
	case v, ok := <-result:
		if !ok {
			return 0, errNoResult
		}
		return v, nil
	case <-time.After(timeout):
		return 0, errTimeout
	}
}

// fetchClosing is the buggy fetch: unbuffered, "fixed" by the defer.
func fetchClosing() (int, error) { return fetchWith(0) }

// fetch is the fixed one: the buffer lets the late send complete.
func fetch() (int, error) { return fetchWith(1) }
