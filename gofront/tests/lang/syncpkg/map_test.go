// sync.Map: each of Go 1.19's methods, alone and from goroutines. Range's
// order is map iteration's (a decision), so a test must not depend on it:
// TestMapRangeOrder_buggy does, and the explorer shows it failing.
package syncpkg

import (
	"fmt"
	"sync"
	"testing"
)

func TestMapStoreLoad(t *testing.T) {
	var m sync.Map
	if v, ok := m.Load("k"); ok || v != nil {
		t.Fatalf("empty map: %v %v", v, ok)
	}
	m.Store("k", 1)
	m.Store(nil, "nil key")
	m.Store(2, []int{7}) // a value need not be comparable
	if v, ok := m.Load("k"); !ok || v != 1 {
		t.Fatalf("Load(k) = %v %v", v, ok)
	}
	m.Store("k", 3)
	if v, _ := m.Load("k"); v != 3 {
		t.Fatalf("after overwrite Load(k) = %v", v)
	}
	if v, ok := m.Load(nil); !ok || v != "nil key" {
		t.Fatalf("Load(nil) = %v %v", v, ok)
	}
	if v, ok := m.Load(2); !ok || v.([]int)[0] != 7 {
		t.Fatalf("Load(2) = %v %v", v, ok)
	}
	if _, ok := m.Load(int64(2)); ok {
		t.Fatal("int64(2) is another key than int 2")
	}
}

func TestMapLoadOrStore(t *testing.T) {
	var m sync.Map
	if v, loaded := m.LoadOrStore("k", "first"); loaded || v != "first" {
		t.Fatalf("first LoadOrStore = %v %v", v, loaded)
	}
	if v, loaded := m.LoadOrStore("k", "second"); !loaded || v != "first" {
		t.Fatalf("second LoadOrStore = %v %v", v, loaded)
	}
}

func TestMapLoadAndDelete(t *testing.T) {
	var m sync.Map
	m.Store("k", 1)
	if v, loaded := m.LoadAndDelete("k"); !loaded || v != 1 {
		t.Fatalf("LoadAndDelete = %v %v", v, loaded)
	}
	if v, loaded := m.LoadAndDelete("k"); loaded || v != nil {
		t.Fatalf("LoadAndDelete again = %v %v", v, loaded)
	}
	if _, ok := m.Load("k"); ok {
		t.Fatal("deleted key still there")
	}
}

func TestMapDelete(t *testing.T) {
	m := &sync.Map{}
	m.Store(1, "a")
	m.Store(2, "b")
	m.Delete(1)
	m.Delete(3) // absent: nothing happens
	if _, ok := m.Load(1); ok {
		t.Fatal("Delete(1) left it")
	}
	if v, _ := m.Load(2); v != "b" {
		t.Fatalf("Load(2) = %v", v)
	}
}

func TestMapRange(t *testing.T) {
	var m sync.Map
	for i := 0; i < 4; i++ {
		m.Store(i, i*10)
	}
	seen := map[int]int{}
	m.Range(func(k, v any) bool {
		seen[k.(int)]++
		if v != k.(int)*10 {
			t.Errorf("Range gave %v for %v", v, k)
		}
		return true
	})
	if len(seen) != 4 {
		t.Fatalf("Range visited %v", seen)
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("key %d visited %d times", k, n)
		}
	}
	calls := 0
	m.Range(func(k, v any) bool { calls++; return false })
	if calls != 1 {
		t.Fatalf("Range after false: %d calls", calls)
	}
	// Keys deleted by f before Range reaches them are not visited.
	visited := 0
	m.Range(func(k, v any) bool {
		visited++
		for i := 0; i < 4; i++ {
			if i != k.(int) {
				m.Delete(i)
			}
		}
		return true
	})
	if visited != 1 {
		t.Fatalf("Range visited %d keys after deleting the others", visited)
	}
	var empty sync.Map
	empty.Range(nil) // f is never called on an empty map
}

func TestMapUnhashableKey(t *testing.T) {
	defer func() {
		if r := fmt.Sprint(recover()); r != "runtime error: hash of unhashable type []int" {
			t.Fatalf("recovered %q", r)
		}
	}()
	var m sync.Map
	m.Store([]int{1}, 1)
}

// Goroutines race on one key: exactly one LoadOrStore stores, and all
// see its value.
func TestMapConcurrent(t *testing.T) {
	var m sync.Map
	var wg sync.WaitGroup
	actual := make([]any, 3)
	stored := make([]bool, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			m.Store(fmt.Sprint("own", i), i)
			v, loaded := m.LoadOrStore("shared", i)
			actual[i], stored[i] = v, !loaded
		}(i)
	}
	wg.Wait()
	winners := 0
	for i := 0; i < 3; i++ {
		if stored[i] {
			winners++
		}
		if actual[i] != actual[0] {
			t.Fatalf("LoadOrStore results differ: %v", actual)
		}
		if v, _ := m.Load(fmt.Sprint("own", i)); v != i {
			t.Fatalf("own%d = %v", i, v)
		}
	}
	if winners != 1 {
		t.Fatalf("%d LoadOrStores stored", winners)
	}
}

// The first key Range gives is a decision, not the first key stored.
//
//chanfuzz:expect panic
func TestMapRangeOrder_buggy(t *testing.T) {
	var m sync.Map
	for i := 1; i <= 3; i++ {
		m.Store(i, true)
	}
	first := 0
	m.Range(func(k, _ any) bool { first = k.(int); return false })
	if first != 1 {
		t.Fatalf("Range started at %d", first)
	}
}

var registry sync.Map

// A worker waits on a channel that only a package-level sync.Map holds:
// still reachable, so a leak (the object graph sees into the map), and
// the goroutine's closure is held through the map too.
//
//chanfuzz:expect leak
//chanfuzz:allow unreleased_closure
func TestMapHeldChannel_buggy(t *testing.T) {
	ch := make(chan int)
	registry.Store("jobs", ch)
	go func() { <-ch }()
}
