package main

import (
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// funcEmitter lowers one function's SSA to C.
type funcEmitter struct {
	tr  *translator
	fn  *ssa.Function
	out *bytes.Buffer
	pos token.Pos // the last source position seen: synthetic instructions report it
	// Functions with deferred calls run their body in a go_call frame
	// (the runtime's defer record): values the Recover block reads live
	// in the frame, which outlives the body.
	framed    bool
	recovers  bool // calls recover(): checks that it is the deferred call itself
	inFrame   map[ssa.Value]bool
	inWrapper bool
	frameType string
	skip      map[ssa.Instruction]bool // folded into a static initializer
}

func (e *funcEmitter) site() string { return e.tr.site(e.pos, e.fn) }

// siteAt is the site of pos, or of the last position seen when SSA gave
// the instruction none (a bound method's closure, a synthetic wrapper).
func (e *funcEmitter) siteAt(pos token.Pos) string {
	if pos.IsValid() {
		return e.tr.site(pos, e.fn)
	}
	return e.site()
}

func (e *funcEmitter) line(format string, args ...interface{}) {
	e.out.WriteString("    ")
	fmt.Fprintf(e.out, format, args...)
	e.out.WriteByte('\n')
}

// resultType is the C return type of a signature.
func (tr *translator) resultType(sig *types.Signature) string {
	switch sig.Results().Len() {
	case 0:
		return "void"
	case 1:
		return tr.types.ctype(sig.Results().At(0).Type())
	}
	return tr.types.ctype(sig.Results())
}

// paramList is "void *env, T0 p0, ..." for a function's C definition.
func (tr *translator) paramList(fn *ssa.Function) string {
	parts := []string{"void *env"}
	for i, p := range fn.Params {
		parts = append(parts, fmt.Sprintf("%s p%d", tr.types.ctype(p.Type()), i))
	}
	return strings.Join(parts, ", ")
}

// funcPtrType is the C type of a pointer to a function of sig, called as
// fn(env, args...) (receiver first for a method signature).
func (tr *translator) funcPtrType(sig *types.Signature, first string) string {
	parts := []string{first}
	if sig.Recv() != nil {
		parts = append(parts, tr.types.ctype(sig.Recv().Type()))
	}
	for i := 0; i < sig.Params().Len(); i++ {
		parts = append(parts, tr.types.ctype(sig.Params().At(i).Type()))
	}
	return fmt.Sprintf("%s (*)(%s)", tr.resultType(sig), strings.Join(parts, ", "))
}

func hasDefer(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if _, ok := in.(*ssa.Defer); ok {
				return true
			}
		}
	}
	return false
}

func (tr *translator) emitFunction(fn *ssa.Function) {
	name := tr.funcs[fn]
	tr.curFn = fn
	defer func() { tr.curFn = nil }()
	if fn.Blocks == nil || (hardModelled[pkgPath(fn)] && !isModelledInit(fn) && !translatedFromSource(fn) &&
		fn.Synthetic == "") {
		// Reached as a value or through a method table only (calls to it
		// are modelled or refused where they are made).
		tr.emitExternal(fn, name)
		return
	}
	if fn.TypeParams().Len() > 0 && len(fn.TypeArgs()) == 0 {
		return // a generic body: only its instances are called
	}
	e := &funcEmitter{tr: tr, fn: fn, pos: fn.Pos()}
	e.framed = hasDefer(fn) || fn.Recover != nil
	e.recovers = callsRecover(fn)
	e.skip = tr.foldStaticInit(fn)
	var body bytes.Buffer
	e.out = &body
	ret := tr.resultType(fn.Signature)
	fmt.Fprintf(&tr.protos, "static %s %s(%s);\n", ret, name, tr.paramList(fn))
	if !e.framed {
		fmt.Fprintf(&body, "/* %s */\nstatic %s %s(%s) {\n", goFuncName(fn), ret, name, tr.paramList(fn))
		if e.recovers {
			fmt.Fprintf(&body, "    bool cf_direct = gort_deferred_fn == (void *)%s;\n    gort_deferred_fn = NULL;\n", name)
		}
		e.declare()
		e.blocks()
		body.WriteString("}\n\n")
		tr.bodies.Write(body.Bytes())
		return
	}
	e.emitFramed(name, ret)
}

