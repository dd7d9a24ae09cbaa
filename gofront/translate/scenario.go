package main

import (
	"fmt"

	"go/types"
	"golang.org/x/tools/go/packages"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// A scenario: the tests of one base name in one package (TestX_buggy and
// TestX_fixed), or one plain test (a fixed variant: it must stay clean).
type scenario struct {
	name         string // PKG.TestX
	buggy, fixed *goTest
}

// scenarios groups the selected tests. Names are the package's name and
// the test's base name; a package name that two packages share is
// qualified by its import path.
func (p *program) scenarios() ([]*scenario, error) {
	byPkgName := map[string]map[string]bool{}
	for _, t := range p.tests {
		n := t.pkg.Pkg.Name()
		if byPkgName[n] == nil {
			byPkgName[n] = map[string]bool{}
		}
		byPkgName[n][strings.TrimSuffix(t.pkg.Pkg.Path(), "_test")] = true
	}
	index := map[string]*scenario{}
	var list []*scenario
	for _, t := range p.tests {
		prefix := strings.TrimSuffix(t.pkg.Pkg.Name(), "_test")
		if len(byPkgName[t.pkg.Pkg.Name()]) > 1 {
			prefix = strings.NewReplacer("/", ".", "-", "_").Replace(strings.TrimSuffix(t.pkg.Pkg.Path(), "_test"))
		}
		name := prefix + "." + t.base
		s := index[name]
		if s == nil {
			s = &scenario{name: name}
			index[name] = s
			list = append(list, s)
		}
		slot := &s.fixed
		if t.buggy {
			slot = &s.buggy
		}
		if *slot != nil {
			return nil, &posError{t.position, fmt.Sprintf("%s: a second %s variant of scenario %s (the first is %s)",
				t.name, map[bool]string{true: "buggy", false: "fixed"}[t.buggy], name, (*slot).name)}
		}
		*slot = t
	}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	return list, nil
}

func kindBits(kinds []string) string {
	if len(kinds) == 0 {
		return "0"
	}
	var bits []string
	for _, k := range kinds {
		bits = append(bits, "CHANFUZZ_KIND_BIT(CHANFUZZ_"+strings.ToUpper(k)+")")
	}
	return strings.Join(bits, " | ")
}

// emitScenarios: a main per variant (the execution's globals reset, the
// packages' inits, then the test as Go's tRunner runs it) and the
// registration. program is "go HASH PKG..." (the trace files' program
// line), filled in once the hash of everything else is known.
func (tr *translator) emitScenarios(list []*scenario) string {
	var b strings.Builder
	tr.planResets()
	// The reset functions are defined with the package variables, later.
	for _, path := range tr.resetOrder {
		fmt.Fprintf(&b, "static void %s(void);\n", tr.resetNames[path])
	}

	variant := func(t *goTest) string {
		if t == nil {
			return "{0}"
		}
		main := "cf_main_" + ident(t.pkg.Pkg.Name()) + "_" + t.name
		fmt.Fprintf(&b, "static void %s(void *arg) {\n    gort_exec_begin();\n    gort_files_reset();\n", main)
		for _, r := range tr.resetsFor(t.pkg.Pkg) {
			fmt.Fprintf(&b, "    %s();\n", r)
		}
		// Only the test's own package initialises (and, through it, what it
		// imports), as in its test binary.
		if init := t.pkg.Func("init"); init != nil {
			fmt.Fprintf(&b, "    %s(NULL);\n", tr.funcs[init])
		}
		fmt.Fprintf(&b, "    gort_test_main(%s, (gort_func){(void *)%s, NULL}, false);\n}\n", cString(t.name), tr.funcs[t.fn])
		return fmt.Sprintf("{%s, .expect = %s, .allow = %s}", main, kindBits(t.expect), kindBits(t.allow))
	}
	for i, s := range list {
		buggy, fixed := variant(s.buggy), variant(s.fixed)
		any := s.buggy
		if any == nil {
			any = s.fixed
		}
		desc := fmt.Sprintf("go test %s -run '^%s(_buggy|_fixed)?$'", any.pkg.Pkg.Path(), any.base)
		fmt.Fprintf(&b, "CHANFUZZ_SCENARIO(cf_scenario_%d) = {\n    .name = %s,\n    .description = %s,\n", i+1,
			cString(s.name), cString(desc))
		// The program a reproducer of this test records: its package's
		// sources (and what it imports), so that reproducers of one package
		// survive changes to another.
		fmt.Fprintf(&b, "    .tags = \"go\",\n    .file = %s,\n    .program = %s,\n", cString(relPath(any.position.Filename)),
			cString(tr.programOf(any.pkg)))
		fmt.Fprintf(&b, "    .ignore = (const char *const[]){%s NULL},\n", initIgnores(any.pkg))
		// One scenario holds both variants: each budget is the larger of
		// the two tests'.
		var budget, steps, settle uint64
		for _, v := range []*goTest{s.buggy, s.fixed} {
			if v != nil {
				budget, steps, settle = max64(budget, v.budget), max64(steps, v.steps), max64(settle, v.settle)
			}
		}
		if budget > 0 {
			fmt.Fprintf(&b, "    .executions = %d,\n", budget)
		}
		if steps > 0 {
			fmt.Fprintf(&b, "    .step_budget = %d,\n", steps)
		}
		if settle > 0 {
			fmt.Fprintf(&b, "    .settle_steps = %d,\n", settle)
		}
		fmt.Fprintf(&b, "    .buggy = %s,\n    .fixed = %s,\n};\n", buggy, fixed)
	}
	return b.String()
}

// emitExternal: a function without a Go body reached only as a value or
// through a method table: it refuses when called.
func (tr *translator) emitExternal(fn *ssa.Function, name string) {
	sig := fn.Signature
	params := []string{"void *env"}
	i := 0
	add := func(v *types.Var) {
		params = append(params, fmt.Sprintf("%s a%d", tr.types.ctype(v.Type()), i))
		i++
	}
	if sig.Recv() != nil {
		add(sig.Recv())
	}
	for j := 0; j < sig.Params().Len(); j++ {
		add(sig.Params().At(j))
	}
	ret := tr.resultType(sig)
	fmt.Fprintf(&tr.protos, "static %s %s(%s);\n", ret, name, strings.Join(params, ", "))
	fmt.Fprintf(&tr.bodies, "static %s %s(%s) {\n    gort_panic_runtime(%s, %s);\n}\n", ret, name,
		strings.Join(params, ", "), tr.site(fn.Pos(), fn), cString("chanfuzz: unsupported: "+fn.String()+" has no Go body and no model"))
}

// initIgnores: what package initialisation makes lives as long as the
// test binary (a server context in a package variable, a goroutine
// started by init), so findings made there, in the init functions or in
// the package's functions they call directly, are not the test's (as
// goleak ignores goroutines that exist before the test starts).
func initIgnores(pkg *ssa.Package) string {
	init := pkg.Func("init")
	if init == nil {
		return ""
	}
	names := map[string]bool{goFuncName(init): true}
	for _, b := range init.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(ssa.CallInstruction); ok {
				if f := c.Common().StaticCallee(); f != nil && f.Pkg == pkg {
					names[goFuncName(f)] = true
				}
			}
		}
	}
	var list []string
	for n := range names {
		list = append(list, cString("top:"+n)+", "+cString("created-by:"+n)+",")
	}
	sort.Strings(list)
	return strings.Join(list, " ")
}

// programOf: "go HASH PKG" for the test package pkg (its test variant and
// what it imports), as chanfuzz go replay recomputes it from PKG alone.
func (tr *translator) programOf(pkg *ssa.Package) string {
	path := strings.TrimSuffix(pkg.Pkg.Path(), "_test")
	var mine []*packages.Package
	for _, p := range tr.prog.packages {
		if strings.TrimSuffix(p.PkgPath, "_test") == path {
			mine = append(mine, p)
		}
	}
	return "go " + sourceHashOf(mine) + " " + path
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
