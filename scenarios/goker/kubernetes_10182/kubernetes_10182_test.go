// Package kubernetes_10182 is the GoKer kernel of kubernetes/kubernetes#10182
// (fix commit 64ad3e17ad15), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors report
// 15/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the kubelet status manager and two
//     setPodStatus calls, each on its own goroutine, and returns;
//   - the manager's sync goroutine runs syncBatch twice: receive one status
//     update from the unbuffered status channel, then (the API update having
//     failed) deletePodStatus, which write-locks the status map;
//   - each setPodStatus write-locks the status map and, with the lock held,
//     sends its update on the status channel.
//
// Blocking interleaving: setter A locks, sends, the sync goroutine receives,
// and A unlocks. Setter B now takes the lock and blocks sending its update,
// because the sync goroutine is not receiving: it is in deletePodStatus,
// blocked on the lock B holds. B waits for the receiver, the receiver for B's
// lock; both leak after the test returns. If the sync goroutine's
// deletePodStatus gets the lock before B, nothing blocks.
//
// Fix (upstream): syncBatch runs deletePodStatus on a goroutine of its own
// ("doing this synchronously will lead to a deadlock"), so the sync loop goes
// straight back to receiving.
package kubernetes_10182

import (
	"sync"
	"testing"
)

type statusManager struct {
	mu       sync.RWMutex
	statuses map[string]string
	updates  chan string
	fix      bool
}

func newStatusManager(fix bool) *statusManager {
	return &statusManager{statuses: map[string]string{}, updates: make(chan string), fix: fix}
}

func (m *statusManager) start() {
	go func() {
		for i := 0; i < 2; i++ {
			m.syncBatch()
		}
	}()
}

func (m *statusManager) syncBatch() {
	pod := <-m.updates
	// The API server rejected the update: forget the cached status so the
	// next change is sent again.
	if m.fix {
		go m.deletePodStatus(pod)
		return
	}
	m.deletePodStatus(pod)
}

func (m *statusManager) deletePodStatus(pod string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.statuses, pod)
}

func (m *statusManager) setPodStatus(pod, status string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.statuses[pod] = status
	m.updates <- pod // sends while holding m.mu
}

func run(fix bool) {
	m := newStatusManager(fix)
	go m.start()
	go m.setPodStatus("web-1", "Running")
	go m.setPodStatus("web-2", "Pending")
}

// TestKubernetes10182_buggy: a setter blocks sending under the lock the sync
// loop needs.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes10182_buggy(t *testing.T) {
	run(false)
}

// TestKubernetes10182_fixed: the sync loop deletes asynchronously.
func TestKubernetes10182_fixed(t *testing.T) {
	run(true)
}
