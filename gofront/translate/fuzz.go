package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// cmdFuzz: chanfuzz go fuzz [-run RE] --time S [fuzz flags] PACKAGES.
//
// libFuzzer drives the selected tests: the translated C is linked twice,
// into the runner (whose `fuzz` command is chanfuzz fuzz: it runs the
// libFuzzer processes, merges the corpus, buckets and minimizes the
// crashes and writes each as a trace) and into a libFuzzer target over
// the same tests. chanfuzz fuzz finds a variant's target by its name,
// fuzz_<scenario>_<variant>, and a target picks its variant from its own
// name, so each selected variant gets a link of that name to the one
// target: one compile, whatever the number of tests.
func cmdFuzz(args []string) int {
	f, err := parseFlags(args, true)
	if err != nil {
		return fail("fuzz: %v", err)
	}
	if !hasFlag(f.rest, "--time") {
		return fail("fuzz: --time S is required (the seconds libFuzzer gets, shared by the selected tests)")
	}
	if f.count != 1 {
		return fail("fuzz: -count has no meaning here (libFuzzer runs for --time)")
	}
	conf, err := readConf()
	if err != nil {
		return fail("fuzz: %v", err)
	}
	spec, err := conf.fuzzLink()
	if err != nil {
		return fail("fuzz: %v", err)
	}
	t, status := translateProgram(f.patterns, f.run)
	if t == nil {
		return status
	}
	runner, err := buildProgram(t, f, conf, conf.runnerLink())
	if err != nil {
		return fail("fuzz: %v", err)
	}
	fuzzer, err := buildProgram(t, f, conf, spec)
	if err != nil {
		return fail("fuzz: %v", err)
	}
	targets, err := linkTargets(t, fuzzer)
	if err != nil {
		return fail("fuzz: %v", err)
	}
	rest := f.rest
	if !hasFlag(rest, "--go-semantics") {
		rest = append(rest, "--go-semantics", "1.22") // as chanfuzz go test
	}
	if !hasFlag(rest, "--corpus") {
		// As go test -fuzz keeps what it generates in its cache: the
		// corpus outlives the runner, one folder per test.
		root, err := cacheRoot(f)
		if err != nil {
			return fail("fuzz: %v", err)
		}
		rest = append(rest, "--corpus", filepath.Join(root, "corpus"))
	}
	cmd := exec.Command(runner, append([]string{"fuzz", "all"}, rest...)...)
	cmd.Env = append(os.Environ(), "CHANFUZZ_FUZZ_BIN_DIR="+targets)
	return runCommand(cmd)
}

// linkTargets makes fuzz_<scenario>_<variant> links to the target, one per
// selected variant, in a folder of their own beside it.
func linkTargets(t *translated, fuzzer string) (string, error) {
	dir := filepath.Join(filepath.Dir(fuzzer), "targets")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, s := range t.scenarios {
		for _, v := range []*goTest{s.buggy, s.fixed} {
			if v == nil {
				continue
			}
			variant := "fixed"
			if v.buggy {
				variant = "buggy"
			}
			link := filepath.Join(dir, "fuzz_"+s.name+"_"+variant)
			if target, err := os.Readlink(link); err == nil && target == fuzzer {
				continue
			}
			tmp := fmt.Sprintf("%s.%d.tmp", link, os.Getpid())
			if err := os.Symlink(fuzzer, tmp); err != nil {
				return "", err
			}
			if err := os.Rename(tmp, link); err != nil {
				os.Remove(tmp)
				return "", err
			}
		}
	}
	return dir, nil
}

// fuzzUsage is the usage paragraph of chanfuzz go fuzz (main.go).
var fuzzUsage = strings.TrimLeft(`
  fuzz [-run RE] --time S [FUZZ FLAGS] [PACKAGES]
        libFuzzer drives the selected tests for S seconds (needs a fuzz
        build); FUZZ FLAGS are chanfuzz fuzz's (--jobs N, --json, --out DIR,
        --corpus DIR, --regressions DIR, --go-semantics); each finding is
        written as a trace that chanfuzz go replay takes
`, "\n")
