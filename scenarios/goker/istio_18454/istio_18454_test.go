// Package istio_18454 is the GoKer kernel of istio/istio#18454, rewritten for
// chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Context (no
// reproduction rate stated; with a 1ns timer it shows in many schedules).
//
// Goroutines:
//   - the test goroutine creates a debounce strategy (1ns timer, reset
//     channel with one slot, its own worker context) and a processor (its
//     own worker context, event channel with 1024 slots), starts the
//     processor and returns, stopping the processor on the way out;
//   - starting the processor queues 1024 events, then starts the processor
//     loop: a select on its context and on events; each event calls the
//     strategy's OnChange, whose first call (under the state mutex) creates
//     the timer and starts the strategy's event loop, and whose later calls
//     send on the reset channel; when the loop ends it closes the strategy;
//   - the strategy's event loop selects on the timer's channel, the reset
//     channel and its context; on a reset it stops the timer and, when Stop
//     reports the timer had already fired, receives from the timer channel
//     to drain it, then resets the timer.
//
// Blocking interleaving: the event loop receives the timer's tick in its
// first case. On the next reset Stop returns false (the timer has fired),
// and the drain receive waits for a value that was already consumed: the
// event loop blocks for ever outside any select on its context. The
// processor then fills the reset channel and blocks on the next send, also
// outside its select, so the test's cancel cannot reach it and the
// strategy is never closed.
//
// Fix (after istio/istio#18454): the drain after a failed Stop is a
// non-blocking receive (select with default).
package istio_18454

import (
	"context"
	"sync"
	"testing"
	"time"
)

type worker struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newWorker() *worker {
	w := &worker{}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	return w
}

func (w *worker) Start(setup func(), run func(ctx context.Context)) {
	if setup != nil {
		setup()
	}
	go run(w.ctx)
}

func (w *worker) Stop() { w.cancel() }

type debounce struct {
	mu        sync.Mutex
	timer     *time.Timer
	period    time.Duration
	resetc    chan struct{}
	w         *worker
	fixed     bool
	startOnce func()
}

func (d *debounce) OnChange() {
	d.mu.Lock()
	if d.timer != nil {
		d.mu.Unlock()
		d.resetc <- struct{}{} // blocks when the event loop is stuck
		return
	}
	d.startOnce()
	d.mu.Unlock()
}

func (d *debounce) startTimer() {
	d.timer = time.NewTimer(d.period)
	timer := d.timer
	d.w.Start(nil, func(ctx context.Context) {
		for {
			select {
			case <-timer.C:
			case <-d.resetc:
				if !timer.Stop() {
					if d.fixed {
						select {
						case <-timer.C:
						default:
						}
					} else {
						<-timer.C // buggy: the tick may be gone already
					}
				}
				timer.Reset(d.period)
			case <-ctx.Done():
				timer.Stop()
				return
			}
		}
	})
}

func (d *debounce) Close() { d.w.Stop() }

type processor struct {
	d      *debounce
	w      *worker
	events chan int
}

func (p *processor) Start() {
	p.w.Start(func() {
		for i := 0; i < cap(p.events); i++ {
			p.events <- i
		}
	}, func(ctx context.Context) {
		defer p.d.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case <-p.events:
				p.d.OnChange()
			}
		}
	})
}

func (p *processor) Stop() { p.w.Stop() }

func run(fixed bool) {
	d := &debounce{period: time.Nanosecond, resetc: make(chan struct{}, 1), w: newWorker(), fixed: fixed}
	d.startOnce = d.startTimer
	p := &processor{d: d, w: newWorker(), events: make(chan int, 1024)}
	p.Start()
	defer p.Stop()
}

// TestIstio18454_buggy: the event loop waits on a drained timer channel and
// the processor on the full reset channel.
//
//chanfuzz:expect partial_deadlock
//chanfuzz:allow lost_cancel
func TestIstio18454_buggy(t *testing.T) {
	run(false)
}

// TestIstio18454_fixed: the timer channel is drained without blocking.
func TestIstio18454_fixed(t *testing.T) {
	run(true)
}
