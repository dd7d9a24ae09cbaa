package main

import (
	"bytes"
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"
)

// descTable emits a gort_type descriptor per Go type that needs one (an
// interface conversion, a map, a comparison of aggregates) and the itabs of
// the conversions the program makes. Type identity is descriptor identity:
// one descriptor per types.Identical class.
type descTable struct {
	tr          *translator
	withMethods []types.Type             // descriptors whose method tables come last
	entries     map[string][]methodEntry // descriptor name -> its wrapped methods
	wanted      map[string]bool          // method names some interface asks for
	descs       typeutil.Map             // types.Type -> "D<n>"
	itabs       map[string]string
	decls       bytes.Buffer
	defs        bytes.Buffer
	queue       []types.Type
	busy        bool
}

var qualifyByName = func(p *types.Package) string { return p.Name() }

var gortBasic = map[types.BasicKind]string{
	types.Bool: "bool", types.Int: "int", types.Int8: "int8", types.Int16: "int16", types.Int32: "int32",
	types.Int64: "int64", types.Uint: "uint", types.Uint8: "uint8", types.Uint16: "uint16",
	types.Uint32: "uint32", types.Uint64: "uint64", types.Uintptr: "uintptr", types.Float32: "float32",
	types.Float64: "float64", types.String: "string", types.UnsafePointer: "unsafe_pointer",
}

// goTypeName is a type as Go's runtime spells it in %T and panics:
// "interface {}" with its space, "[]interface {}".
func goTypeName(t types.Type) string {
	name := types.TypeString(t, qualifyByName)
	name = strings.ReplaceAll(name, "interface{}", "interface {}")
	if name == "any" {
		return "interface {}"
	}
	return strings.ReplaceAll(strings.ReplaceAll(name, "[]any", "[]interface {}"), "]any", "]interface {}")
}

// ref is "&D<n>" for t, emitting the descriptor on first use.
func (d *descTable) ref(t types.Type) string {
	if n := d.descs.At(t); n != nil {
		return "&" + n.(string)
	}
	if t.String() == "error" {
		return "&gort_type_error"
	}
	// Unnamed basic types: gort's own descriptors, so that a value the
	// model boxes (a string panic of the runtime's) is of the same type.
	if b, ok := t.(*types.Basic); ok {
		if n, ok := gortBasic[b.Kind()]; ok {
			return "&gort_type_" + n
		}
	}
	name := fmt.Sprintf("D%d", d.descs.Len()+1)
	d.descs.Set(t, name)
	fmt.Fprintf(&d.decls, "static const gort_type %s;\n", name)
	d.queue = append(d.queue, t)
	if !d.busy {
		d.busy = true
		for len(d.queue) > 0 {
			next := d.queue[0]
			d.queue = d.queue[1:]
			d.define(next)
		}
		d.busy = false
	}
	return "&" + name
}

func kindOf(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		names := map[types.BasicKind]string{
			types.Bool: "BOOL", types.Int: "INT", types.Int8: "INT8", types.Int16: "INT16", types.Int32: "INT32",
			types.Int64: "INT64", types.Uint: "UINT", types.Uint8: "UINT8", types.Uint16: "UINT16",
			types.Uint32: "UINT32", types.Uint64: "UINT64", types.Uintptr: "UINTPTR", types.Float32: "FLOAT32",
			types.Float64: "FLOAT64", types.Complex64: "COMPLEX64", types.Complex128: "COMPLEX128",
			types.String: "STRING", types.UnsafePointer: "UNSAFE_POINTER",
		}
		if n, ok := names[u.Kind()]; ok {
			return "GORT_" + n
		}
	case *types.Array:
		return "GORT_ARRAY"
	case *types.Chan:
		return "GORT_CHAN"
	case *types.Signature:
		return "GORT_FUNC"
	case *types.Interface:
		return "GORT_INTERFACE"
	case *types.Map:
		return "GORT_MAP"
	case *types.Pointer:
		return "GORT_POINTER"
	case *types.Slice:
		return "GORT_SLICE"
	case *types.Struct:
		return "GORT_STRUCT"
	}
	return "GORT_INVALID"
}

