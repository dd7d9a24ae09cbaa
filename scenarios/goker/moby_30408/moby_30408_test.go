// Package moby_30408 is the GoKer kernel of moby/moby#30408, rewritten for
// chanfuzz.
//
// GoBench subtype: Communication deadlock / Condition variable (a Wait with no
// matching Signal or Broadcast). GoBench states no reproduction rate; the
// kernel blocks in every schedule.
//
// Goroutines:
//   - the test goroutine takes a v1 plugin whose activation has failed (an
//     activation error is recorded, no manifest) and waits for it to be
//     active;
//   - the wait runs on a helper goroutine that closes a done channel the test
//     goroutine receives from.
//
// Blocking interleaving: none is needed. waitActive loops on the condition
// variable until a manifest is present. Activation has already ended with an
// error, so no manifest will ever arrive and nobody will Broadcast again. The
// helper waits on the Cond for ever and the test goroutine waits on its done
// channel for ever: a global deadlock.
//
// Fix (upstream): waitActive also stops waiting when an activation error is
// recorded, and returns that error.
package moby_30408

import (
	"errors"
	"sync"
	"testing"
)

type manifest struct {
	implements []string
}

type plugin struct {
	cond        *sync.Cond
	activateErr error
	manifest    *manifest
	fix         bool
}

func (p *plugin) activated() bool { return p.manifest != nil }

func (p *plugin) waitActive() error {
	p.cond.L.Lock()
	for !p.activated() && !(p.fix && p.activateErr != nil) {
		p.cond.Wait()
	}
	err := p.activateErr
	p.cond.L.Unlock()
	return err
}

func checkActive(p *plugin) {
	done := make(chan struct{})
	go func() {
		_ = p.waitActive()
		close(done)
	}()
	<-done
}

func run(fix bool) {
	p := &plugin{cond: sync.NewCond(&sync.Mutex{}), fix: fix}
	p.activateErr = errors.New("plugin handshake failed")
	checkActive(p)
}

// TestMoby30408_buggy: the waiter ignores the activation error and waits for a
// manifest that never comes.
//
//chanfuzz:expect global_deadlock
func TestMoby30408_buggy(t *testing.T) {
	run(false)
}

// TestMoby30408_fixed: the waiter returns the activation error.
func TestMoby30408_fixed(t *testing.T) {
	run(true)
}
