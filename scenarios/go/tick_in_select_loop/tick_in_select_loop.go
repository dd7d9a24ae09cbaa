// Package tick_in_select_loop: time.Tick in a hot select loop, under Go
// 1.22 semantics and earlier (Go 1.19 here).
//
// The consumer's loop selects on the next message and on an idle timeout
// made by time.Tick(250ms). Every iteration starts a new Ticker that
// nobody can stop, and before Go 1.23 the runtime never collects an
// unstopped Ticker: with a message every 10ms, one more ticker per message
// stays in the runtime's timer heap, ticking for ever. They only
// accumulate: unstopped timers, growing with the messages.
//
// Fix: time.After(250ms). Its timer fires once and is then released, so
// the pending timers pile up only to rate x duration (about 25) and stay
// there: a plateau, not growth (see after_in_select_loop).
package tick_in_select_loop

import "time"

// Msg is one message.
type Msg struct {
	Seq int
}

const (
	messages = 400
	idle     = 250 * time.Millisecond
)

func handle(m Msg) { _ = m }

// produce sends messages, one every 10ms, then closes msgs.
func produce(msgs chan<- Msg) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for i := 0; i < messages; i++ {
		<-t.C
		msgs <- Msg{Seq: i}
	}
	close(msgs)
}

// nextWithTick is one turn of the buggy consumer loop; false once msgs is
// closed.
func nextWithTick(msgs <-chan Msg) bool {
	select {
	case m, ok := <-msgs:
		if !ok {
			return false
		}
		handle(m)
	case <-time.Tick(idle): // a new Ticker every turn, never stopped
		// idle: log it
	}
	return true
}

// nextWithAfter is one turn of the fixed loop.
func nextWithAfter(msgs <-chan Msg) bool {
	select {
	case m, ok := <-msgs:
		if !ok {
			return false
		}
		handle(m)
	case <-time.After(idle):
		// idle: log it
	}
	return true
}

// consume runs a consumer loop until msgs is closed.
func consume(msgs <-chan Msg, next func(<-chan Msg) bool) {
	for next(msgs) {
	}
}
