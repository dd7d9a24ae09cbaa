// Package etcd_6873 is the GoKer kernel of etcd-io/etcd#6873 (fix commit
// 7618fdd1d642), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors
// report 9/100 reproductions.
//
// Goroutines:
//   - the test goroutine creates the watch-broadcast set (which starts its
//     coalescing goroutine), posts one update without blocking, starts a
//     stopping goroutine and returns;
//   - the coalescing goroutine ranges over the update channel (capacity 1);
//     for each update it takes the set's mutex to coalesce; when the channel
//     is closed it closes donec;
//   - the stopping goroutine takes the mutex, closes the update channel and
//     waits on donec, still holding the mutex.
//
// Blocking interleaving: the coalescing goroutine receives the update;
// before it takes the mutex, stop takes it, closes the channel and waits on
// donec. The coalescing goroutine then blocks on the mutex and never closes
// donec: the two wait on each other after the test returns.
//
// Fix (upstream, etcd-io/etcd#6873): stop releases the mutex before it waits
// on donec.
package etcd_6873

import (
	"sync"
	"testing"
)

type broadcast struct{}

type broadcastSet struct {
	mu      sync.Mutex
	updates chan *broadcast
	donec   chan struct{}
	fixed   bool
}

func newBroadcastSet(fixed bool) *broadcastSet {
	s := &broadcastSet{
		updates: make(chan *broadcast, 1),
		donec:   make(chan struct{}),
		fixed:   fixed,
	}
	go func() {
		defer close(s.donec)
		for b := range s.updates {
			s.coalesce(b)
		}
	}()
	return s
}

func (s *broadcastSet) coalesce(b *broadcast) {
	s.mu.Lock()
	_ = b
	s.mu.Unlock()
}

func (s *broadcastSet) update(b *broadcast) {
	select {
	case s.updates <- b:
	default:
	}
}

func (s *broadcastSet) stop() {
	s.mu.Lock()
	close(s.updates)
	if s.fixed {
		s.mu.Unlock()
		<-s.donec
		return
	}
	defer s.mu.Unlock()
	<-s.donec // buggy: waits while holding mu
}

func run(fixed bool) {
	s := newBroadcastSet(fixed)
	s.update(&broadcast{})
	go s.stop()
}

// TestEtcd6873_buggy: stop waits on donec holding the mutex the coalescing
// goroutine needs.
//
//chanfuzz:expect partial_deadlock
func TestEtcd6873_buggy(t *testing.T) {
	run(false)
}

// TestEtcd6873_fixed: stop unlocks before waiting.
func TestEtcd6873_fixed(t *testing.T) {
	run(true)
}
