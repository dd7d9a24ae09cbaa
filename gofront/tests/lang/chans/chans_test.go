// Package chans: channels of many element types, buffered and
// unbuffered, len and cap, range, close, select with nil channels,
// default and send cases.
package chans

import (
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"
)

type msg struct {
	ID   int
	Text string
	Tags [2]string
}

func TestElementTypes(t *testing.T) {
	cs := make(chan msg, 1)
	cs <- msg{1, "hi", [2]string{"a", "b"}}
	if m := <-cs; m.ID != 1 || m.Text != "hi" || m.Tags[1] != "b" {
		t.Fatalf("struct: %+v", m)
	}
	str := make(chan string)
	go func() { str <- "héllo" }()
	if s := <-str; s != "héllo" {
		t.Fatal("string")
	}
	ci := make(chan interface{}, 3)
	ci <- 1
	ci <- "two"
	ci <- errors.New("three")
	if v := <-ci; v != 1 {
		t.Fatal("interface int")
	}
	if v := <-ci; v != "two" {
		t.Fatal("interface string")
	}
	if v := (<-ci).(error); v.Error() != "three" {
		t.Fatal("interface error")
	}
	ct := make(chan time.Time, 1)
	start := time.Now()
	ct <- start
	if got := <-ct; !got.Equal(start) {
		t.Fatal("time.Time")
	}
	cc := make(chan chan int, 1)
	reply := make(chan int, 1)
	cc <- reply
	(<-cc) <- 99
	if <-reply != 99 {
		t.Fatal("chan of chan")
	}
	cf := make(chan func(int) int, 1)
	cf <- func(x int) int { return x * 3 }
	if (<-cf)(5) != 15 {
		t.Fatal("chan of func")
	}
	cb := make(chan bool, 1)
	cb <- true
	if !<-cb {
		t.Fatal("bool")
	}
	cfl := make(chan float64, 1)
	cfl <- 0.1
	if <-cfl != 0.1 {
		t.Fatal("float64")
	}
	cp := make(chan *msg, 1)
	m := &msg{ID: 7}
	cp <- m
	(<-cp).ID = 8
	if m.ID != 8 {
		t.Fatal("pointer element shares")
	}
	csl := make(chan []int, 1)
	csl <- []int{1, 2}
	if v := <-csl; len(v) != 2 || v[1] != 2 {
		t.Fatal("slice element")
	}
	cm := make(chan map[string]int, 1)
	cm <- map[string]int{"k": 3}
	if (<-cm)["k"] != 3 {
		t.Fatal("map element")
	}
	ce := make(chan struct{}, 1)
	ce <- struct{}{}
	<-ce
	ca := make(chan [3]int, 1)
	arr := [3]int{1, 2, 3}
	ca <- arr
	arr[0] = 100
	if got := <-ca; got[0] != 1 {
		t.Fatal("array element is copied")
	}
}

func TestBufferedLenCap(t *testing.T) {
	c := make(chan int, 3)
	if len(c) != 0 || cap(c) != 3 {
		t.Fatal("empty")
	}
	c <- 1
	c <- 2
	if len(c) != 2 || cap(c) != 3 {
		t.Fatalf("len %d cap %d", len(c), cap(c))
	}
	if <-c != 1 || <-c != 2 {
		t.Fatal("FIFO order")
	}
	u := make(chan int)
	if len(u) != 0 || cap(u) != 0 {
		t.Fatal("unbuffered")
	}
	var n chan int
	if len(n) != 0 || cap(n) != 0 {
		t.Fatal("nil")
	}
	c <- 5
	close(c)
	if len(c) != 1 {
		t.Fatal("closed keeps its buffer")
	}
	v, ok := <-c
	if v != 5 || !ok {
		t.Fatal("buffered value after close")
	}
	v, ok = <-c
	if v != 0 || ok {
		t.Fatal("zero value after drain")
	}
	sc := make(chan string)
	close(sc)
	if s, ok := <-sc; s != "" || ok {
		t.Fatal("closed string channel")
	}
}

func TestUnbufferedHandoff(t *testing.T) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	total := 0
	for i := 0; i < 5; i++ {
		ping <- i
		total += <-pong
	}
	close(ping)
	if _, ok := <-pong; ok {
		t.Fatal("pong closed after ping")
	}
	if total != 15 {
		t.Fatalf("total %d", total)
	}
}

func TestRange(t *testing.T) {
	c := make(chan int)
	go func() {
		defer close(c)
		for i := 1; i <= 4; i++ {
			c <- i * i
		}
	}()
	var got []int
	for v := range c {
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[1 4 9 16]" {
		t.Fatalf("range: %v", got)
	}
	// direction conversions
	var send chan<- int
	var recv <-chan int
	b := make(chan int, 1)
	send, recv = b, b
	send <- 3
	if <-recv != 3 {
		t.Fatal("directional")
	}
}

func TestSelect(t *testing.T) {
	// default when nothing is ready
	c := make(chan int)
	select {
	case <-c:
		t.Fatal("nothing sent")
	default:
	}
	// a nil channel's case is never chosen
	var nilc chan int
	ready := make(chan int, 1)
	ready <- 4
	select {
	case v := <-nilc:
		t.Fatalf("nil channel chosen: %d", v)
	case nilc <- 1:
		t.Fatal("nil send chosen")
	case v := <-ready:
		if v != 4 {
			t.Fatal("value")
		}
	}
	// a send case
	out := make(chan string, 1)
	select {
	case out <- "sent":
	default:
		t.Fatal("buffer has room")
	}
	select {
	case out <- "full":
		t.Fatal("buffer is full")
	default:
	}
	if <-out != "sent" {
		t.Fatal("sent value")
	}
	// comma-ok on a closed channel in select
	done := make(chan struct{})
	close(done)
	select {
	case _, ok := <-done:
		if ok {
			t.Fatal("closed")
		}
	}
	// select loop fan-in, disabling drained inputs with nil
	a, b := make(chan int), make(chan int)
	go func() { a <- 1; a <- 2; close(a) }()
	go func() { b <- 10; close(b) }()
	var vals []int
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			vals = append(vals, v)
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			vals = append(vals, v)
		}
	}
	sort.Ints(vals)
	if fmt.Sprint(vals) != "[1 2 10]" {
		t.Fatalf("fan-in: %v", vals)
	}
	// empty select over a timeout
	select {
	case <-time.After(time.Millisecond):
	case <-c:
		t.Fatal("never sent")
	}
}

func TestWorkerPool(t *testing.T) {
	jobs := make(chan int, 10)
	results := make(chan int, 10)
	for w := 0; w < 3; w++ {
		go func() {
			for j := range jobs {
				results <- j * 2
			}
		}()
	}
	for i := 1; i <= 6; i++ {
		jobs <- i
	}
	close(jobs)
	sum := 0
	for i := 0; i < 6; i++ {
		sum += <-results
	}
	if sum != 42 {
		t.Fatalf("sum %d", sum)
	}
}
