// Package timeout_unbuffered_result: a caller gives up on time.After while
// its worker still has a result to hand over on an unbuffered channel.
//
// fetch starts a goroutine that runs slowCall and sends the value on
// result, then waits for the value or 50ms, whichever comes first. When
// slowCall takes longer than that, fetch returns errTimeout and nobody will
// ever receive: an unbuffered send completes only at the hand-off, so the
// worker stays blocked on it for the life of the process. Only the worker
// can still reach the channel, so it is a partial deadlock.
//
// Fix: make(chan int, 1). The late send lands in the buffer, the worker
// exits, and the value is dropped with the channel.
package timeout_unbuffered_result

import (
	"errors"
	"math/rand"
	"time"
)

var errTimeout = errors.New("fetch: timeout")

const timeout = 50 * time.Millisecond

// slowCall stands for a backend call whose latency depends on its input.
func slowCall() int {
	time.Sleep(time.Duration(rand.Intn(100)) * time.Millisecond)
	return 42
}

// fetchUnbuffered is the buggy fetch: its worker blocks for ever after a
// timeout.
func fetchUnbuffered() (int, error) {
	result := make(chan int)
	go func() {
		result <- slowCall() // nobody receives once fetch has timed out
	}()
	select {
	case v := <-result:
		return v, nil
	case <-time.After(timeout):
		return 0, errTimeout
	}
}

// fetch is the fixed one: the result channel has room for its one value.
func fetch() (int, error) {
	result := make(chan int, 1)
	go func() {
		result <- slowCall() // never waits: the buffer takes it
	}()
	select {
	case v := <-result:
		return v, nil
	case <-time.After(timeout):
		return 0, errTimeout
	}
}
