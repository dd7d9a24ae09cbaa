// Package kubernetes_70277 is the GoKer kernel of kubernetes/kubernetes#70277
// ("Fix goroutine leak of wait.poller"), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. GoBench states no
// reproduction rate; the kernel blocks in every schedule.
//
// Goroutines:
//   - the test goroutine calls waitFor with a poller (1ms interval, 20s
//     timeout), a condition that is true at once and its own stop channel
//     (closed by a deferred close when the test function returns); the wait
//     function it hands over records the done channel it is given. After
//     waitFor returns, the test waits for that done channel to close;
//   - the poller goroutine ticks (time.Ticker) and offers each tick on its
//     channel without blocking (select with default); it exits, closing the
//     channel, when done is closed or its 20s timer fires.
//
// Blocking interleaving: none is needed. waitFor passes the caller's stop
// channel straight to the poller and returns after the first tick. The test
// then waits for that same stop channel, which only its own deferred close
// would close: the test goroutine blocks for ever. The poller keeps ticking
// until its 20s timer fires and then exits, leaving a global deadlock.
//
// Fix (upstream): waitFor makes a stop channel of its own, hands that to the
// wait function, closes it when it returns, and also watches the caller's
// done channel; the poller exits as soon as waitFor is done.
package kubernetes_70277

import (
	"errors"
	"testing"
	"time"
)

// foreverTestTimeout stands in for wait.ForeverTestTimeout.
const foreverTestTimeout = 20 * time.Second

var errWaitTimeout = errors.New("timed out waiting for the condition")

type waitFunc func(done <-chan struct{}) <-chan struct{}

type conditionFunc func() (bool, error)

func waitFor(wait waitFunc, cond conditionFunc, done <-chan struct{}, fix bool) error {
	if !fix {
		ticks := wait(done)
		for {
			_, open := <-ticks
			ok, err := cond()
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
			if !open {
				return errWaitTimeout
			}
		}
	}
	stop := make(chan struct{})
	defer close(stop)
	ticks := wait(stop)
	for {
		select {
		case _, open := <-ticks:
			ok, err := cond()
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
			if !open {
				return errWaitTimeout
			}
		case <-done:
			return errWaitTimeout
		}
	}
}

func poller(interval, timeout time.Duration) waitFunc {
	return func(done <-chan struct{}) <-chan struct{} {
		ticks := make(chan struct{})
		go func() {
			defer close(ticks)
			ticker := time.NewTicker(interval)
			defer ticker.Stop()
			var expired <-chan time.Time
			if timeout != 0 {
				timer := time.NewTimer(timeout)
				defer timer.Stop()
				expired = timer.C
			}
			for {
				select {
				case <-ticker.C:
					select {
					case ticks <- struct{}{}:
					default:
					}
				case <-expired:
					return
				case <-done:
					return
				}
			}
		}()
		return ticks
	}
}

func run(fix bool) {
	stop := make(chan struct{})
	defer close(stop)
	poll := poller(time.Millisecond, foreverTestTimeout)
	var handedOut <-chan struct{}
	_ = waitFor(func(done <-chan struct{}) <-chan struct{} {
		handedOut = done
		return poll(done)
	}, func() (bool, error) {
		return true, nil
	}, stop, fix)
	<-handedOut // buggy: this is stop, closed only by the deferred close
}

// TestKubernetes70277_buggy: the test waits for its own stop channel.
//
//chanfuzz:expect global_deadlock
func TestKubernetes70277_buggy(t *testing.T) {
	run(false)
}

// TestKubernetes70277_fixed: waitFor closes the channel it handed out.
func TestKubernetes70277_fixed(t *testing.T) {
	run(true)
}
