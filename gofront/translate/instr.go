package main

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

func (e *funcEmitter) instr(in ssa.Instruction) {
	tr := e.tr
	switch in := in.(type) {
	case *ssa.DebugRef:
	case *ssa.Phi:
		// assigned on the edges (phiMoves)
	case *ssa.Jump:
		e.line("%s", e.jump(in.Block(), in.Block().Succs[0]))
	case *ssa.If:
		b := in.Block()
		e.line("if (%s) { %s } else { %s }", e.val(in.Cond), e.jump(b, b.Succs[0]), e.jump(b, b.Succs[1]))
	case *ssa.Return:
		e.ret(in)
	case *ssa.Panic:
		e.line("gort_panic(%s, %s);", e.site(), e.val(in.X))
	case *ssa.RunDefers:
		e.line("go_run_defers_at(%s);", e.site())
	case *ssa.Alloc:
		ct := tr.types.ctype(deref(in.Type()))
		if in.Heap {
			e.line("%s = (%s *)go_alloc_at(%s, sizeof(%s) ? sizeof(%s) : 1);", e.def(in), ct,
				e.siteAt(in.Pos()), ct, ct)
		} else {
			store := "a_" + in.Name()
			if e.inFrame[in] {
				store = "fr->a_" + in.Name()
			}
			e.line("memset(&%s, 0, sizeof %s); %s = &%s;", store, store, e.def(in), store)
		}
		if si := tr.staticInits[in]; si != nil {
			e.line("memcpy(%s, &%s, sizeof %s);", e.def(in), si.name, si.name)
		}
	case *ssa.Store:
		e.nilCheck(in.Addr)
		e.line("*%s = %s;", e.val(in.Addr), e.val(in.Val))
	case *ssa.UnOp:
		e.unop(in)
	case *ssa.BinOp:
		e.line("%s = %s;", e.def(in), e.binop(in.Op, in.X, in.Y, in.X.Type()))
	case *ssa.Convert:
		e.line("%s = %s;", e.def(in), e.convert(in.X, in.Type()))
	case *ssa.ChangeType:
		e.line("%s = %s;", e.def(in), e.retype(in.X, in.Type()))
	case *ssa.MakeInterface:
		e.line("%s = %s;", e.def(in), e.makeInterface(in.X, in.Type()))
	case *ssa.ChangeInterface:
		e.line("%s = gort_iface_convert(%s, %s);", e.def(in), e.val(in.X), tr.descs.ref(in.Type()))
	case *ssa.TypeAssert:
		e.typeAssert(in)
	case *ssa.Extract:
		e.line("%s = %s.r%d;", e.def(in), e.val(in.Tuple), in.Index)
	case *ssa.Field:
		e.line("%s = %s.%s;", e.def(in), e.val(in.X), fieldName(in.X.Type(), in.Field))
	case *ssa.FieldAddr:
		e.nilCheck(in.X)
		if isOpaque(deref(in.X.Type()), tr) {
			// t.common of a *testing.T: the model's test is both.
			e.line("%s = (%s)%s;", e.def(in), tr.types.ctype(in.Type()), e.val(in.X))
			return
		}
		e.line("%s = &%s->%s;", e.def(in), e.val(in.X), fieldName(deref(in.X.Type()), in.Field))
	case *ssa.Index:
		e.index(in)
	case *ssa.IndexAddr:
		e.indexAddr(in)
	case *ssa.Slice:
		e.slice(in)
	case *ssa.SliceToArrayPointer:
		at := deref(in.Type()).Underlying().(*types.Array)
		e.line("if (%s.len < %d) gort_panic_runtime(%s, \"cannot convert slice to array pointer: length too short\");",
			e.val(in.X), at.Len(), e.site())
		e.line("%s = (%s)%s.ptr;", e.def(in), tr.types.ctype(in.Type()), e.val(in.X))
	case *ssa.MakeSlice:
		elem := in.Type().Underlying().(*types.Slice).Elem()
		e.line("%s = gort_slice_make(%s, sizeof(%s), (gort_int)%s, (gort_int)%s);", e.def(in),
			e.site(), tr.types.ctype(elem), e.val(in.Len), e.val(in.Cap))
	case *ssa.MakeMap:
		hint := "0"
		if in.Reserve != nil {
			hint = "(gort_int)" + e.val(in.Reserve)
		}
		e.line("%s = gort_map_make(%s, %s, %s);", e.def(in), e.site(), tr.descs.ref(in.Type()), hint)
	case *ssa.MakeChan:
		e.line("%s = go_make_chan_at(%s, (size_t)%s);", e.def(in), e.siteAt(in.Pos()), e.val(in.Size))
	case *ssa.MakeClosure:
		e.makeClosure(in)
	case *ssa.Lookup:
		e.lookup(in)
	case *ssa.MapUpdate:
		mt := in.Map.Type().Underlying().(*types.Map)
		k, v := tr.fresh("key"), tr.fresh("val")
		e.line("{ %s %s = %s; %s %s = %s; gort_map_set(%s, %s, &%s, &%s); }",
			tr.types.ctype(mt.Key()), k, e.val(in.Key), tr.types.ctype(mt.Elem()), v, e.val(in.Value),
			e.site(), e.val(in.Map), k, v)
	case *ssa.Range:
		if isString(in.X.Type()) {
			e.line("%s.s = %s; %s.i = 0;", e.def(in), e.val(in.X), e.def(in))
		} else {
			e.line("gort_map_iter_init(%s, &%s, %s);", e.site(), e.def(in), e.val(in.X))
		}
	case *ssa.Next:
		e.next(in)
	case *ssa.Call:
		e.call(in.Common(), in, in.Pos())
	case *ssa.Go:
		e.goOrDefer(in.Common(), in.Pos(), false)
	case *ssa.Defer:
		e.goOrDefer(in.Common(), in.Pos(), true)
	case *ssa.Send:
		e.line("go_send_at(%s, %s, %s);", e.siteAt(in.Pos()), e.val(in.Chan),
			e.toWord(in.X.Type(), e.val(in.X)))
	case *ssa.Select:
		e.selectInstr(in)
	default:
		tr.unsupported(in.Pos(), fmt.Sprintf("SSA instruction %T", in), "")
	}
}

