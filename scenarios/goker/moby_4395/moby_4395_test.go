// Package moby_4395 is the GoKer kernel of moby/moby#4395 (fix commit
// d3a6ee1e55a5), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine calls runAsync with a job that fails, takes the
//     returned channel and drops it without reading;
//   - the worker that runAsync starts runs the job and sends its error on the
//     returned channel.
//
// Blocking interleaving: runAsync makes an unbuffered result channel, so the
// worker's send can only complete when somebody receives. The caller has
// already returned and will never receive: the worker stays blocked on the
// send after the test ends (a leaked sender).
//
// Fix (upstream): give the result channel a buffer of one, so the single
// result always has a slot and the worker exits whether or not anyone reads.
package moby_4395

import (
	"errors"
	"testing"
)

// runAsync runs job on its own goroutine and returns the channel its error
// arrives on. buffered selects the fixed channel (capacity 1).
func runAsync(job func() error, buffered bool) chan error {
	var out chan error
	if buffered {
		out = make(chan error, 1)
	} else {
		out = make(chan error)
	}
	go func() {
		out <- job() // unbuffered: blocks until a receive that never comes
	}()
	return out
}

func failingJob() error { return errors.New("pull failed") }

// TestMoby4395_buggy drops the result channel of an unbuffered runAsync; the
// worker leaks on its send.
//
//chanfuzz:expect partial_deadlock
func TestMoby4395_buggy(t *testing.T) {
	runAsync(failingJob, false)
}

// TestMoby4395_fixed drops the result channel of a buffered runAsync; the
// worker's send fills the buffer and the worker exits.
func TestMoby4395_fixed(t *testing.T) {
	runAsync(failingJob, true)
}
