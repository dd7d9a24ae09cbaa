package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// A test the frontend turns into a scenario variant.
type goTest struct {
	pkg      *ssa.Package
	fn       *ssa.Function
	name     string // TestWorker_buggy
	base     string // TestWorker: the scenario's test name
	buggy    bool
	expect   []string // finding kinds (chanfuzz_kind_id) a buggy test must show
	allow    []string
	budget   uint64 // //chanfuzz:budget N: the scenario's default executions
	steps    uint64 // //chanfuzz:steps N: its step budget per execution
	settle   uint64 // //chanfuzz:settle N: the steps after the test returns
	position token.Position
}

// The loaded program: SSA for everything, and the tests selected.
type program struct {
	fset     *token.FileSet
	ssa      *ssa.Program
	packages []*packages.Package // the test variants of the packages named
	tests    []*goTest
}

// A user error at a position: printed as "file:line:col: message".
type posError struct {
	pos token.Position
	msg string
}

func (e *posError) Error() string {
	if e.pos.IsValid() {
		return fmt.Sprintf("%s: %s", relPath(e.pos.String()), e.msg)
	}
	return e.msg
}

// loadProgram loads the packages named by patterns with their tests, and
// selects the tests whose names match run (go test's -run, on the whole
// name; subtests are not filtered).
func loadProgram(patterns []string, run string, dir string) (*program, error) {
	var runRE *regexp.Regexp
	if run != "" {
		re, err := regexp.Compile(run)
		if err != nil {
			return nil, fmt.Errorf("-run: %v", err)
		}
		runRE = re
	}
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax,
		Tests: true,
		Dir:   dir,
		Env:   goEnv(dir),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %v", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no packages match %s", strings.Join(patterns, " "))
	}
	// The first error of any package, as go build prints it.
	var firstErr error
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			if firstErr == nil {
				firstErr = fmt.Errorf("%s", relPath(e.Error()))
			}
		}
	})
	if firstErr != nil {
		return nil, firstErr
	}
	// Tests live in the test variant of each package ("p [p.test]") and
	// in the external test package ("p_test [p.test]").
	var chosen []*packages.Package
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") {
			continue // the synthesized test main
		}
		if !strings.Contains(p.ID, "[") && hasTestVariant(pkgs, p) {
			continue // the plain package: its test variant has the same code and more
		}
		chosen = append(chosen, p)
	}
	prog, ssaPkgs := ssautil.AllPackages(pkgs, ssa.InstantiateGenerics)
	prog.Build()
	pr := &program{fset: prog.Fset, ssa: prog}
	for i, p := range pkgs {
		if !contains(chosen, p) || ssaPkgs[i] == nil {
			continue
		}
		pr.packages = append(pr.packages, p)
		tests, err := findTests(prog.Fset, p, ssaPkgs[i], runRE)
		if err != nil {
			return nil, err
		}
		pr.tests = append(pr.tests, tests...)
	}
	sort.Slice(pr.tests, func(i, j int) bool {
		a, b := pr.tests[i], pr.tests[j]
		if a.pkg.Pkg.Path() != b.pkg.Pkg.Path() {
			return a.pkg.Pkg.Path() < b.pkg.Pkg.Path()
		}
		return a.name < b.name
	})
	return pr, nil
}

func hasTestVariant(all []*packages.Package, p *packages.Package) bool {
	for _, q := range all {
		if q != p && q.PkgPath == p.PkgPath && strings.Contains(q.ID, "[") {
			return true
		}
	}
	return false
}

func contains(list []*packages.Package, p *packages.Package) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

// findTests finds func TestXxx(t *testing.T) in the package's _test.go
// files and reads each one's verdict: a _buggy suffix or a
// //chanfuzz:expect directive makes it a buggy variant.
func findTests(fset *token.FileSet, p *packages.Package, sp *ssa.Package, runRE *regexp.Regexp) ([]*goTest, error) {
	var tests []*goTest
	for _, file := range p.Syntax {
		fname := fset.Position(file.Pos()).Filename
		if !strings.HasSuffix(fname, "_test.go") {
			continue
		}
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !isTestName(fd.Name.Name) {
				continue
			}
			obj, _ := p.TypesInfo.Defs[fd.Name].(*types.Func)
			if obj == nil || !isTestSignature(obj.Type().(*types.Signature)) {
				continue
			}
			if runRE != nil && !runRE.MatchString(fd.Name.Name) {
				continue
			}
			fn := sp.Prog.FuncValue(obj)
			if fn == nil {
				continue
			}
			t := &goTest{pkg: sp, fn: fn, name: fd.Name.Name, base: fd.Name.Name,
				position: fset.Position(fd.Pos())}
			if strings.HasSuffix(t.name, "_buggy") {
				t.buggy, t.base = true, strings.TrimSuffix(t.name, "_buggy")
			} else if strings.HasSuffix(t.name, "_fixed") {
				t.base = strings.TrimSuffix(t.name, "_fixed")
			}
			if err := readDirectives(fset, fd, t); err != nil {
				return nil, err
			}
			tests = append(tests, t)
		}
	}
	return tests, nil
}

