// Package etcd_7443 is the GoKer kernel of etcd-io/etcd#7443 (the fix is
// commit 8baaa06cce9e, "clientv3: serialize updating notifych in
// balancer"), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock (no reproduction rate
// stated).
//
// The client's simple balancer tells the connection which addresses to use
// through notifyCh, a channel with one slot that starts out holding all
// three addresses. Up pins the first address that comes up and notifies
// just that address; the down callback of the pinned address unpins it and
// notifies all addresses again. In the buggy balancer both notifications
// are plain sends made while holding the balancer mutex. As in the GoBench
// kernel the addresses are 0, 1 and 2 and "no pinned address" is also 0, so
// pinning address 0 leaves the balancer looking unpinned and a later Up
// pins and notifies once more.
//
// Goroutines:
//   - the test goroutine dials (starting the connection's lbWatcher), starts
//     a goroutine that closes the balancer and then closes closec, starts a
//     goroutine that closes the connection, and waits on closec;
//   - the lbWatcher ranges over notifyCh; for every address list it creates
//     address connections for new addresses (each starts a goroutine that
//     calls Up under the address connection's mutex) and tears down the ones
//     left out (calling their down callback under that mutex);
//   - the connection closer tears down every address connection; the
//     balancer closer marks the balancer closed and closes notifyCh.
//
// Blocking interleaving: Up(0) and Up(1) both pin and notify; the lbWatcher
// takes [0] (letting Up(1)'s send of [1] into the slot) and tears down
// address 1, whose down callback, under the balancer mutex, sends the full
// address list on the full notifyCh. The lbWatcher is the only reader of
// notifyCh, so it waits on itself for ever, holding the balancer mutex; the
// balancer closer, the connection closer and the remaining Up callers queue
// on the mutexes, and the test goroutine waits on closec: a global deadlock.
//
// Fix (upstream, etcd-io/etcd#7443): Up and down no longer send; they only
// close signal channels (up when an address is pinned, down when the pinned
// address goes down) under the mutex. A dedicated notify goroutine waits on
// those signals and sends on notifyCh without holding the mutex, in a select
// that also watches the balancer's stop channel; Close stops it, waits for
// it and only then closes notifyCh. (The fixed balancer also tracks "pinned
// or not" with a flag instead of the 0 alias.)
package etcd_7443

import (
	"sync"
	"testing"
)

type address int

type balancer struct {
	mu       sync.RWMutex
	addrs    []address
	notifyCh chan []address
	closed   bool
	pinned   address
	fixed    bool
	// fixed variant only
	hasPin bool
	upc    chan struct{}
	downc  chan struct{}
	stopc  chan struct{}
	donec  chan struct{}
}

func newBalancer(fixed bool) *balancer {
	b := &balancer{addrs: []address{0, 1, 2}, notifyCh: make(chan []address, 1), fixed: fixed}
	b.notifyCh <- b.addrs
	if fixed {
		b.upc = make(chan struct{})
		b.stopc = make(chan struct{})
		b.donec = make(chan struct{})
		go b.notifyLoop()
	}
	return b
}

func (b *balancer) Notify() <-chan []address { return b.notifyCh }

func (b *balancer) Up(a address) func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return func() {}
	}
	if b.fixed {
		if !b.hasPin {
			b.hasPin, b.pinned = true, a
			close(b.upc)
			b.downc = make(chan struct{})
		}
		return func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if b.hasPin && b.pinned == a {
				b.hasPin = false
				b.upc = make(chan struct{})
				close(b.downc)
			}
		}
	}
	if b.pinned == 0 {
		b.pinned = a
		b.notifyCh <- []address{a} // buggy: send under mu
	}
	return func() {
		defer func() { _ = recover() }() // notifyCh may be closed already
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.pinned == a {
			b.pinned = 0
			b.notifyCh <- b.addrs // buggy: send under mu
		}
	}
}

// notifyLoop (fixed variant) does all the sending, never under mu.
func (b *balancer) notifyLoop() {
	defer close(b.donec)
	for {
		b.mu.RLock()
		upc := b.upc
		b.mu.RUnlock()
		select {
		case <-upc:
		case <-b.stopc:
			return
		}
		b.mu.RLock()
		pinned, downc := b.pinned, b.downc
		b.mu.RUnlock()
		select {
		case b.notifyCh <- []address{pinned}:
		case <-b.stopc:
			return
		}
		select {
		case <-downc:
		case <-b.stopc:
			return
		}
		select {
		case b.notifyCh <- b.addrs:
		case <-b.stopc:
			return
		}
	}
}

func (b *balancer) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	b.pinned = 0
	if !b.fixed {
		defer b.mu.Unlock()
		close(b.notifyCh)
		return
	}
	b.hasPin = false
	close(b.stopc)
	b.mu.Unlock()
	<-b.donec
	close(b.notifyCh)
}

type addrConn struct {
	mu   sync.Mutex
	cc   *clientConn
	addr address
	down func()
}

func (ac *addrConn) resetTransport() {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	ac.down = ac.cc.b.Up(ac.addr)
}

func (ac *addrConn) tearDown() {
	ac.mu.Lock()
	defer ac.mu.Unlock()
	if ac.down != nil {
		ac.down()
		ac.down = nil
	}
}

type clientConn struct {
	b     *balancer
	mu    sync.RWMutex
	conns map[address]*addrConn
}

func dial(b *balancer) *clientConn {
	cc := &clientConn{b: b, conns: map[address]*addrConn{}}
	go cc.lbWatcher()
	return cc
}

func (cc *clientConn) lbWatcher() {
	for addrs := range cc.b.Notify() {
		var add []address
		var del []*addrConn
		cc.mu.Lock()
		for _, a := range addrs {
			if _, ok := cc.conns[a]; !ok {
				add = append(add, a)
			}
		}
		for a, ac := range cc.conns {
			keep := false
			for _, x := range addrs {
				if x == a {
					keep = true
					break
				}
			}
			if !keep {
				del = append(del, ac)
				delete(cc.conns, a)
			}
		}
		cc.mu.Unlock()
		for _, a := range add {
			cc.newAddrConn(a)
		}
		for _, ac := range del {
			ac.tearDown()
		}
	}
}

func (cc *clientConn) newAddrConn(a address) {
	ac := &addrConn{cc: cc, addr: a}
	cc.mu.Lock()
	if cc.conns == nil {
		cc.mu.Unlock()
		return
	}
	cc.conns[a] = ac
	cc.mu.Unlock()
	go ac.resetTransport()
}

func (cc *clientConn) Close() {
	cc.mu.Lock()
	conns := cc.conns
	cc.conns = nil
	cc.mu.Unlock()
	cc.b.Close()
	for _, ac := range conns {
		ac.tearDown()
	}
}

func run(fixed bool) {
	b := newBalancer(fixed)
	cc := dial(b)
	closec := make(chan struct{})
	go func() {
		defer close(closec)
		b.Close()
	}()
	go cc.Close()
	<-closec
}

// TestEtcd7443_buggy: the lbWatcher sends on the full notifyCh that only it
// reads, holding the balancer mutex everyone else needs.
//
// The blocking interleaving is rare (about one schedule in 650 under
// random search): give the search 10,000 executions, which found it in
// each of 30 independent seeds (scenarios/goker/README.md).
//
//chanfuzz:expect global_deadlock
//chanfuzz:allow partial_deadlock
//chanfuzz:budget 10000
func TestEtcd7443_buggy(t *testing.T) {
	run(false)
}

// TestEtcd7443_fixed: a notify goroutine sends outside the mutex.
func TestEtcd7443_fixed(t *testing.T) {
	run(true)
}