// emitFramed: the frame struct, the body run by go_call, and the function
// itself, which runs the Recover block when the body's panic was recovered.
func (e *funcEmitter) emitFramed(name, ret string) {
	tr, fn := e.tr, e.fn
	e.inFrame = map[ssa.Value]bool{}
	if fn.Recover != nil {
		for _, in := range fn.Recover.Instrs {
			for _, op := range in.Operands(nil) {
				if v, ok := (*op).(ssa.Instruction); ok && v.Block() != fn.Recover {
					e.inFrame[*op] = true
				}
			}
		}
	}
	e.frameType = "struct " + name + "_frame"
	var frame bytes.Buffer
	fmt.Fprintf(&frame, "%s {\n    void *env;\n", e.frameType)
	for i, p := range fn.Params {
		fmt.Fprintf(&frame, "    %s p%d;\n", tr.types.ctype(p.Type()), i)
	}
	if ret != "void" {
		fmt.Fprintf(&frame, "    %s result;\n", ret)
	}
	frame.WriteString("    bool returned;\n    bool direct;\n")
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if v, ok := in.(ssa.Value); ok && e.inFrame[v] {
				fmt.Fprintf(&frame, "    %s %s;\n", e.valueCType(v), v.Name())
				if a, ok := v.(*ssa.Alloc); ok && !a.Heap {
					fmt.Fprintf(&frame, "    %s a_%s;\n", tr.types.ctype(deref(a.Type())), v.Name())
				}
			}
		}
	}
	frame.WriteString("};\n")
	var out bytes.Buffer
	out.Write(frame.Bytes())
	fmt.Fprintf(&out, "/* %s: the body, in a frame of its own */\nstatic void %s_body(void *cf_arg) {\n", goFuncName(fn), name)
	fmt.Fprintf(&out, "    %s *fr = cf_arg;\n    void *env = fr->env;\n    bool cf_direct = fr->direct;\n", e.frameType)
	for i, p := range fn.Params {
		fmt.Fprintf(&out, "    %s p%d = fr->p%d;\n", tr.types.ctype(p.Type()), i, i)
	}
	e.out = &out
	e.declare()
	e.blocks()
	out.WriteString("}\n")
	fmt.Fprintf(&out, "static %s %s(%s) {\n", ret, name, tr.paramList(fn))
	fmt.Fprintf(&out, "    %s cf_frame;\n    memset(&cf_frame, 0, sizeof cf_frame);\n    cf_frame.env = env;\n", e.frameType)
	if e.recovers {
		fmt.Fprintf(&out, "    cf_frame.direct = gort_deferred_fn == (void *)%s;\n    gort_deferred_fn = NULL;\n", name)
	}
	for i := range fn.Params {
		fmt.Fprintf(&out, "    cf_frame.p%d = p%d;\n", i, i)
	}
	fmt.Fprintf(&out, "    go_call_at(%s, %s_body, &cf_frame);\n", tr.site(fn.Pos(), fn), name)
	if fn.Recover != nil {
		out.WriteString("    if (!cf_frame.returned) {\n")
		for _, in := range fn.Recover.Instrs {
			if v, ok := in.(ssa.Value); ok && v.Name() != "" {
				if t, ok := v.Type().(*types.Tuple); !ok || t.Len() > 0 {
					fmt.Fprintf(&out, "    %s %s;\n", e.valueCType(v), v.Name())
				}
			}
		}
		e.inWrapper = true
		e.block(fn.Recover)
		e.inWrapper = false
		out.WriteString("    }\n")
	}
	if ret != "void" {
		out.WriteString("    return cf_frame.result;\n")
	}
	out.WriteString("}\n\n")
	tr.bodies.Write(out.Bytes())
}

func callsRecover(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if c, ok := in.(*ssa.Call); ok {
				if bi, ok := c.Call.Value.(*ssa.Builtin); ok && bi.Name() == "recover" {
					return true
				}
			}
		}
	}
	return false
}

func deref(t types.Type) types.Type { return t.Underlying().(*types.Pointer).Elem() }

// valueCType is the C type of an SSA value (range iterators included).
func (e *funcEmitter) valueCType(v ssa.Value) string {
	if r, ok := v.(*ssa.Range); ok {
		if isString(r.X.Type()) {
			return "cf_string_iter"
		}
		return "gort_map_iter"
	}
	return e.tr.types.ctype(v.Type())
}

