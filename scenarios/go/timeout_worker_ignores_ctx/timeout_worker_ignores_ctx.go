// Package timeout_worker_ignores_ctx: the caller gives up when its
// context times out, but the worker it started does not look at the
// context.
//
// fetch derives a 50ms context, starts a worker that runs slowCall and
// sends the value on an unbuffered channel, and waits for the value or
// ctx.Done(). When slowCall is slower than the deadline, fetch returns
// ctx.Err() (and its deferred cancel runs), but the worker's bare send has
// no receiver any more: it blocks for ever, a partial deadlock.
//
// Fix: the worker's send races the context, so it leaves when nobody will
// receive:
//
//	select {
//	case result <- v:
//	case <-ctx.Done():
//	}
package timeout_worker_ignores_ctx

import (
	"context"
	"math/rand"
	"time"
)

const timeout = 50 * time.Millisecond

// slowCall stands for a backend call whose latency depends on its input.
func slowCall() int {
	time.Sleep(time.Duration(rand.Intn(100)) * time.Millisecond)
	return 42
}

// fetchIgnoringCtx is the buggy fetch: the worker's send has no
// ctx.Done() arm.
func fetchIgnoringCtx(parent context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	result := make(chan int)
	go func() {
		v := slowCall()
		result <- v // blocks for ever once fetch has returned
	}()
	select {
	case v := <-result:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// fetch is the fixed one: the worker gives up with the caller.
func fetch(parent context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	result := make(chan int)
	go func() {
		v := slowCall()
		select {
		case result <- v:
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-result:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
