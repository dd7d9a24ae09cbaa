// Package cockroach_584 is the GoKer kernel of cockroachdb/cockroach#584,
// rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking (the kernel states no
// reproduction rate; the bug shows in every schedule).
//
// Goroutines:
//   - the test goroutine builds a gossip node that is already shut down,
//     starts one goroutine and returns;
//   - that goroutine runs the bootstrap loop and then the manage loop. Each
//     loop locks mu, and leaves the loop with break when it sees the node
//     shut down.
//
// Blocking interleaving: none is needed. The shutdown branch of the
// bootstrap loop breaks out while still holding mu (a defer cannot be used
// inside the loop), so the Lock at the top of the manage loop waits for ever
// on a mutex its own goroutine holds.
//
// Fix (upstream, cockroachdb/cockroach#584): unlock mu before each break.
package cockroach_584

import (
	"sync"
	"testing"
)

type gossipNode struct {
	mu       sync.Mutex
	shutdown bool
	fixed    bool
}

// bootstrapLoop keeps trying to reach the bootstrap hosts until the node is
// shut down.
func (g *gossipNode) bootstrapLoop() {
	for {
		g.mu.Lock()
		if g.shutdown {
			if g.fixed {
				g.mu.Unlock()
			}
			break // buggy: mu stays locked
		}
		g.mu.Unlock()
		break
	}
}

// manageLoop maintains the peer connections until the node is shut down.
func (g *gossipNode) manageLoop() {
	for {
		g.mu.Lock()
		if g.shutdown {
			if g.fixed {
				g.mu.Unlock()
			}
			break
		}
		g.mu.Unlock()
		break
	}
}

func run(fixed bool) {
	g := &gossipNode{shutdown: true, fixed: fixed}
	go func() {
		g.bootstrapLoop()
		g.manageLoop()
	}()
}

// TestCockroach584_buggy: the gossip goroutine locks mu a second time and
// stays blocked after the test returns.
//
//chanfuzz:expect partial_deadlock
func TestCockroach584_buggy(t *testing.T) {
	run(false)
}

// TestCockroach584_fixed: every break releases mu first.
func TestCockroach584_fixed(t *testing.T) {
	run(true)
}
