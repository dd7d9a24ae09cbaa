// Package grpc_660 is the GoKer kernel of grpc/grpc-go#660 (fix commit
// ceacfbcbc151, "Add selecting on stop chan to avoid goroutine leak"),
// rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the benchmark's closed-loop goroutine and a
//     goroutine that sends the stop signal, and returns;
//   - the closed loop, in each round, starts a call goroutine and waits in a
//     select for either that call's result or the stop signal;
//   - each call goroutine sends its outcome (ok or failed, chosen with
//     math/rand) on the unbuffered done channel;
//   - the stopping goroutine sends once on the unbuffered stop channel.
//
// Blocking interleaving: the loop picks the stop case and returns; the call
// goroutine of that round then blocks for ever on its done send, as nobody
// will receive it.
//
// Fix (upstream, grpc/grpc-go#660): the call goroutine sends its result in a
// select that also watches the stop channel. Upstream the stop channel is
// closed by the benchmark's shutdown; here the stopping goroutine closes it
// in the fixed variant, so every waiter sees it.
package grpc_660

import (
	"math/rand"
	"testing"
)

type loadClient struct {
	stop  chan bool
	fixed bool
}

func (c *loadClient) closedLoop() {
	for {
		done := make(chan bool)
		go func() {
			ok := rand.Intn(10) <= 7
			if c.fixed {
				select {
				case done <- ok:
				case <-c.stop:
				}
				return
			}
			done <- ok // buggy: nobody may be listening any more
		}()
		select {
		case <-c.stop:
			return
		case <-done:
		}
	}
}

func run(fixed bool) {
	c := &loadClient{stop: make(chan bool), fixed: fixed}
	go c.closedLoop()
	go func() {
		if fixed {
			close(c.stop)
			return
		}
		c.stop <- true
	}()
}

// TestGrpc660_buggy: the last call goroutine blocks on its result send.
//
//chanfuzz:expect partial_deadlock
func TestGrpc660_buggy(t *testing.T) {
	run(false)
}

// TestGrpc660_fixed: the call goroutine also watches the stop channel.
func TestGrpc660_fixed(t *testing.T) {
	run(true)
}
