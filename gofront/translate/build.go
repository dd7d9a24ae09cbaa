package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The runner is the chanfuzz command line linked with the translated tests
// as its scenarios, built with the flavour (sanitizers, checks) of the
// chanfuzz that runs it. What that flavour is, and which libraries, is in
// PREFIX/lib/chanfuzz/gofront.conf, written by the build: PREFIX is the
// directory above this program's own, in the build tree's stage and in an
// installed prefix alike, so no path of the build machine is baked in.
type buildConf struct {
	prefix  string
	libdir  string
	cc      string
	cflags  []string
	libs    []string
	ldflags []string
	// A fuzz build's: what a libFuzzer target over the tests links.
	fuzzMain    string
	fuzzLibs    []string
	fuzzLdflags []string
	raw         []byte
}

// linkSpec is one program built from the translated C: the runner (the
// chanfuzz command line) or the libFuzzer target of chanfuzz go fuzz.
type linkSpec struct {
	name    string
	whole   []string // libraries linked whole (libFuzzer's entry and counters)
	libs    []string
	ldflags []string
}

func (c *buildConf) runnerLink() linkSpec {
	return linkSpec{name: "runner", libs: c.libs, ldflags: c.ldflags}
}

func (c *buildConf) fuzzLink() (linkSpec, error) {
	if c.fuzzMain == "" {
		return linkSpec{}, fmt.Errorf("this chanfuzz was built without libFuzzer; use the fuzz preset's " +
			"(cmake --preset fuzz && cmake --build --preset fuzz, then build/fuzz/harness/cli/chanfuzz go fuzz ...)")
	}
	return linkSpec{name: "fuzzer", whole: []string{c.fuzzMain}, libs: c.fuzzLibs, ldflags: c.fuzzLdflags}, nil
}

func findPrefix() (string, error) {
	if p := os.Getenv("CHANFUZZ_PREFIX"); p != "" {
		return p, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	exe, _ = filepath.EvalSymlinks(exe)
	return filepath.Dir(filepath.Dir(exe)), nil
}

func readConf() (*buildConf, error) {
	prefix, err := findPrefix()
	if err != nil {
		return nil, err
	}
	// PREFIX/LIBDIR/chanfuzz/gofront.conf, LIBDIR being lib in the build
	// tree and GNUInstallDirs' choice when installed (lib, lib64,
	// lib/x86_64-linux-gnu); the libraries are in LIBDIR.
	path := filepath.Join(prefix, "lib", "chanfuzz", "gofront.conf")
	for _, pattern := range []string{"lib*/chanfuzz/gofront.conf", "lib/*/chanfuzz/gofront.conf"} {
		if m, _ := filepath.Glob(filepath.Join(prefix, pattern)); len(m) > 0 {
			path = m[0]
			break
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v (is chanfuzz-go installed beside chanfuzz's libraries?)", path, err)
	}
	c := &buildConf{prefix: prefix, libdir: filepath.Dir(filepath.Dir(path)), cc: "cc", raw: raw}
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: expected KEY=VALUE", path, n)
		}
		switch k {
		case "cc":
			c.cc = v
		case "cflags":
			c.cflags = strings.Fields(v)
		case "libs":
			c.libs = strings.Fields(v)
		case "ldflags":
			c.ldflags = strings.Fields(v)
		case "fuzz_main":
			c.fuzzMain = v
		case "fuzz_libs":
			c.fuzzLibs = strings.Fields(v)
		case "fuzz_ldflags":
			c.fuzzLdflags = strings.Fields(v)
		default:
			return nil, fmt.Errorf("%s:%d: unknown key '%s'", path, n, k)
		}
	}
	if cc := os.Getenv("CHANFUZZ_GO_CC"); cc != "" {
		c.cc = cc
	}
	return c, nil
}

func cacheRoot(f *frontendFlags) (string, error) {
	if f.work != "" {
		return f.work, nil
	}
	if d := os.Getenv("CHANFUZZ_GO_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "chanfuzz", "go"), nil
}

// buildRunner compiles the translated C into a runner, or reuses the one
// built for the same C, flavour and libraries.
func buildRunner(t *translated, f *frontendFlags) (string, error) {
	conf, err := readConf()
	if err != nil {
		return "", err
	}
	return buildProgram(t, f, conf, conf.runnerLink())
}

// buildProgram compiles the translated C into spec's program, or reuses the
// one built for the same C, flavour, libraries and program.
func buildProgram(t *translated, f *frontendFlags, conf *buildConf, spec linkSpec) (string, error) {
	h := sha256.New()
	h.Write(t.c)
	h.Write(conf.raw)
	fmt.Fprintf(h, "program %s\n", spec.name)
	libPath := func(l string) (string, error) {
		p := filepath.Join(conf.libdir, "lib"+l+".a")
		st, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("%s: %v", p, err)
		}
		fmt.Fprintf(h, "%s %d %d\n", p, st.Size(), st.ModTime().UnixNano())
		return p, nil
	}
	var linked []string
	for _, l := range spec.whole {
		p, err := libPath(l)
		if err != nil {
			return "", err
		}
		linked = append(linked, "-Wl,--whole-archive", p, "-Wl,--no-whole-archive")
	}
	for _, l := range spec.libs {
		p, err := libPath(l)
		if err != nil {
			return "", err
		}
		linked = append(linked, p)
	}
	key := hex.EncodeToString(h.Sum(nil))[:20]
	root, err := cacheRoot(f)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, key)
	binary := filepath.Join(dir, spec.name)
	if _, err := os.Stat(binary); err == nil {
		return binary, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	src := filepath.Join(dir, "program.c")
	if err := os.WriteFile(src, t.c, 0o644); err != nil {
		return "", err
	}
	tmp := fmt.Sprintf("%s.%d.tmp", binary, os.Getpid())
	args := append([]string{"-std=gnu11", "-I", filepath.Join(conf.prefix, "include")}, conf.cflags...)
	args = append(args, "-o", tmp, src)
	args = append(args, linked...)
	args = append(args, spec.ldflags...)
	start := time.Now()
	cmd := exec.Command(conf.cc, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		msg := strings.TrimSpace(string(out))
		if lines := strings.Split(msg, "\n"); len(lines) > 20 {
			msg = strings.Join(lines[:20], "\n") + "\n..."
		}
		return "", fmt.Errorf("compiling the translated tests failed (a frontend bug; the C is %s):\n%s", src, msg)
	}
	if os.Getenv("CHANFUZZ_GO_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "chanfuzz go: compiled the %s in %v\n", spec.name, time.Since(start).Round(time.Millisecond))
	}
	if err := os.Rename(tmp, binary); err != nil {
		return "", err
	}
	return binary, nil
}
