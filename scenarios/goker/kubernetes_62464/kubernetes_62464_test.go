// Package kubernetes_62464 is the GoKer kernel of kubernetes/kubernetes#62464
// (fix commit c1b19fce9036), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / RWR deadlock (a recursive read lock
// with a writer queued in between). The GoBench authors report 8/100
// reproductions.
//
// Goroutines:
//   - the test goroutine starts the CPU manager's reconcile loop and the
//     static policy's RemoveContainer on two goroutines and returns;
//   - reconcile calls getCPUSetOrDefault, which read-locks the state and,
//     while holding it, calls getCPUSet (another read lock) and, when that
//     finds nothing (math/rand decides), getDefaultCPUSet (a third);
//   - RemoveContainer reads the default set (read lock) and then writes it
//     (write lock).
//
// Blocking interleaving: reconcile holds its outer read lock; RemoveContainer
// asks for the write lock and waits for that reader. Go's RWMutex then makes
// every new reader wait behind the queued writer, so reconcile's nested read
// lock blocks: the reader waits for the writer, the writer for the reader.
// Both leak after the test returns.
//
// Fix (upstream): getCPUSetOrDefault takes no lock of its own and relies on
// the getters' locks, so no goroutine holds a read lock while asking for one.
package kubernetes_62464

import (
	"math/rand"
	"sync"
	"testing"
)

type stateMemory struct {
	mu         sync.RWMutex
	assigned   map[string]int
	defaultSet int
	fix        bool
}

func (s *stateMemory) getCPUSetOrDefault(id string) int {
	if !s.fix {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	if set, ok := s.getCPUSet(id); ok {
		return set
	}
	return s.getDefaultCPUSet()
}

func (s *stateMemory) getCPUSet(id string) (int, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set, ok := s.assigned[id]
	return set, ok && rand.Intn(10) > 5
}

func (s *stateMemory) getDefaultCPUSet() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.defaultSet
}

func (s *stateMemory) setDefaultCPUSet(set int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.defaultSet = set
}

type staticPolicy struct{}

func (staticPolicy) removeContainer(s *stateMemory) {
	set := s.getDefaultCPUSet()
	s.setDefaultCPUSet(set | 1)
}

type manager struct {
	state *stateMemory
}

func (m *manager) reconcileState() {
	_ = m.state.getCPUSetOrDefault("pod-a/ctr")
}

func start(fix bool) {
	s := &stateMemory{assigned: map[string]int{"pod-a/ctr": 6}, defaultSet: 8, fix: fix}
	m := &manager{state: s}
	go m.reconcileState()
	go staticPolicy{}.removeContainer(s)
}

// TestKubernetes62464_buggy: a writer queued between the nested read locks
// deadlocks reconcile and RemoveContainer.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes62464_buggy(t *testing.T) {
	start(false)
}

// TestKubernetes62464_fixed: no read lock is held across another.
func TestKubernetes62464_fixed(t *testing.T) {
	start(true)
}
