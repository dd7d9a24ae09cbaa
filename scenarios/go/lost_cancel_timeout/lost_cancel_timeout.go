// Package lost_cancel_timeout: a request context whose cancel is dropped
// on the cache-hit path, under a server context that lives as long as the
// process.
//
// handle derives a request context from serverCtx with a two-hour timeout
// (a long-poll request) and keeps it, with its cancel, in a request
// value. On a cache hit it returns before its defer r.cancel() is reached:
// the cancel is lost, and the child context stays registered on
// serverCtx's children list, with its timer, until the server stops or
// two hours pass. One stale child per cache hit.
//
// go vet's lostcancel finds this when ctx and cancel are local variables;
// kept in a struct, as here, it does not, and the leak shows only at run
// time.
//
// Fix: defer the cancel right after the context is made, before any
// return.
package lost_cancel_timeout

import (
	"context"
	"math/rand"
	"time"
)

// serverCtx is the server's own context. The server stops outside the
// code under test, so stopServer is never called here: it is state set up
// before the test (what goleak.IgnoreCurrent is for), not the leak.
var serverCtx, stopServer = context.WithCancel(context.Background())

const requestTimeout = 2 * time.Hour

// request is one request's scope.
type request struct {
	id     int
	ctx    context.Context
	cancel context.CancelFunc
}

func newRequest(id int) *request {
	ctx, cancel := context.WithTimeout(serverCtx, requestTimeout)
	return &request{id: id, ctx: ctx, cancel: cancel}
}

// cached says whether the answer is in the cache: the scenario's input.
func cached(id int) bool {
	_ = id
	return rand.Intn(2) == 1
}

// fetch waits for the backend (up to 10ms) or for the request to end.
func fetch(ctx context.Context, id int) {
	_ = id
	select {
	case <-time.After(time.Duration(rand.Intn(10)) * time.Millisecond):
	case <-ctx.Done():
	}
}

// handleDroppingCancel is the buggy handler.
func handleDroppingCancel(id int) {
	r := newRequest(id)
	if cached(id) {
		return // r.cancel dropped
	}
	defer r.cancel()
	fetch(r.ctx, id)
}

// handle is the fixed one.
func handle(id int) {
	r := newRequest(id)
	defer r.cancel()
	if cached(id) {
		return
	}
	fetch(r.ctx, id)
}

// serveAll handles three requests in turn.
func serveAll(h func(id int)) {
	for id := 0; id < 3; id++ {
		h(id)
	}
}
