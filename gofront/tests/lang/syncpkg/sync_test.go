// Package syncpkg: Mutex, RWMutex, WaitGroup, Once, Cond (with a Mutex
// and with RWMutex.RLocker), and sync/atomic's functions and types.
package syncpkg

import (
	"sync"
	"sync/atomic"
	"testing"
)

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[k]++
}

func TestMutex(t *testing.T) {
	c := counter{n: map[string]int{}}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 3; j++ {
				c.inc("k")
			}
		}()
	}
	wg.Wait()
	if c.n["k"] != 12 {
		t.Fatalf("count %d", c.n["k"])
	}
	var mu sync.Mutex
	if !mu.TryLock() {
		t.Fatal("TryLock on unlocked")
	}
	if mu.TryLock() {
		t.Fatal("TryLock on locked")
	}
	mu.Unlock()
	var l sync.Locker = &mu
	l.Lock()
	l.Unlock()
}

func TestRWMutex(t *testing.T) {
	var rw sync.RWMutex
	data := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		i := i
		wg.Add(2)
		go func() {
			defer wg.Done()
			rw.Lock()
			data[i] = i * i
			rw.Unlock()
		}()
		go func() {
			defer wg.Done()
			rw.RLock()
			_ = data[i]
			rw.RUnlock()
		}()
	}
	wg.Wait()
	rw.RLock()
	rw.RLock() // readers share
	n := len(data)
	rw.RUnlock()
	rw.RUnlock()
	if n != 3 || data[2] != 4 {
		t.Fatal("writes")
	}
}

func TestWaitGroupAndOnce(t *testing.T) {
	var once sync.Once
	var wg sync.WaitGroup
	calls := int32(0)
	wg.Add(5)
	for i := 0; i < 5; i++ {
		go func() {
			defer wg.Done()
			once.Do(func() { atomic.AddInt32(&calls, 1) })
		}()
	}
	wg.Wait()
	if calls != 1 {
		t.Fatalf("Once ran %d times", calls)
	}
	// Once.Do that panics counts as done
	var o2 sync.Once
	func() {
		defer func() { recover() }()
		o2.Do(func() { panic("in once") })
	}()
	ran := false
	o2.Do(func() { ran = true })
	if ran {
		t.Fatal("Once after a panic")
	}
	// Wait with a zero counter returns at once; reuse after Wait
	var w sync.WaitGroup
	w.Wait()
	w.Add(1)
	go w.Done()
	w.Wait()
}

func TestCond(t *testing.T) {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := false
	queue := []int{}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for !ready {
				cond.Wait()
			}
			queue = append(queue, 1)
			mu.Unlock()
		}()
	}
	mu.Lock()
	ready = true
	cond.Broadcast()
	mu.Unlock()
	wg.Wait()
	if len(queue) != 3 {
		t.Fatal("broadcast woke all")
	}
	// Signal hands items one at a time
	items := 0
	done := make(chan bool)
	go func() {
		mu.Lock()
		for items == 0 {
			cond.Wait()
		}
		items--
		mu.Unlock()
		done <- true
	}()
	mu.Lock()
	items++
	cond.Signal()
	mu.Unlock()
	<-done
	if items != 0 {
		t.Fatal("signal")
	}
}

func TestCondWithRLocker(t *testing.T) {
	var rw sync.RWMutex
	cond := sync.NewCond(rw.RLocker())
	state := 0
	done := make(chan int)
	go func() {
		rw.RLock()
		for state == 0 {
			cond.Wait()
		}
		v := state
		rw.RUnlock()
		done <- v
	}()
	rw.Lock()
	state = 7
	rw.Unlock()
	cond.Broadcast()
	if v := <-done; v != 7 {
		t.Fatalf("RLocker cond: %d", v)
	}
	l := rw.RLocker()
	l.Lock()
	rw.RLock() // another reader is fine
	rw.RUnlock()
	l.Unlock()
}

func TestAtomicFunctions(t *testing.T) {
	var n int64
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			atomic.AddInt64(&n, 2)
		}()
	}
	wg.Wait()
	if atomic.LoadInt64(&n) != 8 {
		t.Fatal("AddInt64")
	}
	atomic.StoreInt64(&n, 3)
	if old := atomic.SwapInt64(&n, 4); old != 3 || n != 4 {
		t.Fatal("SwapInt64")
	}
	if !atomic.CompareAndSwapInt64(&n, 4, 5) || atomic.CompareAndSwapInt64(&n, 4, 6) || n != 5 {
		t.Fatal("CompareAndSwapInt64")
	}
	var u32 uint32
	if atomic.AddUint32(&u32, ^uint32(0)) != math32 {
		t.Fatal("AddUint32 wraps")
	}
	var i32 int32 = 10
	atomic.AddInt32(&i32, -3)
	if atomic.LoadInt32(&i32) != 7 {
		t.Fatal("AddInt32")
	}
	var u64 uint64
	atomic.StoreUint64(&u64, 1<<40)
	if atomic.LoadUint64(&u64) != 1<<40 {
		t.Fatal("Uint64")
	}
}

const math32 = 1<<32 - 1

type config struct{ name string }

func TestAtomicTypes(t *testing.T) {
	var n atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Add(5)
		}()
	}
	wg.Wait()
	if n.Load() != 15 {
		t.Fatalf("Int64: %d", n.Load())
	}
	n.Store(1)
	if n.Swap(2) != 1 || !n.CompareAndSwap(2, 3) || n.Load() != 3 {
		t.Fatal("Int64 Swap/CAS")
	}
	var i32 atomic.Int32
	i32.Add(-1)
	if i32.Load() != -1 {
		t.Fatal("Int32")
	}
	var u atomic.Uint64
	u.Add(10)
	if u.Load() != 10 {
		t.Fatal("Uint64")
	}
	var b atomic.Bool
	if b.Load() {
		t.Fatal("Bool zero")
	}
	b.Store(true)
	if !b.Load() || !b.CompareAndSwap(true, false) || b.Load() {
		t.Fatal("Bool")
	}
	// (atomic.Value: lang/regress/atomic_value)
	var p atomic.Pointer[config]
	if p.Load() != nil {
		t.Fatal("Pointer zero")
	}
	c := &config{"a"}
	p.Store(c)
	if p.Load().name != "a" || !p.CompareAndSwap(c, &config{"b"}) || p.Load().name != "b" {
		t.Fatal("Pointer")
	}
}
