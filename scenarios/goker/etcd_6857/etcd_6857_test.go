// Package etcd_6857 is the GoKer kernel of etcd-io/etcd#6857 (fix commit
// 7afc490c9578), rewritten for chanfuzz.
//
// GoBench subtype: Communication deadlock / Channel. The GoBench authors
// report 19/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the raft node's run loop, a Status caller
//     and a Stop caller, and returns;
//   - the run loop serves status requests (a reply channel received on the
//     status channel) until it receives the stop request, then closes done
//     and returns;
//   - the Status caller sends a fresh reply channel on the unbuffered status
//     channel and waits for the reply;
//   - the Stop caller sends the stop request (or sees done) and waits for
//     done.
//
// Blocking interleaving: Stop wins: the run loop takes the stop request,
// closes done and returns. Status then sends its request with a plain send
// that nobody will ever receive, and blocks for ever.
//
// Fix (upstream, etcd-io/etcd#6857): Status sends in a select that also
// watches done, and returns an empty status once the node has stopped.
package etcd_6857

import "testing"

type status struct{ term int }

type raftNode struct {
	statusc chan chan status
	stopc   chan struct{}
	done    chan struct{}
	fixed   bool
}

func newRaftNode(fixed bool) *raftNode {
	return &raftNode{
		statusc: make(chan chan status),
		stopc:   make(chan struct{}),
		done:    make(chan struct{}),
		fixed:   fixed,
	}
}

func (n *raftNode) run() {
	for {
		select {
		case reply := <-n.statusc:
			reply <- status{term: 1}
		case <-n.stopc:
			close(n.done)
			return
		}
	}
}

func (n *raftNode) Status() status {
	reply := make(chan status)
	if n.fixed {
		select {
		case n.statusc <- reply:
			return <-reply
		case <-n.done:
			return status{}
		}
	}
	n.statusc <- reply // buggy: the run loop may be gone
	return <-reply
}

func (n *raftNode) Stop() {
	select {
	case n.stopc <- struct{}{}:
	case <-n.done:
		return
	}
	<-n.done
}

func run(fixed bool) {
	n := newRaftNode(fixed)
	go n.run()
	go n.Status()
	go n.Stop()
}

// TestEtcd6857_buggy: when Stop wins, Status blocks on its request send.
//
//chanfuzz:expect partial_deadlock
func TestEtcd6857_buggy(t *testing.T) {
	run(false)
}

// TestEtcd6857_fixed: Status gives up once the node is done.
func TestEtcd6857_fixed(t *testing.T) {
	run(true)
}
