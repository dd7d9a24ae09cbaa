// Package kubernetes_11298 is the GoKer kernel of kubernetes/kubernetes#11298
// ("Fix deadlocks and race conditions in mesos master election notifier"),
// rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Condition Variable (a
// lost wakeup). GoBench states no reproduction rate.
//
// Goroutines:
//   - the test goroutine runs notify on a goroutine (after) and waits for it
//     to finish; another goroutine closes the abort channel after a 300ns
//     sleep;
//   - notify starts the election watcher (after + until): until abort is
//     closed it loops, each time locking the notifier, recording a new
//     desired master and signalling the notifier's Cond. Its completion
//     channel, finished, is what the service loop aborts on. notify itself
//     runs the service loop (until) until abort is closed;
//   - the service loop holds the notifier lock (the Cond's Locker) and, each
//     round, runs Cond.Wait on a helper goroutine (after), then waits either
//     for that helper or for finished. On finished it calls Signal once and
//     waits for the helper to return.
//
// Blocking interleaving: abort closes and the election watcher ends, so
// finished closes just after the service loop has started a new helper but
// before that helper has entered Wait. The loop's one Signal finds no waiter
// and is lost; the helper then enters Wait (releasing the lock) and nobody
// will ever signal again. The helper waits on the Cond for ever, the service
// loop waits for the helper, notify for the service loop, and the test
// goroutine for notify: a global deadlock.
//
// Fix (upstream): the Cond is replaced by an unbuffered changed channel. The
// watcher updates the desired master under the lock, unlocks, and then sends
// on changed; the service loop selects on finished and changed and takes the
// lock only to copy the desired master. (The upstream send is a one-case
// select; here it also gives up on abort, so that the watcher cannot be left
// sending if the service loop was never started.)
package kubernetes_11298

import (
	"sync"
	"testing"
	"time"
)

// after runs f on a new goroutine and returns a channel closed when f returns.
func after(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return done
}

// until runs f, then waits period, until stop is closed.
func until(f func(), period time.Duration, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		f()
		select {
		case <-stop:
		case <-time.After(period):
		}
	}
}

type notifier struct {
	mu      sync.Mutex
	cond    *sync.Cond    // buggy: wakes the service loop
	changed chan struct{} // fixed: wakes the service loop
	desired int
	current int
	fix     bool
}

// serviceLoop reacts to master changes until abort is closed.
func (n *notifier) serviceLoop(abort <-chan struct{}) {
	if n.fix {
		for {
			select {
			case <-abort:
				return
			case <-n.changed:
				n.mu.Lock()
				desired := n.desired
				n.mu.Unlock()
				n.current = desired
			}
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for {
		select {
		case <-abort:
			return
		default:
			woken := after(n.cond.Wait)
			select {
			case <-abort:
				n.cond.Signal() // lost if the helper is not in Wait yet
				<-woken
				return
			case <-woken:
				n.current = n.desired
			}
		}
	}
}

// watchElection records a new elected master over and over until abort.
func (n *notifier) watchElection(abort <-chan struct{}) {
	for {
		select {
		case <-abort:
			return
		default:
		}
		if n.fix {
			n.mu.Lock()
			n.desired++
			n.mu.Unlock()
			select {
			case n.changed <- struct{}{}:
			case <-abort:
				return
			}
			continue
		}
		func() {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.desired++
			n.cond.Signal()
		}()
	}
}

func notify(abort <-chan struct{}, fix bool) {
	n := &notifier{changed: make(chan struct{}), fix: fix}
	n.cond = sync.NewCond(&n.mu)
	finished := after(func() {
		until(func() { n.watchElection(abort) }, 0, abort)
	})
	until(func() { n.serviceLoop(finished) }, 0, abort)
}

func run(fix bool) {
	abort := make(chan struct{})
	notified := after(func() { notify(abort, fix) })
	go func() {
		defer close(abort)
		time.Sleep(300 * time.Nanosecond)
	}()
	<-notified
}

// TestKubernetes11298_buggy: the service loop's single Signal can be lost.
//
//chanfuzz:expect global_deadlock
func TestKubernetes11298_buggy(t *testing.T) {
	run(false)
}

// TestKubernetes11298_fixed: changes travel on a channel instead of a Cond.
func TestKubernetes11298_fixed(t *testing.T) {
	run(true)
}