func (e *funcEmitter) ret(in *ssa.Return) {
	var value string
	switch len(in.Results) {
	case 0:
	case 1:
		value = e.val(in.Results[0])
	default:
		ct := e.tr.resultType(e.fn.Signature)
		value = "((" + ct + "){"
		for i, r := range in.Results {
			if i > 0 {
				value += ", "
			}
			value += e.val(r)
		}
		value += "})"
	}
	switch {
	case e.inWrapper || !e.framed:
		if value == "" {
			e.line("return;")
		} else {
			e.line("return %s;", value)
		}
	default:
		if value != "" {
			e.line("fr->result = %s;", value)
		}
		e.line("fr->returned = true; return;")
	}
}

// nilCheck panics as Go does when a pointer operand may be nil; addresses
// SSA made itself (locals, fields, elements, globals) never are.
func (e *funcEmitter) nilCheck(p ssa.Value) {
	switch p.(type) {
	case *ssa.Alloc, *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Global:
		return // never nil: SSA made them
	}
	e.line("gort_check_nil(%s, %s);", e.site(), e.val(p))
}

func (e *funcEmitter) unop(in *ssa.UnOp) {
	tr := e.tr
	x := e.val(in.X)
	switch in.Op {
	case token.NOT:
		e.line("%s = !%s;", e.def(in), x)
	case token.SUB:
		if isInteger(in.Type()) {
			e.line("%s = (%s)((%s)0 - (%s)%s);", e.def(in), tr.types.ctype(in.Type()), unsignedC(in.Type()), unsignedC(in.Type()), x)
		} else {
			e.line("%s = -%s;", e.def(in), x)
		}
	case token.XOR:
		e.line("%s = (%s)~%s;", e.def(in), tr.types.ctype(in.Type()), x)
	case token.MUL:
		e.nilCheck(in.X)
		e.line("%s = *%s;", e.def(in), x)
	case token.ARROW:
		elem := in.X.Type().Underlying().(*types.Chan).Elem()
		site := e.siteAt(in.Pos())
		if in.CommaOk {
			w, ok := tr.fresh("w"), tr.fresh("ok")
			e.line("{ bool %s; go_word %s = go_recv_at(%s, %s, &%s); %s.r0 = %s; %s.r1 = %s; }",
				ok, w, site, x, ok, e.def(in), e.fromWord(elem, w), e.def(in), ok)
		} else {
			w := tr.fresh("w")
			e.line("{ go_word %s = go_recv_at(%s, %s, NULL); %s = %s; }", w, site, x, e.def(in), e.fromWord(elem, w))
		}
	default:
		tr.unsupported(in.Pos(), "unary operator "+in.Op.String(), "")
	}
}

