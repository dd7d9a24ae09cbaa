// Package kubernetes_5316 is the GoKer kernel of kubernetes/kubernetes#5316
// (fix commit cc3a433a7abc), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel (a timeout abandons the
// result channels). The GoBench authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts finishRequest on a goroutine and returns;
//   - finishRequest starts a worker for the request and selects on its result
//     channel, its error channel and a 1ms timeout (time.After);
//   - the worker runs the request, which takes 2ms, and sends either the error
//     (math/rand decides) or the result, each on an unbuffered channel.
//
// Blocking interleaving: the timeout fires first, finishRequest returns, and
// no one is left to receive; the worker, 1ms later, blocks for ever on
// whichever send it makes.
//
// Fix (upstream): both channels get a buffer of one, so the worker's single
// send completes even when finishRequest has timed out.
package kubernetes_5316

import (
	"errors"
	"math/rand"
	"testing"
	"time"
)

func finishRequest(timeout time.Duration, request func() error, buffered bool) {
	size := 0
	if buffered {
		size = 1
	}
	results := make(chan bool, size)
	errs := make(chan error, size)
	go func() {
		if err := request(); err != nil {
			errs <- err
		} else {
			results <- true
		}
	}()
	select {
	case <-results:
	case <-errs:
	case <-time.After(timeout):
	}
}

func slowRequest() error {
	time.Sleep(2 * time.Millisecond)
	if rand.Intn(10) > 5 {
		return errors.New("storage unavailable")
	}
	return nil
}

// TestKubernetes5316_buggy: the request outlives the timeout and its worker
// leaks on an unbuffered send.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes5316_buggy(t *testing.T) {
	go finishRequest(time.Millisecond, slowRequest, false)
}

// TestKubernetes5316_fixed: the late result lands in a buffer.
func TestKubernetes5316_fixed(t *testing.T) {
	go finishRequest(time.Millisecond, slowRequest, true)
}
