package main

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// isTimeTime: time.Time crosses a channel as its virtual nanoseconds, the
// word the model's timers send.
func isTimeTime(t types.Type) bool { return namedKey(t) == "time.Time" }

// toWord is the go_word carrying a value of type t (a channel element, a
// closure binding): its bits when it fits, else a box.
func (e *funcEmitter) toWord(t types.Type, v string) string {
	ct := e.tr.types.ctype(t)
	switch {
	case isTimeTime(t):
		return fmt.Sprintf("gort_time_word(%s)", v)
	case e.tr.types.wordSized(t):
		return fmt.Sprintf("CF_WORD_OF(%s, %s)", ct, v)
	}
	return fmt.Sprintf("CF_BOX(%s, %s, %s)", e.site(), ct, v)
}

func (e *funcEmitter) fromWord(t types.Type, w string) string {
	ct := e.tr.types.ctype(t)
	switch {
	case isTimeTime(t):
		return fmt.Sprintf("gort_time_from_word(%s)", w)
	case e.tr.types.wordSized(t):
		return fmt.Sprintf("CF_OF_WORD(%s, %s)", ct, w)
	}
	return fmt.Sprintf("CF_UNBOX(%s, %s)", ct, w)
}

// selectInstr: the cases into a go_case array, the decision in
// go_select_at, then the received value of the case that won.
func (e *funcEmitter) selectInstr(in *ssa.Select) {
	tr := e.tr
	n := len(in.States)
	site := e.siteAt(in.Pos())
	res := e.def(in)
	if n == 0 {
		if in.Blocking {
			e.line("go_select_at(%s, NULL, 0, false);", site)
		} else {
			e.line("%s.r0 = -1; %s.r1 = false;", res, res)
		}
		return
	}
	cases, words, oks := tr.fresh("cases"), tr.fresh("words"), tr.fresh("oks")
	var b strings.Builder
	fmt.Fprintf(&b, "{ go_case %s[%d]; go_word %s[%d] = {0}; bool %s[%d] = {0};", cases, n, words, n, oks, n)
	for i, st := range in.States {
		if st.Dir == types.SendOnly {
			elem := st.Chan.Type().Underlying().(*types.Chan).Elem()
			fmt.Fprintf(&b, " %s[%d] = go_case_send(%s, %s);", cases, i, e.val(st.Chan), e.toWord(elem, e.val(st.Send)))
		} else {
			fmt.Fprintf(&b, " %s[%d] = go_case_recv2(%s, &%s[%d], &%s[%d]);", cases, i, e.val(st.Chan), words, i, oks, i)
		}
	}
	fmt.Fprintf(&b, " %s.r0 = go_select_at(%s, %s, %d, %v);", res, site, cases, n, !in.Blocking)
	fmt.Fprintf(&b, " %s.r1 = %s.r0 >= 0 && %s[%s.r0];", res, res, oks, res)
	k := 0
	for i, st := range in.States {
		if st.Dir != types.RecvOnly {
			continue
		}
		elem := st.Chan.Type().Underlying().(*types.Chan).Elem()
		fmt.Fprintf(&b, " %s.r%d = %s.r0 == %d ? %s : %s;", res, 2+k, res, i,
			e.fromWord(elem, fmt.Sprintf("%s[%d]", words, i)), tr.zero(elem))
		k++
	}
	b.WriteString(" }")
	e.line("%s", b.String())
}

// makeClosure: a go_env of the bindings (the closure detector's object),
// paired with the function.
func (e *funcEmitter) makeClosure(in *ssa.MakeClosure) {
	tr := e.tr
	fn := in.Fn.(*ssa.Function)
	name := tr.funcName(fn)
	if len(in.Bindings) == 0 {
		e.line("%s = (gort_func){(void *)%s, NULL};", e.def(in), name)
		return
	}
	words := make([]string, len(in.Bindings))
	for i, b := range in.Bindings {
		words[i] = e.toWord(b.Type(), e.val(b))
	}
	// go/ssa gives a MakeClosure no position; the literal's func keyword
	// is where Go makes the closure.
	e.line("%s = (gort_func){(void *)%s, go_closure_at(%s, %d, (const go_word[]){%s})};", e.def(in), name,
		e.siteAt(fn.Pos()), len(words), strings.Join(words, ", "))
}
