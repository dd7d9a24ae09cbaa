// sync.Pool: Get returns something Put or calls New; whether a GC emptied
// the pool first is a decision, so a test may not count on getting back
// what it Put: TestPoolGetsWhatItPut_buggy does.
package syncpkg

import (
	"sync"
	"testing"
)

func TestPoolNew(t *testing.T) {
	made := 0
	p := sync.Pool{New: func() any { made++; return made }}
	if v := p.Get(); v != 1 || made != 1 {
		t.Fatalf("Get of an empty pool = %v (New called %d times)", v, made)
	}
	var bare sync.Pool
	if v := bare.Get(); v != nil {
		t.Fatalf("Get without New = %v", v)
	}
}

func TestPoolPutGet(t *testing.T) {
	p := &sync.Pool{New: func() any { return "new" }}
	p.Put("a")
	p.Put("b")
	p.Put("c")
	got := map[any]int{}
	for i := 0; i < 4; i++ {
		got[p.Get()]++
	}
	for v, n := range got {
		switch {
		case v == "new":
		case v != "a" && v != "b" && v != "c":
			t.Fatalf("Get gave %v", v)
		case n > 1:
			t.Fatalf("Get gave %v %d times", v, n)
		}
	}
	if got["new"] == 0 {
		t.Fatal("four Gets of three values without New")
	}
}

func TestPoolPutNil(t *testing.T) {
	var p sync.Pool
	p.Put(nil) // ignored
	if v := p.Get(); v != nil {
		t.Fatalf("Get = %v", v)
	}
}

func TestPoolConcurrent(t *testing.T) {
	type buf struct{ b []byte }
	p := sync.Pool{New: func() any { return &buf{make([]byte, 0, 8)} }}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b := p.Get().(*buf)
			if len(b.b) != 0 {
				t.Errorf("a pooled buffer was not reset: %q", b.b)
			}
			b.b = append(b.b, byte('a'+i))
			b.b = b.b[:0]
			p.Put(b)
		}(i)
	}
	wg.Wait()
}

// Any Get may find the pool emptied by a GC.
//
//chanfuzz:expect panic
func TestPoolGetsWhatItPut_buggy(t *testing.T) {
	p := sync.Pool{New: func() any { return "new" }}
	p.Put("mine")
	if v := p.Get(); v != "mine" {
		t.Fatalf("Get = %v", v)
	}
}