// declare: every value as a C local at the top, so jumps never cross an
// initialisation; free variables read from the closure's env.
func (e *funcEmitter) declare() {
	for i, fv := range e.fn.FreeVars {
		ct := e.tr.types.ctype(fv.Type())
		word := fmt.Sprintf("go_env_word_at(%s, env, %d)", e.tr.site(e.fn.Pos(), e.fn), i)
		e.line("%s fv%d = %s;", ct, i, e.fromWord(fv.Type(), word))
	}
	for _, b := range e.fn.Blocks {
		if b == e.fn.Recover {
			continue
		}
		for _, in := range b.Instrs {
			v, ok := in.(ssa.Value)
			if !ok || v.Name() == "" || e.inFrame[v] || e.skip[in] {
				continue
			}
			if t, ok := v.Type().(*types.Tuple); ok && t.Len() == 0 {
				continue
			}
			e.line("%s %s;", e.valueCType(v), v.Name())
			if a, ok := v.(*ssa.Alloc); ok && !a.Heap {
				e.line("%s a_%s;", e.tr.types.ctype(deref(a.Type())), v.Name())
			}
		}
	}
}

func (e *funcEmitter) blocks() {
	for _, b := range e.fn.Blocks {
		if b == e.fn.Recover {
			continue
		}
		e.block(b)
	}
}

func (e *funcEmitter) block(b *ssa.BasicBlock) {
	if !e.inWrapper {
		fmt.Fprintf(e.out, "b%d:;\n", b.Index)
	}
	for _, in := range b.Instrs {
		if e.skip[in] {
			continue
		}
		if p := in.Pos(); p.IsValid() {
			e.pos = p
		}
		e.instr(in)
	}
}

// val is the C expression of an SSA value.
func (e *funcEmitter) val(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Const:
		return e.tr.constExpr(v)
	case *ssa.Function:
		return e.tr.funcValue(v)
	case *ssa.Global:
		return e.tr.global(v)
	case *ssa.Parameter:
		for i, p := range e.fn.Params {
			if p == v {
				if e.inWrapper {
					return fmt.Sprintf("cf_frame.p%d", i)
				}
				return fmt.Sprintf("p%d", i)
			}
		}
	case *ssa.FreeVar:
		for i, p := range e.fn.FreeVars {
			if p == v {
				return fmt.Sprintf("fv%d", i)
			}
		}
	case *ssa.Builtin:
		panic("builtin used as a value")
	}
	if e.inFrame[v] {
		if e.inWrapper {
			return "cf_frame." + v.Name()
		}
		return "fr->" + v.Name()
	}
	return v.Name()
}

// def is the C lvalue an instruction's value is stored in.
func (e *funcEmitter) def(v ssa.Value) string { return e.val(v) }

// funcValue is a func value for a top-level function.
func (tr *translator) funcValue(fn *ssa.Function) string {
	if m := tr.modelFuncValue(fn); m != "" {
		return m
	}
	return fmt.Sprintf("((gort_func){(void *)%s, NULL})", tr.funcName(fn))
}

// phiMoves: the assignments entering block to from block from, as a
// parallel copy (through temporaries: one phi may read another).
func (e *funcEmitter) phiMoves(from, to *ssa.BasicBlock) string {
	pred := -1
	for i, p := range to.Preds {
		if p == from {
			pred = i
		}
	}
	var temps, moves []string
	for _, in := range to.Instrs {
		phi, ok := in.(*ssa.Phi)
		if !ok {
			break
		}
		t := e.tr.fresh("phi")
		temps = append(temps, fmt.Sprintf("%s %s = %s;", e.valueCType(phi), t, e.val(phi.Edges[pred])))
		moves = append(moves, fmt.Sprintf("%s = %s;", e.def(phi), t))
	}
	if len(temps) == 0 {
		return ""
	}
	return "{ " + strings.Join(temps, " ") + " " + strings.Join(moves, " ") + " } "
}

func (e *funcEmitter) jump(from, to *ssa.BasicBlock) string {
	return fmt.Sprintf("%sgoto b%d;", e.phiMoves(from, to), to.Index)
}

// emitWrapper defines a C function of the given parameters whose body is
// one call (made by call, given where its result goes): the method
// wrappers of interfaces and the func values of modelled functions.
func (tr *translator) emitWrapper(name string, params []string, ret string, fn *ssa.Function,
	call func(e *funcEmitter, result string) string) {
	e := &funcEmitter{tr: tr, fn: fn, pos: fn.Pos(), out: new(bytes.Buffer)}
	result := ""
	if ret != "void" {
		result = "cf_r"
	}
	code := call(e, result)
	var b bytes.Buffer
	fmt.Fprintf(&b, "static %s %s(%s) {\n", ret, name, strings.Join(params, ", "))
	if ret != "void" {
		fmt.Fprintf(&b, "    %s cf_r;\n    %s\n    return cf_r;\n}\n", ret, code)
	} else {
		fmt.Fprintf(&b, "    %s\n}\n", code)
	}
	fmt.Fprintf(&tr.protos, "static %s %s(%s);\n", ret, name, strings.Join(params, ", "))
	tr.bodies.Write(b.Bytes())
}
