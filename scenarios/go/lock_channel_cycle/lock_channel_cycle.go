// Package lock_channel_cycle: three goroutines in a wait cycle through a
// Mutex and two channels.
//
// The applier takes the cache lock, then waits for an update. The update
// comes from the forwarder, which first waits for a request. The request
// comes from the client, which first needs the cache lock to read the
// cache's size. When the applier gets the lock before the client, nobody
// moves again: applier waits on updates (only the forwarder sends on it),
// forwarder on requests (only the client), client on c.mu (held by the
// applier) -- while the caller goes on serving. When the client is first,
// all goes well: the schedule decides.
//
// Fix: the applier receives the update before it takes the lock.
package lock_channel_cycle

import (
	"math/rand"
	"sync"
	"time"
)

type cache struct {
	mu sync.Mutex
	m  map[string]int
}

// serveOtherTraffic is what the caller does meanwhile.
func serveOtherTraffic() {
	time.Sleep(time.Duration(rand.Intn(10)) * time.Millisecond)
}

// applyHoldingLock is the buggy applier: it waits while holding c.mu.
func applyHoldingLock(c *cache, updates <-chan int) {
	c.mu.Lock()
	v := <-updates
	c.m["v"] = v
	c.mu.Unlock()
}

// apply is the fixed applier.
func apply(c *cache, updates <-chan int) {
	v := <-updates
	c.mu.Lock()
	c.m["v"] = v
	c.mu.Unlock()
}

// start wires the applier, the forwarder and the client together.
func start(applier func(*cache, <-chan int)) {
	c := &cache{m: map[string]int{}}
	requests := make(chan int)
	updates := make(chan int)
	go applier(c, updates)
	go func() { // forwarder
		req := <-requests
		updates <- req + 1
	}()
	go func() { // client
		c.mu.Lock()
		n := len(c.m)
		c.mu.Unlock()
		requests <- n
	}()
	serveOtherTraffic()
}
