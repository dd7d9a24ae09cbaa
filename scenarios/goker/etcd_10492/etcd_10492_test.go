// Package etcd_10492 is the GoKer kernel of etcd-io/etcd#10492, rewritten for
// chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking (no reproduction rate
// stated; the bug shows in every schedule).
//
// Goroutines: only the test goroutine. It installs a checkpoint callback on a
// lease manager (the callback asks the manager to checkpoint, which takes the
// manager's write lock), then renews a lease.
//
// Blocking interleaving: none is needed. Renew takes the write lock of the
// RWMutex and, still holding it, invokes the checkpoint callback; the
// callback's Checkpoint takes the same write lock again and the test
// goroutine blocks on itself: a global deadlock.
//
// Fix (upstream, etcd-io/etcd#10492): Renew releases the lock before it
// invokes the checkpointer (its deferred unlock becomes a no-op).
package etcd_10492

import (
	"context"
	"sync"
	"testing"
)

type checkpointFunc func(ctx context.Context)

type leaseManager struct {
	mu    sync.RWMutex
	cp    checkpointFunc
	fixed bool
}

func (lm *leaseManager) Checkpoint() {
	lm.mu.Lock()
	defer lm.mu.Unlock()
}

func (lm *leaseManager) SetCheckpointer(cp checkpointFunc) {
	lm.mu.Lock()
	defer lm.mu.Unlock()
	lm.cp = cp
}

func (lm *leaseManager) Renew() {
	lm.mu.Lock()
	release := func() { lm.mu.Unlock() }
	defer func() { release() }()

	if lm.cp != nil {
		if lm.fixed {
			lm.mu.Unlock()
			release = func() {}
		}
		lm.cp(context.Background()) // buggy: called with mu held
	}
}

func run(fixed bool) {
	lm := &leaseManager{fixed: fixed}
	lm.SetCheckpointer(func(ctx context.Context) { lm.Checkpoint() })
	lm.mu.Lock()
	lm.mu.Unlock()
	lm.Renew()
}

// TestEtcd10492_buggy: Renew re-locks its own write lock through the
// callback; the test goroutine blocks for ever.
//
//chanfuzz:expect global_deadlock
func TestEtcd10492_buggy(t *testing.T) {
	run(false)
}

// TestEtcd10492_fixed: the callback runs after the lock is released.
func TestEtcd10492_fixed(t *testing.T) {
	run(true)
}
