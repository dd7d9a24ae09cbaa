package main

import (
	"fmt"
	"go/constant"
	"go/types"
	"math"
	"strconv"

	"golang.org/x/tools/go/ssa"
)

// zero is the C zero value of t.
func (tr *translator) zero(t types.Type) string {
	c := tr.types.ctype(t)
	switch t.Underlying().(type) {
	case *types.Basic:
		if isString(t) {
			return "((gort_string){0})"
		}
		if c == "void *" {
			return "NULL"
		}
		return "((" + c + ")0)"
	case *types.Pointer, *types.Chan, *types.Map:
		return "((" + c + ")NULL)" // typed: &((T *)NULL)->f0 must compile
	}
	return "((" + c + "){})"
}

// constExpr is the C expression of a constant.
func (tr *translator) constExpr(c *ssa.Const) string {
	t := c.Type()
	if c.Value == nil {
		return tr.zero(t)
	}
	if isInterface(t) {
		// A non-nil constant of interface type does not occur in SSA
		// (MakeInterface wraps it); nil does, handled above.
		return tr.zero(t)
	}
	switch c.Value.Kind() {
	case constant.Bool:
		if constant.BoolVal(c.Value) {
			return "true"
		}
		return "false"
	case constant.String:
		return tr.stringLit(constant.StringVal(c.Value))
	case constant.Int:
		if isComplex(t) {
			f, _ := constant.Float64Val(c.Value)
			return fmt.Sprintf("((%s)__builtin_complex(%s, 0.0))", tr.types.ctype(t), strconv.FormatFloat(f, 'x', -1, 64))
		}
		if isFloat(t) {
			f, _ := constant.Float64Val(c.Value)
			return floatLit(f, t)
		}
		ct := tr.types.ctype(t)
		if isSigned(t) {
			v, exact := constant.Int64Val(c.Value)
			if !exact {
				panic("signed constant overflows int64")
			}
			if v == math.MinInt64 {
				return "((int64_t)INT64_MIN)"
			}
			return fmt.Sprintf("((%s)INT64_C(%d))", ct, v)
		}
		v, exact := constant.Uint64Val(c.Value)
		if !exact {
			panic("unsigned constant overflows uint64")
		}
		if ct == "void *" {
			return fmt.Sprintf("((void *)UINT64_C(%d))", v)
		}
		return fmt.Sprintf("((%s)UINT64_C(%d))", ct, v)
	case constant.Complex:
		re, _ := constant.Float64Val(constant.Real(c.Value))
		im, _ := constant.Float64Val(constant.Imag(c.Value))
		return fmt.Sprintf("((%s)__builtin_complex(%s, %s))", tr.types.ctype(t),
			strconv.FormatFloat(re, 'x', -1, 64), strconv.FormatFloat(im, 'x', -1, 64))
	case constant.Float:
		if isComplex(t) {
			f, _ := constant.Float64Val(c.Value)
			return fmt.Sprintf("((%s)__builtin_complex(%s, 0.0))", tr.types.ctype(t), strconv.FormatFloat(f, 'x', -1, 64))
		}
		if isInteger(t) {
			v, _ := constant.Int64Val(constant.ToInt(c.Value))
			return fmt.Sprintf("((%s)INT64_C(%d))", tr.types.ctype(t), v)
		}
		f, _ := constant.Float64Val(c.Value)
		return floatLit(f, t)
	}
	panic(fmt.Sprintf("constant %s of kind %v", c, c.Value.Kind()))
}

func floatLit(f float64, t types.Type) string {
	s := strconv.FormatFloat(f, 'x', -1, 64)
	if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Float32 {
		return "((float)" + s + ")"
	}
	return "((double)" + s + ")"
}

// stringLit is a gort_string for a Go string constant.
func (tr *translator) stringLit(s string) string {
	if s == "" {
		return "((gort_string){0})"
	}
	return "GORT_STR(" + cString(s) + ")"
}

func constantInt64(c *ssa.Const) (int64, bool) {
	if c.Value.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(c.Value)
}
