package goleak_import

import (
	"testing"

	"go.uber.org/goleak"
)

func TestNoLeak(t *testing.T) {
	defer goleak.VerifyNone(t)
}
