// Package types: structs and arrays by value, named types, constants and
// iota, labelled break/continue/goto, generics, integer overflow and
// shifts, float conversions.
package types

import (
	"fmt"
	"math"
	"testing"
)

type Vec struct{ X, Y float64 }
type Line struct {
	A, B Vec
	Tag  string
}

type Weekday int

const (
	Sunday Weekday = iota
	Monday
	Tuesday
)

func (d Weekday) String() string { return [...]string{"Sun", "Mon", "Tue"}[d] }

const (
	KB = 1 << (10 * (iota + 1))
	MB
	GB
)

const big = 1 << 100 // untyped: exact until used
const typed int64 = 7

type Celsius float64
type ID string

func TestStructsByValue(t *testing.T) {
	l := Line{A: Vec{1, 2}, B: Vec{3, 4}, Tag: "l"}
	c := l
	c.A.X = 100
	if l.A.X != 1 {
		t.Fatal("struct copy is deep for value fields")
	}
	if l == c {
		t.Fatal("differ")
	}
	c.A.X = 1
	if l != c {
		t.Fatal("equal after restoring")
	}
	set := func(v Vec) Vec { v.X = 9; return v }
	v := Vec{}
	w := set(v)
	if v.X != 0 || w.X != 9 {
		t.Fatal("by-value parameter")
	}
	p := &l.B
	p.Y = 40
	if l.B.Y != 40 {
		t.Fatal("pointer to field")
	}
	anon := struct {
		N int
		S []int
	}{N: 1, S: []int{1}}
	cp := anon
	cp.S[0] = 5 // slices inside share
	if anon.S[0] != 5 {
		t.Fatal("slice field shares its array")
	}
	var zero Line
	if zero.Tag != "" || zero.A != (Vec{}) {
		t.Fatal("zero value")
	}
	type withArr struct{ a [3]int }
	x := withArr{[3]int{1, 2, 3}}
	y := x
	y.a[0] = 0
	if x.a[0] != 1 {
		t.Fatal("array field copied")
	}
	ptrs := map[string]*Vec{"a": {1, 1}}
	ptrs["a"].X = 2
	if ptrs["a"].X != 2 {
		t.Fatal("pointer map values")
	}
}

func TestNamedTypesAndConstants(t *testing.T) {
	if Monday != 1 || Tuesday.String() != "Tue" || fmt.Sprint(Monday) != "Mon" {
		t.Fatal("iota and String")
	}
	if KB != 1024 || MB != 1<<20 || GB != 1<<30 {
		t.Fatal("iota expressions")
	}
	if big>>98 != 4 {
		t.Fatal("untyped constant arithmetic")
	}
	if typed*2 != 14 {
		t.Fatal("typed constant")
	}
	var c Celsius = 36.6
	f := float64(c)
	if f != 36.6 {
		t.Fatal("named float conversion")
	}
	id := ID("abc")
	if string(id)+"d" != "abcd" || len(id) != 3 {
		t.Fatal("named string")
	}
	type Pair [2]int
	p := Pair{1, 2}
	q := [2]int(p)
	if q[1] != 2 {
		t.Fatal("named array conversion")
	}
	const s = "const" + "ant"
	if len(s) != 8 {
		t.Fatal("string constant")
	}
	if math.MaxInt64 != 1<<63-1 || math.MinInt8 != -128 || math.MaxUint16 != 65535 {
		t.Fatal("math limits")
	}
}

func TestLabelsAndGoto(t *testing.T) {
	count := 0
outer:
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			if j == 2 {
				continue outer
			}
			if i == 3 {
				break outer
			}
			count++
		}
	}
	if count != 6 {
		t.Fatalf("labelled loops: %d", count)
	}
	i := 0
loop:
	if i < 5 {
		i++
		goto loop
	}
	if i != 5 {
		t.Fatal("goto loop")
	}
	n := 0
sw:
	switch {
	case n == 0:
		for {
			n++
			if n == 3 {
				break sw
			}
		}
	}
	if n != 3 {
		t.Fatal("break out of switch")
	}
	// switch fallthrough, and break inside select in a loop
	got := ""
	switch 1 {
	case 1:
		got += "one"
		fallthrough
	case 2:
		got += "two"
	case 3:
		got += "three"
	}
	if got != "onetwo" {
		t.Fatal("fallthrough")
	}
	c := make(chan int, 3)
	c <- 1
	c <- 2
	c <- 3
	seen := 0
recv:
	for {
		select {
		case v := <-c:
			seen += v
			if v == 2 {
				break recv
			}
		}
	}
	if seen != 3 || len(c) != 1 {
		t.Fatal("break label out of select loop")
	}
}

type Number interface {
	~int | ~int64 | ~float64
}

