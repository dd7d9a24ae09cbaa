// Package afterfunc_not_stopped: a watchdog time.AfterFunc whose closure
// captures the job's buffer, left armed on the error path.
//
// Each job goroutine allocates a 64 KiB buffer and arms a two-hour
// watchdog whose func literal reports the job and the buffer's size. The
// happy path stops the watchdog; the error path returns first, so the
// pending timer keeps its closure -- and with it the job and the buffer --
// alive for two hours after the job is gone. No goroutine is left behind:
// the leak is a closure held by a timer.
//
// Fix: defer watchdog.Stop() right after time.AfterFunc.
package afterfunc_not_stopped

import (
	"errors"
	"fmt"
	"math/rand"
	"sync"
	"time"
)

const (
	bufferBytes = 64 << 10
	stuckAfter  = 2 * time.Hour
)

var errFetch = errors.New("fetch failed")

// Job is one unit of work.
type Job struct {
	ID int
}

// logStuck is where a stuck job is reported (a log line in the service).
func logStuck(msg string) { _ = msg }

// fetch fills buf for the job; its latency and outcome are the input.
func fetch(job *Job, buf []byte) error {
	_, _ = job, buf
	time.Sleep(time.Duration(rand.Intn(10)) * time.Millisecond)
	if rand.Intn(2) == 1 {
		return errFetch
	}
	return nil
}

// processLeavingWatchdog is the buggy job: the error return skips Stop.
func processLeavingWatchdog(job *Job, wg *sync.WaitGroup) error {
	defer wg.Done()
	buf := make([]byte, bufferBytes)
	watchdog := time.AfterFunc(stuckAfter, func() {
		logStuck(fmt.Sprintf("job %d stuck, %d bytes buffered", job.ID, len(buf)))
	})
	if err := fetch(job, buf); err != nil {
		return err // the watchdog stays armed, holding buf
	}
	watchdog.Stop()
	return nil
}

// process is the fixed job.
func process(job *Job, wg *sync.WaitGroup) error {
	defer wg.Done()
	buf := make([]byte, bufferBytes)
	watchdog := time.AfterFunc(stuckAfter, func() {
		logStuck(fmt.Sprintf("job %d stuck, %d bytes buffered", job.ID, len(buf)))
	})
	defer watchdog.Stop()
	return fetch(job, buf)
}

// runJobs runs three jobs concurrently and waits for them.
func runJobs(proc func(*Job, *sync.WaitGroup) error) {
	var wg sync.WaitGroup
	for id := 0; id < 3; id++ {
		wg.Add(1)
		go proc(&Job{ID: id}, &wg)
	}
	wg.Wait()
}
