// Package cockroach_1055 is the GoKer kernel of cockroachdb/cockroach#1055,
// rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & WaitGroup (no reproduction
// rate stated).
//
// The stopper counts running tasks in a WaitGroup ("drain"). StartTask reads
// the draining flag atomically and, if not draining, takes the stopper mutex
// and adds a task; Quiesce and Stop hold the mutex while they wait on the
// drain WaitGroup. The GoBench kernel simply never finishes the task; this
// kernel keeps the upstream cause: a running task that starts a nested task.
//
// Goroutines:
//   - the test goroutine creates three stoppers, starts one worker per
//     stopper and a closer goroutine, and waits on the closer's done
//     channel;
//   - each worker starts a task and, inside it, a nested task, finishes
//     both, then waits for its stopper's stop channel and marks itself
//     stopped;
//   - the closer quiesces every stopper, then stops every stopper (Stop:
//     drain, close the stop channel, wait for the workers) and closes done.
//
// Blocking interleaving: a worker is inside its outer task and reads
// "not draining" for the nested StartTask; Quiesce then takes the mutex,
// sets draining and waits on the drain WaitGroup, still holding the mutex.
// The nested StartTask blocks on the mutex, so the outer task never
// finishes and the WaitGroup never drains: the closer, the worker, the
// other workers (on their stop channels) and the test goroutine (on done)
// are all blocked.
//
// Fix (upstream, cockroachdb/cockroach#1055): the drain WaitGroup is
// replaced by a task counter and a sync.Cond on the stopper mutex; StartTask
// checks draining under the mutex, and Quiesce waits on the Cond, which
// releases the mutex while it waits; Stop no longer holds the mutex while it
// waits for the workers.
package cockroach_1055

import (
	"sync"
	"sync/atomic"
	"testing"
)

type stopper struct {
	stopc    chan struct{}
	workers  sync.WaitGroup
	mu       sync.Mutex
	draining int32
	drain    sync.WaitGroup // buggy variant
	drained  *sync.Cond     // fixed variant
	tasks    int            // fixed variant, under mu
	fixed    bool
}

func newStopper(fixed bool) *stopper {
	s := &stopper{stopc: make(chan struct{}), fixed: fixed}
	s.drained = sync.NewCond(&s.mu)
	return s
}

func (s *stopper) AddWorker()                  { s.workers.Add(1) }
func (s *stopper) SetStopped()                 { s.workers.Done() }
func (s *stopper) ShouldStop() <-chan struct{} { return s.stopc }

func (s *stopper) StartTask() bool {
	if s.fixed {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.draining != 0 {
			return false
		}
		s.tasks++
		return true
	}
	if atomic.LoadInt32(&s.draining) == 0 {
		s.mu.Lock() // buggy: Quiesce may hold mu while it drains
		defer s.mu.Unlock()
		s.drain.Add(1)
		return true
	}
	return false
}

func (s *stopper) FinishTask() {
	if s.fixed {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.tasks--
		s.drained.Broadcast()
		return
	}
	s.drain.Done()
}

func (s *stopper) waitDrainedLocked() {
	if s.fixed {
		for s.tasks > 0 {
			s.drained.Wait()
		}
		return
	}
	s.drain.Wait() // buggy: holds mu while waiting
}

func (s *stopper) Quiesce() {
	s.mu.Lock()
	defer s.mu.Unlock()
	atomic.StoreInt32(&s.draining, 1)
	s.waitDrainedLocked()
	atomic.StoreInt32(&s.draining, 0)
}

func (s *stopper) Stop() {
	s.mu.Lock()
	atomic.StoreInt32(&s.draining, 1)
	s.waitDrainedLocked()
	if s.fixed {
		s.mu.Unlock()
		close(s.stopc)
		s.workers.Wait()
		return
	}
	defer s.mu.Unlock()
	close(s.stopc)
	s.workers.Wait() // buggy: still holds mu
}

func run(fixed bool) {
	var stoppers []*stopper
	for i := 0; i < 3; i++ {
		stoppers = append(stoppers, newStopper(fixed))
	}
	for _, s := range stoppers {
		s := s
		s.AddWorker()
		go func() {
			if s.StartTask() {
				if s.StartTask() {
					s.FinishTask()
				}
				s.FinishTask()
			}
			<-s.ShouldStop()
			s.SetStopped()
		}()
	}
	done := make(chan struct{})
	go func() {
		for _, s := range stoppers {
			s.Quiesce()
		}
		for _, s := range stoppers {
			s.Stop()
		}
		close(done)
	}()
	<-done
}

// TestCockroach1055_buggy: Quiesce drains while holding the mutex a nested
// StartTask needs.
//
//chanfuzz:expect global_deadlock
func TestCockroach1055_buggy(t *testing.T) {
	run(false)
}

// TestCockroach1055_fixed: draining waits on a Cond and StartTask checks
// draining under the mutex.
func TestCockroach1055_fixed(t *testing.T) {
	run(true)
}
