// support.go -- the runtime support of the Go programs chanfuzz diff
// exports (harness/diff/README.md). Compiled with prog.go, which holds the
// programs p<i> and their bodies p<i>_b<body>.
//
// What a run prints on stdout, one line per write so that a crash loses
// nothing already printed, and lines of different goroutines never mix:
//   s NAME K            goroutine NAME starts op K
//   o NAME TEXT         it observed TEXT ("r3=7/1", "s4=1:7/1", "n5=2/1")
//   x NAME              its body returned
//   e returned          main returned and everything settled
// A panic, a fatal error and Go's deadlock report end the process with
// their own text on stderr; the harness reads them there.
package main

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// S is one goroutine's slots: copied by value into every goroutine it
// starts, so goroutines share objects, never variables.
type S struct {
	c      [4]chan int
	x      [2]context.Context
	cancel [2]context.CancelFunc
	m      [2]*sync.Mutex
	w      [2]*sync.WaitGroup
	t      [2]*time.Timer
	f      [2]*File
	k      [2]*Closure
}

// File stands for the modelled os.File: Close of nil or twice is an error,
// never a panic, and no outcome depends on it.
type File struct{ closed int32 }

func openFile() *File { return &File{} }

func closeFile(f *File) error {
	if f == nil {
		return os.ErrInvalid
	}
	if !atomic.CompareAndSwapInt32(&f.closed, 0, 1) {
		return os.ErrClosed
	}
	return nil
}

// Closure is a pointer type, as weak.Make needs (Go 1.24; such programs
// are skipped under 1.19).
type Closure struct{ fn func() }

func use(...interface{}) {}

// The registry globals `publish` writes: any goroutine may, so a lock keeps
// the export race-free.
var registryMu sync.Mutex
var registry [2]*Closure

func publish(i int, k *Closure) {
	registryMu.Lock()
	registry[i] = k
	registryMu.Unlock()
}

func newSlots() S {
	var s S
	for i := range s.x {
		s.x[i] = context.Background()
	}
	for i := range s.m {
		s.m[i] = new(sync.Mutex)
		s.w[i] = new(sync.WaitGroup)
	}
	return s
}

// timerC is t.C, and the nil channel for a nil timer (the model's rule).
func timerC(t *time.Timer) <-chan time.Time {
	if t == nil {
		return nil
	}
	return t.C
}

// ---- durations: model ms scaled to real time, latest deadline kept ----

var latestDeadline int64 // unix ns, atomic

// msScale: real ms per model ms, the run's third argument.
var msScale time.Duration = 20

func dur(ms int) time.Duration {
	d := time.Duration(ms) * msScale * time.Millisecond
	deadline := time.Now().Add(d).UnixNano()
	for {
		old := atomic.LoadInt64(&latestDeadline)
		if deadline <= old || atomic.CompareAndSwapInt64(&latestDeadline, old, deadline) {
			return d
		}
	}
}

// Deadline contexts the program made: settling waits until each is done.
// A deadline plus a fixed grace was not enough on this loaded machine: a
// run reported a goroutine blocked forever on a WithTimeout's Done, which
// Go always closes. Plain timers still rely on the grace (30 ms).
var timeoutsMu sync.Mutex
var timeouts []context.Context

func withTimeout(parent context.Context, ms int) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, dur(ms))
	timeoutsMu.Lock()
	timeouts = append(timeouts, ctx)
	timeoutsMu.Unlock()
	return ctx, cancel
}

func timeoutsDone() bool {
	timeoutsMu.Lock()
	defer timeoutsMu.Unlock()
	for _, ctx := range timeouts {
		if ctx.Err() == nil {
			return false
		}
	}
	return true
}

// ---- goroutines and what they print ----

var events int64 // lines printed, atomic: settling waits for it to stop

func emit(line string) {
	atomic.AddInt64(&events, 1)
	os.Stdout.WriteString(line + "\n")
}

