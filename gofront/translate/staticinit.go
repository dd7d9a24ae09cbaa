package main

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Constant tables: a package initializer stores each element of a table
// like strconv's detailedPowersOfTen ([696][2]uint64) one by one, which
// as C is thousands of lines compiled slowly and run again at the start
// of every execution. Stores of a numeric constant through a chain of
// constant indices and fields into a package variable are folded into a
// static initializer of that variable instead (Go's linker initializes
// such data statically too); the variable is copied from it when an
// execution allocates it.

// A step of a path into a variable: an array element or a struct field.
type initStep struct {
	index int64 // array element, or -1
	field int   // struct field, when index < 0
	typ   types.Type
}

type staticInit struct {
	root   ssa.Value         // a package variable, or an array the initializer allocates
	name   string            // the C static holding the initial value
	values map[string]string // path key -> C constant
	paths  map[string][]initStep
}

// foldStaticInit finds the foldable stores of a package initializer; it
// returns the instructions to leave out.
func (tr *translator) foldStaticInit(fn *ssa.Function) map[ssa.Instruction]bool {
	if fn.Synthetic != "package initializer" {
		return nil
	}
	skip := map[ssa.Instruction]bool{}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			st, ok := in.(*ssa.Store)
			if !ok {
				continue
			}
			c, ok := st.Val.(*ssa.Const)
			if !ok || c.Value == nil {
				continue
			}
			if b, ok := c.Type().Underlying().(*types.Basic); !ok || b.Info()&(types.IsInteger|types.IsFloat|types.IsBoolean) == 0 {
				continue
			}
			// Elements of tables only: a whole scalar variable set by init
			// (init$guard above all) is a step of the init's logic.
			g, path, addrs, ok := constPath(st.Addr)
			if !ok || len(path) == 0 {
				continue
			}
			si := tr.staticInits[g]
			if si == nil {
				si = &staticInit{root: g, name: tr.fresh("cf_static"), values: map[string]string{},
					paths: map[string][]initStep{}}
				tr.staticInits[g] = si
				tr.staticOrder = append(tr.staticOrder, g)
			}
			key := pathKey(path)
			si.values[key] = tr.constExpr(c)
			si.paths[key] = path
			skip[st] = true
			for _, a := range addrs {
				skip[a] = true
			}
		}
	}
	// An address computation stays if anything but a folded store uses it.
	for changed := true; changed; {
		changed = false
		for in := range skip {
			v, ok := in.(ssa.Value)
			if !ok {
				continue
			}
			for _, r := range *v.Referrers() {
				if !skip[r] {
					delete(skip, in)
					changed = true
					break
				}
			}
		}
	}
	return skip
}

// constPath: addr is &G.a[i].f[j]... with constant, in-range indices,
// into a package variable or an array the initializer allocated (the
// backing array of a slice literal: var table = []uint16{...}).
func constPath(addr ssa.Value) (ssa.Value, []initStep, []ssa.Instruction, bool) {
	var rev []initStep
	var addrs []ssa.Instruction
	for {
		switch a := addr.(type) {
		case *ssa.Global, *ssa.Alloc:
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			return addr, rev, addrs, true
		case *ssa.IndexAddr:
			k, ok := a.Index.(*ssa.Const)
			at, isArr := deref(a.X.Type()).Underlying().(*types.Array)
			if !ok || !isArr {
				return nil, nil, nil, false
			}
			i, exact := constInt(k)
			if !exact || i < 0 || i >= at.Len() {
				return nil, nil, nil, false
			}
			rev = append(rev, initStep{index: i, typ: deref(a.X.Type())})
			addrs = append(addrs, a)
			addr = a.X
		case *ssa.FieldAddr:
			rev = append(rev, initStep{index: -1, field: a.Field, typ: deref(a.X.Type())})
			addrs = append(addrs, a)
			addr = a.X
		default:
			return nil, nil, nil, false
		}
	}
}

func pathKey(path []initStep) string {
	var b strings.Builder
	for _, s := range path {
		if s.index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.index)
		} else {
			fmt.Fprintf(&b, ".%d", s.field)
		}
	}
	return b.String()
}

// initializer is the C designated initializer of a variable's folded
// values: { .a = { [3] = { .f1 = v } } }.
func (si *staticInit) initializer() string {
	type node struct {
		children map[string]*node
		order    []string
		value    string
	}
	root := &node{children: map[string]*node{}}
	keys := make([]string, 0, len(si.paths))
	for k := range si.paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := root
		for _, s := range si.paths[k] {
			var d string
			if s.index >= 0 {
				d = fmt.Sprintf(".a[%d]", s.index)
			} else {
				d = "." + fieldName(s.typ, s.field)
			}
			c := n.children[d]
			if c == nil {
				c = &node{children: map[string]*node{}}
				n.children[d] = c
				n.order = append(n.order, d)
			}
			n = c
		}
		n.value = si.values[k]
	}
	var emit func(n *node) string
	emit = func(n *node) string {
		if len(n.children) == 0 {
			return n.value
		}
		parts := make([]string, 0, len(n.order))
		for _, d := range n.order {
			parts = append(parts, d+" = "+emit(n.children[d]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return emit(root)
}

func constInt(c *ssa.Const) (int64, bool) {
	if c.Value == nil {
		return 0, false
	}
	return constantInt64(c)
}
