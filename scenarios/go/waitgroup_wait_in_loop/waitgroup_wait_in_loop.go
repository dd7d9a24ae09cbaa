// Package waitgroup_wait_in_loop: wg.Wait() inside the loop that starts
// the workers.
//
// collect starts one worker per item, each sending its result on a
// channel with room for two and calling wg.Done() (deferred) after the
// send. The Wait in the loop makes collect wait for each worker before it
// starts the next -- and before anyone reads the results. The first two
// sends fit in the buffer; the third needs the reader, which is collect,
// stuck in Wait, so its Done never comes. With three items or more every
// goroutine is blocked: Go's own "all goroutines are asleep - deadlock!"
// when nothing else runs (under go test, a hang until -timeout).
//
// Fix: delete the Wait inside the loop; the closer goroutine already
// waits for everyone, concurrently with the reader.
package waitgroup_wait_in_loop

import (
	"math/rand"
	"sync"
)

func work(i int) int { return i * i }

// collect sums the work of 1 to 5 items (the input decides how many).
// waitInLoop picks the buggy loop.
func collect(waitInLoop bool) int {
	n := 1 + rand.Intn(5)
	results := make(chan int, 2)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results <- work(i)
		}(i)
		if waitInLoop {
			wg.Wait() // belongs after the loop, if anywhere
		}
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	sum := 0
	for r := range results {
		sum += r
	}
	return sum
}
