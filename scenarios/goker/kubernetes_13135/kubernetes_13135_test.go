// Package kubernetes_13135 is the GoKer kernel of kubernetes/kubernetes#13135
// ("Fix deadlock in Cacher on etcd errors", fix commit a12b7edc42c5),
// rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / AB-BA deadlock (a lock handed across
// functions through callbacks). The GoBench authors report 93/100
// reproductions.
//
// Goroutines:
//   - the test goroutine builds a cacher (which starts the caching loop and
//     waits until the first list has been replaced), then starts an Add on
//     the watch cache and a goroutine that closes the stop channel, and
//     returns;
//   - the caching loop repeats startCaching until stop is closed: it locks the
//     cacher and relists, which calls the watch cache's replace; replace locks
//     the watch cache and runs the onReplace callback, which marks the cacher
//     initialized (once) and unlocks the cacher — the lock taken in
//     startCaching;
//   - Add locks the watch cache and runs the onEvent callback, which locks the
//     cacher to dispatch the event.
//
// Blocking interleaving: Add takes the watch-cache lock; the loop, in its next
// round, takes the cacher lock and blocks on the watch-cache lock in replace;
// Add's callback blocks on the cacher lock. Cacher lock then watch-cache lock
// in one goroutine, the reverse in the other: both leak after the test
// returns.
//
// Fix (upstream): startCaching and onReplace use a separate "usable" mutex
// that only marks the cache as being (re)built; the cacher's own mutex, the
// one event dispatch takes, is never held while calling into the watch cache,
// so the watch-cache lock is always taken first.
package kubernetes_13135

import (
	"sync"
	"testing"
	"time"
)

// until runs f every period until stop is closed.
func until(f func(), period time.Duration, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		f()
		time.Sleep(period)
	}
}

type watchCache struct {
	mu        sync.RWMutex
	items     []interface{}
	onReplace func()
	onEvent   func(interface{})
}

func (w *watchCache) setOnReplace(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onReplace = f
}

func (w *watchCache) setOnEvent(f func(interface{})) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onEvent = f
}

// Add stores obj and dispatches it, holding the watch-cache lock.
func (w *watchCache) Add(obj interface{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.items = append(w.items, obj)
	if w.onEvent != nil {
		w.onEvent(obj)
	}
}

// replace swaps in a fresh list, holding the watch-cache lock.
func (w *watchCache) replace(list []interface{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.items = list
	if w.onReplace != nil {
		w.onReplace()
	}
}

type reflector struct {
	store *watchCache
}

func (r *reflector) listAndWatch(stop <-chan struct{}) error {
	r.store.replace(nil)
	return nil
}

type cacher struct {
	mu          sync.Mutex // dispatch lock; buggy startCaching also takes it
	usable      sync.Mutex // fixed: held while the cache is being rebuilt
	initialized sync.WaitGroup
	initOnce    sync.Once
	cache       *watchCache
	reflector   *reflector
	dispatched  int
	fix         bool
}

func (c *cacher) dispatchEvent(obj interface{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dispatched++
}

// startCaching takes the rebuild lock and relists. It does not release the
// lock: the onReplace callback does, once the list is in the cache.
func (c *cacher) startCaching(stop <-chan struct{}) {
	if c.fix {
		c.usable.Lock()
	} else {
		c.mu.Lock()
	}
	for c.reflector.listAndWatch(stop) != nil {
	}
}

func newCacher(stop <-chan struct{}, fix bool) *cacher {
	wc := &watchCache{}
	c := &cacher{cache: wc, reflector: &reflector{store: wc}, fix: fix}
	c.initialized.Add(1)
	wc.setOnReplace(func() {
		c.initOnce.Do(c.initialized.Done)
		if c.fix {
			c.usable.Unlock()
		} else {
			c.mu.Unlock()
		}
	})
	wc.setOnEvent(c.dispatchEvent)
	go until(func() { c.startCaching(stop) }, 0, stop)
	c.initialized.Wait()
	return c
}

func run(fix bool) {
	stop := make(chan struct{})
	c := newCacher(stop, fix)
	go c.cache.Add("pod-1")
	go close(stop)
}

// TestKubernetes13135_buggy: the caching loop and Add take the two locks in
// opposite orders.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes13135_buggy(t *testing.T) {
	run(false)
}

// TestKubernetes13135_fixed: the rebuild uses its own mutex.
func TestKubernetes13135_fixed(t *testing.T) {
	run(true)
}
