// Package double_close_guard: Stop guards close(quit) with a select that
// checks whether quit is already closed.
//
// Two goroutines call Stop -- the signal handler and a health checker
// giving up -- while the server waits on quit. Stop's select-default is a
// check-then-act race: both callers can find quit still open before
// either closes it, and then the second close panics ("close of closed
// channel"). Only the interleaving where both checks come before both
// closes shows it.
//
// Fix: s.stopOnce.Do(func() { close(s.quit) }).
package double_close_guard

import "sync"

// Server runs until it is stopped.
type Server struct {
	quit     chan struct{}
	stopOnce sync.Once
}

// NewServer makes a running server.
func NewServer() *Server {
	return &Server{quit: make(chan struct{})}
}

// StopRacy is the buggy Stop.
func (s *Server) StopRacy() {
	select {
	case <-s.quit: // already stopped
	default:
		close(s.quit) // the other Stop may have closed it since the check
	}
}

// Stop is the fixed one.
func (s *Server) Stop() {
	s.stopOnce.Do(func() { close(s.quit) })
}

// Wait blocks until the server is stopped.
func (s *Server) Wait() { <-s.quit }
