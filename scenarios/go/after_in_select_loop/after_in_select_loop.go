// Package after_in_select_loop: time.After in a hot select loop, the near
// miss. There is no bug.
//
// The consumer's loop selects on the next message and on time.After(250ms).
// Every iteration makes a timer that the select forgets as soon as a
// message wins. Up to Go 1.22 each one stays in the runtime until it fires,
// so with a message every 10ms about 25 are pending at any time: they pile
// up to rate x duration and then stay flat, as many firing as are made. A
// plateau, not growth, and a growth detector must not flag it. (Go 1.23
// collects an unreferenced timer at once: nothing piles up at all.) The
// leaking variant, time.Tick in the same place, is tick_in_select_loop.
package after_in_select_loop

import "time"

// Msg is one message.
type Msg struct {
	Seq int
}

const messages = 400

func handle(m Msg) { _ = m }

// produce sends messages, one every 10ms, then closes msgs. It paces
// itself with a Ticker, so the message rate stays steady.
func produce(msgs chan<- Msg) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for i := 0; i < messages; i++ {
		<-t.C
		msgs <- Msg{Seq: i}
	}
	close(msgs)
}

// next is one turn of the consumer loop; false once msgs is closed.
func next(msgs <-chan Msg) bool {
	select {
	case m, ok := <-msgs:
		if !ok {
			return false
		}
		handle(m)
	case <-time.After(250 * time.Millisecond):
		// idle: log it
	}
	return true
}

// consume runs the consumer loop until msgs is closed.
func consume(msgs <-chan Msg) {
	for next(msgs) {
	}
}
