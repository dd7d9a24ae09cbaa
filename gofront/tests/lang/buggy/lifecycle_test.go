package buggy

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// The cache-hit path returns before cancel is called.
//
//chanfuzz:expect lost_cancel
func TestLostCancel_buggy(t *testing.T) {
	lookup := func(hit bool) error {
		ctx, cancel := withTimeout(time.Hour) // (a helper: go vet would see it)
		if hit {
			return nil // cancel never called
		}
		defer cancel()
		return ctx.Err()
	}
	_ = lookup(true)
}

func withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

func TestLostCancel_fixed(t *testing.T) {
	lookup := func(hit bool) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		if hit {
			return nil
		}
		return ctx.Err()
	}
	_ = lookup(true)
}

// An error path returns without closing the file.
//
//chanfuzz:expect resource_not_closed
func TestFileNotClosed_buggy(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "" {
		return // forgot f.Close()
	}
	f.Close()
}

// Two goroutines both close the done channel.
//
//chanfuzz:expect panic
func TestDoubleClose_buggy(t *testing.T) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-done:
			default:
				close(done) // check-then-act race
			}
		}()
	}
	wg.Wait()
}

// The fix: sync.Once.
func TestDoubleClose_fixed(t *testing.T) {
	done := make(chan struct{})
	var once sync.Once
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { close(done) })
		}()
	}
	wg.Wait()
}

// A lookup that indexes past the end on one schedule only.
//
//chanfuzz:expect panic
func TestRacyIndex_buggy(t *testing.T) {
	var mu sync.Mutex
	items := []int{1}
	done := make(chan bool)
	go func() {
		mu.Lock()
		items = items[:0]
		mu.Unlock()
		done <- true
	}()
	mu.Lock()
	n := len(items)
	mu.Unlock()
	if n > 0 {
		mu.Lock()
		_ = items[0] // may be gone by now
		mu.Unlock()
	}
	<-done
}

// Unlock of a mutex that is not locked.
//
//chanfuzz:expect fatal_error
func TestDoubleUnlock_buggy(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	mu.Unlock()
	mu.Unlock()
}

// A watchdog AfterFunc never stopped keeps its closure (and buffer)
// alive: two hours is past the settle time (one hour), so it is still
// pending at the end.
//
//chanfuzz:expect unreleased_closure
func TestAfterFuncNotStopped_buggy(t *testing.T) {
	buf := make([]byte, 1<<16)
	w := time.AfterFunc(2*time.Hour, func() { _ = buf[0] })
	_ = w // forgot w.Stop()
}

// A poller on a ticker nobody stops: it never exits.
//
//chanfuzz:expect never_exits,timer_not_stopped
func TestTickerLoop_buggy(t *testing.T) {
	tk := time.NewTicker(time.Millisecond)
	go func() {
		for range tk.C {
		}
	}()
}

var flusher *time.Ticker

// A Ticker kept by a global and never stopped.
//
//chanfuzz:expect timer_not_stopped
func TestGlobalTicker_buggy(t *testing.T) {
	flusher = time.NewTicker(time.Second)
	<-flusher.C
}

// A busy loop polls ctx.Done with a default case: nothing cancels ctx,
// so it spins for ever.
//
//chanfuzz:expect step_budget
func TestBusyPoll_buggy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	spins := 0
	for {
		select {
		case <-ctx.Done():
			return
		default:
			spins++
		}
	}
}
