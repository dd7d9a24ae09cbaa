// Package strings_index: strings.Index (and so Contains, Split, Replace,
// Cut, LastIndex, bytes.Index, ...) reaches internal/bytealg's pure-Go
// IndexRabinKarp / HashStrRev, which the translator refuses because the
// package is hard-modelled: exit 2 for any test using strings.Contains.
package strings_index

import (
	"strings"
	"testing"
)

func TestContains(t *testing.T) {
	if !strings.Contains("seafood", "foo") || strings.LastIndex("go gopher", "go") != 3 {
		t.Fatal("Contains")
	}
}
