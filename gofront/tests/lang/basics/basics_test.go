package basics

import (
	"errors"
	"sort"
	"strconv"
	"testing"
)

func TestArithmetic(t *testing.T) {
	var i8 int8 = 127
	i8++
	if i8 != -128 {
		t.Fatalf("int8 overflow: got %d", i8)
	}
	x := -7
	if x/2 != -3 || x%2 != -1 {
		t.Fatalf("division: %d %d", x/2, x%2)
	}
	var u uint32 = 1
	if s := uint(32); u<<31>>31 != 1 || u<<s != 0 {
		t.Fatal("shifts")
	}
	if f := 1.5 * 2; f != 3 {
		t.Fatal("float")
	}
	if q, err := divide(7, 0); err == nil || q != 0 {
		t.Fatalf("divide by zero not recovered: %d %v", q, err)
	} else if err.Error() != "recovered: runtime error: integer divide by zero" {
		t.Fatalf("message: %q", err.Error())
	}
}

func TestStructsMethodsInterfaces(t *testing.T) {
	shapes := []Shape{Rect{2, 3}, &Square{Rect{4, 4}, "a"}}
	total := 0
	for _, s := range shapes {
		total += s.Area()
	}
	if total != 22 {
		t.Fatalf("areas: %d", total)
	}
	if shapes[1].Name() != "square a" {
		t.Fatal(shapes[1].Name())
	}
	c := &Counter{}
	inc := c.Inc
	inc()
	inc()
	(*Counter).Inc(c)
	if c.n != 3 {
		t.Fatalf("method values: %d", c.n)
	}
	if classify(nil) != "nil" || classify(3) != "int 3" || classify("x") != "string x" ||
		classify(ErrNotFound) != "error not found" || classify(Rect{}) != "shape rect" || classify(1.5) != "other" {
		t.Fatal("type switch")
	}
	var s Shape = Rect{1, 1}
	if r, ok := s.(Rect); !ok || r.W != 1 {
		t.Fatal("type assertion")
	}
	if _, ok := s.(*Square); ok {
		t.Fatal("wrong assertion succeeded")
	}
	if a, b := (Rect{1, 2}), (Rect{2, 1}); a != (Rect{1, 2}) || a == b {
		t.Fatal("struct equality")
	}
}

func TestSlicesMapsStrings(t *testing.T) {
	var xs []int
	for i := 0; i < 10; i++ {
		xs = append(xs, i*i)
	}
	if len(xs) != 10 || xs[9] != 81 || sum(xs[2:4]) != 13 {
		t.Fatalf("slices: %v", xs)
	}
	ys := make([]int, 3)
	n := copy(ys, xs[5:])
	if n != 3 || ys[2] != 49 {
		t.Fatal("copy")
	}
	m := map[string]int{"a": 1, "b": 2}
	m["c"] = 3
	delete(m, "a")
	keys := []string{}
	total := 0
	for k, v := range m {
		keys = append(keys, k)
		total += v
	}
	sort.Strings(keys)
	if len(m) != 2 || total != 5 || keys[0] != "b" || keys[1] != "c" {
		t.Fatalf("maps: %v %d", keys, total)
	}
	if _, err := find(m, "zz"); !errors.Is(err, ErrNotFound) || err.Error() != `find "zz": not found` {
		t.Fatalf("wrapped error: %v", err)
	}
	s := "héllo"
	runes := 0
	for range s {
		runes++
	}
	if len(s) != 6 || runes != 5 || s[1:3] != "é" || string([]byte(s)[:1]) != "h" {
		t.Fatal("strings")
	}
	if upperWords("go  on the model") != "GO-ON-THE-MODEL" {
		t.Fatal(upperWords("go  on the model"))
	}
	if strconv.Itoa(-42) != "-42" || sum([]float64{0.5, 0.25}) != 0.75 {
		t.Fatal("strconv, generics")
	}
	var arr [4]int
	for i := range arr {
		arr[i] = i
	}
	b := arr
	b[0] = 9
	if arr[0] != 0 || b[0] != 9 {
		t.Fatal("arrays copy by value")
	}
}

func TestClosuresAndControlFlow(t *testing.T) {
	counter := func() func() int {
		n := 0
		return func() int { n++; return n }
	}()
	counter()
	if counter() != 2 {
		t.Fatal("closure state")
	}
	found := -1
outer:
	for i := 0; i < 5; i++ {
		for j := 0; j < 5; j++ {
			if i*j == 6 {
				found = i*10 + j
				break outer
			}
			if j > i {
				continue outer
			}
		}
	}
	if found != 23 {
		t.Fatalf("labelled loops: %d", found)
	}
	var order []int
	func() {
		for i := 0; i < 3; i++ {
			defer func(i int) { order = append(order, i) }(i)
		}
	}()
	if len(order) != 3 || order[0] != 2 || order[2] != 0 {
		t.Fatalf("defer order: %v", order)
	}
}

func TestPanicsRecover(t *testing.T) {
	catch := func(f func()) (msg string) {
		defer func() { msg = strconv.Quote(errorText(recover())) }()
		f()
		return ""
	}
	var m map[string]int
	var p *Counter
	xs := []int{1}
	i := 5
	cases := map[string]func(){
		`"assignment to entry in nil map"`:                       func() { m["a"] = 1 },
		`"runtime error: invalid memory address or nil pointer dereference"`: func() { p.Inc() },
		`"runtime error: index out of range [5] with length 1"`:  func() { _ = xs[i] },
		`"boom"`: func() { panic("boom") },
	}
	for want, f := range cases {
		if got := catch(f); got != want {
			t.Errorf("panic: got %s, want %s", got, want)
		}
	}
}

func errorText(r interface{}) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "?"
}
