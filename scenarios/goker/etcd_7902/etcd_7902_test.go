// Package etcd_7902 is the GoKer kernel of etcd-io/etcd#7902 (fix commit
// 87d99fe0387e), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Channel & Lock. The GoBench authors
// report 100/100 reproductions. (In the GoBench kernel every round client
// captures the same loop variable, so no client is ever the leader; here
// client 0 really is the leader, so the deadlock needs the interleaving
// below and is frequent rather than certain.)
//
// Goroutines:
//   - the test goroutine starts the election runner and returns;
//   - the runner starts three round clients and waits for them on a
//     WaitGroup;
//   - each round client runs 100 rounds: under the shared round mutex it
//     validates (remembering the round's next channel, read under its own
//     small mutex); then, under the round mutex again, it releases. The
//     leader (client 0) releases by closing the round's next channel and
//     making a fresh one; every client then waits on the next channel it
//     remembered. When the leader has finished its rounds it closes the
//     last next channel, so no follower waits for a round that never comes.
//
// Blocking interleaving: a follower takes the round mutex for its release
// before the leader does and blocks receiving on the next channel while
// holding the mutex; the leader, which alone can close that channel, blocks
// on the mutex. Follower, leader, the other follower and the runner stay
// blocked after the test returns.
//
// Fix (upstream, etcd-io/etcd#7902): release is not called under the round
// mutex.
package etcd_7902

import (
	"sync"
	"testing"
)

type roundClient struct {
	progress int
	validate func()
	release  func()
}

func runElection(fixed bool) {
	const rounds = 100
	var nextMu sync.Mutex
	nextc := make(chan bool)
	rcs := make([]roundClient, 3)
	for i := range rcs {
		leader := i == 0
		var mine chan bool
		rcs[i].validate = func() {
			nextMu.Lock()
			mine = nextc
			nextMu.Unlock()
		}
		rcs[i].release = func() {
			if leader {
				nextMu.Lock()
				close(nextc)
				nextc = make(chan bool)
				nextMu.Unlock()
			}
			<-mine // followers wait here for the leader
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range rcs {
		wg.Add(1)
		go func(rc *roundClient, leader bool) {
			defer wg.Done()
			for rc.progress < rounds {
				mu.Lock()
				rc.validate()
				mu.Unlock()
				rc.progress++
				if fixed {
					rc.release()
					continue
				}
				mu.Lock()
				rc.release() // buggy: may wait while holding mu
				mu.Unlock()
			}
			if leader {
				nextMu.Lock()
				close(nextc)
				nextMu.Unlock()
			}
		}(&rcs[i], i == 0)
	}
	wg.Wait()
}

// TestEtcd7902_buggy: a follower waits for the leader's close while holding
// the mutex the leader needs.
//
//chanfuzz:expect partial_deadlock
func TestEtcd7902_buggy(t *testing.T) {
	go runElection(false)
}

// TestEtcd7902_fixed: release runs without the round mutex.
func TestEtcd7902_fixed(t *testing.T) {
	go runElection(true)
}
