package os_getwd

import (
	"os"
	"testing"
)

func TestGetwd(t *testing.T) {
	if _, err := os.Getwd(); err != nil {
		t.Fatal(err)
	}
}
