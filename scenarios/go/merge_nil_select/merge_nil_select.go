// Package merge_nil_select: the classic merge of two channels that sets a
// closed input to nil so its case stops firing, but forgets to end when
// both are nil.
//
// merge's goroutine forwards what a and b deliver to out; when an input
// is closed it sets that variable to nil, since a receive from a nil
// channel never proceeds. Once both are closed it loops into a select
// whose every case is a nil channel, and blocks there for ever; its
// deferred close(out) never runs. The reader takes the number of items it
// knows are coming rather than ranging over out, so it returns and leaves
// the merger behind silently (with a range, Go would see a global
// deadlock by itself): a partial deadlock.
//
// Fix: for a != nil || b != nil { ... }, so the loop ends once both inputs
// are closed.
package merge_nil_select

import "math/rand"

// produce sends 0..n-1 on a new channel, then closes it.
func produce(n int) <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

// mergeForever is the buggy merge: it never leaves its loop.
func mergeForever(a, b <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for {
			select {
			case v, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- v
			case v, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- v
			}
		}
	}()
	return out
}

// merge is the fixed one.
func merge(a, b <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for a != nil || b != nil {
			select {
			case v, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				out <- v
			case v, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				out <- v
			}
		}
	}()
	return out
}

// sum merges two inputs of the input's sizes and adds up what comes.
func sum(mergeFn func(a, b <-chan int) <-chan int) int {
	na, nb := rand.Intn(4), rand.Intn(4)
	out := mergeFn(produce(na), produce(nb))
	total := 0
	for i := 0; i < na+nb; i++ { // takes what it knows is coming
		total += <-out
	}
	return total
}
