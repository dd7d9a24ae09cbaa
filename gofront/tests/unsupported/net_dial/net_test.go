package net_dial

import (
	"net"
	"testing"
)

func TestDial(t *testing.T) {
	if _, err := net.Dial("tcp", "127.0.0.1:1"); err == nil {
		t.Skip("something listens")
	}
}