func (d *descTable) define(t types.Type) {
	tr := d.tr
	name := d.descs.At(t).(string)
	ct := tr.types.ctype(t)
	opaque := isOpaque(t, tr)
	size, align := "sizeof("+ct+")", "_Alignof("+ct+")"
	if opaque {
		size, align = "0", "1"
	}
	var flags []string
	if types.Comparable(t) {
		flags = append(flags, "GORT_COMPARABLE")
	}
	if isDirect(t) {
		flags = append(flags, "GORT_DIRECT")
	}
	if _, ok := t.(*types.Named); ok {
		flags = append(flags, "GORT_NAMED")
	}
	if len(flags) == 0 {
		flags = append(flags, "0")
	}
	fields := map[string]string{
		"kind": kindOf(t), "flags": strings.Join(flags, " | "), "size": size, "align": align,
		"name": cString(goTypeName(t)),
	}
	var extra bytes.Buffer
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		if !isOpaque(u.Elem(), tr) {
			fields["elem"] = d.ref(u.Elem())
		}
	case *types.Slice:
		fields["elem"] = d.ref(u.Elem())
	case *types.Array:
		fields["elem"] = d.ref(u.Elem())
		fields["len"] = fmt.Sprint(u.Len())
	case *types.Chan:
		fields["elem"] = d.ref(u.Elem())
		fields["chan_dir"] = fmt.Sprint(map[types.ChanDir]int{types.RecvOnly: 1, types.SendOnly: 2, types.SendRecv: 3}[u.Dir()])
	case *types.Map:
		fields["elem"] = d.ref(u.Elem())
		fields["key"] = d.ref(u.Key())
	case *types.Struct:
		if u.NumFields() > 0 {
			var fs []string
			for i := 0; i < u.NumFields(); i++ {
				f := u.Field(i)
				fs = append(fs, fmt.Sprintf("{%s, %s, offsetof(%s, %s), %v, %v}", cString(f.Name()), d.ref(f.Type()),
					ct, fieldName(t, i), f.Embedded(), f.Exported()))
			}
			fmt.Fprintf(&extra, "static const gort_field %s_fields[] = {%s};\n", name, strings.Join(fs, ", "))
			fields["fields"] = name + "_fields"
			fields["field_count"] = fmt.Sprint(u.NumFields())
		}
	case *types.Interface:
		names := sortedMethodNames(u)
		if len(names) > 0 {
			var qs []string
			for _, n := range names {
				qs = append(qs, cString(n))
			}
			fmt.Fprintf(&extra, "static const char *const %s_imethods[] = {%s};\n", name, strings.Join(qs, ", "))
			fields["interface_methods"] = name + "_imethods"
			fields["interface_method_count"] = fmt.Sprint(len(names))
		}
	}
	if !isInterface(t) && !isOpaque(t, tr) && tr.prog.ssa.MethodSets.MethodSet(t).Len() > 0 {
		// The table is written once every method name an interface of the
		// program can ask for is known (finishMethodTables).
		fields["methods"] = name + "_methods"
		fields["method_count"] = name + "_method_count"
		d.withMethods = append(d.withMethods, t)
	}
	if it, ok := t.Underlying().(*types.Interface); ok {
		d.noteInterface(it)
	}
	d.defs.Write(extra.Bytes())
	var init []string
	for _, k := range []string{"kind", "flags", "size", "align", "name", "elem", "key", "len", "chan_dir",
		"fields", "field_count", "methods", "method_count", "interface_methods", "interface_method_count"} {
		if v, ok := fields[k]; ok {
			init = append(init, "."+k+" = "+v)
		}
	}
	fmt.Fprintf(&d.defs, "static const gort_type %s = {%s};\n", name, strings.Join(init, ", "))
}

func isOpaque(t types.Type, tr *translator) bool {
	_, ok := tr.types.opaque[namedKey(t)]
	return ok
}

// noteInterface: an interface the program converts to, asserts to or
// calls through; its method names are the ones method tables keep.
func (d *descTable) noteInterface(it *types.Interface) {
	if d.wanted == nil {
		d.wanted = map[string]bool{}
	}
	for i := 0; i < it.NumMethods(); i++ {
		d.wanted[it.Method(i).Name()] = true
	}
}

// gortCalls: methods gort calls by name through method tables (fmt's
// Error and String, errors' Unwrap, Is and As, a Cond's Locker, the
// net-like Timeout and Temporary).
var gortCalls = []string{"Error", "String", "Unwrap", "Is", "As", "Lock", "Unlock", "Timeout", "Temporary"}

// finishMethodTables wraps, for every type with a descriptor, the methods
// whose names some interface can ask for (as Go's linker keeps only
// those): the others are never called dynamically, and translating them
// would pull in code (time.Time's Format, ...) nothing runs. Wrapping
// queues functions, whose translation may name more interfaces: the
// caller repeats until nothing changes. Returns whether it added any.
func (d *descTable) finishMethodTables() bool {
	if d.wanted == nil {
		d.wanted = map[string]bool{}
	}
	for _, n := range gortCalls {
		d.wanted[n] = true
	}
	if d.entries == nil {
		d.entries = map[string][]methodEntry{}
	}
	added := false
	for _, t := range d.withMethods {
		name := d.descs.At(t).(string)
		ms := d.tr.prog.ssa.MethodSets.MethodSet(t)
		have := map[string]bool{}
		for _, e := range d.entries[name] {
			have[e.name] = true
		}
		for i := 0; i < ms.Len(); i++ {
			sel := ms.At(i)
			m := sel.Obj().Name()
			if !d.wanted[m] || have[m] {
				continue
			}
			fn := d.tr.prog.ssa.MethodValue(sel)
			if fn == nil {
				continue
			}
			d.entries[name] = append(d.entries[name], methodEntry{m, d.methodWrapper(t, fn)})
			added = true
		}
	}
	return added
}

