// Package math_arch: math.Sqrt, Floor, Ceil, Trunc, Max, Min, Exp, Log
// (and Pow through them) call the amd64 assembly archX under a constant
// haveArchX: refused "call to math.archSqrt (a function without a Go
// body...)". The pure-Go fallbacks (sqrt, floor, max, ...) are right there.
package math_arch

import (
	"math"
	"testing"
)

func TestSqrtFloorMax(t *testing.T) {
	if math.Sqrt(16) != 4 || math.Floor(-1.5) != -2 || math.Max(1, 2) != 2 {
		t.Fatal("math")
	}
}
