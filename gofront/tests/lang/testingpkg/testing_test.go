// Package testingpkg: t.Run subtests, t.Parallel, t.Cleanup, t.Skip,
// t.Helper, t.Name, t.TempDir, t.Failed.
package testingpkg

import (
	"strings"
	"sync"
	"testing"
)

func TestSubtests(t *testing.T) {
	var ran []string
	for _, name := range []string{"a", "b"} {
		name := name
		ok := t.Run(name, func(t *testing.T) {
			ran = append(ran, t.Name())
		})
		if !ok {
			t.Fatalf("subtest %s failed", name)
		}
	}
	if len(ran) != 2 || ran[0] != "TestSubtests/a" || ran[1] != "TestSubtests/b" {
		t.Fatalf("names: %v", ran)
	}
	t.Run("nested", func(t *testing.T) {
		t.Run("deeper", func(t *testing.T) {
			if t.Name() != "TestSubtests/nested/deeper" {
				t.Errorf("name %q", t.Name())
			}
		})
	})
}

func TestName(t *testing.T) {
	if t.Name() != "TestName" {
		t.Fatalf("Name: %q", t.Name())
	}
}

func TestParallelSubtests(t *testing.T) {
	var mu sync.Mutex
	total := 0
	t.Run("group", func(t *testing.T) {
		for i := 1; i <= 3; i++ {
			i := i
			t.Run("p", func(t *testing.T) {
				t.Parallel()
				mu.Lock()
				total += i
				mu.Unlock()
			})
		}
	})
	// t.Run of the group returns once its parallel subtests finished
	if total != 6 {
		t.Fatalf("parallel total %d", total)
	}
}

func TestCleanup(t *testing.T) {
	var order []int
	t.Run("inner", func(t *testing.T) {
		t.Cleanup(func() { order = append(order, 1) })
		t.Cleanup(func() { order = append(order, 2) })
		order = append(order, 0)
	})
	if len(order) != 3 || order[0] != 0 || order[1] != 2 || order[2] != 1 {
		t.Fatalf("cleanup order (last added runs first): %v", order)
	}
}

func TestSkip(t *testing.T) {
	reached := false
	t.Run("skipped", func(t *testing.T) {
		t.Skip("not today")
		reached = true
	})
	if reached {
		t.Fatal("code after Skip ran")
	}
	t.Run("skipf", func(t *testing.T) {
		defer func() {
			if !t.Skipped() {
				t.Error("Skipped is false")
			}
		}()
		t.Skipf("reason %d", 1)
	})
}

func check(t *testing.T, ok bool) {
	t.Helper()
	if !ok {
		t.Error("check failed")
	}
}

func TestHelperAndFailed(t *testing.T) {
	check(t, true)
	if t.Failed() {
		t.Fatal("not failed")
	}
	t.Log("a log line", 1)
	t.Logf("formatted %s", "log")
}

func TestTempDir(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if a == "" || a == b {
		t.Fatalf("TempDir: %q %q", a, b)
	}
	if !strings.HasPrefix(a, "/") {
		t.Fatalf("TempDir path %q", a)
	}
}