type methodEntry struct{ name, fn string }

// methodTables: every method table, sorted by name, and its count.
func (d *descTable) methodTables() string {
	var b strings.Builder
	for _, t := range d.withMethods {
		name := d.descs.At(t).(string)
		es := append([]methodEntry(nil), d.entries[name]...)
		sort.Slice(es, func(i, j int) bool { return es[i].name < es[j].name })
		var parts []string
		for _, e := range es {
			parts = append(parts, fmt.Sprintf("{%s, (void *)%s}", cString(e.name), e.fn))
		}
		if len(parts) == 0 {
			parts = append(parts, "{NULL, NULL}")
		}
		fmt.Fprintf(&b, "static const gort_method %s_methods[] = {%s};\n", name, strings.Join(parts, ", "))
	}
	return b.String()
}

// methodCounts: the counts, as enum constants the descriptors (written
// before the tables) can name.
func (d *descTable) methodCounts() string {
	var b strings.Builder
	for _, t := range d.withMethods {
		name := d.descs.At(t).(string)
		fmt.Fprintf(&b, "enum { %s_method_count = %d };\nstatic const gort_method %s_methods[%d];\n",
			name, len(d.entries[name]), name, max1(len(d.entries[name])))
	}
	return b.String()
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// methodWrapper: fn called through an interface holding a t.
func (d *descTable) methodWrapper(t types.Type, fn *ssa.Function) string {
	tr := d.tr
	wname := tr.fresh("M")
	sig := fn.Signature
	ct := tr.types.ctype(t)
	recv := fmt.Sprintf("(*(%s *)data)", ct)
	if isDirect(t) {
		recv = fmt.Sprintf("((%s)data)", ct)
	}
	params := []string{"void *data"}
	args := []string{recv}
	for i := 0; i < sig.Params().Len(); i++ {
		params = append(params, fmt.Sprintf("%s a%d", tr.types.ctype(sig.Params().At(i).Type()), i))
		args = append(args, fmt.Sprintf("a%d", i))
	}
	saved := tr.lenient
	tr.lenient = true
	tr.emitWrapper(wname, params, tr.resultType(sig), fn, func(e *funcEmitter, result string) string {
		return e.callCode(&ssa.CallCommon{Value: fn}, args, "", result, fn.Pos())
	})
	tr.lenient = saved
	return wname
}

// itab is the itab of concrete type t for interface type iface, as a
// const gort_itab * expression.
func (d *descTable) itab(t, iface types.Type) string {
	if d.itabs == nil {
		d.itabs = map[string]string{}
	}
	td := d.ref(t)
	var names []string
	id := "NULL"
	if it := iface.Underlying().(*types.Interface); it.NumMethods() > 0 {
		names = sortedMethodNames(it)
		id = d.ref(iface)
		d.noteInterface(it)
	}
	key := td + "|" + id
	if n, ok := d.itabs[key]; ok {
		return n
	}
	name := d.tr.fresh("I")
	var fns []string
	if len(names) > 0 {
		ms := d.tr.prog.ssa.MethodSets.MethodSet(t)
		for _, m := range names {
			sel := ms.Lookup(methodPkg(iface, m), m)
			if sel == nil {
				d.tr.unsupported(0, fmt.Sprintf("%s has no method %s", t, m), "")
				fns = append(fns, "NULL")
				continue
			}
			fns = append(fns, "(void *)"+d.methodWrapper(t, d.tr.prog.ssa.MethodValue(sel)))
		}
	}
	fmt.Fprintf(&d.defs, "static const struct { const gort_type *type; const gort_type *iface; void *fns[%d]; } %s = {%s, %s, {%s}};\n",
		len(fns), name, td, id, strings.Join(fns, ", "))
	ref := "((const gort_itab *)&" + name + ")"
	d.itabs[key] = ref
	return ref
}

func methodPkg(iface types.Type, name string) *types.Package {
	it := iface.Underlying().(*types.Interface)
	for i := 0; i < it.NumMethods(); i++ {
		if m := it.Method(i); m.Name() == name {
			return m.Pkg()
		}
	}
	return nil
}
