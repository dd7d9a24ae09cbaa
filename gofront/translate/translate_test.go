package main

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/lower.golden")

func TestParseFlagsSplitsFrontendAndRunnerFlags(t *testing.T) {
	f, err := parseFlags([]string{"-run", "TestA", "--mode", "pct", "--budget=9", "./pkg", "-count", "3", "--json"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.run != "TestA" || f.count != 3 || len(f.patterns) != 1 || f.patterns[0] != "./pkg" {
		t.Fatalf("frontend flags: %+v", f)
	}
	if got := strings.Join(f.rest, " "); got != "--mode pct --budget=9 --json" {
		t.Fatalf("runner flags: %q", got)
	}
	if _, err := parseFlags([]string{"-count", "zero"}, true); err == nil {
		t.Fatal("a bad -count is accepted")
	}
	if _, err := parseFlags([]string{"--sarif"}, true); err == nil {
		t.Fatal("a runner flag without its value is accepted")
	}
	if f, _ := parseFlags(nil, true); len(f.patterns) != 1 || f.patterns[0] != "." {
		t.Fatal("no pattern means '.'")
	}
}

func parseTest(t *testing.T, src string) (*token.FileSet, *ast.FuncDecl) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "x_test.go", "package x\n"+src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return fset, file.Decls[0].(*ast.FuncDecl)
}

func TestDirectivesStateTheVerdict(t *testing.T) {
	fset, fd := parseTest(t, "// doc\n//chanfuzz:expect leak, partial_deadlock\n//chanfuzz:allow panic\nfunc TestA(t *T) {}\n")
	g := &goTest{name: "TestA"}
	if err := readDirectives(fset, fd, g); err != nil {
		t.Fatal(err)
	}
	if !g.buggy || strings.Join(g.expect, ",") != "leak,partial_deadlock" || strings.Join(g.allow, ",") != "panic" {
		t.Fatalf("directives: %+v", g)
	}
	fset, fd = parseTest(t, "//chanfuzz:expect leek\nfunc TestA(t *T) {}\n")
	if err := readDirectives(fset, fd, &goTest{name: "TestA"}); err == nil ||
		!strings.Contains(err.Error(), "x_test.go:2:1: unknown finding kind 'leek'") {
		t.Fatalf("an unknown kind: %v", err)
	}
	fset, fd = parseTest(t, "func TestA_buggy(t *T) {}\n")
	if err := readDirectives(fset, fd, &goTest{name: "TestA_buggy", buggy: true}); err == nil ||
		!strings.Contains(err.Error(), "//chanfuzz:expect") {
		t.Fatalf("a buggy test without its directive: %v", err)
	}
	fset, fd = parseTest(t, "//chanfuzz:expekt leak\nfunc TestA(t *T) {}\n")
	if err := readDirectives(fset, fd, &goTest{name: "TestA"}); err == nil || !strings.Contains(err.Error(), "unknown directive") {
		t.Fatalf("a misspelt directive: %v", err)
	}
}

func TestTestNamesAreGoTestsNames(t *testing.T) {
	for name, want := range map[string]bool{"Test": true, "TestX": true, "Test_x": true, "Testx": false, "TesT": false} {
		if isTestName(name) != want {
			t.Errorf("isTestName(%q) = %v", name, !want)
		}
	}
}

func TestCStringEscapesEverythingOutsidePrintableASCII(t *testing.T) {
	if got := cString("a\"b\\c?\n\xff"); got != `"a\"b\\c\077\012\377"` {
		t.Fatalf("cString: %s", got)
	}
}

// TestLoweringGolden: the C of testdata/lower's functions, as committed.
func TestLoweringGolden(t *testing.T) {
	const pkg = "chanfuzz/gofront/translate/testdata/lower"
	p, err := loadProgram([]string{pkg}, "", "")
	if err != nil {
		t.Skipf("%s does not load here (run with the build's GOPATH): %v", pkg, err)
	}
	tr := newTranslator(p)
	tr.translate()
	// Only the package's own functions: their comments name them.
	re := regexp.MustCompile(`(?s)/\* ` + regexp.QuoteMeta(pkg) + `\.[^*]*\*/\n.*?\n}\n`)
	got := strings.Join(re.FindAllString(tr.bodies.String(), -1), "\n")
	golden := "testdata/lower.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Fatalf("the lowering changed; review it and run go test -update:\n%s", firstDifference(string(want), got))
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + itoa(i+1) + ":\n- " + x + "\n+ " + y
		}
	}
	return ""
}

func itoa(i int) string { return fmtInt(i) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
