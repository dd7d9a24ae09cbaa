// Package istio_16224 is the GoKer kernel of istio/istio#16224, rewritten for
// chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock (no reproduction rate
// stated).
//
// Goroutines:
//   - the test goroutine registers an event handler on a config controller,
//     starts the controller's monitor, posts one create event, then takes
//     and releases the test's mutex, waits for the handler's done signal and
//     finally closes the stop channel;
//   - the monitor goroutine receives events from its unbuffered event
//     channel and runs the handlers; the handler locks the test's mutex and,
//     still holding it, sends on the unbuffered done channel. On stop the
//     monitor receives once more from the event channel before it returns.
//
// Blocking interleaving: the monitor's handler locks the mutex first and
// blocks sending done; the test goroutine then blocks on the mutex and can
// never receive done: a global deadlock. In the other order the test gets
// past the mutex, but after close(stop) the monitor blocks for ever on its
// extra receive from the event channel, which nobody sends on or closes, so
// the monitor is left blocked after the test returns.
//
// Fix (after istio/istio#16224): the handler signals done after releasing the
// mutex, and the monitor returns on stop without receiving again.
package istio_16224

import (
	"sync"
	"testing"
)

type event int

type handler func(event)

type monitor struct {
	handlers []handler
	events   chan event
	fixed    bool
}

func (m *monitor) Run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			if !m.fixed {
				if _, ok := <-m.events; ok { // buggy: nobody sends any more
					close(m.events)
				}
			}
			return
		case e, ok := <-m.events:
			if ok {
				for _, h := range m.handlers {
					h(e)
				}
			}
		}
	}
}

type controller struct {
	m *monitor
}

func (c *controller) RegisterEventHandler(h handler) { c.m.handlers = append(c.m.handlers, h) }

func (c *controller) Run(stop <-chan struct{}) { c.m.Run(stop) }

func (c *controller) Create() { c.m.events <- event(0) }

func run(fixed bool) {
	c := &controller{m: &monitor{events: make(chan event), fixed: fixed}}
	done := make(chan bool)
	var mu sync.Mutex
	c.RegisterEventHandler(func(event) {
		mu.Lock()
		if fixed {
			mu.Unlock()
			done <- true
			return
		}
		defer mu.Unlock()
		done <- true // buggy: sends while holding mu
	})
	stop := make(chan struct{})
	go c.Run(stop)
	c.Create()
	mu.Lock()
	mu.Unlock()
	<-done
	close(stop)
}

// TestIstio16224_buggy: the handler holds the mutex the test goroutine needs
// before it can receive done; in the other order the monitor leaks on stop.
//
//chanfuzz:expect global_deadlock
//chanfuzz:allow partial_deadlock
func TestIstio16224_buggy(t *testing.T) {
	run(false)
}

// TestIstio16224_fixed: done is sent without the mutex, and stop ends the
// monitor at once.
func TestIstio16224_fixed(t *testing.T) {
	run(true)
}