// G names a goroutine by spawn path: "m", and "P.K" for the one that op K
// of goroutine P started.
type G struct{ name string }

func (g *G) child(k int) *G { return &G{g.name + "." + strconv.Itoa(k)} }

func (g *G) at(k int) {
	emit("s " + g.name + " " + strconv.Itoa(k))
	perturb()
}

func (g *G) exit() { emit("x " + g.name) }

func b2i(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

func (g *G) recv(k int, v int, ok bool) { emit(fmt.Sprintf("o %s r%d=%d/%d", g.name, k, v, b2i(ok))) }
func (g *G) rangeValue(k int, v int)     { emit(fmt.Sprintf("o %s n%d=%d/1", g.name, k, v)) }
func (g *G) rangeEnd(k int)              { emit(fmt.Sprintf("o %s n%d=0/0", g.name, k)) }
func (g *G) sel(k int, arm int)          { emit(fmt.Sprintf("o %s s%d=%d", g.name, k, arm)) }
func (g *G) selDefault(k int)            { emit(fmt.Sprintf("o %s s%d=d", g.name, k)) }
func (g *G) selRecv(k int, arm int, v int, ok bool) {
	emit(fmt.Sprintf("o %s s%d=%d:%d/%d", g.name, k, arm, v, b2i(ok)))
}

// ---- perturbation: seeded Gosched and short sleeps at op boundaries ----

var perturbMu sync.Mutex
var perturbRandom *rand.Rand // nil: seed 0, no perturbation

func perturb() {
	if perturbRandom == nil {
		return
	}
	perturbMu.Lock()
	r := perturbRandom.Intn(16)
	micros := perturbRandom.Intn(200)
	perturbMu.Unlock()
	switch {
	case r < 4:
		runtime.Gosched()
	case r < 6:
		time.Sleep(time.Duration(micros) * time.Microsecond)
	}
}

// ---- settling: after main's body, wait until nothing can happen ----

// quiescent: every goroutine but the caller waits on a channel, a select or
// a semaphore (no sleep: a sleeper will wake).
func quiescent() bool {
	buf := make([]byte, 1<<20)
	dump := string(buf[:runtime.Stack(buf, true)])
	first := true
	for _, line := range strings.Split(dump, "\n") {
		if !strings.HasPrefix(line, "goroutine ") {
			continue
		}
		if first { // the caller
			first = false
			continue
		}
		open, end := strings.Index(line, "["), strings.Index(line, "]")
		if open < 0 || end < open {
			return false
		}
		state := line[open+1 : end]
		if !(strings.HasPrefix(state, "chan ") || strings.HasPrefix(state, "select") ||
			strings.HasPrefix(state, "semacquire") || strings.HasPrefix(state, "sync.")) {
			return false
		}
	}
	return true
}

func settle() {
	grace := int64(30 * time.Millisecond)
	last, stable := int64(-1), 0
	for stable < 3 {
		time.Sleep(2 * time.Millisecond)
		seen := atomic.LoadInt64(&events)
		if time.Now().UnixNano() > atomic.LoadInt64(&latestDeadline)+grace && seen == last &&
			timeoutsDone() && quiescent() {
			stable++
		} else {
			stable = 0
		}
		last = seen
	}
	emit("e returned")
	os.Exit(0)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: prog INDEX SEED MS_SCALE")
		os.Exit(2)
	}
	index, err1 := strconv.Atoi(os.Args[1])
	seed, err2 := strconv.ParseInt(os.Args[2], 10, 64)
	scale, err3 := strconv.Atoi(os.Args[3])
	if err1 != nil || err2 != nil || err3 != nil || index < 0 || index >= len(programs) || scale < 1 {
		fmt.Fprintln(os.Stderr, "prog: bad INDEX, SEED or MS_SCALE")
		os.Exit(2)
	}
	msScale = time.Duration(scale)
	if seed != 0 {
		perturbRandom = rand.New(rand.NewSource(seed))
	}
	programs[index]()
	settle()
}
