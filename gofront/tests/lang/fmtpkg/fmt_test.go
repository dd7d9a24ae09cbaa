// Package fmtpkg: fmt's verbs, Errorf with %w, printing to the output,
// errors.New/Is/As/Unwrap, and math/rand.
package fmtpkg

import (
	"errors"
	"fmt"
	"math/rand"
	"testing"
)

// verbD is a variable so that go vet lets the bad calls through.
var verbD = "%d"

type point struct {
	X, Y int
}

type named string

type stringer struct{ v int }

func (s stringer) String() string { return fmt.Sprintf("S<%d>", s.v) }

type errCode struct{ code int }

func (e *errCode) Error() string { return fmt.Sprintf("code %d", e.code) }

func TestSprintfVerbs(t *testing.T) {
	p := point{1, 2}
	var nilp *point
	cases := []struct{ got, want string }{
		{fmt.Sprintf("%d|%5d|%-4d|%05d", 42, 42, 42, 42), "42|   42|42  |00042"},
		{fmt.Sprintf("%x %X %o %b", 255, 255, 8, 5), "ff FF 10 101"},
		{fmt.Sprintf("%s|%q|%10s|%-3s|", "go", "go", "right", "l"), `go|"go"|     right|l  |`},
		{fmt.Sprintf("%v %+v", p, p), "{1 2} {X:1 Y:2}"},
		{fmt.Sprintf("%T %T %T", p, &p, []int{}), "fmtpkg.point *fmtpkg.point []int"},
		{fmt.Sprintf("%v %v", []int{1, 2}, map[string]int{"b": 2, "a": 1}), "[1 2] map[a:1 b:2]"},
		{fmt.Sprintf("%t %v", true, false), "true false"},
		{fmt.Sprintf("%.2f %6.1f %e %g", 3.14159, 2.5, 1234.5678, 0.000001), "3.14    2.5 1.234568e+03 1e-06"},
		{fmt.Sprintf("%g %v %v", 100000.0, 1e21, 2.0), "100000 1e+21 2"},
		{fmt.Sprintf("%c %U %q", 'A', 'é', 'x'), "A U+00E9 'x'"},
		{fmt.Sprintf("%v %s", stringer{3}, stringer{4}), "S<3> S<4>"},
		{fmt.Sprintf("%v", errors.New("oops")), "oops"},
		{fmt.Sprintf("%v %v", nil, nilp), "<nil> <nil>"},
		{fmt.Sprintf("%d%%", 50), "50%"},
		{fmt.Sprintf("%x", "hi"), "6869"},
		{fmt.Sprintf("%v", named("n")), "n"},
		{fmt.Sprintf("%d", []int{1, 2}), "[1 2]"},
		{fmt.Sprintf("%v", [2]bool{true, false}), "[true false]"},
		{fmt.Sprintf("%*d", 4, 7), "   7"},
		{fmt.Sprintf(verbD, "s"), "%!d(string=s)"},
		{fmt.Sprintf(verbD), "%!d(MISSING)"},
		{fmt.Sprintf(verbD, 1, 2), "1%!(EXTRA int=2)"},
		{fmt.Sprint("a", 1, 2, "b"), "a1 2b"},
		{fmt.Sprintln("a", 1), "a 1\n"},
		{fmt.Sprintf("%v", int8(-5)), "-5"},
		{fmt.Sprintf("%v", uint64(1<<63)), "9223372036854775808"},
		{fmt.Sprintf("%v", &p), "&{1 2}"},
		{fmt.Sprintf("%v", struct {
			A string
			B []string
		}{"x", []string{"y"}}), "{x [y]}"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

func TestPrintToOutput(t *testing.T) {
	n, err := fmt.Println("fmtpkg: a line on the output", 1)
	if n != 31 || err != nil {
		t.Fatalf("Println: %d %v", n, err)
	}
	n, err = fmt.Printf("fmtpkg: %s\n", "printf")
	if n != 15 || err != nil {
		t.Fatalf("Printf: %d %v", n, err)
	}
	fmt.Print("fmtpkg: print\n")
}

var ErrBase = errors.New("base")

func TestErrors(t *testing.T) {
	e1 := fmt.Errorf("layer1: %w", ErrBase)
	e2 := fmt.Errorf("layer2: %w", e1)
	if e2.Error() != "layer2: layer1: base" {
		t.Fatalf("text %q", e2.Error())
	}
	if !errors.Is(e2, ErrBase) || !errors.Is(e2, e1) || errors.Is(e1, e2) {
		t.Fatal("Is")
	}
	if errors.Unwrap(e2) != e1 || errors.Unwrap(e1) != ErrBase || errors.Unwrap(ErrBase) != nil {
		t.Fatal("Unwrap")
	}
	if errors.New("base") == ErrBase || errors.Is(errors.New("base"), ErrBase) {
		t.Fatal("New makes distinct values")
	}
	noWrap := fmt.Errorf("flat: %v", ErrBase)
	if errors.Is(noWrap, ErrBase) || noWrap.Error() != "flat: base" {
		t.Fatal("the v verb does not wrap")
	}
	coded := fmt.Errorf("ctx: %w", &errCode{7})
	var ec *errCode
	if !errors.As(coded, &ec) || ec.code != 7 {
		t.Fatal("As")
	}
	var other *errCode
	if errors.As(ErrBase, &other) || other != nil {
		t.Fatal("As on a non-match")
	}
	if errors.Is(nil, ErrBase) || !errors.Is(nil, nil) {
		t.Fatal("Is with nil")
	}
	var target error = &errCode{1}
	if !errors.Is(fmt.Errorf("w: %w", target), target) {
		t.Fatal("Is with pointer identity")
	}
}

func TestMathRand(t *testing.T) {
	for i := 0; i < 20; i++ {
		if n := rand.Intn(10); n < 0 || n >= 10 {
			t.Fatalf("Intn %d", n)
		}
		if f := rand.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64 %v", f)
		}
		if n := rand.Int63n(5); n < 0 || n >= 5 {
			t.Fatalf("Int63n %d", n)
		}
		if n := rand.Int31n(3); n < 0 || n >= 3 {
			t.Fatalf("Int31n %d", n)
		}
		if rand.Int() < 0 || rand.Int63() < 0 {
			t.Fatal("Int/Int63 non-negative")
		}
	}
	r := rand.New(rand.NewSource(1))
	if n := r.Intn(4); n < 0 || n >= 4 {
		t.Fatal("Rand.Intn")
	}
}
