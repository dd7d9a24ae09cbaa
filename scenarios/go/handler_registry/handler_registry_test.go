package handler_registry

import (
	"runtime"
	"testing"
)

const (
	requests        = 60
	checkpointEvery = 3
)

// serveMany serves requests one after another, with a collection every
// checkpointEvery requests (chanfuzz's growth checkpoints).
func serveMany(serve func(*Request)) {
	for id := 0; id < requests; id++ {
		serve(&Request{ID: id})
		if (id+1)%checkpointEvery == 0 {
			runtime.GC()
		}
	}
}

// TestHandlerRegistry_buggy serves 60 requests; every one leaves its
// handler, and the request it captures, in the registry.
//
//chanfuzz:expect unreleased_closure,growth
func TestHandlerRegistry_buggy(t *testing.T) {
	resetRegistry()
	serveMany(serveLeavingHandler)
	t.Log(registered(), "handlers still registered")
}

// TestHandlerRegistry_fixed serves them with the handler deregistered.
func TestHandlerRegistry_fixed(t *testing.T) {
	resetRegistry()
	serveMany(serve)
	if n := registered(); n != 0 {
		t.Error(n, "handlers still registered, want 0")
	}
}
