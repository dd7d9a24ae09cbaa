// Package etcd_7492 is the GoKer kernel of etcd-io/etcd#7492 (fix commit
// 1b1fabef8ffe), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors
// report 40/100 reproductions.
//
// Goroutines:
//   - the test goroutine sets up an auth store with the simple token
//     provider (which starts the token TTL keeper), starts three
//     authenticating goroutines, waits for them on a WaitGroup and, deferred,
//     disables the provider (stopping the keeper);
//   - the keeper loops on a select: a new-token notification on its add
//     channel (capacity 1) records a token; a tick of its 1ns ticker expires
//     every recorded token through the provider's delete callback, which
//     takes the provider's token mutex; a stop request ends it;
//   - each authenticating goroutine assigns a token: it takes the token
//     mutex and, still holding it, sends on the keeper's add channel.
//
// Blocking interleaving: the keeper takes one notification (the slot is free
// again) and a second assigner fills the slot; a third assigner takes the
// mutex and blocks sending on the full channel. The keeper now takes a tick
// and, to expire the recorded token, waits for the mutex held by the
// blocked assigner: the keeper, the assigner, the test goroutine on the
// WaitGroup (and any assigner queued on the mutex) are blocked for ever.
//
// Fix (upstream, etcd-io/etcd#7492): the keeper loses its add channel; its
// token map is guarded by the provider's token mutex, the assigner records
// the token directly under that mutex, and the keeper holds the same mutex
// while it expires tokens (the delete callback no longer locks).
package etcd_7492

import (
	"sync"
	"testing"
	"time"
)

type ttlKeeper struct {
	tokens   map[string]time.Time
	addc     chan struct{}      // buggy variant
	stopc    chan chan struct{} // buggy variant
	quitc    chan struct{}      // fixed variant
	donec    chan struct{}      // fixed variant
	mu       *sync.Mutex        // fixed variant: the provider's token mutex
	onExpire func(string)
}

func (k *ttlKeeper) runBuggy() {
	ticker := time.NewTicker(time.Nanosecond)
	defer ticker.Stop()
	for {
		select {
		case <-k.addc:
			k.tokens["token"] = time.Now()
		case <-ticker.C:
			for tk := range k.tokens {
				k.onExpire(tk) // takes the token mutex
				delete(k.tokens, tk)
			}
		case ack := <-k.stopc:
			ack <- struct{}{}
			return
		}
	}
}

func (k *ttlKeeper) runFixed() {
	ticker := time.NewTicker(time.Nanosecond)
	defer func() {
		ticker.Stop()
		close(k.donec)
	}()
	for {
		select {
		case <-ticker.C:
			k.mu.Lock()
			for tk := range k.tokens {
				k.onExpire(tk) // expects the token mutex held
				delete(k.tokens, tk)
			}
			k.mu.Unlock()
		case <-k.quitc:
			return
		}
	}
}

func (k *ttlKeeper) stop(fixed bool) {
	if fixed {
		close(k.quitc)
		<-k.donec
		return
	}
	ack := make(chan struct{})
	k.stopc <- ack
	<-ack
	close(k.stopc)
}

type simpleTokens struct {
	mu     sync.Mutex
	keeper *ttlKeeper
	fixed  bool
}

func (p *simpleTokens) enable() {
	k := &ttlKeeper{tokens: map[string]time.Time{}}
	if p.fixed {
		k.mu = &p.mu
		k.quitc = make(chan struct{})
		k.donec = make(chan struct{})
		k.onExpire = func(string) {}
		p.keeper = k
		go k.runFixed()
		return
	}
	k.addc = make(chan struct{}, 1)
	k.stopc = make(chan chan struct{})
	k.onExpire = func(string) {
		p.mu.Lock()
		defer p.mu.Unlock()
	}
	p.keeper = k
	go k.runBuggy()
}

func (p *simpleTokens) assign() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fixed {
		p.keeper.tokens["token"] = time.Now()
		return
	}
	p.keeper.addc <- struct{}{} // buggy: may block with mu held
}

func (p *simpleTokens) disable() {
	if p.keeper != nil {
		p.keeper.stop(p.fixed)
		p.keeper = nil
	}
	p.mu.Lock()
	p.mu.Unlock()
}

func run(fixed bool) {
	p := &simpleTokens{fixed: fixed}
	p.enable()
	defer p.disable()
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.assign()
		}()
	}
	wg.Wait()
}

// TestEtcd7492_buggy: an assigner blocks on the full add channel holding the
// mutex the ticking keeper needs.
//
//chanfuzz:expect global_deadlock
func TestEtcd7492_buggy(t *testing.T) {
	run(false)
}

// TestEtcd7492_fixed: no channel between assigner and keeper; both use the
// token mutex.
func TestEtcd7492_fixed(t *testing.T) {
	run(true)
}
