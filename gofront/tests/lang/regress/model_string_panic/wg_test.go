// Package model_string_panic: the string the model panics with (a
// negative WaitGroup counter) is recovered boxed with gort's own string
// descriptor, not the program's, so v.(string) fails and v == "..." is
// false although %T prints "string".
package model_string_panic

import (
	"sync"
	"testing"
)

func TestNegativeCounterIsAString(t *testing.T) {
	var r interface{}
	func() {
		defer func() { r = recover() }()
		var wg sync.WaitGroup
		wg.Add(-1)
	}()
	if s, ok := r.(string); !ok || s != "sync: negative WaitGroup counter" {
		t.Fatalf("recovered %T %v, ok=%v", r, r, ok)
	}
	if r != "sync: negative WaitGroup counter" {
		t.Fatal("comparison with the string")
	}
}
