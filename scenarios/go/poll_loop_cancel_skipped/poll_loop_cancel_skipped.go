// Package poll_loop_cancel_skipped: a polling loop that checks
// ctx.Done() on every turn, and a caller whose error path returns without
// cancelling.
//
// run starts a poller over a cancellable context and stops it (cancels)
// only at the end of its happy path. poll never blocks: each turn it looks at
// ctx.Done() with a select-default, then bumps a counter. When setup fails,
// run returns early, the cancel is never called, and poll spins for ever:
// a goroutine that is always runnable (never blocked, so no deadlock
// detector sees it) and a context whose cancel was lost.
//
// go vet's lostcancel would see the skipped cancel if ctx and cancel were
// locals of run; behind a Poller's Stop method, as here, it cannot.
//
// Fix: defer p.Stop() right after the poller starts, so every return
// cancels.
package poll_loop_cancel_skipped

import (
	"context"
	"errors"
	"math/rand"
	"runtime"
	"sync/atomic"
)

var errSetup = errors.New("setup: failed")

// queueChecks counts poll's turns.
var queueChecks int64

// checkQueue is a non-blocking look at a work queue.
func checkQueue() { atomic.AddInt64(&queueChecks, 1) }

func poll(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
		}
		checkQueue()
	}
}

// setup fails or not as the input decides.
func setup() error {
	if rand.Intn(2) == 1 {
		return errSetup
	}
	return nil
}

// use is the work run does while poll runs.
func use() { runtime.Gosched() }

// Poller runs poll until it is stopped.
type Poller struct {
	cancel context.CancelFunc
}

// StartPoller starts polling the queue.
func StartPoller() *Poller {
	ctx, cancel := context.WithCancel(context.Background())
	go poll(ctx)
	return &Poller{cancel: cancel}
}

// Stop ends the poller.
func (p *Poller) Stop() { p.cancel() }

// runStopAtEnd is the buggy run: the error path skips Stop.
func runStopAtEnd() error {
	p := StartPoller()
	if err := setup(); err != nil {
		return err // p.Stop skipped: poll spins for ever
	}
	use()
	p.Stop()
	return nil
}

// run is the fixed one.
func run() error {
	p := StartPoller()
	defer p.Stop()
	if err := setup(); err != nil {
		return err
	}
	use()
	return nil
}
