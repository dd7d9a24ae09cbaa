// Package moby_21233 is the GoKer kernel of moby/moby#21233 ("Fix flaky test
// TestTransfer", fix commit 2f4aa9658408), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts testTransfer on a goroutine and returns;
//   - testTransfer starts a progress consumer that ranges over the unbuffered
//     progress channel, starts three transfers (each with a watcher
//     goroutine), releases each transfer in turn, and finally closes the
//     progress channel and waits for the consumer's done channel;
//   - each watcher loops: read the transfer's last progress under its lock,
//     maybe (math/rand) send it on the progress channel, return if released,
//     otherwise wait for a signal or for release;
//   - release closes the watcher's release channel and waits for the watcher
//     to close its running channel.
//
// Blocking interleaving: the consumer decides that an update is not the one
// it expected and returns (the kernel's stand-in for the t.Fatalf that, in a
// helper goroutine, only ends that goroutine). The next progress send by a
// watcher has no receiver and blocks for ever; that watcher never closes
// running, so testTransfer blocks in release. Even if no watcher sends again,
// testTransfer blocks waiting for the consumer's done channel, which the
// early return never closes. The watcher and testTransfer leak after the test
// returns.
//
// Fix (upstream): the test stops insisting on every intermediate update (a
// new update may overwrite one not yet sent), so the consumer drains the
// channel to the end and closes its done channel.
package moby_21233

import (
	"math/rand"
	"sync"
	"testing"
)

type progress struct {
	current int
}

type output interface {
	writeProgress(progress)
}

type chanOutput chan<- progress

func (o chanOutput) writeProgress(p progress) { o <- p }

type transfer struct {
	mu   sync.Mutex
	last progress
}

type watcher struct {
	signal  chan struct{}
	release chan struct{}
	running chan struct{}
}

func (t *transfer) watch(out output) *watcher {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := &watcher{
		signal:  make(chan struct{}),
		release: make(chan struct{}),
		running: make(chan struct{}),
	}
	go func() {
		defer close(w.running)
		released := false
		for {
			t.mu.Lock()
			p := t.last
			t.mu.Unlock()
			if rand.Intn(2) == 1 {
				out.writeProgress(p)
			}
			if released {
				return
			}
			select {
			case <-w.signal:
			case <-w.release:
				released = true
			}
		}
	}()
	return w
}

func (t *transfer) releaseWatcher(w *watcher) {
	t.mu.Lock()
	t.last.current++
	t.mu.Unlock()
	close(w.release)
	<-w.running
}

type transferManager struct {
	mu sync.Mutex
}

func (m *transferManager) start(out output) (*transfer, *watcher) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &transfer{}
	return t, t.watch(out)
}

func testTransfer(fix bool) {
	m := &transferManager{}
	updates := make(chan progress)
	consumed := make(chan struct{})
	go func() {
		for p := range updates {
			if !fix && rand.Intn(2) == 1 {
				return // "unexpected progress": gives up without draining
			}
			_ = p.current
		}
		close(consumed)
	}()
	ids := []string{"layer-1", "layer-2", "layer-3"}
	transfers := make([]*transfer, len(ids))
	watchers := make([]*watcher, len(ids))
	for i := range ids {
		transfers[i], watchers[i] = m.start(chanOutput(updates))
	}
	for i := range transfers {
		transfers[i].releaseWatcher(watchers[i])
	}
	close(updates)
	<-consumed
}

// TestMoby21233_buggy: the consumer's early return strands a watcher on its
// send and testTransfer on release or on the consumer's done channel.
//
//chanfuzz:expect partial_deadlock
func TestMoby21233_buggy(t *testing.T) {
	go testTransfer(false)
}

// TestMoby21233_fixed: the consumer drains every update.
func TestMoby21233_fixed(t *testing.T) {
	go testTransfer(true)
}
