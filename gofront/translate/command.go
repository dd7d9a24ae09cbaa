package main

import (
	"bufio"
	"sort"

	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"golang.org/x/tools/go/packages"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/tools/go/ssa"
)

func runtimeVersion() string { return goVersion }

// frontendFlags: what chanfuzz go reads itself; everything else goes to
// the runner (chanfuzz run's flags).
type frontendFlags struct {
	run      string
	count    int
	out      string // translate -o
	work     string // where runners are built (default: the user cache)
	verbose  bool
	patterns []string
	rest     []string // for the runner
}

// runnerFlagsWithValue are chanfuzz run's flags that take a value.
var runnerFlagsWithValue = map[string]bool{
	"--mode": true, "--budget": true, "--time": true, "--seed": true, "--rate": true, "--bound": true,
	"--sarif": true, "--out": true, "--ignore": true, "--go-semantics": true, "--scenario": true,
	"--trace-json": true, "-o": true, "--html": true, "--jobs": true, "--corpus": true, "--regressions": true,
}

func parseFlags(args []string, wantPatterns bool) (*frontendFlags, error) {
	f := &frontendFlags{count: 1}
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() (string, error) {
			if j := strings.IndexByte(a, '='); j >= 0 {
				return a[j+1:], nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s needs a value", a)
			}
			i++
			return args[i], nil
		}
		name := a
		if j := strings.IndexByte(a, '='); j >= 0 {
			name = a[:j]
		}
		var err error
		switch name {
		case "-run", "--run":
			f.run, err = value()
		case "-count", "--count":
			var v string
			if v, err = value(); err == nil {
				f.count, err = strconv.Atoi(v)
				if err != nil || f.count < 1 {
					err = fmt.Errorf("-count: '%s' is not a positive count", v)
				}
			}
		case "-o":
			f.out, err = value()
			if !wantPatterns {
				f.rest = append(f.rest, "-o", f.out)
			}
		case "--work":
			f.work, err = value()
		case "-v", "--verbose":
			f.verbose = true
		default:
			if strings.HasPrefix(a, "-") {
				f.rest = append(f.rest, a)
				if runnerFlagsWithValue[name] && !strings.Contains(a, "=") {
					if i+1 >= len(args) {
						return nil, fmt.Errorf("%s needs a value", a)
					}
					i++
					f.rest = append(f.rest, args[i])
				}
				continue
			}
			f.patterns = append(f.patterns, a)
		}
		if err != nil {
			return nil, err
		}
	}
	if wantPatterns && len(f.patterns) == 0 {
		f.patterns = []string{"."}
	}
	return f, nil
}

// translated is a program lowered to C, with its hash.
type translated struct {
	c         []byte
	hash      string
	scenarios []*scenario
	prog      *program
}

func translateProgram(patterns []string, run string) (*translated, int) {
	start := time.Now()
	prog, err := loadProgram(patterns, run, "")
	if err != nil {
		return nil, fail("%v", err)
	}
	loaded := time.Since(start)
	if len(prog.tests) == 0 {
		return nil, fail("%s: no tests to run (no func TestXxx(*testing.T) matches -run '%s')", strings.Join(patterns, " "), run)
	}
	list, err := prog.scenarios()
	if err != nil {
		return nil, fail("%v", err)
	}
	tr := newTranslator(prog)
	tr.translate()
	var roots []*ssa.Function
	for _, t := range prog.tests {
		roots = append(roots, t.fn)
	}
	roots = append(roots, tr.initFuncs()...)
	if errs := tr.refusals(roots); len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintf(os.Stderr, "%s\n", e)
		}
		return nil, 2
	}
	scen := tr.emitScenarios(list)
	body := tr.output(scen)
	hash := sourceHash(prog)
	if os.Getenv("CHANFUZZ_GO_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "chanfuzz go: loaded and built SSA in %v, translated in %v (%d bytes of C)\n",
			loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond), len(body))
	}
	return &translated{c: body, hash: hash, scenarios: list, prog: prog}, 0
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func cmdTranslate(args []string) int {
	f, err := parseFlags(args, true)
	if err != nil {
		return fail("translate: %v", err)
	}
	if f.out == "" {
		return fail("translate: -o OUT.c is required")
	}
	t, status := translateProgram(f.patterns, f.run)
	if t == nil {
		return status
	}
	if err := os.WriteFile(f.out, t.c, 0o644); err != nil {
		return fail("translate: %v", err)
	}
	return 0
}

func cmdList(args []string) int {
	f, err := parseFlags(args, true)
	if err != nil {
		return fail("list: %v", err)
	}
	t, status := translateProgram(f.patterns, f.run)
	if t == nil {
		return status
	}
	for _, s := range t.scenarios {
		for _, v := range []*goTest{s.buggy, s.fixed} {
			if v == nil {
				continue
			}
			kind, verdict := "fixed", "clean"
			if v.buggy {
				kind, verdict = "buggy", "expects "+strings.Join(v.expect, ",")
			}
			fmt.Printf("%-40s %s  %-40s %s\n", s.name, kind, v.name, verdict)
		}
	}
	return 0
}

// cmdTest: translate, build (or reuse) the runner, explore.
func cmdTest(args []string) int {
	f, err := parseFlags(args, true)
	if err != nil {
		return fail("test: %v", err)
	}
	t, status := translateProgram(f.patterns, f.run)
	if t == nil {
		return status
	}
	runner, err := buildRunner(t, f)
	if err != nil {
		return fail("test: %v", err)
	}
	rest := f.rest
	if !hasFlag(rest, "--go-semantics") {
		// Debian's Go is 1.19: timer channels of Go <= 1.22.
		rest = append(rest, "--go-semantics", "1.22")
	}
	worst := 0
	for i := 0; i < f.count; i++ {
		args := append([]string{"run", "all"}, rest...)
		if f.count > 1 && !hasFlag(rest, "--seed") {
			args = append(args, "--seed", strconv.Itoa(i+1))
		}
		if code := execRunner(runner, args); code > worst {
			worst = code
		}
	}
	return worst
}

