// Package moby_33293 is the GoKer kernel of moby/moby#33293, rewritten for
// chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. The GoBench authors
// report 100/100 reproductions in the runs where the error path is taken; the
// kernel takes it when math/rand says so (one run in two).
//
// Goroutines:
//   - the test goroutine starts a waiter goroutine and returns;
//   - the waiter calls waitContainer, which makes an unbuffered error channel,
//     asks the daemon for the exit status, and on failure sends the error on
//     that channel before returning it.
//
// Blocking interleaving: when the request fails, waitContainer sends on the
// channel it has just made; the only goroutine that could receive from it is
// the sender itself, which has not returned it yet. The waiter blocks on the
// send for ever after the test has returned. When the request succeeds,
// nothing blocks.
//
// Fix: GoBench names no fix commit. The fixed variant gives the error channel
// a buffer of one, as moby's client ContainerWait does, so the error is parked
// in the buffer and the channel is handed back to the caller.
package moby_33293

import (
	"errors"
	"math/rand"
	"testing"
)

func askDaemon() error {
	if rand.Intn(2) == 1 {
		return errors.New("daemon: no such container")
	}
	return nil
}

func waitContainer(buffered bool) <-chan error {
	var errs chan error
	if buffered {
		errs = make(chan error, 1)
	} else {
		errs = make(chan error)
	}
	if err := askDaemon(); err != nil {
		errs <- err // unbuffered: nobody else has this channel yet
		return errs
	}
	return errs
}

// TestMoby33293_buggy: on the error path the waiter blocks sending on its own
// unbuffered channel.
//
//chanfuzz:expect partial_deadlock
func TestMoby33293_buggy(t *testing.T) {
	go func() {
		errs := waitContainer(false)
		if errs != nil {
			return
		}
	}()
}

// TestMoby33293_fixed: the error goes into the one-slot buffer.
func TestMoby33293_fixed(t *testing.T) {
	go func() {
		errs := waitContainer(true)
		if errs != nil {
			return
		}
	}()
}
