package main

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// typeTable names the C type of every Go type the program uses and emits
// their definitions in dependency order. A Go type's C type is its
// underlying type's: named types differ only in their descriptors.
//
//	bool, intN, uintN, floatN   the C scalar
//	string, []T, interface, func  gort_string, gort_slice, gort_iface, gort_func
//	*T, chan T, map, unsafe.Pointer   T*, go_chan *, gort_map *, void *
//	struct, [N]T, tuples        struct tN { ... } (arrays wrapped in a
//	                            struct so that they assign by value)
type typeTable struct {
	names    typeutil.Map // types.Type (underlying) -> string
	defs     []string     // struct definitions, in dependency order
	forwards []string
	next     int
	visiting typeutil.Map
	opaque   map[string]string // "testing.T" -> C name of an opaque struct
	tr       *translator
}

func newTypeTable(tr *translator) *typeTable {
	return &typeTable{tr: tr, opaque: map[string]string{
		"testing.T":      "gort_test",
		"testing.B":      "gort_test",
		"testing.common": "gort_test",
		"testing.M":      "gort_test",
		"testing.F":      "gort_test",
		"os.File":        "go_resource",
	}}
}

func namedKey(t types.Type) string {
	if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
		return n.Obj().Pkg().Path() + "." + n.Obj().Name()
	}
	return ""
}

// ctype is the C type of t, defining it first if it is a struct.
func (tt *typeTable) ctype(t types.Type) string {
	if k := namedKey(t); k != "" {
		if c, ok := tt.opaque[k]; ok {
			return c
		}
	}
	if isTimeTime(t) {
		return "gort_time" // gort.h mirrors its layout: the model makes Times
	}
	u := t.Underlying()
	switch u := u.(type) {
	case *types.Basic:
		return basicC(u)
	case *types.Pointer:
		if k := namedKey(u.Elem()); k != "" {
			if c, ok := tt.opaque[k]; ok {
				return c + " *"
			}
		}
		if isTimeTime(u.Elem()) {
			return "gort_time *"
		}
		if _, isStruct := u.Elem().Underlying().(*types.Struct); isStruct {
			// Through a forward declaration: a struct may point to itself.
			return tt.structName(u.Elem().Underlying(), true) + " *"
		}
		if _, isArray := u.Elem().Underlying().(*types.Array); isArray {
			return tt.structName(u.Elem().Underlying(), true) + " *"
		}
		return tt.ctype(u.Elem()) + " *"
	case *types.Slice:
		return "gort_slice"
	case *types.Interface:
		return "gort_iface"
	case *types.Signature:
		return "gort_func"
	case *types.Chan:
		return "go_chan *"
	case *types.Map:
		return "gort_map *"
	case *types.Struct, *types.Array, *types.Tuple:
		return tt.structName(u, false)
	case *types.TypeParam:
		panic(fmt.Sprintf("type parameter %s survived instantiation", u))
	}
	panic(fmt.Sprintf("no C type for %T %s", u, u))
}

// structName names an aggregate; unless forwardOnly it is also defined
// (after everything it contains by value).
func (tt *typeTable) structName(u types.Type, forwardOnly bool) string {
	if v := tt.names.At(u); v != nil {
		name := v.(string)
		if !forwardOnly {
			tt.define(u, name)
		}
		return name
	}
	tt.next++
	name := fmt.Sprintf("struct t%d", tt.next)
	tt.names.Set(u, name)
	tt.forwards = append(tt.forwards, name+";")
	if !forwardOnly {
		tt.define(u, name)
	}
	return name
}

// defineAll: every aggregate named only through a pointer so far gets its
// definition too (a field address through the pointer needs it).
func (tt *typeTable) defineAll() {
	for {
		var pending []types.Type
		tt.names.Iterate(func(t types.Type, _ interface{}) {
			if tt.visiting.At(t) == nil {
				pending = append(pending, t)
			}
		})
		if len(pending) == 0 {
			return
		}
		sort.Slice(pending, func(i, j int) bool {
			return tt.names.At(pending[i]).(string) < tt.names.At(pending[j]).(string)
		})
		for _, t := range pending {
			tt.define(t, tt.names.At(t).(string))
		}
	}
}

