package syscall_getpid

import (
	"syscall"
	"testing"
)

func TestGetpid(t *testing.T) {
	if syscall.Getpid() <= 0 {
		t.Fatal("pid")
	}
}
