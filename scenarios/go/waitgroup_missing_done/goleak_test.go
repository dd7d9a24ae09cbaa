//go:build goleak

package waitgroup_missing_done

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks, under real Go with -tags goleak, that no goroutine
// outlives the tests. chanfuzz never compiles this file.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
