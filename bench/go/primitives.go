// Command primitives times, in Go itself, the operations bench_runtime
// times in the model (bench/bench_model.c, bench/bench_memory.c), so that
// bench/run.sh can print the two side by side. It runs at GOMAXPROCS=1,
// the model's scheduling: one goroutine runs at a time, and every switch
// is one the Go scheduler makes on a single P.
//
// Each row is the Go code bench_model.c quotes above its C model, timed
// the way bench_runtime times it: setup outside the clock, calibration
// until a run takes a tenth of -run-ms, then -runs runs of that length;
// the fastest is kept (noise on a shared machine only ever adds time).
//
// Output: one line per row, "row<TAB>min<TAB>median<TAB>unit".
//
//	GO111MODULE=off go run bench/go/primitives.go [-runs N] [-run-ms MS] [-goroutines N] [-quick]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// yield: two goroutines calling runtime.Gosched in turn; one op is two
// yields and two switches.
func benchYield(n int) time.Duration {
	stop := false
	done := make(chan struct{})
	partnerYields := 0
	go func() {
		for !stop {
			runtime.Gosched()
			partnerYields++
		}
		close(done)
	}()
	runtime.Gosched() // the partner starts, and yields back from its loop
	partnerYields = 0
	start := time.Now()
	for i := 0; i < n; i++ {
		runtime.Gosched()
	}
	elapsed := time.Since(start)
	// Go's own goroutines (the GC's workers) may take a turn too, so the
	// partner's count may fall short of n; a count of 0 means no switch.
	if n > 0 && partnerYields == 0 {
		fail("yield", "the partner never ran")
	}
	stop = true
	<-done
	return elapsed
}

// pingpong: `ping <- i; <-pong` against a partner doing `pong <- <-ping`.
func benchPingPong(n int) time.Duration {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	ping <- 0
	<-pong
	start := time.Now()
	for i := 1; i <= n; i++ {
		ping <- i
		if <-pong != i {
			fail("pingpong", "the reply is not the ping")
		}
	}
	elapsed := time.Since(start)
	close(ping)
	return elapsed
}

// buffered: `ch <- i; <-ch` on a make(chan int, 128) in one goroutine.
func benchBuffered(n int) time.Duration {
	ch := make(chan int, 128)
	start := time.Now()
	for i := 0; i < n; i++ {
		ch <- i
		if <-ch != i {
			fail("buffered", "received another value")
		}
	}
	return time.Since(start)
}

// select: three never-ready receives and one buffered channel that always
// holds a value (the last case), refilled in batches of 128 with the clock
// stopped.
func benchSelect4(n int) time.Duration {
	a, c, d := make(chan int), make(chan int), make(chan int)
	ready := make(chan int, 128)
	var elapsed time.Duration
	for left := n; left > 0; {
		batch := 128
		if left < batch {
			batch = left
		}
		for i := 0; i < batch; i++ {
			ready <- i
		}
		start := time.Now()
		for i := 0; i < batch; i++ {
			select {
			case <-a:
			case <-c:
			case <-d:
			case <-ready:
			}
		}
		elapsed += time.Since(start)
		left -= batch
	}
	return elapsed
}

// spawn: `go func() {}(); runtime.Gosched()`: a spawn, the new goroutine
// runs and exits, main runs again.
func benchSpawn(n int) time.Duration {
	start := time.Now()
	for i := 0; i < n; i++ {
		go func() {}()
		runtime.Gosched()
	}
	return time.Since(start)
}

func fail(row, what string) {
	fmt.Fprintf(os.Stderr, "primitives: row %s: %s\n", row, what)
	os.Exit(1)
}

// residentBytes reads the resident set from /proc/self/statm.
func residentBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		fail("memory", err.Error())
	}
	fields := strings.Fields(string(data))
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		fail("memory", "/proc/self/statm: "+err.Error())
	}
	return pages * int64(os.Getpagesize())
}

// memoryPerBlocked: resident-set growth divided by n goroutines blocked
// receiving on one channel (bench_memory.c's row), in a fresh process.
func memoryPerBlocked(n int) float64 {
	ch := make(chan int)
	runtime.GC()
	before := residentBytes()
	for i := 0; i < n; i++ {
		go func() { <-ch }()
	}
	for runtime.NumGoroutine() < n+1 {
		runtime.Gosched()
	}
	runtime.Gosched() // each spawned goroutine runs into its receive
	after := residentBytes()
	close(ch)
	for runtime.NumGoroutine() > 1 {
		runtime.Gosched()
	}
	return float64(after-before) / float64(n)
}

// nsPerOp calibrates ops until a run takes a tenth of runLength, scales it
// to runLength, and returns the min and the median ns/op of runs runs.
func nsPerOp(fn func(int) time.Duration, runs int, runLength time.Duration) (float64, float64) {
	ops := 1
	for {
		d := fn(ops)
		if d >= runLength/10 || ops >= 1<<30 {
			ops = int(float64(ops) * float64(runLength) / float64(d+1))
			break
		}
		ops *= 4
	}
	if ops < 1 {
		ops = 1
	}
	ns := make([]float64, 0, runs)
	for i := 0; i < runs; i++ {
		ns = append(ns, float64(fn(ops).Nanoseconds())/float64(ops))
	}
	sort.Float64s(ns)
	return ns[0], ns[len(ns)/2]
}

func main() {
	runs := flag.Int("runs", 7, "timed runs per row; the fastest is kept")
	runMs := flag.Int("run-ms", 100, "length of one timed run")
	goroutines := flag.Int("goroutines", 100000, "blocked goroutines in the memory row")
	quick := flag.Bool("quick", false, "1 run of ~2 ms per row, 1,000 goroutines: proves it runs")
	flag.Parse()
	if *quick {
		*runs, *runMs, *goroutines = 1, 2, 1000
	}
	runtime.GOMAXPROCS(1)
	// The memory row first, while the heap is fresh, as bench_runtime does.
	perGoroutine := memoryPerBlocked(*goroutines)
	fmt.Printf("memory\t%.0f\t%.0f\tbytes\n", perGoroutine, perGoroutine)
	rows := []struct {
		name string
		fn   func(int) time.Duration
	}{
		{"yield", benchYield}, {"pingpong", benchPingPong}, {"buffered", benchBuffered},
		{"select", benchSelect4}, {"spawn", benchSpawn},
	}
	for _, r := range rows {
		min, median := nsPerOp(r.fn, *runs, time.Duration(*runMs)*time.Millisecond)
		fmt.Printf("%s\t%.1f\t%.1f\tns\n", r.name, min, median)
	}
}
