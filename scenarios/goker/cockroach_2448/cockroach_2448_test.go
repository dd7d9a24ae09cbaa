// Package cockroach_2448 is the GoKer kernel of cockroachdb/cockroach#2448,
// rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel (no reproduction rate
// stated; it shows in many schedules).
//
// Goroutines:
//   - the test goroutine starts the store's raft-processing goroutine, the
//     multiraft state goroutine and a shutdown helper, and returns;
//   - the state goroutine has two committed membership changes to report.
//     It loops on a select: return on stop, run a callback received on the
//     callback channel, or (default) handle the next commit, which sends a
//     membership event on the unbuffered events channel (in a select with
//     stop);
//   - the store goroutine receives events and runs each event's callback;
//     the callback hands a function to the state goroutine on the
//     unbuffered callback channel (in a select with stop); the function
//     marks the change applied;
//   - the shutdown helper (not in the GoBench kernel, which never stops the
//     two loops) waits until both changes are applied and closes stop.
//
// Blocking interleaving: the store receives the first event and, in its
// callback, sends on the callback channel; before that send is offered the
// state goroutine takes default again and sends the second event. The state
// waits for the store to take the event, the store waits for the state to
// take the callback, and the helper waits for the applied changes: all are
// blocked after the test returns.
//
// Fix (upstream, cockroachdb/cockroach#2448): the state goroutine does not
// send events synchronously; it appends them to a queue and offers the head
// of the queue as one more case of its main select.
package cockroach_2448

import (
	"sync"
	"testing"
	"time"
)

type membershipCommitted struct {
	callback func()
}

type multiRaft struct {
	stop      chan struct{}
	events    chan interface{}
	callbacks chan func()
	applied   sync.WaitGroup
}

type state struct {
	*multiRaft
	commits int
	queue   []interface{}
	fixed   bool
}

func (s *state) sendEvent(e interface{}) {
	if s.fixed {
		s.queue = append(s.queue, e)
		return
	}
	select {
	case s.events <- e: // buggy: blocks the state loop
	case <-s.stop:
	}
}

func (s *state) processCommittedEntry() {
	s.sendEvent(&membershipCommitted{callback: func() {
		select {
		case s.callbacks <- func() {
			time.Sleep(time.Nanosecond)
			s.applied.Done()
		}:
		case <-s.stop:
		}
	}})
}

func (s *state) run() {
	for {
		var out chan interface{}
		var head interface{}
		if len(s.queue) > 0 {
			out, head = s.events, s.queue[0]
		}
		if s.commits > 0 {
			select {
			case <-s.stop:
				return
			case cb := <-s.callbacks:
				cb()
			case out <- head:
				s.queue = s.queue[1:]
			default:
				s.commits--
				s.processCommittedEntry()
			}
			continue
		}
		select {
		case <-s.stop:
			return
		case cb := <-s.callbacks:
			cb()
		case out <- head:
			s.queue = s.queue[1:]
		}
	}
}

type storeLoop struct {
	mr *multiRaft
}

func (st *storeLoop) processRaft() {
	for {
		select {
		case e := <-st.mr.events:
			if m, ok := e.(*membershipCommitted); ok && m.callback != nil {
				m.callback()
			}
		case <-st.mr.stop:
			return
		}
	}
}

func run(fixed bool) {
	mr := &multiRaft{
		stop:      make(chan struct{}),
		events:    make(chan interface{}),
		callbacks: make(chan func()),
	}
	mr.applied.Add(2)
	s := &state{multiRaft: mr, commits: 2, fixed: fixed}
	st := &storeLoop{mr: mr}
	go st.processRaft()
	go s.run()
	go func() {
		mr.applied.Wait()
		close(mr.stop)
	}()
}

// TestCockroach2448_buggy: the state loop's event send and the store's
// callback send wait on each other.
//
//chanfuzz:expect partial_deadlock
func TestCockroach2448_buggy(t *testing.T) {
	run(false)
}

// TestCockroach2448_fixed: events are queued and offered from the main
// select.
func TestCockroach2448_fixed(t *testing.T) {
	run(true)
}
