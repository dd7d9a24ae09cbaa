// Package filepath_os: path/filepath (Join, Dir, Base, ...) calls
// os.IsPathSeparator, a pure-Go function of the hard-modelled os
// package, and is refused (exit 2).
package filepath_os

import (
	"path/filepath"
	"testing"
)

func TestJoin(t *testing.T) {
	if filepath.Join("a", "b") != "a/b" {
		t.Fatal("Join")
	}
}