func (tt *typeTable) define(u types.Type, name string) {
	if tt.visiting.At(u) != nil {
		return
	}
	tt.visiting.Set(u, true)
	var b strings.Builder
	b.WriteString(name + " {")
	switch u := u.(type) {
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			fmt.Fprintf(&b, " %s f%d;", tt.ctype(u.Field(i).Type()), i)
		}
	case *types.Array:
		// A zero-length array is a flexible-less empty struct (GNU C:
		// size 0, as in Go).
		if u.Len() > 0 {
			fmt.Fprintf(&b, " %s a[%d];", tt.ctype(u.Elem()), u.Len())
		}
	case *types.Tuple:
		for i := 0; i < u.Len(); i++ {
			fmt.Fprintf(&b, " %s r%d;", tt.ctype(u.At(i).Type()), i)
		}
	}
	b.WriteString(" };")
	tt.defs = append(tt.defs, b.String())
}

func basicC(b *types.Basic) string {
	switch b.Kind() {
	case types.Bool, types.UntypedBool:
		return "bool"
	case types.Int, types.Int64, types.UntypedInt:
		return "int64_t"
	case types.Int8:
		return "int8_t"
	case types.Int16:
		return "int16_t"
	case types.Int32, types.UntypedRune:
		return "int32_t"
	case types.Uint, types.Uint64, types.Uintptr:
		return "uint64_t"
	case types.Uint8:
		return "uint8_t"
	case types.Uint16:
		return "uint16_t"
	case types.Uint32:
		return "uint32_t"
	case types.Float32:
		return "float"
	case types.Float64, types.UntypedFloat:
		return "double"
	case types.Complex64:
		return "float _Complex"
	case types.Complex128, types.UntypedComplex:
		return "double _Complex"
	case types.String, types.UntypedString:
		return "gort_string"
	case types.UnsafePointer:
		return "void *"
	case types.UntypedNil:
		return "void *"
	case types.Invalid:
		return "uint8_t" // a blank range variable: never read
	}
	panic(fmt.Sprintf("unsupported basic type %s", b))
}

// isSigned reports whether t is a signed integer type.
func isSigned(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0 && b.Info()&types.IsUnsigned == 0
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

func isFloat(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsFloat != 0
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isComplex(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsComplex != 0
}

func isInterface(t types.Type) bool {
	_, ok := t.Underlying().(*types.Interface)
	return ok
}

// unsignedC is the unsigned C type of the same width as an integer type.
func unsignedC(t types.Type) string {
	c := basicC(t.Underlying().(*types.Basic))
	if strings.HasPrefix(c, "uint") {
		return c
	}
	return strings.Replace(c, "int", "uint", 1)
}

// intBits is the width of an integer type.
func intBits(t types.Type) int {
	switch t.Underlying().(*types.Basic).Kind() {
	case types.Int8, types.Uint8:
		return 8
	case types.Int16, types.Uint16:
		return 16
	case types.Int32, types.Uint32, types.UntypedRune:
		return 32
	}
	return 64
}

// isDirect: an interface holds a value of this type as its data word.
func isDirect(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Chan, *types.Map:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	return false
}

// wordSized: the value fits a go_word as its bits (channel elements and
// closure bindings that need no box).
func (tt *typeTable) wordSized(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString == 0 && u.Kind() != types.Complex128
	case *types.Pointer, *types.Chan, *types.Map:
		return true
	case *types.Struct:
		return u.NumFields() == 0
	}
	return false
}

func sortedMethodNames(iface *types.Interface) []string {
	var names []string
	for i := 0; i < iface.NumMethods(); i++ {
		names = append(names, iface.Method(i).Name())
	}
	sort.Strings(names)
	return names
}

// fieldName is the C member of field i of struct type t: f<i>, except in
// the structs gort declares itself.
func fieldName(t types.Type, i int) string {
	if isTimeTime(t) {
		return []string{"wall", "ext", "loc"}[i]
	}
	return fmt.Sprintf("f%d", i)
}
