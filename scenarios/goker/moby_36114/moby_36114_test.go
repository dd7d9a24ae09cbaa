// Package moby_36114 is the GoKer kernel of moby/moby#36114 (fix commit
// a44fcd3d27c0), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts attachAtStart on a new goroutine and returns;
//   - that goroutine locks the service VM, then calls detachAll, which locks
//     the same sync.Mutex again.
//
// Blocking interleaving: none is needed. sync.Mutex is not reentrant, so the
// second Lock in detachAll waits for an Unlock that only the same goroutine
// could perform: it blocks for ever, after the test has returned.
//
// Fix (upstream): the caller that already holds the lock calls the lock-free
// variant (hotRemoveVHDsNoLock upstream, detachAllLocked here); the locking
// wrapper stays for callers that do not hold it.
package moby_36114

import (
	"sync"
	"testing"
)

type serviceVM struct {
	mu       sync.Mutex
	attached map[string]int
	fix      bool
}

// attachAtStart attaches the disks the VM needs at boot and first detaches
// leftovers, all under mu.
func (vm *serviceVM) attachAtStart() {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	if vm.fix {
		vm.detachAllLocked()
	} else {
		vm.detachAll() // locks vm.mu a second time
	}
	vm.attached["scratch"]++
}

// detachAll takes mu and detaches every disk. Callers must not hold mu.
func (vm *serviceVM) detachAll() {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	vm.detachAllLocked()
}

// detachAllLocked detaches every disk. The caller holds mu.
func (vm *serviceVM) detachAllLocked() {
	for disk := range vm.attached {
		delete(vm.attached, disk)
	}
}

func newServiceVM(fix bool) *serviceVM {
	return &serviceVM{attached: map[string]int{"old": 1}, fix: fix}
}

// TestMoby36114_buggy: the boot goroutine locks mu twice and leaks.
//
//chanfuzz:expect partial_deadlock
func TestMoby36114_buggy(t *testing.T) {
	vm := newServiceVM(false)
	go vm.attachAtStart()
}

// TestMoby36114_fixed: the boot goroutine uses the lock-free helper.
func TestMoby36114_fixed(t *testing.T) {
	vm := newServiceVM(true)
	go vm.attachAtStart()
}
