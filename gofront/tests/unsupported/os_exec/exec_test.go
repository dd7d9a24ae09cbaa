package os_exec

import (
	"os/exec"
	"testing"
)

func TestLookPath(t *testing.T) {
	if _, err := exec.LookPath("true"); err != nil {
		t.Skip(err)
	}
}
