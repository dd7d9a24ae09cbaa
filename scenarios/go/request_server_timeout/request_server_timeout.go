// Package request_server_timeout: a goroutine-per-request server whose
// handlers leak on a timeout, one per slow request.
//
// serve runs each request's handler in a goroutine that sends the
// response on an unbuffered channel, and waits for it for 100ms. When the
// handler is slower, serve returns errTimeout and nobody will receive: the
// handler blocks on its send for ever, holding its 16 KiB request. Every
// slow request adds one, so under load the blocked handlers accumulate:
// partial deadlocks, and growth across requests.
//
// Fix: make(chan Response, 1). A late handler's send lands in the buffer
// and it exits.
package request_server_timeout

import (
	"errors"
	"math/rand"
	"time"
)

var errTimeout = errors.New("timeout")

const timeout = 100 * time.Millisecond

// Request is one client request.
type Request struct {
	ID   int
	Body [16 << 10]byte
}

// Response answers a Request.
type Response struct {
	ID int
}

// handle does the request's work, which takes up to 200ms.
func handle(req *Request) Response {
	time.Sleep(time.Duration(rand.Intn(200)) * time.Millisecond)
	return Response{ID: req.ID}
}

// serveUnbuffered is the buggy server: one request, with a deadline.
func serveUnbuffered(req *Request) (Response, error) {
	ch := make(chan Response)
	go func() {
		ch <- handle(req) // blocks for ever after a timeout
	}()
	select {
	case resp := <-ch:
		return resp, nil
	case <-time.After(timeout):
		return Response{}, errTimeout
	}
}

// serve is the fixed one: a late handler's send never waits.
func serve(req *Request) (Response, error) {
	ch := make(chan Response, 1)
	go func() {
		ch <- handle(req)
	}()
	select {
	case resp := <-ch:
		return resp, nil
	case <-time.After(timeout):
		return Response{}, errTimeout
	}
}
