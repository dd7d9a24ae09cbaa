package resource_not_closed

import (
	"math/rand"
	"os"
	"testing"
)

// configPaths names three config files in a temporary directory and
// writes each, or leaves it missing, as the input decides.
func configPaths(t *testing.T) []string {
	dir := t.TempDir()
	paths := []string{dir + "/a.conf", dir + "/b.conf", dir + "/c.conf"}
	for _, p := range paths {
		if rand.Intn(2) == 1 {
			continue // missing: os.Open fails
		}
		if err := os.WriteFile(p, []byte("version 1\n"), 0o600); err != nil {
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
	paths := configPaths(t)
	t.Logf("%d of %d configs did not load", len(loadAll(paths, loadConfigLeaky)), len(paths))
}

// TestResourceNotClosed_fixed loads them with the Close deferred.
func TestResourceNotClosed_fixed(t *testing.T) {
	paths := configPaths(t)
	t.Logf("%d of %d configs did not load", len(loadAll(paths, loadConfig)), len(paths))
}
