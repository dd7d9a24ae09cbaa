// Package syncthing_4829 is the GoKer kernel of syncthing/syncthing#4829,
// rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking (write lock, then read
// lock, on one sync.RWMutex). GoBench states no reproduction rate; the kernel
// blocks in every schedule.
//
// Goroutines: only the test goroutine. It registers a port mapping with one
// external address in a NAT service and then removes the mapping.
//
// Blocking interleaving: none is needed. removeMapping holds the service lock
// and calls clearAddresses, which takes the mapping's write lock and, because
// an address was removed, calls notify while still holding it; notify takes
// the read lock of the same RWMutex. A read lock waits for the writer to
// leave, and the writer is the waiting goroutine itself, so the test goroutine
// blocks for ever: a global deadlock.
//
// Fix (upstream): clearAddresses releases the write lock before it notifies
// the subscribers about the removed addresses.
package syncthing_4829

import (
	"sync"
	"testing"
)

type address int

type mapping struct {
	mu        sync.RWMutex
	addresses map[string]address
	fix       bool
}

// clearAddresses drops every external address and tells subscribers which
// ones went away.
func (m *mapping) clearAddresses() {
	m.mu.Lock()
	var removed []address
	for id, a := range m.addresses {
		removed = append(removed, a)
		delete(m.addresses, id)
	}
	if m.fix {
		m.mu.Unlock()
		if len(removed) > 0 {
			m.notify(nil, removed)
		}
		return
	}
	if len(removed) > 0 {
		m.notify(nil, removed) // read-locks m.mu while this goroutine writes it
	}
	m.mu.Unlock()
}

// notify reads the subscriber state under the read lock.
func (m *mapping) notify(added, removed []address) {
	m.mu.RLock()
	_ = len(added) + len(removed)
	m.mu.RUnlock()
}

type natService struct {
	mu       sync.RWMutex
	mappings []*mapping
}

func (s *natService) newMapping(fix bool) *mapping {
	m := &mapping{addresses: map[string]address{}, fix: fix}
	s.mu.Lock()
	s.mappings = append(s.mappings, m)
	s.mu.Unlock()
	return m
}

func (s *natService) removeMapping(m *mapping) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, existing := range s.mappings {
		if existing == m {
			m.clearAddresses()
			s.mappings = append(s.mappings[:i], s.mappings[i+1:]...)
			return
		}
	}
}

func run(fix bool) {
	svc := &natService{}
	m := svc.newMapping(fix)
	m.addresses["upnp"] = 4242
	svc.removeMapping(m)
}

// TestSyncthing4829_buggy: the test goroutine read-locks the RWMutex it is
// write-holding and blocks for ever.
//
//chanfuzz:expect global_deadlock
func TestSyncthing4829_buggy(t *testing.T) {
	run(false)
}

// TestSyncthing4829_fixed: the write lock is released before notify.
func TestSyncthing4829_fixed(t *testing.T) {
	run(true)
}
