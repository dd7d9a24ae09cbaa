// Package handler_registry: a global registry of handler closures that
// capture their request, never deregistered.
//
// serve subscribes a func literal for its request's progress events and
// starts the backend that publishes them; the literal captures the 64 KiB
// request and a done channel, which it closes on the last event, and serve
// returns once done is closed. Nothing removes the handler afterwards, so
// the package-level map keeps every request's closure -- and the request
// with it -- for ever: unreleased closures, growing with every request.
//
// Fix: defer unsubscribe(req.ID) in serve.
package handler_registry

import (
	"math/rand"
	"sync"
	"time"
)

// Request is one client request.
type Request struct {
	ID       int
	Progress int
	Body     [64 << 10]byte
}

var (
	mu       sync.Mutex
	handlers = map[int]func(last bool){}
)

func resetRegistry() {
	mu.Lock()
	handlers = map[int]func(last bool){}
	mu.Unlock()
}

func subscribe(id int, h func(last bool)) {
	mu.Lock()
	handlers[id] = h
	mu.Unlock()
}

func unsubscribe(id int) {
	mu.Lock()
	delete(handlers, id)
	mu.Unlock()
}

func registered() int {
	mu.Lock()
	defer mu.Unlock()
	return len(handlers)
}

// publish delivers one progress event to the request's handler, if any.
func publish(id int, last bool) {
	mu.Lock()
	h := handlers[id]
	mu.Unlock()
	if h != nil {
		h(last)
	}
}

// backend does the request's work, reporting progress a few times (as
// many as the input says) and then the end.
func backend(id int) {
	time.Sleep(time.Millisecond) // the backend's own I/O
	for i := rand.Intn(3); i > 0; i-- {
		publish(id, false)
	}
	publish(id, true)
}

// serveLeavingHandler is the buggy serve: the handler stays registered.
func serveLeavingHandler(req *Request) {
	done := make(chan struct{})
	subscribe(req.ID, func(last bool) { // captures req and done
		req.Progress++
		if last {
			close(done)
		}
	})
	go backend(req.ID)
	<-done
}

// serve is the fixed one.
func serve(req *Request) {
	done := make(chan struct{})
	subscribe(req.ID, func(last bool) {
		req.Progress++
		if last {
			close(done)
		}
	})
	defer unsubscribe(req.ID)
	go backend(req.ID)
	<-done
}
