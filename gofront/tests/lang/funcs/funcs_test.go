// Package funcs: functions, multiple and named results, variadics,
// function values and closures, as Go computes them.
package funcs

import "testing"

func divmod(a, b int) (int, int) { return a / b, a % b }

func named(x int) (double, triple int) {
	double = 2 * x
	triple = 3 * x
	return
}

func namedDeferred(x int) (r int) {
	defer func() { r *= 10 }()
	return x + 1
}

func total(base int, xs ...int) int {
	for _, x := range xs {
		base += x
	}
	return base
}

func count(xs ...interface{}) int { return len(xs) }

func apply(f func(int) int, x int) int { return f(x) }

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func isEven(n int) bool {
	if n == 0 {
		return true
	}
	return isOdd(n - 1)
}

func isOdd(n int) bool {
	if n == 0 {
		return false
	}
	return isEven(n - 1)
}

func TestMultipleResults(t *testing.T) {
	q, r := divmod(17, 5)
	if q != 3 || r != 2 {
		t.Fatalf("divmod: %d %d", q, r)
	}
	d, tr := named(4)
	if d != 8 || tr != 12 {
		t.Fatalf("named: %d %d", d, tr)
	}
	if namedDeferred(4) != 50 {
		t.Fatalf("deferred named result: %d", namedDeferred(4))
	}
	// a call with two results as the arguments of another
	if total(divmod(17, 5)) != 5 {
		t.Fatal("f(g()) with two results")
	}
	a, b := 1, 2
	a, b = b, a
	if a != 2 || b != 1 {
		t.Fatal("swap")
	}
}

func TestVariadics(t *testing.T) {
	if total(1) != 1 || total(1, 2, 3) != 6 {
		t.Fatal("variadic args")
	}
	xs := []int{4, 5}
	if total(0, xs...) != 9 {
		t.Fatal("spread")
	}
	if count() != 0 || count(nil, 1, "a") != 3 {
		t.Fatal("interface variadic")
	}
	var none []int
	if total(7, none...) != 7 {
		t.Fatal("nil spread")
	}
}

func TestFuncValues(t *testing.T) {
	sq := func(x int) int { return x * x }
	if apply(sq, 7) != 49 {
		t.Fatal("func arg")
	}
	var f func(int) int
	if f != nil {
		t.Fatal("nil func")
	}
	f = fib
	if f(10) != 55 {
		t.Fatalf("fib: %d", f(10))
	}
	if !isEven(10) || isOdd(10) {
		t.Fatal("mutual recursion")
	}
	ops := map[string]func(int, int) int{
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
	}
	if ops["add"](3, 4) != 7 || ops["sub"](3, 4) != -1 {
		t.Fatal("map of funcs")
	}
	compose := func(f, g func(int) int) func(int) int {
		return func(x int) int { return f(g(x)) }
	}
	inc := func(x int) int { return x + 1 }
	if compose(sq, inc)(2) != 9 || compose(inc, sq)(2) != 5 {
		t.Fatal("compose")
	}
}

func TestClosures(t *testing.T) {
	var fs []func() int
	for i := 0; i < 3; i++ {
		i := i
		fs = append(fs, func() int { return i * 10 })
	}
	if fs[0]() != 0 || fs[1]() != 10 || fs[2]() != 20 {
		t.Fatal("per-iteration copies")
	}
	// one variable shared by two closures
	x := 1
	get := func() int { return x }
	set := func(v int) { x = v }
	set(5)
	if get() != 5 || x != 5 {
		t.Fatal("shared capture")
	}
	// a closure sees later writes to what it captured
	n := 0
	add := func() { n += 2 }
	n = 10
	add()
	if n != 12 {
		t.Fatalf("capture by reference: %d", n)
	}
	// range over a slice, capturing a copy of the element
	sum := 0
	var run []func()
	for _, v := range []int{1, 2, 3} {
		v := v
		run = append(run, func() { sum += v })
	}
	for _, f := range run {
		f()
	}
	if sum != 6 {
		t.Fatalf("range capture: %d", sum)
	}
	// goroutines capturing per-iteration copies
	done := make(chan int, 3)
	for i := 1; i <= 3; i++ {
		i := i
		go func() { done <- i }()
	}
	got := 0
	for k := 0; k < 3; k++ {
		got += <-done
	}
	if got != 6 {
		t.Fatalf("goroutine captures: %d", got)
	}
}
