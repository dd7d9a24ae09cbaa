package main

import (
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// call emits a Call instruction.
func (e *funcEmitter) call(c *ssa.CallCommon, v ssa.Value, pos token.Pos) {
	result := ""
	if v != nil && v.Name() != "" {
		if t, ok := v.Type().(*types.Tuple); !ok || t.Len() > 0 {
			result = e.def(v)
		}
	}
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		args[i] = e.val(a)
	}
	fval := ""
	if c.Value != nil {
		if _, isFn := c.Value.(*ssa.Function); !isFn {
			if _, isB := c.Value.(*ssa.Builtin); !isB {
				fval = e.val(c.Value)
			}
		}
	}
	e.line("%s", e.callCode(c, args, fval, result, pos))
}

// assign prefixes a call expression with the result's assignment.
func assign(result, expr string) string {
	if result == "" {
		return expr + ";"
	}
	return result + " = " + expr + ";"
}

// callCode is the C for the call c with its arguments as C expressions;
// fval is the func value (dynamic calls) or the receiver interface
// (invoke). result is where the value goes ("" for none).
func (e *funcEmitter) callCode(c *ssa.CallCommon, args []string, fval, result string, pos token.Pos) string {
	tr := e.tr
	if pos.IsValid() {
		e.pos = pos
	}
	site := e.site()
	if c.IsInvoke() {
		iface := c.Value.Type().Underlying().(*types.Interface)
		tr.descs.noteInterface(iface)
		k := indexOf(sortedMethodNames(iface), c.Method.Name())
		sig := c.Method.Type().(*types.Signature)
		tmp := tr.fresh("recv")
		call := fmt.Sprintf("((%s)%s.tab->fns[%d])(%s)", tr.funcPtrType(withoutRecv(sig), "void *"), tmp, k,
			strings.Join(append([]string{tmp + ".data"}, args...), ", "))
		return fmt.Sprintf("{ gort_iface %s = %s; gort_check_nil(%s, %s.tab); %s }", tmp, fval, site, tmp, assign(result, call))
	}
	switch callee := c.Value.(type) {
	case *ssa.Builtin:
		return e.builtin(callee, c, args, result)
	case *ssa.Function:
		if isModelledInit(callee) {
			return "/* " + callee.String() + ": modelled */"
		}
		if code, ok := tr.modelCall(e, callee, args, result); ok {
			return code
		}
		if callee.Blocks == nil {
			tr.unsupported(pos, "call to "+callee.String(), "a function without a Go body, and chanfuzz has no model of it")
			return "gort_panic_runtime(" + site + ", \"unsupported call\");"
		}
		return assign(result, fmt.Sprintf("%s(%s)", tr.funcName(callee), strings.Join(append([]string{"NULL"}, args...), ", ")))
	}
	// A func value: fn(env, args...).
	sig := c.Value.Type().Underlying().(*types.Signature)
	tmp := tr.fresh("fv")
	call := fmt.Sprintf("((%s)%s.fn)(%s)", tr.funcPtrType(sig, "void *"), tmp,
		strings.Join(append([]string{tmp + ".env"}, args...), ", "))
	return fmt.Sprintf("{ gort_func %s = %s; gort_check_nil(%s, %s.fn); %s }", tmp, fval, site, tmp, assign(result, call))
}

func withoutRecv(sig *types.Signature) *types.Signature {
	return types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	panic("method " + s + " not in its interface")
}

func (e *funcEmitter) builtin(b *ssa.Builtin, c *ssa.CallCommon, args []string, result string) string {
	tr := e.tr
	site := e.site()
	arg0 := func() types.Type { return c.Args[0].Type() }
	switch b.Name() {
	case "len", "cap":
		switch u := arg0().Underlying().(type) {
		case *types.Basic:
			return assign(result, "(int64_t)"+args[0]+".len")
		case *types.Slice:
			return assign(result, "(int64_t)"+args[0]+"."+b.Name())
		case *types.Array:
			return assign(result, fmt.Sprintf("(int64_t)%d", u.Len()))
		case *types.Pointer:
			return assign(result, fmt.Sprintf("(int64_t)%d", u.Elem().Underlying().(*types.Array).Len()))
		case *types.Map:
			return assign(result, "gort_map_len("+args[0]+")")
		case *types.Chan:
			return assign(result, fmt.Sprintf("(int64_t)go_%s(%s)", b.Name(), args[0]))
		}
	case "append":
		elem := arg0().Underlying().(*types.Slice).Elem()
		if len(args) == 1 {
			return assign(result, args[0])
		}
		tmp := tr.fresh("more")
		return fmt.Sprintf("{ __typeof__(%s) %s = %s; %s }", args[1], tmp, args[1],
			assign(result, fmt.Sprintf("gort_slice_append(%s, %s, sizeof(%s), %s.ptr, %s.len)", site, args[0],
				tr.types.ctype(elem), tmp, tmp)))
	case "copy":
		elem := arg0().Underlying().(*types.Slice).Elem()
		src := args[1]
		if isString(c.Args[1].Type()) {
			tmp := tr.fresh("src")
			return fmt.Sprintf("{ gort_string %s = %s; %s }", tmp, src, assign(result,
				fmt.Sprintf("gort_slice_copy(%s, (gort_slice){(void *)%s.ptr, %s.len, %s.len}, sizeof(%s))",
					args[0], tmp, tmp, tmp, tr.types.ctype(elem))))
		}
		return assign(result, fmt.Sprintf("gort_slice_copy(%s, %s, sizeof(%s))", args[0], src, tr.types.ctype(elem)))
	case "delete":
		mt := arg0().Underlying().(*types.Map)
		k := tr.fresh("key")
		return fmt.Sprintf("{ %s %s = %s; gort_map_delete(%s, %s, &%s); }", tr.types.ctype(mt.Key()), k, args[1], site, args[0], k)
	case "close":
		return fmt.Sprintf("go_close_at(%s, %s);", site, args[0])
	case "recover":
		// Go: only when called by the deferred function itself.
		fn := "gort_recover"
		if e.framed {
			fn = "gort_recover_framed"
		}
		return assign(result, fmt.Sprintf("(cf_direct ? %s(%s) : (gort_iface){0})", fn, site))
	case "ssa:wrapnilchk":
		return fmt.Sprintf("gort_check_nil(%s, %s); %s", site, args[0], assign(result, args[0]))
	case "real", "imag":
		fn := "creal"
		if b.Name() == "imag" {
			fn = "cimag"
		}
		return assign(result, fmt.Sprintf("%s(%s)", fn, args[0]))
	case "complex":
		return assign(result, fmt.Sprintf("__builtin_complex((double)%s, (double)%s)", args[0], args[1]))
	case "print", "println":
		return e.printBuiltin(c, args, b.Name() == "println")
	}
	tr.unsupported(e.pos, "builtin "+b.Name(), "")
	return ";"
}

