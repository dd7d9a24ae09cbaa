package debug_stack

import (
	"runtime/debug"
	"testing"
)

func TestStack(t *testing.T) {
	if len(debug.Stack()) == 0 {
		t.Fatal("empty stack")
	}
}
