// Package waitgroup_missing_done: a worker returns on its error path
// without wg.Done().
//
// waitAll starts its jobs, each a goroutine that calls wg.Done() at the
// end of its happy path, and a waiter goroutine that closes done after
// wg.Wait(); the caller waits for done or a timeout. One failed job skips
// its Done, the counter never reaches zero, and the waiter blocks in Wait
// for ever; the caller gives up on the timeout and goes on. Once the
// workers are gone nothing live reaches the WaitGroup: a partial deadlock.
// (Without the timeout Go would report a global deadlock; the timeout is
// how real callers look, and what makes the leak silent.)
//
// Fix: defer wg.Done() as the worker's first statement.
package waitgroup_missing_done

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

var (
	errJob     = errors.New("job failed")
	errTimeout = errors.New("waitAll: timeout")
)

const timeout = 100 * time.Millisecond

// job takes up to 5ms and may fail, as the input decides.
func job() error {
	time.Sleep(time.Duration(rand.Intn(5)) * time.Millisecond)
	if rand.Intn(2) == 1 {
		return errJob
	}
	return nil
}

// waitAll runs jobs and waits for them, up to timeout. deferDone picks the
// fixed worker.
func waitAll(jobs int, deferDone bool) error {
	var wg sync.WaitGroup
	for i := 0; i < jobs; i++ {
		wg.Add(1)
		if deferDone {
			go func() {
				defer wg.Done()
				_ = job()
			}()
		} else {
			go func() {
				if err := job(); err != nil {
					return // wg.Done() skipped
				}
				wg.Done()
			}()
		}
	}
	done := make(chan struct{})
	go func() {
		wg.Wait() // blocks for ever after a failure
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
		return errTimeout // the waiter is left behind
	}
}
