// Package timepkg: Sleep, After, timers (Stop, Reset), tickers, Tick,
// AfterFunc, Now/Since/Until, and Duration's methods, on the virtual
// clock under chanfuzz and the real one under go test.
package timepkg

import (
	"sync"
	"testing"
	"time"
)

func TestSleepAndSince(t *testing.T) {
	start := time.Now()
	time.Sleep(20 * time.Millisecond)
	if el := time.Since(start); el < 20*time.Millisecond {
		t.Fatalf("slept %v", el)
	}
	later := time.Now()
	if !later.After(start) || start.After(later) || !start.Before(later) {
		t.Fatal("time ordering")
	}
	if later.Sub(start) < 20*time.Millisecond {
		t.Fatal("Sub")
	}
	deadline := time.Now().Add(time.Hour)
	if u := time.Until(deadline); u <= 59*time.Minute || u > time.Hour {
		t.Fatalf("Until: %v", u)
	}
	time.Sleep(0)
	time.Sleep(-time.Second) // returns at once
}

func TestDurationMethods(t *testing.T) {
	d := 90 * time.Second
	if d.Minutes() != 1.5 || d.Seconds() != 90 || d.Milliseconds() != 90000 {
		t.Fatal("Minutes/Seconds/Milliseconds")
	}
	if d.String() != "1m30s" || (1500 * time.Millisecond).String() != "1.5s" || time.Duration(0).String() != "0s" {
		t.Fatalf("String: %s", d.String())
	}
	if (2 * time.Hour).Hours() != 2 || time.Microsecond.Nanoseconds() != 1000 {
		t.Fatal("Hours/Nanoseconds")
	}
	if (1234 * time.Millisecond).Round(time.Second) != time.Second || (1999 * time.Millisecond).Truncate(time.Second) != time.Second {
		t.Fatal("Round/Truncate")
	}
	if time.Duration(-5).Abs() != 5 {
		t.Fatal("Abs")
	}
}

func TestAfterAndTimer(t *testing.T) {
	never := make(chan int)
	select {
	case <-time.After(5 * time.Millisecond):
	case <-never:
		t.Fatal("nothing sends")
	}
	// (a select over After(5ms) and After(time.Hour) may take either
	// under the model: the clock may jump an hour before the select)
	tm := time.NewTimer(10 * time.Millisecond)
	fired := <-tm.C
	if fired.IsZero() {
		t.Fatal("timer sends the time")
	}
	if tm.Stop() {
		t.Fatal("Stop after fire reports false")
	}
	// The model may advance the clock at any preemption ("the code took
	// that long"), so even an hour's timer may have fired: assert only
	// what holds either way.
	tm2 := time.NewTimer(time.Hour)
	if tm2.Stop() {
		select {
		case <-tm2.C:
			t.Fatal("stopped timer fired")
		default:
		}
	}
	tm2.Reset(time.Millisecond)
	<-tm2.C
	tm3 := time.NewTimer(time.Hour)
	tm3.Reset(2 * time.Millisecond)
	<-tm3.C
}

func TestTickers(t *testing.T) {
	tk := time.NewTicker(5 * time.Millisecond)
	n := 0
	for range tk.C {
		n++
		if n == 3 {
			break
		}
	}
	tk.Reset(time.Millisecond)
	<-tk.C
	tk.Stop()
	if n != 3 {
		t.Fatal("ticks")
	}
	// time.Tick with a non-positive duration is nil
	if time.Tick(0) != nil {
		t.Fatal("Tick(0)")
	}
}

func TestAfterFunc(t *testing.T) {
	var mu sync.Mutex
	ran := 0
	done := make(chan struct{})
	time.AfterFunc(3*time.Millisecond, func() {
		mu.Lock()
		ran++
		mu.Unlock()
		close(done)
	})
	<-done
	mu.Lock()
	if ran != 1 {
		t.Fatal("AfterFunc ran once")
	}
	mu.Unlock()
	var late sync.WaitGroup
	late.Add(1)
	lateRan := false
	never := time.AfterFunc(time.Hour, func() {
		lateRan = true
		late.Done()
	})
	if never.Stop() {
		late.Done() // stopped before it ran: it never will
	}
	late.Wait()
	// Stop reported false exactly when the function ran (or was started)
	_ = lateRan
}

func TestTimeoutPattern(t *testing.T) {
	work := func(d time.Duration) error {
		res := make(chan error, 1)
		go func() {
			time.Sleep(d)
			res <- nil
		}()
		select {
		case err := <-res:
			return err
		case <-time.After(50 * time.Millisecond):
			return errTimeout
		}
	}
	// a 1ms job against a 50ms timeout may lose under the model (the
	// clock may jump): either result is fine, and the buffered result
	// channel keeps the worker from leaking
	if err := work(time.Millisecond); err != nil && err != errTimeout {
		t.Fatal(err)
	}
	// a 1s job never beats the 50ms timer: the clock reaches 50ms first
	if err := work(time.Second); err != errTimeout {
		t.Fatal("slow work finished")
	}
}

type timeoutError struct{}

func (timeoutError) Error() string { return "timeout" }

var errTimeout error = timeoutError{}
