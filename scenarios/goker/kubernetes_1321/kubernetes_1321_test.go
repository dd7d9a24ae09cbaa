// Package kubernetes_1321 is the GoKer kernel of kubernetes/kubernetes#1321
// (fix commit 435e0b73bb99), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors report
// 1/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts watchAndClose on a goroutine and returns;
//   - watchAndClose creates an event mux (which starts the mux loop), adds one
//     watcher and stops it at once without reading its results;
//   - the mux loop calls distribute 100 times; distribute holds the mux lock
//     (and the package's registry lock) while it sends on each watcher's
//     unbuffered result channel.
//
// Blocking interleaving: the loop enters distribute after the watcher is
// registered, takes the mux lock and blocks sending to the watcher, which
// nobody reads. The watcher's Stop must take the mux lock to remove the
// watcher and close its result channel — the close that would release the
// send. Stop blocks on the lock, the loop on the send; both leak after the
// test returns. The loop must see the new watcher before its 100 rounds end,
// which is why it is rare.
//
// Fix (upstream): each watcher gets a stopped channel; Stop closes it before
// taking the mux lock, and distribute's send becomes a select that also gives
// up when stopped is closed.
package kubernetes_1321

import (
	"sync"
	"testing"
)

// registryMu guards the watcher map against concurrent registration, as the
// package-level lock of the kernel does.
var registryMu sync.Mutex

type watcher struct {
	result  chan struct{}
	stopped chan struct{}
	stop    sync.Once
	mux     *mux
	id      int
}

func (w *watcher) Stop() {
	if !w.mux.fix {
		w.mux.stopWatching(w.id)
		return
	}
	w.stop.Do(func() {
		close(w.stopped)
		w.mux.stopWatching(w.id)
	})
}

type mux struct {
	mu       sync.Mutex
	watchers map[int]*watcher
	fix      bool
}

func newMux(fix bool) *mux {
	m := &mux{watchers: map[int]*watcher{}, fix: fix}
	go m.loop()
	return m
}

func (m *mux) watch() *watcher {
	registryMu.Lock()
	defer registryMu.Unlock()
	w := &watcher{
		result:  make(chan struct{}),
		stopped: make(chan struct{}),
		mux:     m,
		id:      len(m.watchers),
	}
	m.watchers[w.id] = w
	return w
}

func (m *mux) loop() {
	for i := 0; i < 100; i++ {
		m.distribute()
	}
}

func (m *mux) distribute() {
	m.mu.Lock()
	defer m.mu.Unlock()
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, w := range m.watchers {
		if !m.fix {
			w.result <- struct{}{} // holds m.mu; only Stop's close can end it
			continue
		}
		select {
		case w.result <- struct{}{}:
		case <-w.stopped:
		}
	}
}

func (m *mux) stopWatching(id int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	registryMu.Lock()
	w, ok := m.watchers[id]
	delete(m.watchers, id)
	registryMu.Unlock()
	if ok {
		close(w.result)
	}
}

func watchAndClose(fix bool) {
	m := newMux(fix)
	w := m.watch()
	w.Stop()
}

// TestKubernetes1321_buggy: distribute blocks sending under the lock Stop
// needs.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes1321_buggy(t *testing.T) {
	go watchAndClose(false)
}

// TestKubernetes1321_fixed: Stop's stopped channel releases distribute.
func TestKubernetes1321_fixed(t *testing.T) {
	go watchAndClose(true)
}