// printBuiltin: print/println write to the execution's captured output,
// formatted as fmt.Sprint(ln) would (close to the runtime's own print).
func (e *funcEmitter) printBuiltin(c *ssa.CallCommon, args []string, ln bool) string {
	tr := e.tr
	any := types.NewInterfaceType(nil, nil)
	var elems []string
	for i, a := range c.Args {
		tmp := tr.fresh("pa")
		elems = append(elems, fmt.Sprintf("(__extension__({ %s %s = %s; gort_iface_make(%s, %s, &%s); }))",
			tr.types.ctype(a.Type()), tmp, args[i], e.site(), tr.descs.itab(a.Type(), any), tmp))
	}
	fn := "gort_fmt_sprint"
	if ln {
		fn = "gort_fmt_sprintln"
	}
	if len(elems) == 0 {
		elems = append(elems, "(gort_iface){0}")
		if !ln {
			return ";"
		}
		return "gort_output_append(GORT_STR(\"\\n\"));"
	}
	return fmt.Sprintf("{ gort_iface cf_pargs[] = {%s}; gort_output_append(%s(%s, (gort_slice){cf_pargs, %d, %d})); }",
		strings.Join(elems, ", "), fn, e.site(), len(elems), len(elems))
}

// goOrDefer: the arguments are evaluated now into a thunk (a model object,
// so the object graph sees what the goroutine or deferred call keeps
// alive); a trampoline makes the call when the goroutine runs or the
// deferred call is due.
func (e *funcEmitter) goOrDefer(c *ssa.CallCommon, pos token.Pos, isDefer bool) {
	tr := e.tr
	e.pos = pos
	site := tr.site(pos, e.fn)
	name := tr.fresh("thunk")
	var fields, inits []string
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		fields = append(fields, fmt.Sprintf("%s a%d;", e.valueCType(a), i))
		inits = append(inits, fmt.Sprintf("cf_t->a%d = %s;", i, e.val(a)))
		args[i] = fmt.Sprintf("cf_t->a%d", i)
	}
	fval := ""
	goName := "func"
	switch v := c.Value.(type) {
	case *ssa.Function:
		goName = goFuncName(v)
	case *ssa.Builtin:
		goName = v.Name()
	default:
		if mc, ok := v.(*ssa.MakeClosure); ok {
			goName = goFuncName(mc.Fn.(*ssa.Function))
		}
		ct := "gort_func"
		if c.IsInvoke() {
			ct = "gort_iface"
			goName = c.Method.Name()
		}
		fields = append(fields, ct+" fv;")
		inits = append(inits, fmt.Sprintf("cf_t->fv = %s;", e.val(c.Value)))
		fval = "cf_t->fv"
	}
	// The trampoline's code is generated with this emitter (sites stay the
	// go or defer statement's) into a buffer of its own.
	saved := e.out
	var tramp strings.Builder
	buf := new(bytes.Buffer)
	e.out = buf
	code := e.callCode(c, args, fval, "", pos)
	e.out = saved
	if isDefer {
		// The deferred call is direct: its recover() may stop a panic.
		switch v := c.Value.(type) {
		case *ssa.Function:
			if callsRecover(v) {
				code = fmt.Sprintf("gort_deferred_fn = (void *)%s; %s", tr.funcName(v), code)
			}
		case *ssa.Builtin:
		default:
			if !c.IsInvoke() {
				code = "gort_deferred_fn = cf_t->fv.fn; " + code
			}
		}
	}
	fmt.Fprintf(&tramp, "struct %s { %s };\nstatic void %s_run(void *cf_arg) {\n    struct %s *cf_t = cf_arg;\n%s    %s\n}\n",
		name, strings.Join(append(fields, "char cf_nonempty;"), " "), name, name, buf.String(), code)
	tr.bodies.WriteString(tramp.String())
	e.line("{ struct %s *cf_t = go_alloc_at(%s, sizeof(struct %s)); %s", name, site, name, strings.Join(inits, " "))
	if isDefer {
		e.line("  go_defer_at(%s, %s, %s_run, cf_t); }", site, cString(goName), name)
	} else {
		e.line("  go_go_at(%s, %s, %s_run, cf_t); }", site, cString(goName), name)
	}
}
