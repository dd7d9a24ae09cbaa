// Package complex_crash: complex numbers should be refused with
// "unsupported: complex numbers" (instr.go), but the translator panics
// first: "panic: unsupported basic type complex128" in basicC (types.go).
package complex_crash

import "testing"

func TestComplex(t *testing.T) {
	a := complex(1, 2)
	b := a * a
	if real(b) != -3 {
		t.Fatal("real")
	}
}
