// Package panics: defer, recover and panic, with the exact messages of
// Go's runtime panics and the values recover returns.
package panics

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
)

type Shape interface{ Area() int }
type Sq struct{ s int }

func (q Sq) Area() int { return q.s * q.s }

type Namer interface{ Name() string }

type node struct{ val int }

// catch runs f and returns what recover gave, and whether f panicked.
func catch(f func()) (r interface{}, panicked bool) {
	panicked = true
	defer func() { r = recover() }()
	f()
	panicked = false
	return
}

// message: the text of a recovered runtime error (and that it is one).
func message(t *testing.T, f func()) string {
	t.Helper()
	r, panicked := catch(f)
	if !panicked {
		t.Fatal("no panic")
	}
	err, ok := r.(runtime.Error)
	if !ok {
		return fmt.Sprintf("not a runtime.Error: %T %v", r, r)
	}
	return err.Error()
}

func TestRuntimeErrorMessages(t *testing.T) {
	var m map[string]int
	var p *node
	var ip *int
	keep := node{1} // a value of the type too (lang/regress/ptr_only_struct)
	_ = keep
	xs := []int{1, 2, 3}
	s := "abc"
	i, j, zero := 5, 2, 0
	var e interface{} = "str"
	var sh Shape = Sq{2}
	var nilShape Shape
	var nilFunc func()
	cases := []struct {
		f    func()
		want string
	}{
		{func() { m["a"] = 1 }, "assignment to entry in nil map"},
		{func() { _ = p.val }, "runtime error: invalid memory address or nil pointer dereference"},
		{func() { _ = *ip }, "runtime error: invalid memory address or nil pointer dereference"},
		{func() { nilFunc() }, "runtime error: invalid memory address or nil pointer dereference"},
		{func() { _ = xs[i] }, "runtime error: index out of range [5] with length 3"},
		{func() { _ = s[i] }, "runtime error: index out of range [5] with length 3"},
		{func() { _ = xs[i-6] }, "runtime error: index out of range [-1]"},
		{func() { _ = xs[:i] }, "runtime error: slice bounds out of range [:5] with capacity 3"},
		{func() { _ = s[:i] }, "runtime error: slice bounds out of range [:5] with length 3"},
		{func() { _ = xs[i:] }, "runtime error: slice bounds out of range [5:3]"},
		{func() { _ = xs[3:j] }, "runtime error: slice bounds out of range [3:2]"},
		{func() { _ = 10 / zero }, "runtime error: integer divide by zero"},
		{func() { _ = 10 % zero }, "runtime error: integer divide by zero"},
		{func() { _ = e.(fmt.Stringer) }, "interface conversion: string is not fmt.Stringer: missing method String"},
		{func() { _ = sh.(*Sq) }, "interface conversion: panics.Shape is panics.Sq, not *panics.Sq"},
		{func() { _ = nilShape.(Sq) }, "interface conversion: panics.Shape is nil, not panics.Sq"},
		{func() { _ = sh.(Namer) }, "interface conversion: panics.Sq is not panics.Namer: missing method Name"},
	}
	for k, c := range cases {
		if got := message(t, c.f); got != c.want {
			t.Errorf("case %d: got %q, want %q", k, got, c.want)
		}
	}
}

func TestChannelAndSyncPanics(t *testing.T) {
	plain := func(f func()) string {
		r, panicked := catch(f)
		if !panicked {
			return "no panic"
		}
		return fmt.Sprint(r)
	}
	var nilCh chan int
	closed := make(chan int, 1)
	close(closed)
	if got := plain(func() { close(nilCh) }); got != "close of nil channel" {
		t.Errorf("close nil: %q", got)
	}
	if got := plain(func() { close(closed) }); got != "close of closed channel" {
		t.Errorf("close closed: %q", got)
	}
	if got := plain(func() { closed <- 1 }); got != "send on closed channel" {
		t.Errorf("send closed: %q", got)
	}
	var wg sync.WaitGroup
	r, _ := catch(func() { wg.Add(-1) })
	// fmt.Sprint, not r.(string): lang/regress/model_string_panic
	if fmt.Sprintf("%T %v", r, r) != "string sync: negative WaitGroup counter" {
		t.Errorf("negative counter: %T %v", r, r)
	}
	// the channel panics are runtime errors too
	r, _ = catch(func() { close(closed) })
	if _, ok := r.(runtime.Error); !ok {
		t.Errorf("close of closed channel is a runtime.Error: %T", r)
	}
}

type custom struct {
	Code int
	Why  string
}

var errSentinel = errors.New("sentinel")