func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == name || strings.HasPrefix(a, name+"=") {
			return true
		}
	}
	return false
}

// cmdReplay reads the trace's program line, translates that package
// again, refuses when it no longer translates to the same program, and
// replays in its runner.
func cmdReplay(args []string) int {
	f, err := parseFlags(args, false)
	if err != nil {
		return fail("replay: %v", err)
	}
	if len(f.patterns) != 1 {
		return fail("replay: usage: chanfuzz go replay FILE [replay flags]")
	}
	file := f.patterns[0]
	hash, pkgs, line, err := readProgramLine(file)
	if err != nil {
		return fail("%v", err)
	}
	t, status := translateProgram(loadPatterns(pkgs), "")
	if t == nil {
		return status
	}
	if t.hash != hash {
		return fail("%s:%d: recorded from program %s, but %s now translates to %s: the code changed; run chanfuzz go test again for a new reproducer",
			file, line, hash, strings.Join(pkgs, ","), t.hash)
	}
	runner, err := buildRunner(t, f)
	if err != nil {
		return fail("replay: %v", err)
	}
	return execRunner(runner, append([]string{"replay", file}, f.rest...))
}

// loadPatterns turns the import paths a trace names back into patterns
// go/packages loads: GOPATH mode names a package outside every GOPATH
// entry "_" plus its directory, which no import path finds; the go
// command takes that directory only as a relative pattern ("./dir").
func loadPatterns(pkgs []string) []string {
	cwd, _ := os.Getwd()
	patterns := make([]string, len(pkgs))
	for i, p := range pkgs {
		patterns[i] = p
		if !strings.HasPrefix(p, "_/") {
			continue
		}
		if rel, err := filepath.Rel(cwd, p[1:]); err == nil {
			rel = filepath.ToSlash(rel)
			if !strings.HasPrefix(rel, "../") && rel != ".." {
				rel = "./" + rel
			}
			patterns[i] = rel
		}
	}
	return patterns
}

func readProgramLine(file string) (hash string, pkgs []string, line int, err error) {
	fh, err := os.Open(file)
	if err != nil {
		return "", nil, 0, fmt.Errorf("%s: %v", file, err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		n++
		fields := strings.Fields(sc.Text())
		if len(fields) >= 4 && fields[0] == "program" && fields[1] == "go" {
			return fields[2], strings.Split(fields[3], ","), n, nil
		}
		if len(fields) > 0 && fields[0] != "#" && fields[0] != "chanfuzz-trace" && fields[0] != "scenario" && fields[0] != "go-semantics" &&
			!strings.HasPrefix(fields[0], "#") {
			break
		}
	}
	return "", nil, 0, fmt.Errorf("%s: not a reproducer of chanfuzz go test (no 'program go HASH PACKAGES' line after the scenario line)", file)
}

func execRunner(runner string, args []string) int {
	return runCommand(exec.Command(runner, args...))
}

// runCommand runs the runner (or another program of ours) on this
// terminal and returns its exit status; a runner killed by a signal is a
// usage-level failure (2), said in one line.
func runCommand(cmd *exec.Cmd) int {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				fmt.Fprintf(os.Stderr, "chanfuzz go: the runner died of %v\n", ws.Signal())
				return 2
			}
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "chanfuzz go: %v\n", err)
		return 2
	}
	return 0
}

// sourceHash identifies the program a reproducer was recorded from: the
// Go sources of the packages under test and of every non-standard package
// they import (names and contents), and the Go version. Not the C: a
// reproducer outlives improvements of the frontend, and one whose
// decisions no longer fit the code is caught as "diverged at decision N".
func sourceHash(p *program) string { return sourceHashOf(p.packages) }

// sourceHashOf: the same for some of the packages (one test's package).
func sourceHashOf(pkgs []*packages.Package) string {
	h := sha256.New()
	fmt.Fprintf(h, "go %s\n", runtimeVersion())
	seen := map[string]bool{}
	var files []string
	var visit func(pkg *packages.Package)
	visit = func(pkg *packages.Package) {
		if seen[pkg.ID] {
			return
		}
		seen[pkg.ID] = true
		for _, f := range pkg.CompiledGoFiles {
			if !strings.HasPrefix(relPath(f), "$GOROOT/") {
				files = append(files, f)
			}
		}
		for _, q := range pkg.Imports {
			visit(q)
		}
	}
	for _, pkg := range pkgs {
		visit(pkg)
	}
	sort.Strings(files)
	for _, f := range dedupe(files) {
		data, err := os.ReadFile(f)
		if err != nil {
			data = []byte(err.Error())
		}
		fmt.Fprintf(h, "%s %d\n", relPath(f), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// cmdCorpus: chanfuzz go corpus check DIR [PACKAGES]: every reproducer
// under DIR (trace files of these packages' tests, as chanfuzz go test
// writes them) replays to its variant's expected verdict, in one runner.
func cmdCorpus(args []string) int {
	if len(args) < 2 || args[0] != "check" {
		return fail("corpus: usage: chanfuzz go corpus check DIR [PACKAGES]")
	}
	dir := args[1]
	f, err := parseFlags(args[2:], true)
	if err != nil {
		return fail("corpus: %v", err)
	}
	t, status := translateProgram(f.patterns, f.run)
	if t == nil {
		return status
	}
	runner, err := buildRunner(t, f)
	if err != nil {
		return fail("corpus: %v", err)
	}
	return execRunner(runner, append([]string{"corpus", "check", dir}, f.rest...))
}
