// Package two_channel_cycle: two peers greet each other over two
// channels, and each waits for the other's greeting before sending its
// own.
//
// handshake starts peer A and peer B and goes on with other work. A waits
// on toA for B's hello before it sends on toB; B waits on toB for A's
// hello before it sends on toA. Neither ever sends: both wait for ever on
// a channel only the other could send on. The Go runtime says nothing, as
// the rest of the program is running; only a partial-deadlock detector
// sees the wait cycle A -> toA (held by B) -> B -> toB (held by A).
//
// Fix: A speaks first -- toB <- hello, then reply := <-toA.
package two_channel_cycle

import (
	"math/rand"
	"time"
)

// doOtherWork is what the caller does meanwhile.
func doOtherWork() {
	time.Sleep(time.Duration(rand.Intn(10)) * time.Millisecond)
}

func peerB(toB <-chan string, toA chan<- string) {
	hello := <-toB
	toA <- "hello from B, got " + hello
}

// handshakeBothListen is the buggy handshake: both peers listen first.
func handshakeBothListen() {
	toB := make(chan string)
	toA := make(chan string)
	go func() { // peer A
		hello := <-toA // waits for B, which waits for A
		toB <- "hello from A, got " + hello
	}()
	go peerB(toB, toA)
	doOtherWork()
}

// handshake is the fixed one: A speaks first.
func handshake() {
	toB := make(chan string)
	toA := make(chan string)
	go func() { // peer A
		toB <- "hello from A"
		<-toA
	}()
	go peerB(toB, toA)
	doOtherWork()
}
