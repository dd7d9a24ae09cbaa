// Package grpc_795 is the GoKer kernel of grpc/grpc-go#795, rewritten for
// chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking (no reproduction rate
// stated; the bug shows in every schedule).
//
// Goroutines:
//   - the test goroutine starts a server (which spawns the serving
//     goroutine) and calls GracefulStop three times, as the idempotence test
//     does;
//   - the serving goroutine locks and unlocks the server mutex once.
//
// Blocking interleaving: none is needed. GracefulStop locks the mutex and
// returns without unlocking it; on the next call the already-draining branch
// locks it again. The second call blocks the test goroutine for ever (and
// the serving goroutine too, if it had not run yet): a global deadlock.
//
// Fix (upstream, grpc/grpc-go#795): GracefulStop unlocks on every path; the
// already-draining branch unlocks and returns.
package grpc_795

import (
	"sync"
	"testing"
)

type server struct {
	mu       sync.Mutex
	draining bool
	fixed    bool
}

func (s *server) GracefulStop() {
	s.mu.Lock()
	if s.draining {
		if s.fixed {
			s.mu.Unlock()
		} else {
			s.mu.Lock() // buggy: locks a second time
		}
		return
	}
	s.draining = true
	if s.fixed {
		s.mu.Unlock()
	}
	// buggy: returns with mu held
}

func (s *server) Serve() {
	s.mu.Lock()
	s.mu.Unlock()
}

func startServer(fixed bool) *server {
	s := &server{fixed: fixed}
	go s.Serve()
	return s
}

func stopRepeatedly(fixed bool) {
	s := startServer(fixed)
	for i := 0; i < 3; i++ {
		s.GracefulStop()
	}
}

// TestGrpc795_buggy: the second GracefulStop blocks the test goroutine.
//
//chanfuzz:expect global_deadlock
func TestGrpc795_buggy(t *testing.T) {
	stopRepeatedly(false)
}

// TestGrpc795_fixed: GracefulStop releases the lock on every path.
func TestGrpc795_fixed(t *testing.T) {
	stopRepeatedly(true)
}
