// Package kubernetes_26980 is the GoKer kernel of kubernetes/kubernetes#26980,
// rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock (the lock is also the
// Cond's Locker). GoBench states no reproduction rate; the kernel blocks
// whenever pop takes the lock first.
//
// Goroutines:
//   - the test goroutine adds one notification to a processor listener,
//     starts pop on a goroutine, starts a helper goroutine, waits for the
//     helper's result channel, unlocks, and on return (deferred) closes the
//     stop channel;
//   - pop holds the listener lock for its whole loop: it waits on the Cond
//     while the queue is empty and then blocks in a select for the stop
//     channel, still holding the lock;
//   - the helper takes the listener lock and closes the result channel.
//
// Blocking interleaving: pop locks first; the queue is not empty, so it goes
// straight to its select and waits for stop with the lock held. The helper
// blocks on the lock, the test goroutine waits for the helper, and stop is
// only closed when the test function returns: all three block, a global
// deadlock. If the helper locks first, the test unlocks, returns, closes
// stop, and pop returns.
//
// Fix (upstream): pop holds the lock only to take a notification off the
// queue (a blockingGet closure) and waits in the select — for stop or for the
// consumer on nextCh — without the lock.
package kubernetes_26980

import (
	"sync"
	"testing"
)

type listener struct {
	mu      sync.RWMutex
	cond    sync.Cond
	pending []interface{}
	nextCh  chan interface{}
	fix     bool
}

func newListener(fix bool) *listener {
	l := &listener{nextCh: make(chan interface{}), fix: fix}
	l.cond.L = &l.mu
	return l
}

func (l *listener) add(n interface{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = append(l.pending, n)
	l.cond.Broadcast()
}

func (l *listener) pop(stop <-chan struct{}) {
	if l.fix {
		l.popUnlocked(stop)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		for len(l.pending) == 0 {
			select {
			case <-stop:
				return
			default:
			}
			l.cond.Wait()
		}
		select { // waits for stop with l.mu held
		case <-stop:
			return
		}
	}
}

func (l *listener) popUnlocked(stop <-chan struct{}) {
	for {
		next, stopped := func() (interface{}, bool) {
			l.mu.Lock()
			defer l.mu.Unlock()
			for len(l.pending) == 0 {
				select {
				case <-stop:
					return nil, true
				default:
				}
				l.cond.Wait()
			}
			n := l.pending[0]
			l.pending = l.pending[1:]
			return n, false
		}()
		if stopped {
			return
		}
		select {
		case <-stop:
			return
		case l.nextCh <- next:
		}
	}
}

func run(fix bool) {
	l := newListener(fix)
	stop := make(chan struct{})
	defer close(stop)
	l.add(1)
	go l.pop(stop)

	locked := make(chan struct{})
	go func() {
		l.mu.Lock()
		close(locked)
	}()
	<-locked
	l.mu.Unlock()
}

// TestKubernetes26980_buggy: pop keeps the lock while waiting for a stop that
// only comes after the test goroutine gets past the helper.
//
//chanfuzz:expect global_deadlock
func TestKubernetes26980_buggy(t *testing.T) {
	run(false)
}

// TestKubernetes26980_fixed: pop waits without the lock.
func TestKubernetes26980_fixed(t *testing.T) {
	run(true)
}
