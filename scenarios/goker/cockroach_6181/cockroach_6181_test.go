// Package cockroach_6181 is the GoKer kernel of cockroachdb/cockroach#6181
// (fix commit d5814e4886a7), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / RWR deadlock. The GoBench authors
// report 57/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts a coordinator and returns;
//   - the coordinator starts three lookup goroutines and waits for them on a
//     WaitGroup;
//   - each lookup read-locks the range cache, formats a log line with the
//     cache as a %s operand (fmt calls its String method, which read-locks
//     the cache again), read-unlocks, then write-locks to update the cache.
//
// Blocking interleaving: lookup A holds the read lock and is about to
// format; lookup B finishes its read part and asks for the write lock, which
// waits for A. Go's RWMutex then makes A's second (nested) RLock inside
// String wait behind the pending writer: A waits for B, B waits for A, the
// third lookup and the coordinator wait behind them, after the test returns.
//
// Fix (upstream, cockroachdb/cockroach#6181): the log line uses the
// lock-free formatter (stringLocked) while the read lock is held, instead of
// re-entering String.
package cockroach_6181

import (
	"fmt"
	"sync"
	"testing"
)

type rangeCache struct {
	mu    sync.RWMutex
	fixed bool
}

// String read-locks the cache; callers must not hold mu.
func (c *rangeCache) String() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stringLocked()
}

// stringLocked describes the cache; the caller holds mu.
func (c *rangeCache) stringLocked() string {
	return "range cache"
}

func (c *rangeCache) lookup() string {
	c.mu.RLock()
	var line string
	if c.fixed {
		line = fmt.Sprintf("lookup in %s", c.stringLocked())
	} else {
		line = fmt.Sprintf("lookup in %s", c) // buggy: String read-locks again
	}
	c.mu.RUnlock()
	c.mu.Lock()
	c.mu.Unlock()
	return line
}

func coalescedLookups(c *rangeCache) {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.lookup()
		}()
	}
	wg.Wait()
}

// TestCockroach6181_buggy: a nested RLock queues behind another lookup's
// pending Lock.
//
//chanfuzz:expect partial_deadlock
func TestCockroach6181_buggy(t *testing.T) {
	go coalescedLookups(&rangeCache{})
}

// TestCockroach6181_fixed: the log line does not re-lock the cache.
func TestCockroach6181_fixed(t *testing.T) {
	go coalescedLookups(&rangeCache{fixed: true})
}
