// Package buggy: one or more tests per detector kind, each a small bug
// chanfuzz must find (the directive lists what it must show).
package buggy

import (
	"sync"
	"testing"
	"time"
)

// The worker's unbuffered send outlives the caller's timeout.
//
//chanfuzz:expect partial_deadlock
func TestTimeoutWorker_buggy(t *testing.T) {
	result := make(chan int)
	go func() {
		time.Sleep(2 * time.Millisecond)
		result <- 42
	}()
	select {
	case v := <-result:
		_ = v
	case <-time.After(time.Millisecond):
	}
}

// The fix: a buffered result channel.
func TestTimeoutWorker_fixed(t *testing.T) {
	result := make(chan int, 1)
	go func() {
		time.Sleep(2 * time.Millisecond)
		result <- 42
	}()
	select {
	case <-result:
	case <-time.After(time.Millisecond):
	}
}

var jobs = make(chan int)

// A consumer of a global channel nobody sends on again: still reachable
// from the global, so a leak rather than a deadlock.
//
//chanfuzz:expect leak
func TestGlobalQueueConsumer_buggy(t *testing.T) {
	go func() {
		for j := range jobs {
			_ = j
		}
	}()
	jobs <- 1
}

// The test waits for a worker that skips Done on its error path.
//
//chanfuzz:expect global_deadlock
func TestMissingDone_buggy(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func(i int) {
			if i == 1 {
				return // forgot wg.Done()
			}
			wg.Done()
		}(i)
	}
	wg.Wait()
}

// Two goroutines take two mutexes in opposite orders.
//
//chanfuzz:expect global_deadlock
func TestLockOrder_buggy(t *testing.T) {
	var a, b sync.Mutex
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		a.Lock()
		b.Lock()
		b.Unlock()
		a.Unlock()
	}()
	go func() {
		defer wg.Done()
		b.Lock()
		a.Lock()
		a.Unlock()
		b.Unlock()
	}()
	wg.Wait()
}

// A send on a channel made on one path only.
//
//chanfuzz:expect global_deadlock
func TestNilChannelSend_buggy(t *testing.T) {
	var ch chan int
	go func() { ch <- 1 }()
	<-ch
}
