// Package goroutine_exits_cleanly is the clean baseline: a goroutine that
// captures a large request and a done channel, and leaves by any of the
// ways a Go function can -- a normal return, an early return on an error,
// or runtime.Goexit (what t.Fatal does). Its deferred close(done) runs on
// every one of them, the caller waits for it, and once it has exited its
// stack and everything it captured are garbage. There is no bug: any
// finding here is a false alarm.
package goroutine_exits_cleanly

import (
	"errors"
	"math/rand"
	"runtime"
)

var errInvalid = errors.New("request: invalid")

type request struct {
	body [64 << 10]byte
}

// How the handler leaves: the scenario's input.
const (
	exitReturn = iota
	exitEarlyReturn
	exitGoexit
)

func validate(req *request, path int) error {
	_ = req
	if path == exitEarlyReturn {
		return errInvalid
	}
	return nil
}

func mustAbort(req *request, path int) bool {
	_ = req
	return path == exitGoexit
}

func process(req *request) { req.body[0] = 1 }

// handle serves one request in a goroutine and waits until it is done.
func handle() {
	req := &request{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path := rand.Intn(3)
		if err := validate(req, path); err != nil {
			return // early return: close still runs
		}
		if mustAbort(req, path) {
			runtime.Goexit() // deferred calls run, then the goroutine ends
		}
		process(req)
	}()
	<-done
}
