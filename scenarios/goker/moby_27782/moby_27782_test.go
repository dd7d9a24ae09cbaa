// Package moby_27782 is the GoKer kernel of moby/moby#27782 ("Decouple
// removing the fileWatcher from reading", fix commit a69a59ffc7e3), rewritten
// for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Condition Variable. The GoBench
// authors report 2/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts initializeStdio on a goroutine and returns;
//   - initializeStdio starts logging: the JSON-file logger registers a log
//     reader and starts followLogs for it; attaching then fails, so the
//     container is reset, which closes every reader (closing its close
//     notifier);
//   - followLogs creates a file watcher and waits (after a 300ns sleep) for a
//     file event or for the close notifier; on close it removes the watch and
//     returns, and its deferred Close stops the watcher;
//   - the watcher's readEvents goroutine (fsnotify's inotify loop) takes each
//     kernel event in turn: a modify is sent (after a 300ns sleep) on the
//     unbuffered Events channel, in a select that also ends on the watcher's
//     done channel; an IN_IGNORED drops the watch and broadcasts on the
//     watcher's Cond. The inotify descriptor is modelled as a buffered
//     channel that starts with one modify event queued; removing the watch
//     queues an IN_IGNORED on it.
//
// Blocking interleaving: readEvents is (or will be) sending the modify event
// while followLogs picks the close notifier and calls remove. remove queues
// the IN_IGNORED and waits on the Cond until the watch is gone. readEvents is
// stuck sending the modify, which nobody reads any more, so it never reaches
// the IN_IGNORED that would broadcast; its done channel is only closed by the
// deferred Close of followLogs, which is stuck in remove. Both leak after the
// test returns. If followLogs takes the modify event first, it returns and
// Close stops readEvents.
//
// Fix (upstream): removal happens on a goroutine of its own, which waits for
// the close notifier, removes the watch and then cancels a context; followLogs
// keeps reading events until that context is done, so readEvents always gets
// to the IN_IGNORED.
package moby_27782

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type op int

const (
	opModify op = iota + 1
	opIgnored
)

type fileWatcher struct {
	events    chan op // Events: unbuffered
	kernel    chan op // the inotify descriptor's event queue
	mu        sync.Mutex
	cond      *sync.Cond
	watched   bool
	done      chan struct{}
	closeOnce sync.Once
}

func newFileWatcher() *fileWatcher {
	w := &fileWatcher{
		events:  make(chan op),
		kernel:  make(chan op, 4),
		watched: true,
		done:    make(chan struct{}),
	}
	w.cond = sync.NewCond(&w.mu)
	w.kernel <- opModify // the log file was written to
	go w.readEvents()
	return w
}

func (w *fileWatcher) readEvents() {
	defer close(w.events)
	for {
		var e op
		select {
		case e = <-w.kernel:
		case <-w.done:
			return
		}
		if e == opIgnored {
			w.mu.Lock()
			w.watched = false
			w.cond.Broadcast()
			w.mu.Unlock()
			continue
		}
		time.Sleep(300 * time.Nanosecond)
		select {
		case w.events <- e:
		case <-w.done:
			return
		}
	}
}

// remove drops the watch and waits until readEvents has seen it go.
func (w *fileWatcher) remove() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.watched {
		return
	}
	w.kernel <- opIgnored // inotify_rm_watch: the kernel answers IN_IGNORED
	for w.watched {
		w.cond.Wait()
	}
}

func (w *fileWatcher) close() {
	w.closeOnce.Do(func() { close(w.done) })
}

type logWatcher struct {
	closeOnce sync.Once
	closed    chan struct{}
}

func (lw *logWatcher) close() {
	lw.closeOnce.Do(func() { close(lw.closed) })
}

func followLogs(lw *logWatcher, fix bool) {
	fw := newFileWatcher()
	defer fw.close()
	if !fix {
		time.Sleep(300 * time.Nanosecond)
		select {
		case <-fw.events:
		case <-lw.closed:
			fw.remove() // readEvents may be stuck sending: waits for ever
		}
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-lw.closed:
			fw.remove()
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		time.Sleep(300 * time.Nanosecond)
		select {
		case _, ok := <-fw.events:
			if !ok {
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

type jsonFileLogger struct {
	mu      sync.Mutex
	readers map[*logWatcher]struct{}
}

func (l *jsonFileLogger) readLogs(fix bool) *logWatcher {
	lw := &logWatcher{closed: make(chan struct{})}
	l.mu.Lock()
	l.readers[lw] = struct{}{}
	l.mu.Unlock()
	go followLogs(lw, fix)
	return lw
}

func (l *jsonFileLogger) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for r := range l.readers {
		r.close()
		delete(l.readers, r)
	}
}

type container struct {
	logDriver *jsonFileLogger
}

func (c *container) startLogging(fix bool) error {
	l := &jsonFileLogger{readers: map[*logWatcher]struct{}{}}
	c.logDriver = l
	l.readLogs(fix)
	return errors.New("attach stdio failed")
}

func (c *container) reset() {
	if c.logDriver != nil {
		c.logDriver.close()
	}
}

func (c *container) initializeStdio(fix bool) {
	if err := c.startLogging(fix); err != nil {
		c.reset()
	}
}

// TestMoby27782_buggy: followLogs waits in remove for readEvents, which waits
// to hand over an event followLogs no longer reads.
//
//chanfuzz:expect partial_deadlock
func TestMoby27782_buggy(t *testing.T) {
	c := &container{}
	go c.initializeStdio(false)
}

// TestMoby27782_fixed: events keep being read while the watch is removed.
func TestMoby27782_fixed(t *testing.T) {
	c := &container{}
	go c.initializeStdio(true)
}
