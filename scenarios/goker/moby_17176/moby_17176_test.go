// Package moby_17176 is the GoKer kernel of moby/moby#17176 (fix commit
// 2f16895ee948), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking (a Lock left held on an
// early return). The GoBench authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine cleans up deleted devices, then starts a device
//     operation goroutine and waits for it on a channel, giving up after one
//     millisecond (time.After);
//   - the device operation goroutine locks the device set, reports done on a
//     channel and unlocks.
//
// Blocking interleaving: none is needed. cleanupDeletedDevices locks the
// device set and, when there is nothing to delete, returns without unlocking.
// The device operation goroutine then blocks in Lock for ever; the test
// goroutine's select takes the timeout and the test returns, leaving the
// goroutine blocked.
//
// Fix (upstream): unlock the device set on the early-return path too.
package moby_17176

import (
	"errors"
	"sync"
	"testing"
	"time"
)

type deviceSet struct {
	mu      sync.Mutex
	deleted int
	fix     bool
}

func (d *deviceSet) cleanupDeletedDevices() error {
	d.mu.Lock()
	if d.deleted == 0 {
		if d.fix {
			d.mu.Unlock()
		}
		return nil // buggy: returns with d.mu still held
	}
	d.deleted = 0
	d.mu.Unlock()
	return errors.New("deferred deletion failed")
}

func lockReleasedAfterCleanup(fix bool) {
	d := &deviceSet{fix: fix}
	_ = d.cleanupDeletedDevices()
	// One slot, so that a device operation finishing after the timeout
	// still exits (the kernel's channel is unbuffered; the bug is the lock).
	done := make(chan bool, 1)
	go func() {
		d.mu.Lock()
		defer d.mu.Unlock()
		done <- true
	}()
	select {
	case <-time.After(time.Millisecond):
	case <-done:
	}
}

// TestMoby17176_buggy: the device operation goroutine blocks on the lock that
// the early return left held; the test gives up after its timeout.
//
//chanfuzz:expect partial_deadlock
func TestMoby17176_buggy(t *testing.T) {
	lockReleasedAfterCleanup(false)
}

// TestMoby17176_fixed: the lock is released on every path.
func TestMoby17176_fixed(t *testing.T) {
	lockReleasedAfterCleanup(true)
}
