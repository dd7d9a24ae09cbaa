// Package nil_chan_send: a channel made on one path only.
//
// run declares errc and makes it only when opts.Report is set; otherwise
// the variable keeps its zero value, nil. The goroutine that sends work's
// result on errc then blocks for ever ("chan send (nil chan)"): a send on
// a nil channel can never proceed. The caller's receive on the same nil
// channel never would either, but its timeout hides that, so run returns
// and leaves the sender behind: a partial deadlock.
//
// Fix: errc := make(chan error, 1) on every path.
package nil_chan_send

import (
	"errors"
	"math/rand"
	"time"
)

var (
	errWork    = errors.New("work failed")
	errTimeout = errors.New("run: timeout")
)

const timeout = 100 * time.Millisecond

// Options configure a run.
type Options struct {
	Report bool
}

// work takes up to 10ms and may fail, as the input decides.
func work() error {
	time.Sleep(time.Duration(rand.Intn(10)) * time.Millisecond)
	if rand.Intn(2) == 1 {
		return errWork
	}
	return nil
}

// runReporting is the buggy run: errc is nil unless opts.Report.
func runReporting(opts Options) error {
	var errc chan error
	if opts.Report {
		errc = make(chan error, 1)
	}
	go func() {
		errc <- work() // a nil channel: blocks for ever
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(timeout):
		return errTimeout
	}
}

// run is the fixed one.
func run(opts Options) error {
	errc := make(chan error, 1)
	go func() {
		errc <- work()
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(timeout):
		return errTimeout
	}
}

// randomOptions picks the options, as the input decides.
func randomOptions() Options {
	return Options{Report: rand.Intn(2) == 1}
}
