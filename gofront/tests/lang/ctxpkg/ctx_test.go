// Package ctxpkg: Background, TODO, WithCancel, WithTimeout,
// WithDeadline, WithValue, Err values and Done.
package ctxpkg

import (
	"context"
	"errors"
	"testing"
	"time"
)

type ctxKey string

func TestRootContexts(t *testing.T) {
	bg := context.Background()
	if bg.Err() != nil || bg.Done() != nil || bg.Value("k") != nil {
		t.Fatal("Background")
	}
	if _, ok := bg.Deadline(); ok {
		t.Fatal("Background has no deadline")
	}
	todo := context.TODO()
	if todo.Err() != nil || todo.Done() != nil {
		t.Fatal("TODO")
	}
	if context.Canceled.Error() != "context canceled" || context.DeadlineExceeded.Error() != "context deadline exceeded" {
		t.Fatal("error texts")
	}
}

func TestWithCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if ctx.Err() != nil {
		t.Fatal("not yet cancelled")
	}
	select {
	case <-ctx.Done():
		t.Fatal("Done before cancel")
	default:
	}
	child, childCancel := context.WithCancel(ctx)
	defer childCancel()
	stopped := make(chan error)
	go func() {
		<-child.Done()
		stopped <- child.Err()
	}()
	cancel()
	if err := <-stopped; err != context.Canceled {
		t.Fatalf("child error: %v", err)
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatal("parent error")
	}
	cancel() // twice is fine
	if ctx.Err() != context.Canceled {
		t.Fatal("still cancelled")
	}
	// cancelling a child leaves the parent alone
	parent, pc := context.WithCancel(context.Background())
	defer pc()
	c2, cc2 := context.WithCancel(parent)
	cc2()
	if c2.Err() != context.Canceled || parent.Err() != nil {
		t.Fatal("child cancel")
	}
}

func TestWithTimeout(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, ok := ctx.Deadline(); !ok {
		t.Fatal("has a deadline")
	}
	<-ctx.Done()
	if ctx.Err() != context.DeadlineExceeded {
		t.Fatalf("err %v", ctx.Err())
	}
	// cancelled before the deadline
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	cancel2()
	<-ctx2.Done()
	// Canceled, unless the clock jumped the hour first (the model lets
	// any preemption take that long)
	if err := ctx2.Err(); err != context.Canceled && err != context.DeadlineExceeded {
		t.Fatalf("early cancel: %v", err)
	}
	// a child's deadline is its parent's when that is sooner
	outer, oc := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer oc()
	inner, ic := context.WithTimeout(outer, time.Hour)
	defer ic()
	<-inner.Done()
	if !errors.Is(inner.Err(), context.DeadlineExceeded) {
		t.Fatal("inherits parent's deadline")
	}
}

func TestWithDeadline(t *testing.T) {
	d := time.Now().Add(20 * time.Millisecond)
	ctx, cancel := context.WithDeadline(context.Background(), d)
	defer cancel()
	if got, ok := ctx.Deadline(); !ok || !got.Equal(d) {
		t.Fatalf("Deadline: %v %v", got, ok)
	}
	<-ctx.Done()
	if ctx.Err() != context.DeadlineExceeded {
		t.Fatal(ctx.Err())
	}
	past, pc := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer pc()
	if past.Err() != context.DeadlineExceeded {
		t.Fatal("a past deadline is exceeded at once")
	}
}

func TestWithValue(t *testing.T) {
	ctx := context.WithValue(context.Background(), ctxKey("user"), "ann")
	ctx = context.WithValue(ctx, ctxKey("id"), 42)
	if ctx.Value(ctxKey("user")) != "ann" || ctx.Value(ctxKey("id")) != 42 {
		t.Fatal("lookup")
	}
	if ctx.Value("user") != nil {
		t.Fatal("a string key is not a ctxKey")
	}
	if ctx.Value(ctxKey("none")) != nil {
		t.Fatal("missing")
	}
	shadow := context.WithValue(ctx, ctxKey("user"), "bob")
	if shadow.Value(ctxKey("user")) != "bob" || ctx.Value(ctxKey("user")) != "ann" {
		t.Fatal("shadowing")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if cctx.Value(ctxKey("id")) != 42 || cctx.Err() != context.Canceled {
		t.Fatal("values through a cancel context")
	}
	if name, ok := ctx.Value(ctxKey("user")).(string); !ok || name != "ann" {
		t.Fatal("typed value")
	}
}

func worker(ctx context.Context, in <-chan int, out chan<- int) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case v, ok := <-in:
			if !ok {
				return nil
			}
			select {
			case out <- v * 2:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
}

func TestWorkerStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in, out := make(chan int), make(chan int)
	errc := make(chan error, 1)
	go func() { errc <- worker(ctx, in, out) }()
	in <- 1
	if <-out != 2 {
		t.Fatal("doubled")
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("worker returned %v", err)
	}
}