// binop is the C expression of x op y for operands of type t.
func (e *funcEmitter) binop(op token.Token, x, y ssa.Value, t types.Type) string {
	tr := e.tr
	a, b := e.val(x), e.val(y)
	if isComplex(t) {
		switch op {
		case token.EQL:
			return fmt.Sprintf("(%s == %s)", a, b)
		case token.NEQ:
			return fmt.Sprintf("(%s != %s)", a, b)
		}
		return fmt.Sprintf("(%s %s %s)", a, op, b) // C99 complex: Go's + - * /
	}
	switch op {
	case token.EQL, token.NEQ:
		eq := e.equal(a, b, t)
		if op == token.NEQ {
			return "!(" + eq + ")"
		}
		return eq
	case token.LSS, token.LEQ, token.GTR, token.GEQ:
		if isString(t) {
			return fmt.Sprintf("(gort_string_compare(%s, %s) %s 0)", a, b, op)
		}
		return fmt.Sprintf("(%s %s %s)", a, op, b)
	case token.ADD:
		if isString(t) {
			return fmt.Sprintf("gort_string_concat(%s, %s, %s)", e.site(), a, b)
		}
	case token.SHL, token.SHR:
		ct := tr.types.ctype(t)
		count := "(uint64_t)" + b
		if isSigned(y.Type()) {
			count = fmt.Sprintf("(%s < 0 ? (cf_negative_shift(%s), 0) : (uint64_t)%s)", b, e.site(), b)
		}
		fn := "shl"
		if op == token.SHR {
			fn = "shr"
		}
		return fmt.Sprintf("cf_%s_%s(%s, %s)", fn, ct, a, count)
	case token.QUO, token.REM:
		if isInteger(t) {
			fn := "div"
			if op == token.REM {
				fn = "rem"
			}
			return fmt.Sprintf("cf_%s_%s(%s, %s, %s)", fn, tr.types.ctype(t), e.site(), a, b)
		}
		return fmt.Sprintf("(%s / %s)", a, b)
	case token.AND_NOT:
		return fmt.Sprintf("((%s)(%s & ~%s))", tr.types.ctype(t), a, b)
	}
	cop := op.String()
	if isInteger(t) {
		// Go's integers wrap; C's signed ones must not overflow.
		u := unsignedC(t)
		return fmt.Sprintf("((%s)((%s)%s %s (%s)%s))", tr.types.ctype(t), u, a, cop, u, b)
	}
	return fmt.Sprintf("(%s %s %s)", a, cop, b)
}

// equal is a == b for values of type t.
func (e *funcEmitter) equal(a, b string, t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if isString(t) {
			return fmt.Sprintf("gort_string_equal(%s, %s)", a, b)
		}
		return fmt.Sprintf("(%s == %s)", a, b)
	case *types.Interface:
		return fmt.Sprintf("gort_iface_equal(%s, %s, %s)", e.site(), a, b)
	case *types.Pointer, *types.Chan, *types.Map:
		return fmt.Sprintf("((void *)%s == (void *)%s)", a, b)
	case *types.Signature:
		return fmt.Sprintf("(%s.fn == %s.fn)", a, b) // only against nil
	case *types.Slice:
		return fmt.Sprintf("(%s.ptr == %s.ptr)", a, b) // only against nil
	case *types.Struct, *types.Array:
		ct := e.tr.types.ctype(t)
		x, y := e.tr.fresh("eqa"), e.tr.fresh("eqb")
		_ = u
		return fmt.Sprintf("(__extension__({ %s %s = %s, %s = %s; gort_equal(%s, %s, &%s, &%s); }))",
			ct, x, a, y, b, e.site(), e.tr.descs.ref(t), x, y)
	}
	e.tr.unsupported(e.pos, "comparison of "+t.String(), "")
	return "0"
}

