// Package hugo_3251 is the GoKer kernel of gohugoio/hugo#3251, rewritten for
// chanfuzz. GoBench keeps the lock registry in a package variable; here the
// test creates it and passes it on.
//
// GoBench subtype: Resource deadlock / AB-BA deadlock (no reproduction rate
// stated; it shows under the heavy contention of the kernel).
//
// Goroutines: the test goroutine runs two rounds; each round starts 50
// fetcher goroutines and waits for them on a WaitGroup. Each fetcher fetches
// the same remote URL ten times, sleeping 300ns between fetches. A fetch
// locks the URL through a registry: URLLock takes the registry's write lock,
// creates the URL's mutex if needed and locks it; URLUnlock takes the
// registry's read lock to find the URL's mutex and unlocks it.
//
// Blocking interleaving: fetcher A holds the URL mutex. Fetcher B's URLLock
// takes the registry write lock and, still holding it, waits for the URL
// mutex. A's URLUnlock now waits for the registry read lock, which B holds:
// A and B wait on each other, every other fetcher queues on the registry,
// and the test goroutine waits on the WaitGroup: a global deadlock.
//
// Fix (upstream, gohugoio/hugo#3251): URLLock looks up (or creates) the URL
// mutex under the registry lock, releases the registry, and only then locks
// the URL mutex.
package hugo_3251

import (
	"sync"
	"testing"
	"time"
)

type urlLocks struct {
	sync.RWMutex
	m     map[string]*sync.Mutex
	fixed bool
}

func (l *urlLocks) URLLock(url string) {
	l.Lock()
	um, ok := l.m[url]
	if !ok {
		um = &sync.Mutex{}
		l.m[url] = um
	}
	if l.fixed {
		l.Unlock()
		um.Lock()
		return
	}
	um.Lock() // buggy: waits with the registry write-locked
	l.Unlock()
}

func (l *urlLocks) URLUnlock(url string) {
	l.RLock()
	defer l.RUnlock()
	if um, ok := l.m[url]; ok {
		um.Unlock()
	}
}

func fetchRemote(l *urlLocks, url string) error {
	l.URLLock(url)
	defer l.URLUnlock(url)
	return nil
}

func run(t *testing.T, fixed bool) {
	l := &urlLocks{m: map[string]*sync.Mutex{}, fixed: fixed}
	const url = "http://example.org/some_Resource"
	for round := 0; round < 2; round++ {
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := 0; j < 10; j++ {
					if err := fetchRemote(l, url); err != nil {
						t.Errorf("fetch: %v", err)
					}
					time.Sleep(300 * time.Nanosecond)
				}
			}()
		}
		wg.Wait()
	}
}

// TestHugo3251_buggy: registry write lock and URL mutex taken in opposite
// orders by URLLock and URLUnlock.
//
//chanfuzz:expect global_deadlock
func TestHugo3251_buggy(t *testing.T) {
	run(t, false)
}

// TestHugo3251_fixed: the URL mutex is locked after the registry is
// released.
func TestHugo3251_fixed(t *testing.T) {
	run(t, true)
}
