// Package cache_unbounded: a session cache keyed by id that only grows.
//
// Every request looks its session up by id; a miss creates the session
// and stores it in a package-level map, and nothing ever deletes an entry.
// A returning client (one of the last few ids) hits the cache, but new
// clients keep coming, so the map's entries and the 4 KiB sessions they
// point to rise with every request, for as long as the server runs: growth
// that no single moment shows as a leak, only the trend across requests.
//
// Fix: bound the cache. Here each new session evicts the one maxSessions
// ids older, delete(sessions, id-maxSessions), so the cache fills up to
// maxSessions entries and stays there.
package cache_unbounded

import (
	"math/rand"
	"sync"
	"time"
)

// Session is one client's state.
type Session struct {
	ID   int
	Hits int
	Data [4 << 10]byte
}

const maxSessions = 32

var (
	mu       sync.Mutex
	sessions = map[int]*Session{}
	next     int
	evict    bool // the fixed cache evicts; the buggy one does not
)

// reset empties the cache; evictOldest picks the fixed behaviour.
func reset(evictOldest bool) {
	mu.Lock()
	sessions = map[int]*Session{}
	next = 0
	evict = evictOldest
	mu.Unlock()
}

func lookup(id int) *Session {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := sessions[id]; ok {
		s.Hits++
		return s
	}
	s := &Session{ID: id}
	sessions[id] = s // the buggy cache never deletes
	if evict {
		delete(sessions, id-maxSessions) // evict the oldest
	}
	return s
}

// nextID is the id of the next request: usually a new client, sometimes
// one of the last eight again, as the input decides.
func nextID() int {
	mu.Lock()
	defer mu.Unlock()
	if next > 0 && rand.Intn(4) == 1 {
		recent := next
		if recent > 8 {
			recent = 8
		}
		return next - 1 - rand.Intn(recent)
	}
	next++
	return next - 1
}

// serve handles one request.
func serve() {
	s := lookup(nextID())
	time.Sleep(time.Millisecond) // the request's I/O, using s
	_ = s
}
