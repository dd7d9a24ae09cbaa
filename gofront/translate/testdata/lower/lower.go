// Package lower holds one small function per construct whose C lowering
// is kept as a golden file (testdata/lower.golden): a change in how the
// frontend lowers a construct shows up as a diff in review.
package lower

import (
	"context"
	"sync"
	"time"
)

func arith(a, b int32) int32 { return a/b + a<<3 - ^b }

func sendRecv(ch chan string) (string, bool) {
	ch <- "x"
	v, ok := <-ch
	return v, ok
}

func selectTimeout(ch chan int) int {
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Millisecond):
		return -1
	}
}

func closure() func() int {
	n := 0
	return func() int { n++; return n }
}

func goAndDefer(mu *sync.Mutex, wg *sync.WaitGroup) {
	mu.Lock()
	defer mu.Unlock()
	wg.Add(1)
	go func() { defer wg.Done() }()
}

func recovering() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = r.(error)
		}
	}()
	var m map[string]int
	m["x"] = 1
	return nil
}

func withCancel() error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	<-ctx.Done()
	return ctx.Err()
}

type shape interface{ area() int }
type sq struct{ side int }

func (s sq) area() int { return s.side * s.side }

func dynamic(s shape) int { return s.area() }

func rangeMap(m map[string]int) (total int) {
	for _, v := range m {
		total += v
	}
	return
}
