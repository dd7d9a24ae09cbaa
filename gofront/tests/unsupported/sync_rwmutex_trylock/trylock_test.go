// sync.RWMutex's TryLock has no model (the runtime's RWMutex has no try).
package sync_rwmutex_trylock

import (
	"sync"
	"testing"
)

func TestTryLock(t *testing.T) {
	var rw sync.RWMutex
	if !rw.TryLock() {
		t.Fatal("TryLock on a free RWMutex")
	}
}
