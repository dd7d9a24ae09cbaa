// frontend_support.go -- the support code of the Go programs chanfuzz diff
// --frontend writes for the Go frontend (harness/diff/README.md, "Round
// trip through the Go frontend"). The same programs (prog_test.go: p<i>,
// p<i>_b<body>, one op per line, and TestProg<i> calling p<i>) as
// support.go runs under the real Go runtime, but here they are translated
// to C by chanfuzz-go and explored by the model, so this file keeps only
// what gives the outcome and adds no operation the model would schedule:
// no settling (the model settles), no perturbation (the model explores),
// no locks or atomics around the bookkeeping (they would be scheduling
// points the ops interpreter does not have), durations in model ms.
//
// Each event is one line of the execution's captured output (println:
// gort's output, never a scheduling point):
//   s NAME K       goroutine NAME starts op K
//   o NAME TEXT    it observed TEXT ("r3=7/1", "s4=1:7/1", "n5=2/1")
//   x NAME         its body returned
// How the execution ended (returned, deadlock, panic and where) the
// runner takes from the model (harness/diff/frontend_runner.c).
package rt

import (
	"context"
	"fmt"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
)

// runtime: the exported programs' runtime.Gosched() and runtime.GC()
// (prog_test.go imports no runtime, so the name is this variable). The
// frontend models runtime.GC as a checkpoint that first lets every other
// goroutine run until it blocks (gofront/README.md); the interpreter's gc
// op is go_gc, one scheduling point and a collection, and so is the
// frontend's model of debug.FreeOSMemory, which forces a collection.
var runtime goRuntime

type goRuntime struct{}

func (goRuntime) Gosched() { goruntime.Gosched() }
func (goRuntime) GC()      { debug.FreeOSMemory() }

// S is one goroutine's slots, copied by value into every goroutine it
// starts: goroutines share objects, never variables.
type S struct {
	c      [4]chan int
	x      [2]context.Context
	cancel [2]context.CancelFunc
	m      [2]*sync.Mutex
	w      [2]*sync.WaitGroup
	t      [2]*time.Timer
	f      [2]*os.File
	k      [2]*Closure
}

// The ops interpreter opens and closes a modelled file (go_open,
// go_resource_close); os.Create and (*os.File).Close are the frontend's
// models of the same calls. Close of nil is an error, never a panic.
func openFile() *os.File {
	f, _ := os.Create("f")
	return f
}

func closeFile(f *os.File) error { return f.Close() }

type Closure struct{ fn func() }

func use(...interface{}) {}

// The registry globals publish writes (the interpreter's go_global_set).
var registry [2]*Closure

func publish(i int, k *Closure) { registry[i] = k }

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

// dur: a model millisecond is a millisecond of the model's virtual clock.
func dur(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

func withTimeout(parent context.Context, ms int) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, dur(ms))
}

func emit(line string) { println(line) }

// G names a goroutine by spawn path: "m", and "P.K" for the one that op K
// of goroutine P started.
type G struct{ name string }

func (g *G) child(k int) *G { return &G{g.name + "." + strconv.Itoa(k)} }

func (g *G) at(k int) { emit("s " + g.name + " " + strconv.Itoa(k)) }

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