func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Keys[K comparable, V any](m map[K]V) int { return len(m) }

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }
func (s *Stack[T]) Pop() (T, bool) {
	var zero T
	if len(s.items) == 0 {
		return zero, false
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, true
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func Max[T int | string](a, b T) T {
	if a > b {
		return a
	}
	return b
}

func TestGenerics(t *testing.T) {
	if Sum(1, 2, 3) != 6 || Sum(0.5, 0.25) != 0.75 || Sum[int64]() != 0 {
		t.Fatal("Sum")
	}
	type myInt int
	if Sum(myInt(2), myInt(3)) != 5 {
		t.Fatal("approximation constraint")
	}
	strs := Map([]int{1, 2}, func(i int) string { return fmt.Sprint(i * 10) })
	if len(strs) != 2 || strs[1] != "20" {
		t.Fatal("Map")
	}
	if Keys(map[string]bool{"a": true}) != 1 {
		t.Fatal("Keys")
	}
	var s Stack[string]
	s.Push("a")
	s.Push("b")
	if v, ok := s.Pop(); !ok || v != "b" {
		t.Fatal("Stack Pop")
	}
	s.Pop()
	if _, ok := s.Pop(); ok {
		t.Fatal("empty stack")
	}
	var is Stack[int]
	is.Push(4)
	if v, _ := is.Pop(); v != 4 {
		t.Fatal("Stack[int]")
	}
	p := Pair[string, []int]{"k", []int{1}}
	if p.Key != "k" || p.Val[0] != 1 {
		t.Fatal("generic struct")
	}
	if Max(3, 9) != 9 || Max("a", "b") != "b" {
		t.Fatal("Max")
	}
}

func TestIntegerSemantics(t *testing.T) {
	var u8 uint8 = 255
	u8++
	if u8 != 0 {
		t.Fatal("uint8 wraps")
	}
	var i16 int16 = -32768
	i16--
	if i16 != 32767 {
		t.Fatal("int16 wraps")
	}
	var i32 int32 = math.MaxInt32
	if i32+1 != math.MinInt32 {
		t.Fatal("int32 overflow")
	}
	var i64 int64 = math.MinInt64
	if -i64 != math.MinInt64 || i64/-1 != math.MinInt64 || i64%-1 != 0 {
		t.Fatal("MinInt64 negation and division")
	}
	var u uint = 0
	if u-1 != math.MaxUint {
		t.Fatal("uint underflow")
	}
	x := 1
	s64 := uint(64) // a variable count: go vet refuses constant ones >= 64
	if x<<62>>62 != 1 || x<<63 != math.MinInt64 || x<<s64 != 0 {
		t.Fatal("left shifts")
	}
	neg := -16
	if neg>>2 != -4 || neg>>(s64+6) != -1 {
		t.Fatal("arithmetic right shift")
	}
	var sh uint = 100
	if uint32(1)<<sh != 0 || int8(-1)>>sh != -1 {
		t.Fatal("oversized shift counts")
	}
	if -7/2 != -3 || -7%2 != -1 || 7%-2 != 1 {
		t.Fatal("truncated division")
	}
	if 0x0f&0x3c != 0x0c || 0x0f|0x30 != 0x3f || 0x0f^0x3c != 0x33 || 0x0f&^0x05 != 0x0a {
		t.Fatal("bit ops")
	}
	var b byte = 0xAA
	if ^b != 0x55 {
		t.Fatal("complement")
	}
	if int8(200+0*x) != -56 || uint8(int(-1)+0*x) != 255 || uint16(70000+0*x) != 4464 {
		t.Fatal("integer conversions truncate")
	}
	var big uint64 = 1 << 63
	if int64(big) != math.MinInt64 {
		t.Fatal("uint64 to int64")
	}
}

func TestFloatSemantics(t *testing.T) {
	f := 3.99
	if int(f) != 3 || int(-f) != -3 {
		t.Fatal("float to int truncates")
	}
	if float64(7)/2 != 3.5 {
		t.Fatal("int to float")
	}
	var f32 float32 = 0.1
	if float64(f32) == 0.1 {
		t.Fatal("float32 rounding")
	}
	if float32(float64(f32)) != f32 {
		t.Fatal("round trip")
	}
	zero := 0.0
	if !math.IsInf(1/zero, 1) || !math.IsInf(-1/zero, -1) || !math.IsNaN(zero/zero) {
		t.Fatal("IEEE division by zero")
	}
	nan := math.NaN()
	if nan == nan || nan < 1 || nan > 1 {
		t.Fatal("NaN comparisons")
	}
	// (Sqrt, Floor, Ceil, Trunc, Max, Min, Pow: lang/regress/math_arch)
	if math.Abs(-2.5) != 2.5 || math.Round(2.5) != 3 || math.Mod(7, 3) != 1 {
		t.Fatal("Abs/Round/Mod")
	}
	if 0.1+0.2 == 0.3 {
		// constant arithmetic is exact
	} else {
		t.Fatal("untyped constants are exact")
	}
	a, b := 0.1, 0.2
	if a+b == 0.3 {
		t.Fatal("float64 arithmetic rounds")
	}
	if math.Float64bits(1.0) != 0x3ff0000000000000 || math.Float64frombits(0x4000000000000000) != 2 {
		t.Fatal("bits")
	}
	negZero := math.Copysign(0, -1)
	if negZero != 0 || !math.Signbit(negZero) {
		t.Fatal("negative zero")
	}
}
