// Package worker_blocks_without_done: a worker's receive loop has no
// ctx.Done() arm, so cancelling its context does not reach it.
//
// feed creates a cancellable context (and defers cancel, as it should),
// starts worker(ctx, jobs) and sends it a few jobs on an unbuffered
// channel. The worker loops on j := <-jobs and never looks at ctx. When
// feed returns, the cancel runs, but the worker is blocked in a receive
// that nothing will ever satisfy: only it still holds jobs, a partial
// deadlock.
//
// Fix: the worker's receive selects on ctx.Done() too and returns when
// the context is cancelled.
package worker_blocks_without_done

import (
	"context"
	"math/rand"
)

// process handles one job.
func process(j int) { _ = j }

// workerIgnoringCtx is the buggy worker.
func workerIgnoringCtx(ctx context.Context, jobs <-chan int) {
	_ = ctx // carried, never consulted
	for {
		j := <-jobs // blocks for ever once the jobs stop
		process(j)
	}
}

// worker is the fixed one.
func worker(ctx context.Context, jobs <-chan int) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-jobs:
			process(j)
		}
	}
}

// feed runs a worker over a number of jobs the input decides.
func feed(work func(context.Context, <-chan int)) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	jobs := make(chan int)
	go work(ctx, jobs)
	n := rand.Intn(4)
	for i := 0; i < n; i++ {
		jobs <- i
	}
}
