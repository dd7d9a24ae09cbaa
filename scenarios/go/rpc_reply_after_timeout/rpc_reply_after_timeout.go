// Package rpc_reply_after_timeout: an RPC client's read loop hands a reply
// to a caller that has just timed out.
//
// The client has one read loop per connection. For each reply it looks up
// the caller's channel in pending (under the lock), removes it, and sends
// the reply on it, unbuffered. Call registers its channel, sends the
// request, and waits for the reply or its timeout; on a timeout it removes
// its entry. If the caller's timer fires between the read loop's lookup
// and its hand-off, the caller leaves through the timeout case and the
// read loop -- the one goroutine serving every call of the connection --
// blocks on its send for ever. The window is narrow: the reply must come
// in during the last keepalive tick before the deadline, and the switch
// must fall between two statements of the read loop. A plain test run
// practically never shows it.
//
// Fix: the reply channel has room for the one reply, make(chan int, 1),
// so the read loop never waits for a caller that may be gone.
package rpc_reply_after_timeout

import (
	"errors"
	"math/rand"
	"sync"
	"time"
)

var errTimeout = errors.New("rpc: timeout")

const (
	keepaliveEvery = 100 * time.Microsecond
	latencyMax     = 100 * time.Millisecond
)

type reply struct {
	id    uint64
	value int
}

// Client is one connection's client side.
type Client struct {
	mu       sync.Mutex
	pending  map[uint64]chan int
	replies  chan reply // what the connection delivers
	done     chan struct{}
	buffered bool // the fixed client gives each call a buffered channel
}

// Dial connects, starting the read loop and the keepalive.
func Dial(bufferedReplies bool) *Client {
	c := &Client{
		pending:  map[uint64]chan int{},
		replies:  make(chan reply),
		done:     make(chan struct{}),
		buffered: bufferedReplies,
	}
	go c.readLoop()
	go c.keepalive()
	return c
}

// Close shuts the connection down.
func (c *Client) Close() { close(c.done) }

func (c *Client) readLoop() {
	for {
		select {
		case r := <-c.replies:
			c.mu.Lock()
			ch, ok := c.pending[r.id]
			delete(c.pending, r.id)
			c.mu.Unlock()
			if ok {
				ch <- r.value // unbuffered: the caller may have left
			}
		case <-c.done:
			return
		}
	}
}

func (c *Client) keepalive() {
	t := time.NewTicker(keepaliveEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C: // ping
		case <-c.done:
			return
		}
	}
}

// roundTrip stands for the server: the reply to id comes back after the
// network's latency, unless the connection is closed first.
func (c *Client) roundTrip(id uint64) {
	time.Sleep(time.Duration(rand.Intn(int(latencyMax/time.Microsecond))) * time.Microsecond)
	select {
	case c.replies <- reply{id: id, value: 42}:
	case <-c.done:
	}
}

// Call sends request id and waits for its reply up to timeout.
func (c *Client) Call(id uint64, timeout time.Duration) (int, error) {
	capacity := 0
	if c.buffered {
		capacity = 1
	}
	ch := make(chan int, capacity)
	c.mu.Lock()
	c.pending[id] = ch
	c.mu.Unlock()
	go c.roundTrip(id)
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(timeout):
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return 0, errTimeout
	}
}
