// Package kubernetes_30872 is the GoKer kernel of kubernetes/kubernetes#30872
// ("Fix deadlock possibility in federated informer"), rewritten for chanfuzz.
//
// GoBench subtype: Resource deadlock / AB-BA deadlock. GoBench states no
// reproduction rate.
//
// Goroutines:
//   - the test goroutine runs the namespace controller and then closes the
//     controller's stop channel and returns; Run starts the federated
//     informer, a stopper goroutine and a reconcile goroutine;
//   - the cluster informer's controller loop (started by the federated
//     informer's start, under its lock) repeatedly pops from its FIFO: pop
//     holds the FIFO lock and runs the add handler, which calls addCluster and
//     locks the federated informer;
//   - the reconcile goroutine calls clustersSynced, which locks the federated
//     informer and, holding it, asks the cluster controller hasSynced, which
//     locks the FIFO;
//   - the stopper waits for the stop channel and calls the federated
//     informer's stop, which locks it and closes the controller loop's stop
//     channel.
//
// Blocking interleaving: the controller loop holds the FIFO lock in pop and
// blocks on the informer lock in addCluster; reconcile holds the informer lock
// and blocks on the FIFO lock in hasSynced. The stopper then blocks on the
// informer lock too, so the loop's stop channel is never closed. All three
// leak after the test returns.
//
// Fix (upstream): the federated informer never holds its lock while calling
// into a cluster informer; clustersSynced reads the cluster controller (set
// once, in the constructor) and calls hasSynced without the lock.
package kubernetes_30872

import (
	"sync"
	"testing"
)

// until calls f until stop is closed.
func until(f func(), stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		f()
	}
}

type deltaFIFO struct {
	mu    sync.RWMutex
	items int
}

func (q *deltaFIFO) hasSynced() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.items == 0
}

// pop runs process with the FIFO lock held.
func (q *deltaFIFO) pop(process func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	process()
}

type controller struct {
	queue   *deltaFIFO
	process func()
}

func (c *controller) run(stop <-chan struct{}) {
	until(func() { c.queue.pop(c.process) }, stop)
}

func (c *controller) hasSynced() bool { return c.queue.hasSynced() }

type federatedInformer struct {
	mu       sync.Mutex
	cluster  *controller
	stopCh   chan struct{}
	clusters int
	fix      bool
}

func newFederatedInformer(fix bool) *federatedInformer {
	f := &federatedInformer{fix: fix}
	f.cluster = &controller{
		queue:   &deltaFIFO{},
		process: func() { f.addCluster() },
	}
	return f
}

func (f *federatedInformer) addCluster() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clusters++
}

func (f *federatedInformer) clustersSynced() bool {
	if f.fix {
		return f.cluster.hasSynced()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cluster.hasSynced() // FIFO lock under the informer lock
}

func (f *federatedInformer) start() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.stopCh = make(chan struct{})
	go f.cluster.run(f.stopCh)
}

func (f *federatedInformer) stop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.stopCh)
}

type namespaceController struct {
	informer *federatedInformer
}

func (nc *namespaceController) reconcileNamespace() {
	if !nc.informer.clustersSynced() {
		return
	}
}

func (nc *namespaceController) run(stop <-chan struct{}) {
	nc.informer.start()
	go func() {
		<-stop
		nc.informer.stop()
	}()
	go nc.reconcileNamespace()
}

func run(fix bool) {
	nc := &namespaceController{informer: newFederatedInformer(fix)}
	stop := make(chan struct{})
	nc.run(stop)
	close(stop)
}

// TestKubernetes30872_buggy: the controller loop and reconcile take the FIFO
// and informer locks in opposite orders; the stopper queues behind them.
//
//chanfuzz:expect partial_deadlock
func TestKubernetes30872_buggy(t *testing.T) {
	run(false)
}

// TestKubernetes30872_fixed: clustersSynced holds no informer lock.
func TestKubernetes30872_fixed(t *testing.T) {
	run(true)
}
