// Package nil_const_field: a field read through a nil pointer the SSA
// form folds to a constant nil becomes &NULL->f0 in C, which does not
// compile (Go: a nil dereference panic).
package nil_const_field

import "testing"

type node struct{ next *node }

func TestFieldOfNilPointer(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("no panic")
		}
	}()
	var p *node
	_ = p.next
}