// convert is the C expression of T(x) for a Convert instruction.
func (e *funcEmitter) convert(x ssa.Value, to types.Type) string {
	tr := e.tr
	from := x.Type()
	v := e.val(x)
	ct := tr.types.ctype(to)
	switch {
	case isString(to) && isInteger(from):
		return fmt.Sprintf("gort_string_from_rune(%s, (int32_t)%s)", e.site(), v)
	case isString(to):
		if el := sliceElem(from); el != nil {
			if isByte(el) {
				return fmt.Sprintf("gort_string_from_bytes(%s, %s)", e.site(), v)
			}
			return fmt.Sprintf("gort_string_from_runes(%s, %s)", e.site(), v)
		}
		return v
	case isString(from):
		if el := sliceElem(to); el != nil {
			if isByte(el) {
				return fmt.Sprintf("gort_bytes_from_string(%s, %s)", e.site(), v)
			}
			return fmt.Sprintf("gort_runes_from_string(%s, %s)", e.site(), v)
		}
	}
	if ct == "void *" || tr.types.ctype(from) == "void *" {
		return fmt.Sprintf("((%s)(uintptr_t)%s)", ct, v)
	}
	if _, ok := to.Underlying().(*types.Pointer); ok {
		return fmt.Sprintf("((%s)%s)", ct, v)
	}
	return fmt.Sprintf("((%s)%s)", ct, v)
}

func sliceElem(t types.Type) types.Type {
	if s, ok := t.Underlying().(*types.Slice); ok {
		return s.Elem()
	}
	return nil
}

func isByte(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Uint8
}

// retype is a ChangeType: the same C type, except between struct types
// identical but for tags, which C names apart.
func (e *funcEmitter) retype(x ssa.Value, to types.Type) string {
	from, toC := e.tr.types.ctype(x.Type()), e.tr.types.ctype(to)
	if from == toC {
		return e.val(x)
	}
	switch to.Underlying().(type) {
	case *types.Pointer:
		return fmt.Sprintf("((%s)%s)", toC, e.val(x))
	}
	return fmt.Sprintf("CF_RETYPE(%s, %s)", toC, e.val(x))
}

func (e *funcEmitter) makeInterface(x ssa.Value, iface types.Type) string {
	tr := e.tr
	itab := tr.descs.itab(x.Type(), iface)
	tmp := tr.fresh("mi")
	return fmt.Sprintf("(__extension__({ %s %s = %s; gort_iface_make(%s, %s, &%s); }))",
		tr.types.ctype(x.Type()), tmp, e.val(x), e.site(), itab, tmp)
}

func (e *funcEmitter) typeAssert(in *ssa.TypeAssert) {
	tr := e.tr
	site := e.siteAt(in.Pos())
	must := "true"
	if in.CommaOk {
		must = "false"
	}
	if isInterface(in.AssertedType) {
		if in.CommaOk {
			e.line("%s.r1 = gort_assert_iface(%s, %s, %s, &%s.r0, false);", e.def(in), site, e.val(in.X),
				tr.descs.ref(in.AssertedType), e.def(in))
		} else {
			e.line("gort_assert_iface(%s, %s, %s, &%s, true);", site, e.val(in.X), tr.descs.ref(in.AssertedType), e.def(in))
		}
		return
	}
	from := tr.descs.ref(in.X.Type())
	if in.CommaOk {
		e.line("%s.r1 = gort_assert_type(%s, %s, %s, &%s.r0, %s, %s);", e.def(in), site, e.val(in.X),
			tr.descs.ref(in.AssertedType), e.def(in), must, from)
	} else {
		e.line("gort_assert_type(%s, %s, %s, &%s, %s, %s);", site, e.val(in.X), tr.descs.ref(in.AssertedType),
			e.def(in), must, from)
	}
}

func (e *funcEmitter) index(in *ssa.Index) {
	x, i := e.val(in.X), e.val(in.Index)
	switch u := in.X.Type().Underlying().(type) {
	case *types.Basic:
		e.line("%s = gort_string_index(%s, %s, (gort_int)%s);", e.def(in), e.site(), x, i)
	case *types.Array:
		e.line("gort_check_index(%s, (gort_int)%s, %d); %s = %s.a[%s];", e.site(), i, u.Len(), e.def(in), x, i)
	default:
		e.tr.unsupported(in.Pos(), "index of "+in.X.Type().String(), "")
	}
}

