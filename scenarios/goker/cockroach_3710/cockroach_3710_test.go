// Package cockroach_3710 is the GoKer kernel of cockroachdb/cockroach#3710
// (fix commit cb65190f9caa), rewritten for chanfuzz. The GoBench kernel
// derives map keys from unsafe.Pointer; here the replicas get plain integer
// keys, which does not change the blocking structure.
//
// GoBench subtype: Resource deadlock / RWR deadlock. The GoBench authors
// report 2/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the log-scan goroutine and the raft
//     goroutine, and returns;
//   - the log-scan goroutine read-locks the store and offers each replica to
//     the raft-log queue; the queue (under its own mutex) asks the store for
//     the replica's raft status, which read-locks the store again;
//   - the raft goroutine starts a worker that write-locks the store to copy
//     its replicas.
//
// Blocking interleaving: the scan holds the read lock; the worker's Lock
// arrives and waits for it; the scan's nested RLock in the raft-status call
// then waits behind the pending writer. Scan and worker wait on each other
// after the test returns.
//
// Fix (upstream, cockroachdb/cockroach#3710): the scan copies the replicas
// under the read lock and offers them to the queue after releasing it.
package cockroach_3710

import (
	"sync"
	"testing"
)

type store struct {
	mu       sync.RWMutex
	replicas map[int]*replica
	logQueue *logQueue
	fixed    bool
}

type replica struct {
	s *store
}

type logQueue struct {
	mu sync.Mutex
}

// raftStatus read-locks the store.
func (s *store) raftStatus() {
	s.mu.RLock()
	defer s.mu.RUnlock()
}

func (q *logQueue) maybeAdd(r *replica) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shouldQueue(r)
}

func (q *logQueue) shouldQueue(r *replica) {
	truncatableIndexes(r)
}

func truncatableIndexes(r *replica) {
	r.s.raftStatus()
}

func (s *store) forceLogScan() {
	s.mu.RLock()
	if s.fixed {
		var rs []*replica
		for _, r := range s.replicas {
			rs = append(rs, r)
		}
		s.mu.RUnlock()
		for _, r := range rs {
			s.logQueue.maybeAdd(r)
		}
		return
	}
	for _, r := range s.replicas {
		s.logQueue.maybeAdd(r) // buggy: read lock still held
	}
	s.mu.RUnlock()
}

func (s *store) processRaft() {
	go func() {
		var rs []*replica
		s.mu.Lock()
		for _, r := range s.replicas {
			rs = append(rs, r)
		}
		s.mu.Unlock()
		_ = rs
	}()
}

func newStore(fixed bool) *store {
	s := &store{replicas: map[int]*replica{}, logQueue: &logQueue{}, fixed: fixed}
	s.replicas[1] = &replica{s: s}
	s.replicas[2] = &replica{s: s}
	return s
}

func run(fixed bool) {
	s := newStore(fixed)
	go s.forceLogScan()
	go s.processRaft()
}

// TestCockroach3710_buggy: the scan's nested RLock waits behind the raft
// worker's Lock.
//
//chanfuzz:expect partial_deadlock
func TestCockroach3710_buggy(t *testing.T) {
	run(false)
}

// TestCockroach3710_fixed: the scan releases the read lock before queueing.
func TestCockroach3710_fixed(t *testing.T) {
	run(true)
}