func TestRecoverValueTypes(t *testing.T) {
	if r, _ := catch(func() { panic("text") }); r != "text" {
		t.Fatalf("string: %v", r)
	}
	if r, _ := catch(func() { panic(42) }); r != 42 {
		t.Fatalf("int: %v", r)
	}
	if r, _ := catch(func() { panic(2.5) }); r != 2.5 {
		t.Fatalf("float: %v", r)
	}
	if r, _ := catch(func() { panic(custom{7, "x"}) }); r != (custom{7, "x"}) {
		t.Fatalf("struct: %v", r)
	}
	p := &custom{1, "p"}
	if r, _ := catch(func() { panic(p) }); r != p {
		t.Fatal("pointer identity")
	}
	r, _ := catch(func() { panic(fmt.Errorf("wrapped: %w", errSentinel)) })
	if err, ok := r.(error); !ok || !errors.Is(err, errSentinel) || err.Error() != "wrapped: sentinel" {
		t.Fatalf("error value: %v", r)
	}
	if r, panicked := catch(func() {}); r != nil || panicked {
		t.Fatal("no panic, recover is nil")
	}
}

func TestDeferOrderAndResults(t *testing.T) {
	var log []string
	func() {
		defer func() { log = append(log, "first") }()
		defer func() { log = append(log, "second") }()
		log = append(log, "body")
	}()
	if fmt.Sprint(log) != "[body second first]" {
		t.Fatalf("order: %v", log)
	}
	// arguments are evaluated at the defer statement
	x := 1
	var seen int
	func() {
		defer func(v int) { seen = v }(x)
		x = 2
	}()
	if seen != 1 {
		t.Fatal("defer argument evaluation")
	}
	// a deferred recover turns a panic into a result
	safeDiv := func(a, b int) (q int, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = r.(error)
			}
		}()
		return a / b, nil
	}
	if q, err := safeDiv(6, 3); q != 2 || err != nil {
		t.Fatal("no panic")
	}
	if _, err := safeDiv(1, 0); err == nil || err.Error() != "runtime error: integer divide by zero" {
		t.Fatalf("recovered error: %v", err)
	}
	// defers run during a panic, innermost first, before recovery
	var trail []int
	catch(func() {
		defer func() { trail = append(trail, 1) }()
		func() {
			defer func() { trail = append(trail, 2) }()
			panic("deep")
		}()
	})
	if fmt.Sprint(trail) != "[2 1]" {
		t.Fatalf("unwinding: %v", trail)
	}
}

func TestRepanic(t *testing.T) {
	// a panic in a deferred function replaces the first
	r, _ := catch(func() {
		defer func() { panic("second") }()
		panic("first")
	})
	if r != "second" {
		t.Fatalf("replaced panic: %v", r)
	}
	// recover then panic again with a new value
	r, _ = catch(func() {
		defer func() {
			v := recover()
			panic(fmt.Sprintf("again: %v", v))
		}()
		panic("once")
	})
	if r != "again: once" {
		t.Fatalf("re-panic: %v", r)
	}
	// recovered, a function returns normally to its caller
	after := false
	func() {
		defer func() { recover() }()
		panic("x")
	}()
	after = true
	if !after {
		t.Fatal("unreachable")
	}
	// (recover in a function the deferred one calls returns nil:
	// lang/regress/nested_recover)
}

func TestGoexitRunsDefers(t *testing.T) {
	done := make(chan []string)
	go func() {
		var log []string
		defer func() { done <- log }()
		defer func() { log = append(log, "inner defer") }()
		func() {
			defer func() { log = append(log, "nested defer") }()
			runtime.Goexit()
		}()
		log = append(log, "unreachable")
	}()
	got := <-done
	if fmt.Sprint(got) != "[nested defer inner defer]" {
		t.Fatalf("Goexit defers: %v", got)
	}
	// recover during Goexit returns nil: Goexit is not a panic
	res := make(chan interface{}, 1)
	go func() {
		defer func() { res <- recover() }()
		runtime.Goexit()
	}()
	if v := <-res; v != nil {
		t.Fatalf("recover under Goexit: %v", v)
	}
}

func TestPanicInGoroutineRecovered(t *testing.T) {
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		i := i
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs <- fmt.Errorf("worker %d: %v", i, r)
					return
				}
				errs <- nil
			}()
			if i == 1 {
				var m map[int]int
				m[0] = 0
			}
		}()
	}
	var msgs []string
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	if len(msgs) != 1 || msgs[0] != "worker 1: assignment to entry in nil map" {
		t.Fatalf("goroutine panics: %v", msgs)
	}
}
