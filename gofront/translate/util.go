package main

import (
	"os/exec"
	"runtime"
)

// goVersion: the Go that built chanfuzz-go (Debian's 1.19 here), whose
// go/types checked the program.
var goVersion = runtime.Version()

func execOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}