func (e *funcEmitter) indexAddr(in *ssa.IndexAddr) {
	x, i := e.val(in.X), e.val(in.Index)
	switch u := in.X.Type().Underlying().(type) {
	case *types.Slice:
		e.line("gort_check_index(%s, (gort_int)%s, %s.len); %s = &((%s *)%s.ptr)[%s];", e.site(), i, x,
			e.def(in), e.tr.types.ctype(u.Elem()), x, i)
	case *types.Pointer:
		at := u.Elem().Underlying().(*types.Array)
		e.nilCheck(in.X)
		if k, ok := in.Index.(*ssa.Const); ok {
			if n, exact := constInt(k); exact && n >= 0 && n < at.Len() {
				e.line("%s = &%s->a[%s];", e.def(in), x, i) // in range: checked here
				return
			}
		}
		e.line("gort_check_index(%s, (gort_int)%s, %d); %s = &%s->a[%s];", e.site(), i, at.Len(), e.def(in), x, i)
	default:
		e.tr.unsupported(in.Pos(), "index of "+in.X.Type().String(), "")
	}
}

func (e *funcEmitter) slice(in *ssa.Slice) {
	tr := e.tr
	x := e.val(in.X)
	opt := func(v ssa.Value, absent string) string {
		if v == nil {
			return absent
		}
		return "(gort_int)" + e.val(v)
	}
	switch u := in.X.Type().Underlying().(type) {
	case *types.Basic:
		e.line("%s = gort_string_slice(%s, %s, %s, %s);", e.def(in), e.site(), x, opt(in.Low, "0"), opt(in.High, x+".len"))
	case *types.Slice:
		e.line("%s = gort_slice_slice(%s, %s.ptr, %s.len, %s.cap, sizeof(%s), %s, %s, %s);", e.def(in), e.site(),
			x, x, x, tr.types.ctype(u.Elem()), opt(in.Low, "0"), opt(in.High, x+".len"), opt(in.Max, "-1"))
	case *types.Pointer:
		at := u.Elem().Underlying().(*types.Array)
		e.nilCheck(in.X)
		n := fmt.Sprint(at.Len())
		e.line("%s = gort_slice_slice(%s, (void *)%s, %s, %s, sizeof(%s), %s, %s, %s);", e.def(in), e.site(),
			x, n, n, tr.types.ctype(at.Elem()), opt(in.Low, "0"), opt(in.High, n), opt(in.Max, "-1"))
	default:
		tr.unsupported(in.Pos(), "slice of "+in.X.Type().String(), "")
	}
}

func (e *funcEmitter) lookup(in *ssa.Lookup) {
	tr := e.tr
	if isString(in.X.Type()) {
		if in.CommaOk {
			tr.unsupported(in.Pos(), "comma-ok string index", "")
		}
		e.line("%s = gort_string_index(%s, %s, (gort_int)%s);", e.def(in), e.site(), e.val(in.X), e.val(in.Index))
		return
	}
	mt := in.X.Type().Underlying().(*types.Map)
	k := tr.fresh("key")
	// Zeroed first: a nil map's read leaves the value as it is.
	if in.CommaOk {
		e.line("{ %s %s = %s; %s.r0 = %s; %s.r1 = gort_map_get(%s, %s, &%s, &%s.r0); }", tr.types.ctype(mt.Key()), k,
			e.val(in.Index), e.def(in), tr.zero(mt.Elem()), e.def(in), e.site(), e.val(in.X), k, e.def(in))
	} else {
		e.line("{ %s %s = %s; %s = %s; gort_map_get(%s, %s, &%s, &%s); }", tr.types.ctype(mt.Key()), k,
			e.val(in.Index), e.def(in), tr.zero(mt.Elem()), e.site(), e.val(in.X), k, e.def(in))
	}
}

func (e *funcEmitter) next(in *ssa.Next) {
	it := e.val(in.Iter)
	if in.IsString {
		r := e.tr.fresh("rune")
		e.line("if (%s.i < %s.s.len) { int32_t %s; %s.r1 = %s.i; %s.i = gort_string_decode_rune(%s.s, %s.i, &%s); %s.r0 = true; %s.r2 = %s; } else { %s.r0 = false; }",
			it, it, r, e.def(in), it, it, it, it, r, e.def(in), e.def(in), r, e.def(in))
		return
	}
	tt := in.Type().(*types.Tuple)
	key, val := "NULL", "NULL"
	if !isBlankType(tt.At(1).Type()) {
		key = "&" + e.def(in) + ".r1"
	}
	if !isBlankType(tt.At(2).Type()) {
		val = "&" + e.def(in) + ".r2"
	}
	e.line("%s.r0 = gort_map_iter_next(&%s, %s, %s);", e.def(in), it, key, val)
}

// isBlankType: SSA types an unused range variable as invalid.
func isBlankType(t types.Type) bool {
	b, ok := t.(*types.Basic)
	return ok && b.Kind() == types.Invalid
}
