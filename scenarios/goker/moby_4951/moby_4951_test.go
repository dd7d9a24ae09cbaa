// Package moby_4951 is the GoKer kernel of moby/moby#4951 (fix commit
// 2ffef1b7eb61), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / AB-BA deadlock (a global lock and a
// per-device lock). The GoBench authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts two deleteDevice calls for the same device
//     and returns;
//   - each deleter takes the device-set lock, looks the device up, takes the
//     device's lock and removes the device; while it waits for the removal it
//     drops the device-set lock, sleeps briefly and takes it back.
//
// Blocking interleaving: deleter A holds both locks and, inside
// removeAndWait, releases the set lock and sleeps. Deleter B takes the set
// lock, finds the same device and blocks on its lock, which A holds. A wakes
// up and blocks re-taking the set lock, which B holds. Each waits for the
// other (set lock then device lock in B, device lock then set lock in A);
// both leak after the test returns.
//
// Fix (upstream): take the device lock first and the set lock second in
// deleteDevice (the lookup takes the set lock on its own), so the two
// deleters acquire the locks in the same order.
package moby_4951

import (
	"sync"
	"testing"
	"time"
)

type device struct {
	mu   sync.Mutex
	name string
}

type deviceSet struct {
	mu      sync.Mutex
	devices map[string]*device
	removed int
	fix     bool
}

func (s *deviceSet) deleteDevice(name string) {
	if s.fix {
		d := s.lookupWithLock(name)
		d.mu.Lock()
		defer d.mu.Unlock()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.removeAndWait(d)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.lookup(name)
	d.mu.Lock()
	defer d.mu.Unlock()
	s.removeAndWait(d)
}

// lookup finds a device. The caller holds s.mu.
func (s *deviceSet) lookup(name string) *device { return s.devices[name] }

func (s *deviceSet) lookupWithLock(name string) *device {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lookup(name)
}

// removeAndWait asks for the device to be removed and waits for it. It is
// entered with s.mu held, releases it while it waits so that other device
// operations can proceed, and holds it again on return.
func (s *deviceSet) removeAndWait(d *device) {
	s.removed++
	s.mu.Unlock()
	time.Sleep(300 * time.Nanosecond)
	s.mu.Lock()
}

func newDeviceSet(fix bool) *deviceSet {
	s := &deviceSet{devices: map[string]*device{}, fix: fix}
	for _, name := range []string{"base", "thin-1"} {
		s.devices[name] = &device{name: name}
	}
	return s
}

// TestMoby4951_buggy: two deleters of one device take the locks in opposite
// orders and leak.
//
//chanfuzz:expect partial_deadlock
func TestMoby4951_buggy(t *testing.T) {
	s := newDeviceSet(false)
	go s.deleteDevice("base")
	go s.deleteDevice("base")
}

// TestMoby4951_fixed: both deleters take the device lock first.
func TestMoby4951_fixed(t *testing.T) {
	s := newDeviceSet(true)
	go s.deleteDevice("base")
	go s.deleteDevice("base")
}
