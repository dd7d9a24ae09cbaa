// Package kubernetes_25331 is the GoKer kernel of kubernetes/kubernetes#25331
// (fix commit 97f4647dc3d8), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Context. The GoBench
// authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the etcd3 watch channel's run loop and its
//     Stop on two goroutines and returns;
//   - run selects on the error channel and the context; on an error it cancels
//     the context and sends the error result on the unbuffered result channel;
//   - Stop sends an error on the error channel, then cancels the context.
//
// Blocking interleaving: run receives Stop's error, cancels, and sends the
// result. Nobody reads results any more (the reflector stopped without
// draining them), and the send is a plain send, so the cancelled context
// cannot release it: run stays blocked after the test returns.
//
// Fix (upstream): the result send becomes a select that also returns when the
// context is done, and run cancels the context only on its way out (not in
// the error branch), so Stop's cancel releases the send.
package kubernetes_25331

import (
	"context"
	"errors"
	"testing"
)

type watchChan struct {
	ctx     context.Context
	cancel  context.CancelFunc
	results chan bool
	errs    chan error
	fix     bool
}

func newWatchChan(fix bool) *watchChan {
	ctx, cancel := context.WithCancel(context.Background())
	return &watchChan{
		ctx:     ctx,
		cancel:  cancel,
		results: make(chan bool),
		errs:    make(chan error),
		fix:     fix,
	}
}

func (wc *watchChan) Stop() {
	wc.errs <- errors.New("watch stopped")
	wc.cancel()
}

func (wc *watchChan) run() {
	if wc.fix {
		defer wc.cancel()
	}
	select {
	case err := <-wc.errs:
		isErr := err.Error() != ""
		if !wc.fix {
			wc.cancel()
			wc.results <- isErr // plain send: no one receives, ctx can't help
			return
		}
		select {
		case wc.results <- isErr:
		case <-wc.ctx.Done():
		}
	case <-wc.ctx.Done():
	}
}

// TestKubernetes25331_buggy: run leaks sending the error result.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes25331_buggy(t *testing.T) {
	wc := newWatchChan(false)
	go wc.run()
	go wc.Stop()
}

// TestKubernetes25331_fixed: Stop's cancel releases run's result send.
func TestKubernetes25331_fixed(t *testing.T) {
	wc := newWatchChan(true)
	go wc.run()
	go wc.Stop()
}
