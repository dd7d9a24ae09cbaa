package tick_in_select_loop

import (
	"runtime"
	"testing"
)

const checkpointEvery = 10

// run consumes the producer's messages, one turn of the loop per message
// with a collection every checkpointEvery turns (chanfuzz's growth
// checkpoints), then whatever is left until the close.
func run(next func(<-chan Msg) bool) {
	msgs := make(chan Msg)
	go produce(msgs)
	for i := 0; i < messages; i++ {
		next(msgs)
		if (i+1)%checkpointEvery == 0 {
			runtime.GC()
		}
	}
	consume(msgs, next)
}

// TestTickInSelectLoop_buggy consumes 400 messages with time.Tick as the
// idle timeout: one unstoppable Ticker more per message.
//
//chanfuzz:expect growth,timer_not_stopped
func TestTickInSelectLoop_buggy(t *testing.T) {
	run(nextWithTick)
}

// TestTickInSelectLoop_fixed consumes them with time.After.
func TestTickInSelectLoop_fixed(t *testing.T) {
	run(nextWithAfter)
}
