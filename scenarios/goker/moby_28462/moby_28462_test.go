// Package moby_28462 is the GoKer kernel of moby/moby#28462 (fix commit
// 89b123473774), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors report
// 69/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the health monitor and the daemon's
//     stateChanged handler and returns;
//   - the monitor loops on a select: return when the stop channel yields,
//     otherwise (default) handle a probe result, which locks the container;
//   - stateChanged locks the container and, with the lock held, stops the
//     monitor by sending on the unbuffered stop channel.
//
// Blocking interleaving: the monitor takes the default branch and is about to
// lock the container; stateChanged locks the container first and sends on
// stop. The monitor blocks on the container lock and never gets back to the
// select that would receive the stop; stateChanged blocks on the send and
// never unlocks. Both leak after the test returns. If the monitor is already
// in the select when stateChanged sends, the stop is received and nothing
// blocks.
//
// Fix (upstream): closeMonitorChannel closes the stop channel (and forgets
// it) instead of sending on it, so it never waits for the monitor.
package moby_28462

import (
	"sync"
	"testing"
)

type health struct {
	stop chan struct{}
	fix  bool
}

func (h *health) openMonitorChannel() chan struct{} { return h.stop }

// closeMonitorChannel stops the monitor. The caller holds the container lock.
func (h *health) closeMonitorChannel() {
	if h.stop == nil {
		return
	}
	if h.fix {
		close(h.stop)
		h.stop = nil
		return
	}
	h.stop <- struct{}{} // waits for a monitor that may be waiting for our lock
}

type container struct {
	mu     sync.Mutex
	health *health
	probes int
}

type daemon struct {
	c *container
}

func (d *daemon) stateChanged() {
	c := d.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.health.closeMonitorChannel()
}

func monitor(c *container, stop chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
			handleProbeResult(c)
		}
	}
}

func handleProbeResult(c *container) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.probes++
}

func start(fix bool) {
	c := &container{health: &health{stop: make(chan struct{}), fix: fix}}
	d := &daemon{c: c}
	go monitor(c, c.health.openMonitorChannel())
	go d.stateChanged()
}

// TestMoby28462_buggy: the stop is sent under the lock the monitor needs.
//
//chanfuzz:expect partial_deadlock
func TestMoby28462_buggy(t *testing.T) {
	start(false)
}

// TestMoby28462_fixed: the stop channel is closed instead.
func TestMoby28462_fixed(t *testing.T) {
	start(true)
}
