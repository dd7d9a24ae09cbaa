// Package rtpkg: runtime.Gosched, NumGoroutine, Goexit, GC, NumCPU, and
// runtime/debug.FreeOSMemory.
package rtpkg

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGosched(t *testing.T) {
	var mu sync.Mutex
	order := []int{}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		i := i
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.Gosched()
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(order) != 3 {
		t.Fatal("all ran")
	}
	runtime.Gosched()
}

func TestNumGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	if base < 1 {
		t.Fatal("at least this one")
	}
	stop := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			<-stop
		}()
	}
	for i := 0; i < 3; i++ {
		<-started
	}
	if n := runtime.NumGoroutine(); n != base+3 {
		t.Fatalf("NumGoroutine %d, want %d", n, base+3)
	}
	close(stop)
	wg.Wait()
	if runtime.NumCPU() < 1 || runtime.GOMAXPROCS(0) < 1 {
		t.Fatal("NumCPU/GOMAXPROCS")
	}
}

func TestGoexit(t *testing.T) {
	var wg sync.WaitGroup
	reached := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		func() {
			runtime.Goexit()
		}()
		reached = true
	}()
	wg.Wait()
	if reached {
		t.Fatal("code after Goexit ran")
	}
}

func TestGC(t *testing.T) {
	data := make([]*int, 0, 10)
	for i := 0; i < 10; i++ {
		v := i
		data = append(data, &v)
	}
	runtime.GC()
	sum := 0
	for _, p := range data {
		sum += *p
	}
	if sum != 45 {
		t.Fatal("live data survives GC")
	}
}

func TestFreeOSMemory(t *testing.T) {
	data := map[int]*int{}
	for i := 0; i < 10; i++ {
		v := i
		data[i] = &v
	}
	debug.FreeOSMemory()
	for i, p := range data {
		if *p != i {
			t.Fatal("live data survives a collection")
		}
	}
}

// FreeOSMemory is a collection and waits for no goroutine (runtime.GC is
// the model's checkpoint, which lets the others run first).
//
//chanfuzz:expect panic
func TestFreeOSMemoryWaitsForNothing_buggy(t *testing.T) {
	var ran int32
	go func() { atomic.StoreInt32(&ran, 1) }()
	debug.FreeOSMemory()
	if atomic.LoadInt32(&ran) == 0 {
		t.Fatal("the goroutine has not run yet")
	}
}
