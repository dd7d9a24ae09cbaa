// Package errgroup_ignores_ctx: errgroup-style fan-in cancelled on the
// first error, with one worker whose send has no ctx.Done() arm.
//
// search starts two workers that query a backend and send their result
// selecting on ctx.Done(), and a third, a legacy backend, that sends
// unconditionally. The first error is recorded once (sync.Once) and
// cancels the context; a closer goroutine waits for all workers
// (wg.Wait) and closes results; the reader returns at ctx.Done(). After a
// failure the reader is gone, so the legacy worker blocks on its send for
// ever -- and the closer in wg.Wait, waiting for it. The two wait on
// things only the other holds (results, the WaitGroup): a partial
// deadlock.
//
// Fix: the legacy worker sends as the others do,
// select { case results <- r: case <-ctx.Done(): }.
package errgroup_ignores_ctx

import (
	"context"
	"errors"
	"math/rand"
	"sync"
	"time"
)

var errBackend = errors.New("backend unavailable")

const queryTimeMax = 10 // ms

// query asks one backend; latency and outcome are the input.
func query() (int, error) {
	time.Sleep(time.Duration(rand.Intn(queryTimeMax)) * time.Millisecond)
	r := rand.Intn(100)
	if rand.Intn(2) == 1 {
		return 0, errBackend
	}
	return r, nil
}

// legacyQuery asks the legacy backend, which does not fail.
func legacyQuery() int {
	time.Sleep(time.Duration(rand.Intn(queryTimeMax)) * time.Millisecond)
	return 1000
}

// search fans out to three backends and collects their results, stopping
// at the first error. watchLegacy picks the fixed legacy worker.
func search(parent context.Context, watchLegacy bool) ([]int, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	results := make(chan int)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() { // honours ctx
			defer wg.Done()
			r, err := query()
			if err != nil {
				fail(err)
				return
			}
			select {
			case results <- r:
			case <-ctx.Done():
			}
		}()
	}
	wg.Add(1)
	if watchLegacy {
		go func() { // legacy backend, fixed
			defer wg.Done()
			r := legacyQuery()
			select {
			case results <- r:
			case <-ctx.Done():
			}
		}()
	} else {
		go func() { // legacy backend, buggy
			defer wg.Done()
			r := legacyQuery()
			results <- r // no ctx.Done() arm
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []int
	for {
		select {
		case r, ok := <-results:
			if !ok {
				return out, firstErr
			}
			out = append(out, r)
		case <-ctx.Done():
			return nil, firstErr // stop at the first error
		}
	}
}
