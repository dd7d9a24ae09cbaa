package resource_not_closed

import (
	"math/rand"
	"os"
	"testing"
)

// configPaths makes three config files in a temporary directory; each may
// be missing instead, as the input decides.
func configPaths(t *testing.T) []string {
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 3; i++ {
		if rand.Intn(2) == 1 {
			paths = append(paths, dir+"/missing.conf")
			continue
		}
		f, err := os.CreateTemp(dir, "*.conf")
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, f.Name())
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// TestResourceNotClosed_buggy loads three configs; a bad header leaves its
// file open.
//
//chanfuzz:expect resource_not_closed
func TestResourceNotClosed_buggy(t *testing.T) {
	t.Log(loadAll(configPaths(t), loadConfigLeaky))
}

// TestResourceNotClosed_fixed loads them with the Close deferred.
func TestResourceNotClosed_fixed(t *testing.T) {
	t.Log(loadAll(configPaths(t), loadConfig))
}
