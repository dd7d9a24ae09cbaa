// Package kubernetes_38669 is the GoKer kernel of kubernetes/kubernetes#38669
// ("Fix leaking goroutines in watch cache"), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. GoBench states no
// reproduction rate; the kernel blocks in every schedule.
//
// Goroutines:
//   - the test goroutine creates a cache watcher with two initial events and
//     channel size 0, then stops the watcher without reading any result;
//   - the watcher's process goroutine first delivers the initial events on the
//     result channel, then loops on the input channel until it is closed.
//
// Blocking interleaving: none is needed. The result channel has no buffer and
// nobody reads it (upstream: the watch server gave up after its timeout), so
// process blocks on the first initial event. Stop closes the input channel,
// but process is not yet looking at it: it stays blocked on the result send
// after the test returns.
//
// Fix (upstream): the watcher gets a done channel that Stop closes, and every
// send on the result channel is a select that also gives up when done is
// closed.
package kubernetes_38669

import (
	"sync"
	"testing"
)

type event int

type cacheWatcher struct {
	mu      sync.Mutex
	input   chan event
	result  chan event
	done    chan struct{}
	stopped bool
	fix     bool
}

func newCacheWatcher(size int, initial []event, fix bool) *cacheWatcher {
	w := &cacheWatcher{
		input:  make(chan event, size),
		result: make(chan event, size),
		done:   make(chan struct{}),
		fix:    fix,
	}
	go w.process(initial)
	return w
}

func (w *cacheWatcher) process(initial []event) {
	for _, e := range initial {
		w.send(e)
	}
	defer close(w.result)
	defer w.Stop()
	for {
		if _, ok := <-w.input; !ok {
			return
		}
	}
}

func (w *cacheWatcher) send(e event) {
	if !w.fix {
		w.result <- e // nobody reads result: blocks for ever
		return
	}
	select {
	case <-w.done:
		return
	default:
	}
	select {
	case w.result <- e:
	case <-w.done:
	}
}

// Stop ends the watch; it may be called more than once.
func (w *cacheWatcher) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	w.stopped = true
	close(w.done)
	close(w.input)
}

// TestKubernetes38669_buggy: process leaks on the first initial event.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes38669_buggy(t *testing.T) {
	w := newCacheWatcher(0, []event{1, 2}, false)
	w.Stop()
}

// TestKubernetes38669_fixed: Stop's done channel releases the pending send.
func TestKubernetes38669_fixed(t *testing.T) {
	w := newCacheWatcher(0, []event{1, 2}, true)
	w.Stop()
}
