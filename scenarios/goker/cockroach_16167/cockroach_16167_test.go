// Package cockroach_16167 is the GoKer kernel of cockroachdb/cockroach#16167
// (fix commit d064942b067a), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / RWR deadlock. The GoBench authors
// report 1/100 reproductions.
//
// The executor has one RWMutex for the system config and a sync.Cond whose L
// is that mutex's RLocker, so "locking the Cond's L" is a read lock on the
// same mutex.
//
// Goroutines:
//   - a starter goroutine (started by the test) refreshes the system config
//     under the write lock;
//   - the test goroutine executes a statement: it locks the Cond's L (a read
//     lock) and, deep in the call chain (prepare -> reset for batch -> get
//     the database cache), read-locks the same mutex again.
//
// Blocking interleaving: the test goroutine holds the read lock; the
// starter's Lock arrives and waits; the nested RLock then waits behind the
// pending writer. Both are blocked and nothing else runs: a global deadlock.
//
// Fix (upstream, cockroachdb/cockroach#16167): the statement path, which
// already holds the read lock, reads the database cache without locking
// again.
package cockroach_16167

import (
	"sync"
	"testing"
)

type executor struct {
	cfgMu   sync.RWMutex
	cfgCond *sync.Cond
	fixed   bool
}

type session struct {
	stmts preparedStatements
}

type preparedStatements struct {
	s *session
}

func newExecutor(fixed bool) (*executor, *session) {
	e := &executor{fixed: fixed}
	e.cfgCond = sync.NewCond(e.cfgMu.RLocker())
	s := &session{}
	s.stmts = preparedStatements{s: s}
	return e, s
}

func (e *executor) Start() {
	e.cfgMu.Lock()
	defer e.cfgMu.Unlock()
}

func (e *executor) execParsed(s *session) {
	e.cfgCond.L.Lock() // a read lock on cfgMu
	defer e.cfgCond.L.Unlock()
	e.runTxnAttempt(s)
}

func (e *executor) runTxnAttempt(s *session) { e.execInOpenTxn(s) }

func (e *executor) execInOpenTxn(s *session) { s.stmts.add(e) }

func (p preparedStatements) add(e *executor) { e.prepare(p.s) }

func (e *executor) prepare(s *session) { s.resetForBatch(e) }

func (s *session) resetForBatch(e *executor) {
	if e.fixed {
		e.databaseCacheLocked()
		return
	}
	e.databaseCache() // buggy: read-locks cfgMu again
}

func (e *executor) databaseCache() {
	e.cfgMu.RLock()
	defer e.cfgMu.RUnlock()
	e.databaseCacheLocked()
}

func (e *executor) databaseCacheLocked() {}

// TestCockroach16167_buggy: the nested RLock waits behind Start's Lock.
//
//chanfuzz:expect global_deadlock
func TestCockroach16167_buggy(t *testing.T) {
	e, s := newExecutor(false)
	go e.Start()
	e.execParsed(s)
}

// TestCockroach16167_fixed: the statement path does not re-lock.
func TestCockroach16167_fixed(t *testing.T) {
	e, s := newExecutor(true)
	go e.Start()
	e.execParsed(s)
}
