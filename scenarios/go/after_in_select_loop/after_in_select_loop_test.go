package after_in_select_loop

import (
	"runtime"
	"testing"
)

const checkpointEvery = 10

// TestAfterInSelectLoop_fixed consumes 400 messages, one turn of the loop
// per message with a collection every checkpointEvery turns (chanfuzz's
// growth checkpoints), then whatever is left until the close. The pending
// timers plateau: nothing may be reported.
func TestAfterInSelectLoop_fixed(t *testing.T) {
	msgs := make(chan Msg)
	go produce(msgs)
	for i := 0; i < messages; i++ {
		next(msgs)
		if (i+1)%checkpointEvery == 0 {
			runtime.GC()
		}
	}
	consume(msgs)
}
