// Package cockroach_18101 is the GoKer kernel of cockroachdb/cockroach#18101
// (fix commit 822bd176cc72), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Context (the GoBench
// table files it under Resource deadlock / Double locking). The GoBench
// authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts a restore goroutine and a goroutine that
//     cancels the context, and returns;
//   - the restore goroutine starts a splitter goroutine that sends 8 spans
//     into a channel with room for 6 and closes it at the end, then ranges
//     over the channel; for each span it waits for ctx.Done() only and
//     returns on cancel without draining the channel;
//   - the cancelling goroutine calls cancel.
//
// Blocking interleaving: the restore goroutine takes the first span and
// returns on cancel. The splitter fills the six free slots and blocks on
// the eighth send for ever: the cancel reaches only the receiver, the
// sender does not watch the context.
//
// Fix (upstream, cockroachdb/cockroach#18101): the splitter sends inside a
// select that also watches ctx.Done() and gives up on cancel.
package cockroach_18101

import (
	"context"
	"testing"
)

const slots = 6

func splitSpans(ctx context.Context, ready chan<- bool, fixed bool) {
	for i := 0; i < slots+2; i++ {
		if fixed {
			select {
			case ready <- i != 0:
			case <-ctx.Done():
				return
			}
			continue
		}
		ready <- i != 0 // buggy: ignores ctx
	}
}

func restore(ctx context.Context, fixed bool) bool {
	ready := make(chan bool, slots)
	go func() {
		defer close(ready)
		splitSpans(ctx, ready, fixed)
	}()
	for span := range ready {
		select {
		case <-ctx.Done():
			return span
		}
	}
	return true
}

func run(fixed bool) {
	ctx, cancel := context.WithCancel(context.Background())
	go restore(ctx, fixed)
	go cancel()
}

// TestCockroach18101_buggy: the splitter blocks on the full span channel.
//
//chanfuzz:expect partial_deadlock
func TestCockroach18101_buggy(t *testing.T) {
	run(false)
}

// TestCockroach18101_fixed: the splitter stops sending on cancel.
func TestCockroach18101_fixed(t *testing.T) {
	run(true)
}
