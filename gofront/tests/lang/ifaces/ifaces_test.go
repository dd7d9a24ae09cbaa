// Package ifaces: interfaces, assertions, type switches, conversion
// between interfaces, comparison, nil interfaces and nil pointers.
package ifaces

import (
	"errors"
	"fmt"
	"testing"
)

type Animal interface{ Sound() string }
type Namer interface{ Name() string }
type NamedAnimal interface {
	Animal
	Namer
}

type Dog struct{ name string }

func (d Dog) Sound() string { return "woof" }
func (d Dog) Name() string  { return d.name }

type Cat struct{ lives int }

func (c *Cat) Sound() string {
	if c == nil {
		return "nil cat"
	}
	return "meow"
}

type myErr struct{ code int }

func (e *myErr) Error() string { return "code" }

func mayFail(fail bool) error {
	var e *myErr
	if fail {
		e = &myErr{1}
	}
	return e // a non-nil interface holding a nil pointer when !fail
}

func kind(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case int, int64:
		return "integer"
	case string:
		return "string:" + x
	case []int:
		return "slice"
	case map[string]int:
		return "map"
	case func() int:
		return "func"
	case chan int:
		return "chan"
	case *Cat:
		if x == nil {
			return "nil *Cat"
		}
		return "*Cat"
	case NamedAnimal:
		return "named " + x.Name()
	case Animal:
		return "animal"
	case error:
		return "error"
	default:
		return "other"
	}
}

func TestAssertions(t *testing.T) {
	var a Animal = Dog{"rex"}
	d, ok := a.(Dog)
	if !ok || d.name != "rex" {
		t.Fatal("concrete assertion")
	}
	if _, ok := a.(*Cat); ok {
		t.Fatal("wrong concrete type")
	}
	n, ok := a.(Namer)
	if !ok || n.Name() != "rex" {
		t.Fatal("interface-to-interface assertion")
	}
	var c Animal = &Cat{9}
	if _, ok := c.(Namer); ok {
		t.Fatal("*Cat has no Name")
	}
	var e interface{} = 42
	if v, ok := e.(int); !ok || v != 42 {
		t.Fatal("int assertion")
	}
	if _, ok := e.(int64); ok {
		t.Fatal("int is not int64")
	}
	var none interface{}
	if _, ok := none.(int); ok {
		t.Fatal("assertion on nil")
	}
	// conversion to a smaller interface
	var na NamedAnimal = Dog{"fido"}
	var an Animal = na
	if an.Sound() != "woof" {
		t.Fatal("implicit interface conversion")
	}
}

func TestTypeSwitch(t *testing.T) {
	var nilCat *Cat
	cases := []struct {
		v    interface{}
		want string
	}{
		{nil, "nil"}, {1, "integer"}, {int64(1), "integer"}, {"s", "string:s"},
		{[]int{1}, "slice"}, {map[string]int{}, "map"}, {func() int { return 1 }, "func"},
		{make(chan int), "chan"}, {&Cat{}, "*Cat"}, {nilCat, "nil *Cat"},
		{Dog{"d"}, "named d"}, {errors.New("x"), "error"}, {3.5, "other"},
	}
	for i, c := range cases {
		if got := kind(c.v); got != c.want {
			t.Errorf("case %d: got %q, want %q", i, got, c.want)
		}
	}
}

func TestComparison(t *testing.T) {
	var a, b interface{} = 1, 1
	if a != b {
		t.Fatal("equal ints")
	}
	if a == interface{}(int64(1)) {
		t.Fatal("different dynamic types are unequal")
	}
	if interface{}("x") != interface{}("x") {
		t.Fatal("strings")
	}
	d1, d2 := Dog{"a"}, Dog{"a"}
	var x, y Animal = d1, d2
	if x != y {
		t.Fatal("equal structs in interfaces")
	}
	c := &Cat{}
	var p, q Animal = c, c
	if p != q || p == Animal(&Cat{}) {
		t.Fatal("pointer identity")
	}
	var e1, e2 error
	if e1 != e2 || e1 != nil {
		t.Fatal("nil interfaces are equal")
	}
	if x == nil {
		t.Fatal("non-nil interface")
	}
	m := map[interface{}]int{1: 1, "1": 2, Dog{"k"}: 3}
	if m[1] != 1 || m["1"] != 2 || m[Dog{"k"}] != 3 || len(m) != 3 {
		t.Fatal("interface map keys")
	}
}

func TestNilPointerInInterface(t *testing.T) {
	if mayFail(true) == nil {
		t.Fatal("failure reported as nil")
	}
	err := mayFail(false)
	if err == nil {
		t.Fatal("an interface holding a nil pointer is not nil")
	}
	if p, ok := err.(*myErr); !ok || p != nil {
		t.Fatal("the dynamic value is a nil *myErr")
	}
	var cat *Cat
	var a Animal = cat
	if a == nil || a.Sound() != "nil cat" {
		t.Fatal("method call on nil pointer in interface")
	}
	var none Animal
	if none != nil {
		t.Fatal("zero interface is nil")
	}
}

// Level counts up in its own copy: calling it through an interface must
// never change the boxed value.
type Level int

func (l Level) Next() Level {
	l++
	return l
}

type Nexter interface{ Next() Level }

// Boxes of small values are shared, as Go's staticuint64s (no allocation
// below 256): they must read back exactly, compare by value across the
// 255/256 edge, and stay unchanged by value-receiver methods.
func TestSmallValueBoxes(t *testing.T) {
	values := []any{int8(-1), int8(127), uint8(255), uint16(255), uint16(256), int32(0),
		int32(-1), float32(0), int(255), int(256), uint64(255), float64(0), true, false}
	want := []string{"-1", "127", "255", "255", "256", "0", "-1", "0", "255", "256", "255", "0",
		"true", "false"}
	for i, v := range values {
		if got := fmt.Sprint(v); got != want[i] {
			t.Errorf("box %d: got %s, want %s", i, got, want[i])
		}
	}
	if any(int(7)) != any(int(7)) || any(int(7)) == any(int8(7)) || any(255) == any(256) {
		t.Error("boxes compare by type and value")
	}
	var n Nexter = Level(3)
	if n.Next() != 4 || n.Next() != 4 || n.(Level) != 3 {
		t.Errorf("a method changed the box: %v", n)
	}
	if u := any(uint16(200)).(uint16); u != 200 {
		t.Errorf("assertion read %d", u)
	}
}