func isTestName(name string) bool {
	if !strings.HasPrefix(name, "Test") {
		return false
	}
	rest := name[len("Test"):]
	return rest == "" || !(rest[0] >= 'a' && rest[0] <= 'z')
}

func isTestSignature(sig *types.Signature) bool {
	if sig.Params().Len() != 1 || sig.Results().Len() != 0 {
		return false
	}
	ptr, ok := sig.Params().At(0).Type().(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := ptr.Elem().(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "testing" &&
		named.Obj().Name() == "T"
}

var knownKinds = map[string]bool{
	"panic": true, "fatal_error": true, "stack_overflow": true, "step_budget": true,
	"global_deadlock": true, "leak": true, "never_exits": true, "partial_deadlock": true,
	"lost_cancel": true, "context_registered": true, "unreleased_closure": true,
	"resource_not_closed": true, "timer_not_stopped": true, "growth": true,
	"crash": true, "hang": true,
}

// readDirectives reads //chanfuzz:expect KIND[,KIND] and //chanfuzz:allow
// KIND[,KIND] from the test's doc comment.
func readDirectives(fset *token.FileSet, fd *ast.FuncDecl, t *goTest) error {
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			var list *[]string
			switch {
			case strings.HasPrefix(text, "chanfuzz:expect"):
				list = &t.expect
				text = strings.TrimPrefix(text, "chanfuzz:expect")
			case strings.HasPrefix(text, "chanfuzz:allow"):
				list = &t.allow
				text = strings.TrimPrefix(text, "chanfuzz:allow")
			case strings.HasPrefix(text, "chanfuzz:budget"):
				// The executions a run gives this test by default (a bug that
				// shows in one schedule in thousands), as a C scenario's
				// .executions.
				n, err := strconv.ParseUint(strings.TrimSpace(strings.TrimPrefix(text, "chanfuzz:budget")), 10, 32)
				if err != nil || n == 0 {
					return &posError{fset.Position(c.Pos()), "chanfuzz:budget wants a positive count of executions"}
				}
				t.budget = n
				continue
			case strings.HasPrefix(text, "chanfuzz:steps"), strings.HasPrefix(text, "chanfuzz:settle"):
				// A test's own step budget (a loop of 10^5 iterations) and the
				// steps the others get after it returns, as a C scenario's
				// .step_budget and .settle_steps.
				name := strings.TrimPrefix(strings.Fields(text)[0], "chanfuzz:")
				n, err := strconv.ParseUint(strings.TrimSpace(strings.TrimPrefix(text, "chanfuzz:"+name)), 10, 64)
				if err != nil || n == 0 {
					return &posError{fset.Position(c.Pos()), fmt.Sprintf("chanfuzz:%s wants a positive count of steps", name)}
				}
				if name == "steps" {
					t.steps = n
				} else {
					t.settle = n
				}
				continue
			case strings.HasPrefix(text, "chanfuzz:"):
				return &posError{fset.Position(c.Pos()), fmt.Sprintf("unknown directive '%s' (chanfuzz:expect, chanfuzz:allow, chanfuzz:budget, chanfuzz:steps and chanfuzz:settle are known)", strings.Fields(text)[0])}
			default:
				continue
			}
			for _, k := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
				if !knownKinds[k] {
					return &posError{fset.Position(c.Pos()), fmt.Sprintf("unknown finding kind '%s' in directive", k)}
				}
				*list = append(*list, k)
			}
		}
	}
	if len(t.expect) > 0 {
		t.buggy = true
	}
	if t.buggy && len(t.expect) == 0 {
		return &posError{t.position, fmt.Sprintf("%s: a buggy test says what it must show: //chanfuzz:expect KIND[,KIND] in its doc comment", t.name)}
	}
	return nil
}

// goEnv: outside any module (no go.mod up from dir) and with GO111MODULE
// unset, the packages are GOPATH packages: load them in GOPATH mode, as
// Go before modules did, instead of failing for want of a go.mod.
func goEnv(dir string) []string {
	env := os.Environ()
	if os.Getenv("GO111MODULE") != "" {
		return env
	}
	d := dir
	if d == "" {
		d, _ = os.Getwd()
	}
	for d != "" {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return env
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return append(env, "GO111MODULE=off")
}
