// Package cockroach_1462 is the GoKer kernel of cockroachdb/cockroach#1462,
// rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & WaitGroup (no reproduction
// rate stated; it shows in many schedules).
//
// Goroutines:
//   - the test goroutine creates a stopper and an interceptable local
//     transport, runs an event consumer as a stopper worker, then calls
//     Stop, which quiesces, closes the stop channel and waits on the
//     workers' WaitGroup;
//   - the transport's producer worker loops: a select that returns on the
//     stop channel and otherwise (default) sends an event with a plain
//     blocking send on the unbuffered events channel;
//   - the consumer worker loops on a select receiving events or returning on
//     the stop channel.
//
// Blocking interleaving: the producer checks the stop channel (still open),
// takes default and blocks in its send. Stop closes the stop channel; the
// consumer's select, with both an event and stop ready, picks stop and
// returns. The producer's send can never complete, so Stop's WaitGroup wait
// never returns: the test goroutine and the producer are blocked for ever.
//
// Fix (upstream, cockroachdb/cockroach#1462): the producer sends in a select
// that also watches the stop channel.
package cockroach_1462

import (
	"sync"
	"testing"
)

type stopper struct {
	stopc    chan struct{}
	workers  sync.WaitGroup
	mu       sync.Mutex
	drained  *sync.Cond
	draining bool
	tasks    int
}

func newStopper() *stopper {
	s := &stopper{stopc: make(chan struct{})}
	s.drained = sync.NewCond(&s.mu)
	return s
}

func (s *stopper) RunWorker(f func()) {
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
		f()
	}()
}

func (s *stopper) ShouldStop() <-chan struct{} { return s.stopc }

func (s *stopper) Quiesce() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.draining = true
	for s.tasks > 0 {
		s.drained.Wait()
	}
}

func (s *stopper) Stop() {
	s.Quiesce()
	close(s.stopc)
	s.workers.Wait()
}

type message int

type localTransport struct {
	events  chan message
	stopper *stopper
	fixed   bool
}

func newLocalTransport(s *stopper, fixed bool) *localTransport {
	lt := &localTransport{events: make(chan message), stopper: s, fixed: fixed}
	s.RunWorker(lt.produce)
	return lt
}

func (lt *localTransport) produce() {
	for {
		select {
		case <-lt.stopper.ShouldStop():
			return
		default:
			if lt.fixed {
				select {
				case lt.events <- message(0):
				case <-lt.stopper.ShouldStop():
					return
				}
				continue
			}
			lt.events <- message(0) // buggy: does not watch stop
		}
	}
}

func consumeUntilStopped(events <-chan message, s *stopper) {
	for {
		select {
		case _, ok := <-events:
			if !ok {
				return
			}
		case <-s.ShouldStop():
			return
		}
	}
}

func run(fixed bool) {
	s := newStopper()
	lt := newLocalTransport(s, fixed)
	s.RunWorker(func() { consumeUntilStopped(lt.events, s) })
	s.Stop()
}

// TestCockroach1462_buggy: the producer is stuck in its send and Stop waits
// for it for ever.
//
//chanfuzz:expect global_deadlock
func TestCockroach1462_buggy(t *testing.T) {
	run(false)
}

// TestCockroach1462_fixed: the producer's send also watches stop.
func TestCockroach1462_fixed(t *testing.T) {
	run(true)
}
