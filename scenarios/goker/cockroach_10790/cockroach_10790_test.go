// Package cockroach_10790 is the GoKer kernel of cockroachdb/cockroach#10790
// (fix commit f1a5c19125c6), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Context. The GoBench
// authors report 28/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts a sender, the command goroutine and a
//     cancelling goroutine, then quiesces the stopper and returns;
//   - the sender sends once on each of the two prerequisite channels
//     (unbuffered), each send in a select that gives up on ctx.Done();
//   - the command goroutine waits for each prerequisite in a select on the
//     channel and ctx.Done(); on cancellation it starts a drainer goroutine
//     that receives from every prerequisite channel again;
//   - the cancelling goroutine cancels the context.
//
// Blocking interleaving: the command receives the first prerequisite, then
// the context is cancelled; the command takes ctx.Done() and starts the
// drainer, while the sender takes ctx.Done() and quits. The drainer blocks
// for ever on the first channel, which will never be sent on again.
//
// Fix (upstream, cockroachdb/cockroach#10790): the goroutine that waits for
// the abandoned prerequisites also watches the stopper's quiesce channel, so
// shutting the stopper down releases it.
package cockroach_10790

import (
	"context"
	"sync"
	"testing"
)

type stopper struct {
	quiescec chan struct{}
	mu       struct {
		sync.Mutex
		quiescing bool
	}
}

func (s *stopper) ShouldQuiesce() <-chan struct{} { return s.quiescec }

func (s *stopper) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.mu.quiescing {
		s.mu.quiescing = true
		close(s.quiescec)
	}
}

type replica struct {
	prereqs []chan bool
	stopper *stopper
	fixed   bool
}

func newReplica(fixed bool) *replica {
	return &replica{
		prereqs: []chan bool{make(chan bool), make(chan bool)},
		stopper: &stopper{quiescec: make(chan struct{})},
		fixed:   fixed,
	}
}

func (r *replica) drain() {
	for _, ch := range r.prereqs {
		if r.fixed {
			select {
			case <-ch:
			case <-r.stopper.ShouldQuiesce():
				return
			}
			continue
		}
		<-ch // buggy: the sender may be gone
	}
}

func (r *replica) beginCmds(ctx context.Context) {
	done := ctx.Done()
	for _, ch := range r.prereqs {
		select {
		case <-ch:
		case <-done:
			go r.drain()
		}
	}
}

// finishPrereqs stands in for the commands that the new one waits for.
func (r *replica) finishPrereqs(ctx context.Context) {
	for _, ch := range r.prereqs {
		select {
		case ch <- true:
		case <-ctx.Done():
			return
		}
	}
}

func run(fixed bool) {
	r := newReplica(fixed)
	ctx, cancel := context.WithCancel(context.Background())
	go r.finishPrereqs(ctx)
	go r.beginCmds(ctx)
	go cancel()
	r.stopper.Stop()
}

// TestCockroach10790_buggy: a drainer waits for a prerequisite that is never
// sent.
//
//chanfuzz:expect partial_deadlock
func TestCockroach10790_buggy(t *testing.T) {
	run(false)
}

// TestCockroach10790_fixed: drainers leave when the stopper quiesces.
func TestCockroach10790_fixed(t *testing.T) {
	run(true)
}
