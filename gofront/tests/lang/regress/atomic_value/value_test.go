// Package atomic_value: atomic.Value.Store is translated from GOROOT and
// calls runtime_procPin/procUnpin, which have no body and no model
// (refused, exit 2).
package atomic_value

import (
	"sync/atomic"
	"testing"
)

func TestValue(t *testing.T) {
	var v atomic.Value
	v.Store("first")
	if v.Load().(string) != "first" {
		t.Fatal("Value")
	}
}
