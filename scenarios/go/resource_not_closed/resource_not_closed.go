// Package resource_not_closed: a file left open on an error path.
//
// loadConfig opens a config file, checks its header and applies it;
// f.Close() is written once, at the end of the happy path. A bad header
// returns early and skips it: the file descriptor stays open until the
// garbage collector's finalizer gets to it, if it ever does. Only the path
// "opened, then a bad header" leaks; a missing file or a good header does
// not.
//
// Fix: defer f.Close() right after os.Open succeeded.
package resource_not_closed

import (
	"errors"
	"math/rand"
	"os"
)

var errBadHeader = errors.New("config: bad header")

// readHeader validates the file's header. Whether it is bad is the
// scenario's input.
func readHeader(f *os.File) error {
	_ = f
	if rand.Intn(2) == 1 {
		return errBadHeader
	}
	return nil
}

// apply loads the configuration from f.
func apply(f *os.File) { _ = f }

// loadConfigLeaky is the buggy loader.
func loadConfigLeaky(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if err := readHeader(f); err != nil {
		return err // f is never closed
	}
	apply(f)
	return f.Close()
}

// loadConfig is the fixed one.
func loadConfig(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := readHeader(f); err != nil {
		return err
	}
	apply(f)
	return nil
}

// loadAll loads every config in turn; a failure does not stop the rest.
func loadAll(paths []string, load func(string) error) []error {
	var errs []error
	for _, p := range paths {
		if err := load(p); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}
