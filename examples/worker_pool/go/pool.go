// Package pool is the fan-out of ../src/pool.c written in Go: one
// goroutine per job, results on a channel, return on the first error.
//
// fanOutV1's results channel is unbuffered: after the early return nobody
// receives, and the senders still running block for ever. fanOut gives the
// channel room for every result.
package pool

import (
	"errors"
	"math/rand"
)

var errJob = errors.New("job failed")

// job stands for work that may fail; under chanfuzz, rand is the input.
func job(n int) error {
	if rand.Intn(2) == 1 {
		return errJob
	}
	return nil
}

func fanOutV1(jobs int) error {
	results := make(chan error)
	for n := 0; n < jobs; n++ {
		go func(n int) { results <- job(n) }(n)
	}
	for n := 0; n < jobs; n++ {
		if err := <-results; err != nil {
			return err // the other senders block for ever
		}
	}
	return nil
}

func fanOut(jobs int) error {
	results := make(chan error, jobs)
	for n := 0; n < jobs; n++ {
		go func(n int) { results <- job(n) }(n)
	}
	for n := 0; n < jobs; n++ {
		if err := <-results; err != nil {
			return err // the others find room in the buffer
		}
	}
	return nil
}
