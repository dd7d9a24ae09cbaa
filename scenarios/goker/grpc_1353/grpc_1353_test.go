// Package grpc_1353 is the GoKer kernel of grpc/grpc-go#1353 (fix commit
// 0662e89ba597, "fix deadlock of roundrobin balancer"), rewritten for
// chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine builds a client connection with two address
//     connections whose down callbacks point at the round-robin balancer,
//     starts the balancer (which starts its watcher), starts the lbWatcher
//     and a closing goroutine, and returns;
//   - the balancer watcher publishes 100 address updates; each one is sent
//     on the unbuffered address channel while holding the balancer mutex;
//     then it signals that it is finished;
//   - the lbWatcher ranges over the address channel and, for every update,
//     tears down the address connections; tearing down calls the balancer's
//     down callback, which takes the balancer mutex;
//   - the closing goroutine waits for the watcher to finish and then closes
//     the balancer (closing the address channel under the mutex).
//
// Blocking interleaving: the lbWatcher receives an update and starts tearing
// down; meanwhile the watcher locks the mutex and blocks sending the next
// update. The lbWatcher's down callback waits for the mutex, the watcher
// waits for the lbWatcher to receive, and the closing goroutine waits for
// the watcher: all stay blocked after the test returns.
//
// Fix (upstream, grpc/grpc-go#1353): the address channel gets one slot and
// the watcher first drops a stale pending update, so its send under the
// mutex never waits.
package grpc_1353

import (
	"sync"
	"testing"
)

type roundRobin struct {
	mu       sync.Mutex
	addrc    chan bool
	finished chan struct{}
	fixed    bool
}

func (rr *roundRobin) Start() {
	if rr.fixed {
		rr.addrc = make(chan bool, 1)
	} else {
		rr.addrc = make(chan bool)
	}
	go func() {
		for i := 0; i < 100; i++ {
			rr.publish()
		}
		close(rr.finished)
	}()
}

func (rr *roundRobin) publish() {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	if rr.fixed {
		select {
		case <-rr.addrc:
		default:
		}
	}
	rr.addrc <- true // buggy: unbuffered send under mu
}

func (rr *roundRobin) down() {
	rr.mu.Lock()
	defer rr.mu.Unlock()
}

func (rr *roundRobin) Up() func() { return rr.down }

func (rr *roundRobin) Notify() <-chan bool { return rr.addrc }

func (rr *roundRobin) Close() {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	close(rr.addrc)
}

type addrConn struct {
	mu   sync.Mutex
	down func()
}

func (ac *addrConn) tearDown() {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	if ac.down != nil {
		ac.down()
	}
}

type clientConn struct {
	balancer *roundRobin
	conns    []*addrConn
}

func (cc *clientConn) lbWatcher() {
	for range cc.balancer.Notify() {
		for _, ac := range cc.conns {
			ac.tearDown()
		}
	}
}

func run(fixed bool) {
	rr := &roundRobin{finished: make(chan struct{}), fixed: fixed}
	cc := &clientConn{balancer: rr}
	cc.conns = []*addrConn{{down: rr.Up()}, {down: rr.Up()}}
	rr.Start()
	go cc.lbWatcher()
	go func() {
		<-rr.finished
		rr.Close()
	}()
}

// TestGrpc1353_buggy: the watcher's send under the mutex and the down
// callback's Lock wait on each other.
//
//chanfuzz:expect partial_deadlock
func TestGrpc1353_buggy(t *testing.T) {
	run(false)
}

// TestGrpc1353_fixed: one-slot channel, stale update dropped first.
func TestGrpc1353_fixed(t *testing.T) {
	run(true)
}
