package main

import (
	"bytes"
	"os/exec"
)

type bytesBuffer struct{ bytes.Buffer }

func execOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}
