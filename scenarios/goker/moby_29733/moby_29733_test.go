// Package moby_29733 is the GoKer kernel of moby/moby#29733, rewritten for
// chanfuzz.
//
// GoBench subtype: Communication deadlock / Condition variable (a Wait with no
// matching Signal or Broadcast). GoBench states no reproduction rate; the
// kernel blocks in every schedule.
//
// Goroutines:
//   - the test goroutine registers an already activated v1 plugin, checks that
//     waiting for activation returns, registers a new extension-point handler
//     (handle), and waits for activation again;
//   - each check runs waitActive on a helper goroutine, which closes a done
//     channel the test goroutine receives from.
//
// Blocking interleaving: none is needed. handle marks every stored plugin as
// not activated so that its handlers run on the next activation, but nothing
// activates the plugin again and nobody signals its condition variable. The
// second helper waits on the Cond for ever and the test goroutine waits on
// the helper's done channel for ever: a global deadlock. (GoBench's kernel
// starts from a plugin that was never activated, so its first check already
// blocks; this one starts pre-activated, as the upstream regression test
// TestPluginAddHandler does.)
//
// Fix (upstream): handle no longer clears the activated flag; it clears a
// separate handlersRun flag, so waiters of an active plugin return at once.
package moby_29733

import (
	"sync"
	"testing"
)

type plugin struct {
	activated   bool
	handlersRun bool
	cond        *sync.Cond
}

// waitActive blocks until the plugin is activated.
func (p *plugin) waitActive() {
	p.cond.L.Lock()
	for !p.activated {
		p.cond.Wait()
	}
	p.cond.L.Unlock()
}

type registry struct {
	mu       sync.Mutex
	plugins  map[string]*plugin
	handlers struct {
		sync.RWMutex
		byKind map[string][]func()
	}
	fix bool
}

// handle registers fn for plugins of kind and asks every stored plugin to run
// its handlers again.
func (r *registry) handle(kind string, fn func()) {
	r.handlers.Lock()
	r.handlers.byKind[kind] = append(r.handlers.byKind[kind], fn)
	r.mu.Lock()
	for _, p := range r.plugins {
		p.cond.L.Lock()
		if r.fix {
			p.handlersRun = false
		} else {
			p.activated = false // nobody will set it back or signal
		}
		p.cond.L.Unlock()
	}
	r.mu.Unlock()
	r.handlers.Unlock()
}

// checkActive waits on a helper goroutine for p to be active.
func checkActive(p *plugin) {
	done := make(chan struct{})
	go func() {
		p.waitActive()
		close(done)
	}()
	<-done
}

func run(fix bool) {
	r := &registry{plugins: map[string]*plugin{}, fix: fix}
	r.handlers.byKind = map[string][]func(){}
	p := &plugin{activated: true, handlersRun: true, cond: sync.NewCond(&sync.Mutex{})}
	r.plugins["bananas"] = p

	checkActive(p)
	r.handle("VolumeDriver", func() {})
	checkActive(p)
}

// TestMoby29733_buggy: after handle the plugin reads as inactive for ever and
// the second check blocks with its helper.
//
//chanfuzz:expect global_deadlock
func TestMoby29733_buggy(t *testing.T) {
	run(false)
}

// TestMoby29733_fixed: handle leaves the activated flag alone.
func TestMoby29733_fixed(t *testing.T) {
	run(true)
}
