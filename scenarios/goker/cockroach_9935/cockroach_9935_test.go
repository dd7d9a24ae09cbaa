// Package cockroach_9935 is the GoKer kernel of cockroachdb/cockroach#9935
// (fix commit ed6a100ba38d), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts one logging goroutine and returns;
//   - the logging goroutine locks the logger's mutex to write an entry and
//     first (re)creates the log file; creating the file fails with
//     probability 3/4 (math/rand), and the failure path calls the logger's
//     exit routine, which locks the same mutex.
//
// Blocking interleaving: none beyond the random failure. When file creation
// fails, the exit routine's Lock waits for ever on the mutex the same
// goroutine already holds; the goroutine stays blocked after the test
// returns.
//
// Fix (upstream, cockroachdb/cockroach#9935): release the mutex before
// calling the exit routine on the error path.
package cockroach_9935

import (
	"errors"
	"math/rand"
	"sync"
	"testing"
)

type logger struct {
	mu    sync.Mutex
	fixed bool
}

func (l *logger) openFile() error {
	if rand.Intn(4) != 0 {
		return errors.New("cannot create log file")
	}
	return nil
}

// die flushes and stops logging; it takes the mutex itself.
func (l *logger) die(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = err
}

func (l *logger) writeEntry() {
	l.mu.Lock()
	if err := l.openFile(); err != nil {
		if l.fixed {
			l.mu.Unlock()
			l.die(err)
			return
		}
		l.die(err) // buggy: mu is still held
	}
	l.mu.Unlock()
}

// TestCockroach9935_buggy: on the error path the logging goroutine locks the
// mutex twice and stays blocked.
//
//chanfuzz:expect partial_deadlock
func TestCockroach9935_buggy(t *testing.T) {
	l := &logger{}
	go l.writeEntry()
}

// TestCockroach9935_fixed: the error path unlocks before exiting.
func TestCockroach9935_fixed(t *testing.T) {
	l := &logger{fixed: true}
	go l.writeEntry()
}
