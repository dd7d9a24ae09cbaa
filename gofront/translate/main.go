// Command chanfuzz-go is chanfuzz's Go frontend: it loads Go packages and
// their tests with go/packages, builds SSA with go/ssa, lowers it to C
// against the chanfuzz runtime (chanfuzz/go.h) and its Go support library
// (chanfuzz/gort.h), compiles a runner (the chanfuzz command line with the
// translated tests as its scenarios) and runs it.
//
//	chanfuzz go test [-run RE] [-count N] [run flags] PACKAGES...
//	chanfuzz go replay FILE [replay flags]
//	chanfuzz go fuzz [-run RE] --time S [fuzz flags] PACKAGES...
//	chanfuzz go translate [-run RE] -o OUT.c PACKAGES...
//
// `chanfuzz go ...` execs this program (installed beside chanfuzz).
// Exit statuses are chanfuzz run's: 0 clean, 1 findings, 2 usage error or
// Go code the frontend cannot take.
package main

import (
	"fmt"
	"os"
)

const usage = `usage: chanfuzz go COMMAND [ARGS]

commands:
  test [-run RE] [-count N] [--keep-going] [RUN FLAGS] [PACKAGES]
        translate the packages' tests and explore each test's schedules on
        the model; RUN FLAGS are chanfuzz run's (--mode, --budget, --seed,
        --time, --json, --sarif FILE, --out DIR, --ignore RULE, ...)
  replay FILE [REPLAY FLAGS]
        replay a reproducer written by chanfuzz go test; refused when the
        package no longer translates to the program that recorded it
%s  translate [-run RE] -o OUT.c [PACKAGES]
        write the C that chanfuzz go test compiles
  list [-run RE] [PACKAGES]
        the scenarios (one per test, with its expected verdict)
  corpus check DIR [PACKAGES]
        every reproducer under DIR replays to its test's expected verdict

PACKAGES are go test's patterns (default "."). See gofront/README.md.
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Printf(usage, fuzzUsage)
		return 0
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Printf(usage, fuzzUsage)
		return 0
	case "test":
		return cmdTest(args[1:])
	case "replay":
		return cmdReplay(args[1:])
	case "fuzz":
		return cmdFuzz(args[1:])
	case "translate":
		return cmdTranslate(args[1:])
	case "list":
		return cmdList(args[1:])
	case "corpus":
		return cmdCorpus(args[1:])
	}
	return fail("unknown command '%s' (chanfuzz go help lists them)", args[0])
}

// fail prints one line and returns the usage/unsupported exit status.
func fail(format string, args ...interface{}) int {
	fmt.Fprintf(os.Stderr, "chanfuzz go: "+format+"\n", args...)
	return 2
}
