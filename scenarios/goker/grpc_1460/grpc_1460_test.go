// Package grpc_1460 is the GoKer kernel of grpc/grpc-go#1460 (fix commit
// e605a1ecf24b, "transport: Fix deadlock in client keepalive."), rewritten
// for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors
// report 100/100 reproductions.
//
// This kernel follows the upstream transport more closely than the GoBench
// one: the awaken channel has one slot and is kept full ("not writable")
// except while the keepalive goroutine waits to be woken.
//
// Goroutines:
//   - the test goroutine starts the keepalive goroutine and a stream
//     goroutine, and returns;
//   - the keepalive goroutine runs two rounds; in each it takes the
//     transport mutex and, when no stream is active, takes the token out of
//     the awaken channel (making it writable), unlocks, and waits on the
//     channel to be woken;
//   - the stream goroutine opens a stream, closes it and opens another. When
//     opening makes the first stream active, NewStream (holding the mutex)
//     wakes keepalive with a non-blocking send.
//
// Blocking interleaving: keepalive waits idle; the first NewStream wakes it,
// which empties the channel. The stream is closed; keepalive's second round
// finds no stream and, holding the mutex, receives from the now empty
// channel: it blocks for ever with the mutex held, and the second NewStream
// blocks on the mutex. Both stay blocked after the test returns.
//
// Fix (upstream, grpc/grpc-go#1460): after waking keepalive, NewStream
// refills the channel, so it is again not writable and keepalive's
// token-taking receive never waits.
package grpc_1460

import (
	"sync"
	"testing"
)

type transport struct {
	mu     sync.Mutex
	awaken chan struct{}
	active int
	fixed  bool
}

func newTransport(fixed bool) *transport {
	t := &transport{awaken: make(chan struct{}, 1), fixed: fixed}
	t.awaken <- struct{}{}
	return t
}

func (t *transport) keepalive() {
	for round := 0; round < 2; round++ {
		t.mu.Lock()
		if t.active < 1 {
			<-t.awaken // make the channel writable; buggy: may wait with mu held
			t.mu.Unlock()
			<-t.awaken // wait to be woken by NewStream
			continue
		}
		t.mu.Unlock()
	}
}

func (t *transport) NewStream() {
	t.mu.Lock()
	t.active++
	if t.active == 1 {
		select {
		case t.awaken <- struct{}{}:
			if t.fixed {
				t.awaken <- struct{}{} // refill: not writable again
			}
		default:
		}
	}
	t.mu.Unlock()
}

func (t *transport) CloseStream() {
	t.mu.Lock()
	t.active--
	t.mu.Unlock()
}

func run(fixed bool) {
	t := newTransport(fixed)
	go t.keepalive()
	go func() {
		t.NewStream()
		t.CloseStream()
		t.NewStream()
	}()
}

// TestGrpc1460_buggy: keepalive waits on the empty awaken channel holding
// the mutex; NewStream waits on the mutex.
//
//chanfuzz:expect partial_deadlock
func TestGrpc1460_buggy(t *testing.T) {
	run(false)
}

// TestGrpc1460_fixed: NewStream refills the awaken channel.
func TestGrpc1460_fixed(t *testing.T) {
	run(true)
}
