// Package ptr_only_struct: a struct type used only through a pointer
// (never allocated, never a value) is declared in C but never defined,
// so a field access through it does not compile.
package ptr_only_struct

import "testing"

type node struct{ val int }

func TestFieldThroughCapturedPointer(t *testing.T) {
	var p *node
	read := func() (v int, panicked bool) {
		defer func() { panicked = recover() != nil }()
		return p.val, false
	}
	if _, panicked := read(); !panicked {
		t.Fatal("nil dereference did not panic")
	}
}
