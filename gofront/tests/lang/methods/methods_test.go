// Package methods: methods on values and pointers, method values and
// expressions, embedded fields and promoted methods.
package methods

import "testing"

type Point struct{ X, Y int }

func (p Point) Sum() int        { return p.X + p.Y }
func (p Point) Moved(d int) Point { p.X += d; return p }
func (p *Point) Move(d int)     { p.X += d }

type Celsius float64

func (c Celsius) Fahrenheit() float64 { return float64(c)*9/5 + 32 }

type IntList []int

func (l IntList) Len() int    { return len(l) }
func (l *IntList) Push(v int) { *l = append(*l, v) }

type Base struct{ ID int }

func (b Base) Describe() string { return "base" }
func (b *Base) SetID(id int)    { b.ID = id }
func (b Base) Who() string      { return "base" }

type Named struct {
	Base
	Name string
}

func (n Named) Who() string { return "named " + n.Name }

type Deep struct {
	*Named
	Extra int
}

func TestValueAndPointerReceivers(t *testing.T) {
	p := Point{1, 2}
	if p.Sum() != 3 {
		t.Fatal("value method")
	}
	q := p.Moved(10)
	if p.X != 1 || q.X != 11 {
		t.Fatal("value receiver copies")
	}
	p.Move(5) // addressable: (&p).Move
	if p.X != 6 {
		t.Fatalf("pointer method on addressable value: %d", p.X)
	}
	pp := &p
	if pp.Sum() != 8 { // (*pp).Sum
		t.Fatal("value method through pointer")
	}
	if Celsius(100).Fahrenheit() != 212 {
		t.Fatal("method on named float")
	}
	var l IntList
	l.Push(1)
	l.Push(2)
	if l.Len() != 2 || l[1] != 2 {
		t.Fatal("method on named slice")
	}
	pts := []Point{{1, 1}, {2, 2}}
	pts[1].Move(3)
	if pts[1].X != 5 {
		t.Fatal("pointer method on slice element")
	}
	m := map[string]*Point{"a": {0, 0}}
	m["a"].Move(4)
	if m["a"].X != 4 {
		t.Fatal("pointer method on map value")
	}
}

func TestMethodValuesAndExpressions(t *testing.T) {
	p := Point{1, 2}
	sum := p.Sum // binds a copy of p now
	p.X = 100
	if sum() != 3 {
		t.Fatalf("method value copies receiver: %d", sum())
	}
	move := p.Move // binds &p
	move(1)
	if p.X != 101 {
		t.Fatal("pointer method value")
	}
	f := Point.Sum
	if f(Point{3, 4}) != 7 {
		t.Fatal("method expression")
	}
	g := (*Point).Move
	g(&p, -1)
	if p.X != 100 {
		t.Fatal("pointer method expression")
	}
	h := (*Point).Sum // value method through pointer type
	if h(&p) != 102 {
		t.Fatal("(*T).ValueMethod")
	}
	fs := []func() int{Point{1, 1}.Sum, Point{2, 3}.Sum}
	if fs[0]()+fs[1]() != 7 {
		t.Fatal("method values in a slice")
	}
}

func TestEmbedding(t *testing.T) {
	n := Named{Base{1}, "x"}
	if n.ID != 1 || n.Base.ID != 1 {
		t.Fatal("promoted field")
	}
	n.SetID(7) // promoted pointer method on addressable value
	if n.ID != 7 {
		t.Fatal("promoted pointer method")
	}
	if n.Describe() != "base" {
		t.Fatal("promoted value method")
	}
	if n.Who() != "named x" || n.Base.Who() != "base" {
		t.Fatal("shadowing method")
	}
	d := Deep{&n, 3}
	d.SetID(9)
	if n.ID != 9 || d.ID != 9 {
		t.Fatal("promotion through embedded pointer")
	}
	if d.Who() != "named x" || d.Describe() != "base" {
		t.Fatal("two-level promotion")
	}
	type describer interface{ Describe() string }
	var i describer = d
	if i.Describe() != "base" {
		t.Fatal("promoted method satisfies an interface")
	}
	type setter interface{ SetID(int) }
	var s setter = &n
	s.SetID(11)
	if n.ID != 11 {
		t.Fatal("pointer method set")
	}
}
