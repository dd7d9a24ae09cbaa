package main

import (
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// translator lowers the SSA of one program (the tests selected, and all
// they reach) to one C file.
type translator struct {
	prog  *program
	types *typeTable

	funcs       map[*ssa.Function]string // C names of functions emitted or queued
	queue       []*ssa.Function
	bodies      bytes.Buffer // function definitions
	protos      bytes.Buffer // their prototypes
	sites       bytes.Buffer // the go_site initializers of cf_sites
	siteNames   map[string]string
	siteColumns []int // cf_sites[i]'s column
	descs       descTable
	globals     map[*ssa.Global]string
	globalDef   bytes.Buffer
	initSeen    map[*ssa.Package]bool
	modelValues map[string]string // modelled functions used as values: their C func values
	next        int
	// Refusals are kept per function and reported only for functions
	// that strict references reach from the tests: a method translated
	// only because its type went into an interface refuses at run time,
	// should it ever be called, not before.
	curFn   *ssa.Function
	lenient bool
	edges   map[*ssa.Function][]*ssa.Function
	// Constant tables folded out of package initializers (staticinit.go).
	// Package variables are allocated per package, and an execution
	// allocates those of its test's package and what it imports only.
	resetOrder  []string          // package paths owning variables, sorted
	resetNames  map[string]string // package path -> its reset function
	staticInits map[ssa.Value]*staticInit
	staticOrder []ssa.Value
	fnErrors    map[*ssa.Function][]error
	errors      []error
}

func newTranslator(p *program) *translator {
	tr := &translator{prog: p, funcs: map[*ssa.Function]string{},
		siteNames: map[string]string{}, globals: map[*ssa.Global]string{},
		initSeen: map[*ssa.Package]bool{}, modelValues: map[string]string{},
		edges: map[*ssa.Function][]*ssa.Function{}, fnErrors: map[*ssa.Function][]error{},
		staticInits: map[ssa.Value]*staticInit{}}
	tr.types = newTypeTable(tr)
	tr.descs.tr = tr
	return tr
}

func (tr *translator) fresh(prefix string) string {
	tr.next++
	return fmt.Sprintf("%s%d", prefix, tr.next)
}

// unsupported records a refusal at pos; translation goes on so that every
// refusal of the program is reported, then the command exits 2.
func (tr *translator) unsupported(pos token.Pos, what, why string) {
	msg := "unsupported: " + what
	if why != "" {
		msg += " (" + why + ")"
	}
	err := &posError{tr.prog.fset.Position(pos), msg}
	if tr.lenient {
		return
	}
	if tr.curFn == nil {
		tr.errors = append(tr.errors, err)
		return
	}
	tr.fnErrors[tr.curFn] = append(tr.fnErrors[tr.curFn], err)
}

// refusals: the errors of every function strictly reachable from the
// tests and the package inits, in source order.
func (tr *translator) refusals(roots []*ssa.Function) []error {
	seen := map[*ssa.Function]bool{}
	var visit func(*ssa.Function)
	visit = func(f *ssa.Function) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, g := range tr.edges[f] {
			visit(g)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	if os.Getenv("CHANFUZZ_GO_WHY") != "" {
		for f, gs := range tr.edges {
			for _, g := range gs {
				if seen[f] {
					fmt.Fprintf(os.Stderr, "edge %s -> %s\n", f, g)
				}
			}
		}
	}
	errs := append([]error(nil), tr.errors...)
	var fns []*ssa.Function
	for f := range tr.fnErrors {
		if seen[f] {
			fns = append(fns, f)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	dup := map[string]bool{}
	for _, f := range fns {
		for _, e := range tr.fnErrors[f] {
			if !dup[e.Error()] {
				dup[e.Error()] = true
				errs = append(errs, e)
			}
		}
	}
	return errs
}

// cname is a readable C identifier for a Go function.
func (tr *translator) funcName(fn *ssa.Function) string {
	if tr.curFn != nil && !tr.lenient {
		tr.edges[tr.curFn] = append(tr.edges[tr.curFn], fn)
	}
	if n, ok := tr.funcs[fn]; ok {
		return n
	}
	name := fmt.Sprintf("F%d_%s", len(tr.funcs)+1, ident(shortFuncName(fn)))
	tr.funcs[fn] = name
	tr.queue = append(tr.queue, fn)
	return name
}

// goFuncName is the function's name as Go's tracebacks print it:
// "example.com/pkg.(*T).Method", "example.com/pkg.TestX.func1".
func goFuncName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		parent := fn.Parent()
		idx := 0
		for i, a := range parent.AnonFuncs {
			if a == fn {
				idx = i + 1
			}
		}
		return fmt.Sprintf("%s.func%d", goFuncName(parent), idx)
	}
	pkg := ""
	if fn.Pkg != nil {
		pkg = fn.Pkg.Pkg.Path() + "."
	} else if fn.Object() != nil && fn.Object().Pkg() != nil {
		pkg = fn.Object().Pkg().Path() + "."
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		star := ""
		if p, ok := t.(*types.Pointer); ok {
			t, star = p.Elem(), "*"
		}
		name := types.TypeString(t, func(*types.Package) string { return "" })
		if star != "" {
			return fmt.Sprintf("%s(*%s).%s", pkg, name, fn.Name())
		}
		return fmt.Sprintf("%s%s.%s", pkg, name, fn.Name())
	}
	return pkg + fn.Name()
}

func shortFuncName(fn *ssa.Function) string {
	n := goFuncName(fn)
	if i := strings.LastIndex(n, "/"); i >= 0 {
		n = n[i+1:]
	}
	return n
}

func ident(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() > 40 {
		return b.String()[:40]
	}
	return b.String()
}

// site names a static go_site for a source position: the .go file
// (relative to the working directory; $GOROOT/src/... for the standard
// library), the Go function and the line.
func (tr *translator) site(pos token.Pos, fn *ssa.Function) string {
	fname := "?"
	if fn != nil {
		fname = goFuncName(fn)
	}
	return tr.siteFor(pos, fname)
}

func (tr *translator) siteFor(pos token.Pos, fname string) string {
	p := tr.prog.fset.Position(pos)
	file, line, column := "?", 0, 0
	if p.IsValid() {
		file, line, column = relPath(p.Filename), p.Line, p.Column
	}
	key := fmt.Sprintf("%s\x00%d\x00%d\x00%s", file, line, column, fname)
	if n, ok := tr.siteNames[key]; ok {
		return "&" + n
	}
	n := fmt.Sprintf("cf_sites[%d]", len(tr.siteNames))
	tr.siteNames[key] = n
	fmt.Fprintf(&tr.sites, "    {%s, %s, %d},\n", cString(file), cString(fname), line)
	tr.siteColumns = append(tr.siteColumns, column)
	return "&" + n
}

// siteTable: the sites, one array (chanfuzz/site_column.h), and their
// columns registered beside it for the reports' file:line:col.
func (tr *translator) siteTable() string {
	if len(tr.siteColumns) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("static const go_site cf_sites[] = {\n")
	b.Write(tr.sites.Bytes())
	b.WriteString("};\nstatic const int cf_site_columns[] = {")
	for i, c := range tr.siteColumns {
		if i%16 == 0 {
			b.WriteString("\n   ")
		}
		fmt.Fprintf(&b, " %d,", c)
	}
	b.WriteString("\n};\nCHANFUZZ_SITE_COLUMNS(cf_sites, cf_site_columns);\n")
	return b.String()
}

var cwd, _ = os.Getwd()
var goroot = func() string {
	if r := os.Getenv("GOROOT"); r != "" {
		return r
	}
	out, err := execOutput("go", "env", "GOROOT")
	if err != nil {
		return "/usr/lib/go"
	}
	return strings.TrimSpace(out)
}()

// relPath makes a path (or a message starting with one) independent of the
// machine: relative to the working directory, or $GOROOT/src/... .
func relPath(s string) string {
	for _, root := range []string{filepath.Join(goroot, "src") + "/", filepath.Join(resolved(goroot), "src") + "/"} {
		if strings.HasPrefix(s, root) {
			return "$GOROOT/src/" + s[len(root):]
		}
	}
	if cwd != "" {
		for _, d := range []string{cwd, resolved(cwd)} {
			if strings.HasPrefix(s, d+"/") {
				return s[len(d)+1:]
			}
		}
	}
	return s
}

func resolved(p string) string {
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		return p
	}
	return r
}

// cString is a C string literal for s, every byte outside printable ASCII
// as a three-digit octal escape.
func cString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '?':
			b.WriteString("\\077") // no trigraphs
		case c >= 32 && c < 127:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// translate emits every test's function and all it reaches.
func (tr *translator) translate() {
	for _, t := range tr.prog.tests {
		tr.funcName(t.fn)
		tr.addInit(t.pkg)
	}
	for {
		for len(tr.queue) > 0 {
			fn := tr.queue[0]
			tr.queue = tr.queue[1:]
			tr.emitFunction(fn)
		}
		if !tr.descs.finishMethodTables() && len(tr.queue) == 0 {
			return
		}
	}
}

// addInit runs the package's init (which runs its imports' first) at the
// start of every execution, after every global was zeroed.
func (tr *translator) addInit(pkg *ssa.Package) {
	if tr.initSeen[pkg] {
		return
	}
	tr.initSeen[pkg] = true
	if init := pkg.Func("init"); init != nil {
		tr.funcName(init)
	}
}

// global names the C static pointing to a package variable. Each
// execution allocates the variables afresh as model objects, zeroed, each
// a named global root (go_global_set), and the package inits set them: no
// state survives an execution, and the detectors see what a package
// variable keeps alive (a registry that still holds a closure) as Go's
// collector would.
func (tr *translator) global(g *ssa.Global) string {
	if n, ok := tr.globals[g]; ok {
		return n
	}
	name := fmt.Sprintf("G%d_%s", len(tr.globals)+1, ident(g.Name()))
	tr.globals[g] = name
	elem := g.Type().(*types.Pointer).Elem()
	fmt.Fprintf(&tr.globalDef, "static %s *%s;\n", tr.types.ctype(elem), name)
	return name
}

// output assembles the C file.
func (tr *translator) output(scenarios string) []byte {
	// The resets first: they name sites of their own.
	var reset bytes.Buffer
	for _, path := range tr.resetOrder {
		fmt.Fprintf(&reset, "static void %s(void) {\n", tr.resetNames[path])
		for _, g := range tr.globalsOf(path) {
			n := tr.globals[g]
			site := tr.siteFor(g.Pos(), g.Pkg.Pkg.Path()+"."+g.Name())
			fmt.Fprintf(&reset, "    %s = go_alloc_at(%s, sizeof *%s ? sizeof *%s : 1); go_global_set_at(%s, %s, (go_word)%s);\n",
				n, site, n, n, site, cString(g.Pkg.Pkg.Path()+"."+g.Name()), n)
			if si := tr.staticInits[g]; si != nil {
				fmt.Fprintf(&reset, "    memcpy(%s, &%s, sizeof *%s);\n", n, si.name, n)
			}
			reset.WriteString(tr.modelGlobalInit(g))
		}
		reset.WriteString("}\n")
	}

	var statics bytes.Buffer
	for _, root := range tr.staticOrder {
		si := tr.staticInits[root]
		fmt.Fprintf(&statics, "static const %s %s = %s;\n", tr.types.ctype(deref(root.Type())), si.name,
			si.initializer())
	}
	tr.types.defineAll()
	var out bytes.Buffer
	out.WriteString("/* Generated by chanfuzz-go from Go SSA. Do not edit. */\n")
	out.WriteString(prelude)
	for _, f := range tr.types.forwards {
		out.WriteString(f + "\n")
	}
	for _, d := range tr.types.defs {
		out.WriteString(d + "\n")
	}
	out.WriteString(tr.siteTable())
	out.Write(tr.globalDef.Bytes())
	out.Write(statics.Bytes())
	out.Write(tr.protos.Bytes())
	out.Write(tr.descs.decls.Bytes())
	out.WriteString(tr.descs.methodCounts())
	out.Write(tr.descs.defs.Bytes())
	out.WriteString(tr.descs.methodTables())
	out.Write(tr.bodies.Bytes())
	out.Write(reset.Bytes())
	out.WriteString(scenarios)
	return out.Bytes()
}

// initFuncs: the package inits that run at the start of every execution.
func (tr *translator) initFuncs() []*ssa.Function {
	var out []*ssa.Function
	for pkg := range tr.initSeen {
		if f := pkg.Func("init"); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// globalsOf: the package variables of one package, in a stable order.
func (tr *translator) globalsOf(path string) []*ssa.Global {
	var gs []*ssa.Global
	for g := range tr.globals {
		if g.Pkg.Pkg.Path() == path {
			gs = append(gs, g)
		}
	}
	sort.Slice(gs, func(i, j int) bool { return tr.globals[gs[i]] < tr.globals[gs[j]] })
	return gs
}

// planResets names a reset function per package owning variables.
func (tr *translator) planResets() {
	tr.resetNames = map[string]string{}
	seen := map[string]bool{}
	for g := range tr.globals {
		seen[g.Pkg.Pkg.Path()] = true
	}
	tr.resetOrder = nil
	for p := range seen {
		tr.resetOrder = append(tr.resetOrder, p)
	}
	sort.Strings(tr.resetOrder)
	for i, p := range tr.resetOrder {
		tr.resetNames[p] = fmt.Sprintf("cf_reset_%d_%s", i+1, ident(p))
	}
}

// resetsFor: the reset functions of a package and everything it imports.
func (tr *translator) resetsFor(pkg *types.Package) []string {
	seen := map[*types.Package]bool{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	walk(pkg)
	var out []string
	for _, path := range tr.resetOrder {
		for p := range seen {
			if p.Path() == path {
				out = append(out, tr.resetNames[path])
				break
			}
		}
	}
	return out
}
