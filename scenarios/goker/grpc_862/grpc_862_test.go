// Package grpc_862 is the GoKer kernel of grpc/grpc-go#862 (fix commit
// dd5645bebff4, "Avoid goroutine leak in clientconn"), rewritten for
// chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel & Context. The GoBench
// authors report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts a dialing goroutine and a goroutine that
//     cancels the dial context, and returns;
//   - the dialing goroutine creates the client connection (with its own
//     cancellable context), starts the address-connection goroutine and
//     waits for the dial context to end; it then returns a nil connection;
//   - the address-connection goroutine retries the transport for ever: each
//     retry derives a connect timeout context, and then waits in a select
//     on a backoff timer (time.After) and on its own context's Done;
//   - the cancelling goroutine cancels the dial context.
//
// Blocking interleaving: none is needed. DialContext's deferred clean-up
// only closes a non-nil connection, and on cancellation the connection it
// returns is nil, so the client connection is never closed and its context
// never cancelled. The retry goroutine keeps waking on its backoff timer
// for ever after the test returns: it never exits, although it is never
// permanently blocked.
//
// Fix (upstream, grpc/grpc-go#862): the deferred clean-up closes the client
// connection whenever DialContext returns an error.
package grpc_862

import (
	"context"
	"testing"
	"time"
)

type clientConn struct {
	ctx    context.Context
	cancel context.CancelFunc
	conns  []*addrConn
}

type addrConn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (cc *clientConn) Close() {
	cc.cancel()
	conns := cc.conns
	cc.conns = nil
	for _, ac := range conns {
		ac.cancel()
	}
}

// newAddrConn is called with the connection's setup still under way; the
// address connection's context is a child of the client connection's.
func (cc *clientConn) newAddrConn() *addrConn {
	ac := &addrConn{}
	ac.ctx, ac.cancel = context.WithCancel(cc.ctx)
	cc.conns = append(cc.conns, ac)
	return ac
}

func (ac *addrConn) resetTransport() {
	for retries := 1; ; retries++ {
		backoff := 2 * time.Nanosecond * time.Duration(retries)
		_, cancel := context.WithTimeout(ac.ctx, 10*time.Nanosecond)
		start := time.Now()
		cancel()
		select {
		case <-time.After(backoff - time.Since(start)):
		case <-ac.ctx.Done():
			return
		}
	}
}

func dial(ctx context.Context, fixed bool) (conn *clientConn, err error) {
	cc := &clientConn{}
	cc.ctx, cc.cancel = context.WithCancel(context.Background())
	defer func() {
		select {
		case <-ctx.Done():
			if !fixed && conn != nil {
				conn.Close()
			}
			conn, err = nil, ctx.Err()
		default:
		}
		if fixed && err != nil {
			cc.Close()
		}
	}()
	ac := cc.newAddrConn()
	go ac.resetTransport()
	<-ctx.Done() // the connection never becomes ready before cancellation
	return nil, ctx.Err()
}

func run(fixed bool) {
	ctx, cancel := context.WithCancel(context.Background())
	go dial(ctx, fixed)
	go cancel()
}

// TestGrpc862_buggy: the retry goroutine of a failed dial runs for ever.
//
//chanfuzz:expect never_exits
//chanfuzz:allow lost_cancel,context_registered
func TestGrpc862_buggy(t *testing.T) {
	run(false)
}

// TestGrpc862_fixed: a failed dial closes the client connection.
func TestGrpc862_fixed(t *testing.T) {
	run(true)
}
