// Package cockroach_10214 is the GoKer kernel of cockroachdb/cockroach#10214
// (fix commit 27e863d90ab0), rewritten for chanfuzz. The GoBench kernel
// picks a message type from an unsafe.Pointer value, a choice that always
// takes the locking branch; here that branch is simply taken.
//
// GoBench subtype: Resource deadlock / AB-BA deadlock. The GoBench authors
// report 3/100 reproductions.
//
// Goroutines:
//   - the test goroutine builds a store with two replicas and two queued
//     heartbeat responses, starts the heartbeat goroutine and the tick
//     goroutine, and returns;
//   - the heartbeat goroutine locks the store's coalesced-heartbeat mutex
//     (lock A) and, for every queued response, reports each replica
//     unreachable, which takes that replica's raft mutex (lock B);
//   - the tick goroutine ticks replica 1: it takes the raft mutex (B), then
//     the replica mutex, and, while trying to quiesce, coalesces a heartbeat,
//     which takes the coalesced-heartbeat mutex (A).
//
// Blocking interleaving: the heartbeat goroutine holds A and waits for
// replica 1's B; the tick goroutine holds B and waits for A: an AB-BA cycle
// left behind when the test returns.
//
// Fix (upstream, cockroachdb/cockroach#10214): sendQueuedHeartbeats takes the
// queued responses out under the coalesced mutex, releases it, and only then
// contacts the replicas (taking their raft mutexes).
package cockroach_10214

import (
	"sync"
	"testing"
)

type store struct {
	coalesced struct {
		sync.Mutex
		responses []int
	}
	replicas []*replica
	fixed    bool
}

type replica struct {
	raftMu sync.Mutex
	mu     sync.Mutex
	s      *store
}

func (s *store) sendQueuedHeartbeats() {
	s.coalesced.Lock() // A
	if s.fixed {
		queued := s.coalesced.responses
		s.coalesced.responses = nil
		s.coalesced.Unlock()
		for range queued {
			s.sendToReplicas()
		}
		return
	}
	defer s.coalesced.Unlock()
	for range s.coalesced.responses {
		s.sendToReplicas() // buggy: takes B while holding A
	}
}

func (s *store) sendToReplicas() {
	for _, r := range s.replicas {
		r.reportUnreachable()
	}
}

func (r *replica) reportUnreachable() {
	r.raftMu.Lock() // B
	defer r.raftMu.Unlock()
}

func (r *replica) tick() {
	r.raftMu.Lock() // B
	defer r.raftMu.Unlock()
	r.tickRaftMuLocked()
}

func (r *replica) tickRaftMuLocked() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.maybeQuiesceLocked()
}

func (r *replica) maybeQuiesceLocked() bool {
	for i := 0; i < 2; i++ {
		if !r.coalesceHeartbeat() {
			return true
		}
	}
	return false
}

func (r *replica) coalesceHeartbeat() bool {
	r.s.coalesced.Lock() // A, while holding B
	r.s.coalesced.Unlock()
	return true
}

func run(fixed bool) {
	s := &store{fixed: fixed}
	s.coalesced.responses = []int{1, 2}
	r1 := &replica{s: s}
	r2 := &replica{s: s}
	s.replicas = []*replica{r1, r2}
	go s.sendQueuedHeartbeats()
	go r1.tick()
}

// TestCockroach10214_buggy: coalesced mutex and raft mutex taken in opposite
// orders.
//
//chanfuzz:expect partial_deadlock
func TestCockroach10214_buggy(t *testing.T) {
	run(false)
}

// TestCockroach10214_fixed: the heartbeat goroutine releases the coalesced
// mutex before taking raft mutexes.
func TestCockroach10214_fixed(t *testing.T) {
	run(true)
}
