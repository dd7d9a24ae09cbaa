// Package send_after_close: the caller closes the result channel on a
// timeout "to release the worker".
//
// fetch starts a worker that sends slowCall's value on ch and waits for it
// or for the timeout. On the timeout it closes ch, believing that frees
// the worker. A close does not release a sender: a send on a closed
// channel panics, whether the worker was already blocked in it (the close
// wakes it into the panic) or gets there later. It happens only when the
// timeout wins the race, and it takes the whole process down.
//
// Fix: make(chan int, 1) and no close. The late send lands in the buffer,
// the worker exits, and the channel is garbage. Only a sender may close a
// channel.
package send_after_close

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

// fetchClosingOnTimeout is the buggy fetch.
func fetchClosingOnTimeout() (int, error) {
	ch := make(chan int)
	go func() {
		ch <- slowCall() // panics once ch is closed
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(timeout):
		close(ch) // "unblocks" the sender -- into a panic
		return 0, errTimeout
	}
}

// fetch is the fixed one.
func fetch() (int, error) {
	ch := make(chan int, 1)
	go func() {
		ch <- slowCall()
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(timeout):
		return 0, errTimeout
	}
}
