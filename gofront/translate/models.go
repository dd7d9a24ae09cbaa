package main

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// The standard library, in three tiers:
//   - a model (this table): the call becomes runtime or gort code, for
//     everything concurrent (sync, time, context, runtime), testing, and
//     what Go implements with reflect or assembly (fmt, errors, sort.Slice);
//   - a modelled package's other functions are refused (hardModelled),
//     except in softModelled packages, whose pure-Go functions (Duration's
//     methods, atomic.Int64's) are translated from GOROOT;
//   - every other package is translated from its source.
var hardModelled = map[string]bool{
	"sync": true, "context": true, "testing": true, "fmt": true, "errors": true,
	"runtime": true, "math/rand": true, "os": true, "log": true, "reflect": true,
	"internal/reflectlite": true, "syscall": true, "unsafe": true, "net": true, "os/exec": true,
	"internal/bytealg": true, "internal/cpu": true, "internal/poll": true, "os/signal": true,
	"runtime/debug": true, "internal/testlog": true, "internal/race": true,
	"go.uber.org/goleak": true,
}

// unicode is soft: its init builds every Unicode table, which would cost
// each execution thousands of allocations; its classifiers are modelled
// (exact for Latin-1, refused beyond) and the rest translated.
var softModelled = map[string]bool{"time": true, "sync/atomic": true, "unicode": true}

// fromSource: functions of hard-modelled packages that are translated
// from GOROOT all the same: pure Go over what is modelled.
var fromSource = map[string]bool{
	"(*sync.RWMutex).RLocker": true, "(*sync.rlocker).Lock": true, "(*sync.rlocker).Unlock": true,
	"os.IsPathSeparator": true,
}

// fromSourceWithBody: packages whose functions with a Go body are
// translated, while those in assembly are modelled (internal/bytealg's
// Rabin-Karp search is Go, its IndexByte is assembly).
var fromSourceWithBody = map[string]bool{"internal/bytealg": true}

func translatedFromSource(fn *ssa.Function) bool {
	return fromSource[fn.String()] || (fromSourceWithBody[pkgPath(fn)] && fn.Blocks != nil)
}

// whyRefused says why a package has no translation.
var whyRefused = map[string]string{
	"reflect": "reflection has no model", "unsafe": "", "syscall": "system calls have no model",
	"net": "the network has no model yet", "os/exec": "processes have no model",
	"go.uber.org/goleak": "goleak inspects the real runtime's goroutines; chanfuzz judges every goroutine itself",
}

func pkgPath(fn *ssa.Function) string {
	if fn.Pkg != nil {
		return fn.Pkg.Pkg.Path()
	}
	if fn.Object() != nil && fn.Object().Pkg() != nil {
		return fn.Object().Pkg().Path()
	}
	if fn.Signature.Recv() != nil {
		t := fn.Signature.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil {
			return n.Obj().Pkg().Path()
		}
	}
	return ""
}

func isModelledInit(fn *ssa.Function) bool {
	p := pkgPath(fn)
	return fn.Name() == "init" && fn.Signature.Recv() == nil && (hardModelled[p] || softModelled[p] ||
		strings.HasPrefix(p, "internal/") || strings.HasPrefix(p, "runtime/"))
}

// A model: the C for a call, given its arguments as C expressions.
type modelCtx struct {
	e      *funcEmitter
	fn     *ssa.Function
	args   []string
	result string
	site   string
}

type modelFunc func(m *modelCtx) string

// expr: the model is one C expression of the arguments ($0, $1, ...;
// $site), assigned to the result.
func expr(tmpl string) modelFunc {
	return func(m *modelCtx) string { return assign(m.result, m.subst(tmpl)) }
}

// stmt: the model is C statements; $R is the result (a scratch variable
// when the call's value is unused).
func stmt(tmpl string) modelFunc {
	return func(m *modelCtx) string {
		code := m.subst(tmpl)
		if !strings.Contains(code, "$R") {
			return code
		}
		if m.result != "" {
			return strings.ReplaceAll(code, "$R", m.result)
		}
		ret := m.e.tr.resultType(m.fn.Signature)
		return fmt.Sprintf("{ %s cf_unused; %s }", ret, strings.ReplaceAll(code, "$R", "cf_unused"))
	}
}

func (m *modelCtx) subst(t string) string {
	for i := len(m.args) - 1; i >= 0; i-- {
		t = strings.ReplaceAll(t, fmt.Sprintf("$%d", i), "("+m.args[i]+")")
	}
	if len(m.args) > 0 {
		// $L: the last argument (Intn's n, for the function and the method)
		t = strings.ReplaceAll(t, "$L", "("+m.args[len(m.args)-1]+")")
	}
	t = strings.ReplaceAll(t, "$site", m.site)
	if strings.Contains(t, "$T") && m.fn.Signature.Results().Len() == 1 {
		t = strings.ReplaceAll(t, "$TE", m.e.tr.types.ctype(deref(m.fn.Signature.Results().At(0).Type())))
	}
	return t
}

var models = map[string]modelFunc{}

func model(names string, f modelFunc) {
	for _, n := range strings.Fields(names) {
		models[n] = f
	}
}

func init() {
	// sync (the model object behind the value's first word: gort.h §10)
	model("(*sync.Mutex).Lock", stmt("go_mutex_lock_at($site, gort_mutex($site, $0));"))
	model("(*sync.Mutex).Unlock", stmt("go_mutex_unlock_at($site, gort_mutex($site, $0));"))
	model("(*sync.Mutex).TryLock", expr("go_mutex_trylock_at($site, gort_mutex($site, $0))"))
	model("(*sync.RWMutex).Lock", stmt("go_rwmutex_lock_at($site, gort_rwmutex($site, $0));"))
	model("(*sync.RWMutex).Unlock", stmt("go_rwmutex_unlock_at($site, gort_rwmutex($site, $0));"))
	model("(*sync.RWMutex).RLock", stmt("go_rwmutex_rlock_at($site, gort_rwmutex($site, $0));"))
	model("(*sync.RWMutex).RUnlock", stmt("go_rwmutex_runlock_at($site, gort_rwmutex($site, $0));"))
	model("(*sync.WaitGroup).Add", stmt("go_waitgroup_add_at($site, gort_waitgroup($site, $0), $1);"))
	model("(*sync.WaitGroup).Done", stmt("go_waitgroup_add_at($site, gort_waitgroup($site, $0), -1);"))
	model("(*sync.WaitGroup).Wait", stmt("go_waitgroup_wait_at($site, gort_waitgroup($site, $0));"))
	model("(*sync.Once).Do", stmt("gort_once_do($site, $0, $1);"))
	model("sync.NewCond", stmt("$R = go_alloc_at($site, sizeof($TE)); gort_cond_init($site, $R, $0);"))
	model("(*sync.Cond).Wait", stmt("gort_cond_wait($site, $0);"))
	model("(*sync.Cond).Signal", stmt("go_cond_signal_at($site, gort_cond($site, $0));"))
	model("(*sync.Cond).Broadcast", stmt("go_cond_broadcast_at($site, gort_cond($site, $0));"))
	model("(*sync.Map).Store", stmt("gort_sync_map_store($site, $0, $1, $2);"))
	model("(*sync.Map).Load", stmt("$R.r0 = gort_sync_map_load($site, $0, $1, &$R.r1);"))
	model("(*sync.Map).LoadOrStore", stmt("$R.r0 = gort_sync_map_load_or_store($site, $0, $1, $2, &$R.r1);"))
	model("(*sync.Map).LoadAndDelete", stmt("$R.r0 = gort_sync_map_load_and_delete($site, $0, $1, &$R.r1);"))
	model("(*sync.Map).Delete", stmt("gort_sync_map_delete($site, $0, $1);"))
	model("(*sync.Map).Range", stmt("gort_sync_map_range($site, $0, $1);"))
	model("(*sync.Pool).Put", stmt("gort_sync_pool_put($site, $0, $1);"))
	// Pool's New field is read by the model when Get finds nothing.
	model("(*sync.Pool).Get", func(m *modelCtx) string {
		pool := deref(m.fn.Signature.Recv().Type()).Underlying().(*types.Struct)
		field := -1
		for i := 0; i < pool.NumFields(); i++ {
			if pool.Field(i).Name() == "New" {
				field = i
			}
		}
		return assign(m.result, m.subst(fmt.Sprintf("gort_sync_pool_get($site, $0, __builtin_offsetof(__typeof__(*$0), f%d))", field)))
	})

	// sync/atomic: functions on plain words (the typed values' methods are
	// translated from source and call these).
	for _, w := range []struct {
		name, c string
		size    int
	}{
		{"Int32", "int32_t", 4}, {"Int64", "int64_t", 8}, {"Uint32", "uint32_t", 4},
		{"Uint64", "uint64_t", 8}, {"Uintptr", "uint64_t", 8}, {"Pointer", "void *", 8}} {
		cast := "(" + w.c + ")"
		if w.c == "void *" {
			cast = "(void *)(uintptr_t)"
		}
		in := func(i string) string {
			if w.c == "void *" {
				return "(int64_t)(uintptr_t)" + i
			}
			return "(int64_t)" + i
		}
		if w.name != "Pointer" {
			model("sync/atomic.Add"+w.name, expr(fmt.Sprintf("%sgort_atomic_add($site, $0, %d, %s)", cast, w.size, in("$1"))))
		}
		model("sync/atomic.Load"+w.name, expr(fmt.Sprintf("%sgort_atomic_load($site, $0, %d)", cast, w.size)))
		model("sync/atomic.Store"+w.name, stmt(fmt.Sprintf("gort_atomic_store($site, $0, %d, %s);", w.size, in("$1"))))
		model("sync/atomic.Swap"+w.name, expr(fmt.Sprintf("%sgort_atomic_swap($site, $0, %d, %s)", cast, w.size, in("$1"))))
		model("sync/atomic.CompareAndSwap"+w.name, expr(fmt.Sprintf("gort_atomic_cas($site, $0, %d, %s, %s)", w.size, in("$1"), in("$2"))))
	}

	// time, on the virtual clock
	model("time.Sleep", stmt("go_sleep_at($site, $0);"))
	model("time.After", expr("go_after_at($site, $0)"))
	model("time.Tick", expr("($0 <= 0 ? NULL : go_timer_chan(go_ticker_new_at($site, $0)))"))
	model("time.NewTimer", stmt("$R = go_alloc_at($site, sizeof($TE)); gort_timer_init($site, $R, $0, false);"))
	model("time.NewTicker", stmt("$R = go_alloc_at($site, sizeof($TE)); gort_timer_init($site, $R, $0, true);"))
	model("time.AfterFunc", stmt("$R = go_alloc_at($site, sizeof($TE)); gort_after_func_init($site, $R, $0, $1);"))
	model("(*time.Timer).Stop", expr("go_timer_stop_at($site, gort_timer($site, $0))"))
	model("(*time.Timer).Reset", expr("go_timer_reset_at($site, gort_timer($site, $0), $1)"))
	model("(*time.Ticker).Stop", stmt("go_timer_stop_at($site, gort_timer($site, $0));"))
	model("(*time.Ticker).Reset", stmt("go_timer_reset_at($site, gort_timer($site, $0), $1);"))
	model("time.Now", expr("gort_time_now()"))
	model("time.Since", expr("(int64_t)(gort_time_virtual(gort_time_now()) - gort_time_virtual($0))"))
	model("time.Until", expr("(int64_t)(gort_time_virtual($0) - gort_time_virtual(gort_time_now()))"))

	// context: the model's contexts behind the Context interface
	model("context.Background", expr("gort_context_from_model(go_background_at($site))"))
	model("context.TODO", expr("gort_context_from_model(go_todo_at($site))"))
	model("context.WithCancel", stmt("{ go_cancel_func *cf_c; go_context *cf_x = go_with_cancel_at($site, gort_context_to_model($site, $0), &cf_c); $R.r0 = gort_context_from_model(cf_x); $R.r1 = gort_cancel_func_value(cf_c); }"))
	model("context.WithTimeout", stmt("{ go_cancel_func *cf_c; go_context *cf_x = go_with_timeout_at($site, gort_context_to_model($site, $0), $1, &cf_c); $R.r0 = gort_context_from_model(cf_x); $R.r1 = gort_cancel_func_value(cf_c); }"))
	model("context.WithDeadline", stmt("{ go_cancel_func *cf_c; go_context *cf_x = go_with_deadline_at($site, gort_context_to_model($site, $0), gort_time_virtual($1), &cf_c); $R.r0 = gort_context_from_model(cf_x); $R.r1 = gort_cancel_func_value(cf_c); }"))
	model("context.WithValue", expr("gort_context_from_model(go_with_value_at($site, gort_context_to_model($site, $0), gort_context_key($site, $1), gort_context_boxed_value($site, $2)))"))

	// runtime
	model("runtime.Gosched", stmt("go_yield_at($site);"))
	model("runtime.Goexit", stmt("go_goexit_at($site);"))
	model("runtime.GC", stmt("go_checkpoint_at($site);"))
	model("runtime.NumGoroutine", expr("(int64_t)go_num_goroutine()"))
	model("runtime.NumCPU runtime.GOMAXPROCS", expr("(int64_t)1"))
	// debug.FreeOSMemory forces a collection, and waits for nothing else
	// (runtime.GC, above, is the checkpoint a test's GC means).
	model("runtime/debug.FreeOSMemory", stmt("go_gc_at($site);"))

	// testing: *T and its embedded common are the model's gort_test
	for _, r := range []string{"(*testing.common)", "(*testing.T)", "(*testing.B)"} {
		model(r+".Log", stmt("gort_t_log($site, $0, (gort_string){0}, false, $1);"))
		model(r+".Logf", stmt("gort_t_log($site, $0, $1, true, $2);"))
		model(r+".Error", stmt("gort_t_error($site, $0, (gort_string){0}, false, $1);"))
		model(r+".Errorf", stmt("gort_t_error($site, $0, $1, true, $2);"))
		model(r+".Fatal", stmt("gort_t_fatal($site, $0, (gort_string){0}, false, $1);"))
		model(r+".Fatalf", stmt("gort_t_fatal($site, $0, $1, true, $2);"))
		model(r+".FailNow", stmt("gort_t_fatal($site, $0, (gort_string){0}, false, (gort_slice){0});"))
		model(r+".Skip", stmt("gort_t_skip($site, $0, (gort_string){0}, false, $1);"))
		model(r+".Skipf", stmt("gort_t_skip($site, $0, $1, true, $2);"))
		model(r+".SkipNow", stmt("gort_t_skip($site, $0, (gort_string){0}, false, (gort_slice){0});"))
		model(r+".Fail", stmt("gort_t_fail($0);"))
		model(r+".Failed", expr("gort_t_failed($0)"))
		model(r+".Skipped", expr("gort_t_skipped($0)"))
		model(r+".Name", expr("gort_t_name($0)"))
		model(r+".Helper", stmt(";"))
		model(r+".Cleanup", stmt("gort_t_cleanup($site, $0, $1);"))
		model(r+".TempDir", expr("gort_t_tempdir($site, $0)"))
	}
	model("(*testing.T).Run", expr("gort_t_run($site, $0, $1, $2)"))
	model("(*testing.T).Parallel", stmt("gort_t_parallel($site, $0);"))
	model("(*testing.T).Deadline", stmt("memset(&$R, 0, sizeof $R);"))
	model("testing.Short", expr("false"))
	model("testing.Verbose", expr("false"))

	// fmt, errors, strconv, sort, math/rand, log: gort's models
	model("fmt.Sprintf", expr("gort_fmt_sprintf($site, $0, $1)"))
	model("fmt.Sprint", expr("gort_fmt_sprint($site, $0)"))
	model("fmt.Sprintln", expr("gort_fmt_sprintln($site, $0)"))
	model("fmt.Errorf", expr("gort_fmt_errorf($site, $0, $1)"))
	model("fmt.Printf", stmt("{ gort_string cf_s = gort_fmt_sprintf($site, $0, $1); gort_output_append(cf_s); $R.r0 = cf_s.len; $R.r1 = (gort_iface){0}; }"))
	model("fmt.Print", stmt("{ gort_string cf_s = gort_fmt_sprint($site, $0); gort_output_append(cf_s); $R.r0 = cf_s.len; $R.r1 = (gort_iface){0}; }"))
	model("fmt.Println", stmt("{ gort_string cf_s = gort_fmt_sprintln($site, $0); gort_output_append(cf_s); $R.r0 = cf_s.len; $R.r1 = (gort_iface){0}; }"))
	model("errors.New", expr("gort_errors_new($site, $0)"))
	model("errors.Is", expr("gort_errors_is($site, $0, $1)"))
	model("errors.Unwrap", expr("gort_errors_unwrap($site, $0)"))
	model("errors.As", func(m *modelCtx) string {
		return assign(m.result, m.subst("gort_errors_as($site, $0, $1.data, gort_iface_type($1) && gort_iface_type($1)->elem ? gort_iface_type($1)->elem : NULL)"))
	})
	model("strconv.Itoa", expr("gort_strconv_itoa($site, $0)"))
	model("strconv.FormatInt", expr("gort_strconv_format_int($site, $0, $1)"))
	model("strconv.Quote", expr("gort_strconv_quote($site, $0)"))
	model("strconv.Atoi", stmt("$R.r0 = gort_strconv_atoi($site, $0, &$R.r1);"))
	model("sort.Slice sort.SliceStable", stmt("gort_sort_slice($site, $0, $1);"))
	model("sort.Ints", stmt("gort_sort_ints($0);"))
	model("sort.Strings", stmt("gort_sort_strings($0);"))
	model("math/rand.Intn (*math/rand.Rand).Intn", expr("gort_rand_intn($site, $L)"))
	model("math/rand.Int63n (*math/rand.Rand).Int63n", expr("gort_rand_int63n($site, $L)"))
	model("math/rand.Int31n (*math/rand.Rand).Int31n", expr("(int32_t)gort_rand_int63n($site, $L)"))
	model("math/rand.Int (*math/rand.Rand).Int", expr("(int64_t)gort_rand_int63n($site, INT64_MAX)"))
	model("math/rand.Int63 (*math/rand.Rand).Int63", expr("gort_rand_int63n($site, INT64_MAX)"))
	model("math/rand.Float64 (*math/rand.Rand).Float64", expr("gort_rand_float64($site)"))
	model("math/rand.Seed (*math/rand.Rand).Seed", stmt(";"))
	model("math/rand.NewSource", expr("(gort_iface){0}"))
	model("math/rand.New", expr("go_alloc_at($site, 1)"))
	model("log.Print log.Println", stmt("gort_output_append(gort_fmt_sprintln($site, $0));"))
	model("log.Printf", stmt("gort_output_append(gort_fmt_sprintf($site, $0, $1));"))
	model("log.Fatal log.Fatalln log.Panic log.Panicln", stmt("gort_panic_text($site, gort_fmt_sprintln($site, $0));"))
	model("log.Fatalf log.Panicf", stmt("gort_panic_text($site, gort_fmt_sprintf($site, $0, $1));"))

	// os: files are resources (open or closed), with no real I/O
	model("os.Open", stmt("$R.r0 = gort_os_open($site, $0, &$R.r1);"))
	model("os.Create", stmt("$R.r0 = gort_os_create($site, $0, &$R.r1);"))
	model("os.CreateTemp", stmt("$R.r0 = gort_os_create_temp($site, $0, $1, &$R.r1);"))
	model("(*os.File).Name", expr("gort_os_file_name($0)"))
	model("os.WriteFile", expr("gort_os_write_file($site, $0)"))
	model("(*os.File).Close", expr("gort_error_from_model(go_resource_close_at($site, $0))"))
	model("(*os.File).Write", stmt("$R.r1 = gort_error_from_model(go_resource_use_at($site, $0)); $R.r0 = $R.r1.tab ? 0 : $1.len;"))
	model("(*os.File).WriteString", stmt("$R.r1 = gort_error_from_model(go_resource_use_at($site, $0)); $R.r0 = $R.r1.tab ? 0 : $1.len;"))
	model("(*os.File).Sync", expr("gort_error_from_model(go_resource_use_at($site, $0))"))
	model("os.Remove", expr("gort_os_remove($site, $0)"))
	model("os.RemoveAll", expr("(gort_iface){0}"))
	model("os.MkdirTemp", stmt("$R.r0 = gort_string_concat($site, $0, $1); $R.r1 = (gort_iface){0};"))
	model("os.Getenv", expr("(gort_string){0}"))

	for _, f := range []string{"IsSpace", "IsUpper", "IsLower", "IsLetter", "IsDigit", "IsNumber", "IsPunct",
		"IsPrint", "IsGraphic", "IsControl", "ToUpper", "ToLower", "ToTitle"} {
		model("unicode."+f, expr(fmt.Sprintf("gort_unicode_%s($site, $0)", strings.ToLower(f))))
	}

	// math: the functions GOROOT implements in assembly on amd64 and arm64
	// (haveArchX is a constant there), as C's libm computes them; Max and
	// Min keep Go's NaN and signed-zero rules.
	for _, f := range []struct{ name, c string }{{"archSqrt", "sqrt"}, {"archFloor", "floor"},
		{"archCeil", "ceil"}, {"archTrunc", "trunc"}, {"archExp", "exp"}, {"archExp2", "exp2"},
		{"archLog", "log"}} {
		model("math."+f.name, expr(f.c+"($0)"))
	}
	model("math.archHypot", expr("hypot($0, $1)"))
	model("math.archMax", expr("gort_math_max($0, $1)"))
	model("math.archMin", expr("gort_math_min($0, $1)"))
	model("math.archModf", stmt("{ double cf_i; double cf_f = modf($0, &cf_i); $R.r0 = cf_i; $R.r1 = cf_f; }"))

	// sync/atomic.Value pins its goroutine to a P while it swaps; one
	// thread has nothing to pin.
	model("sync/atomic.runtime_procPin", expr("(int64_t)0"))
	model("sync/atomic.runtime_procUnpin", stmt(";"))

	// internal/bytealg: assembly in GOROOT, so strings and bytes need these
	model("internal/bytealg.IndexByteString", expr("gort_index_byte($0.ptr, $0.len, $1)"))
	model("internal/bytealg.IndexByte", expr("gort_index_byte($0.ptr, $0.len, $1)"))
	model("internal/bytealg.CountString", expr("gort_count_byte($0.ptr, $0.len, $1)"))
	model("internal/bytealg.Count", expr("gort_count_byte($0.ptr, $0.len, $1)"))
	model("internal/bytealg.IndexString", expr("gort_index_string($0, $1)"))
	model("internal/bytealg.Index", expr("gort_index_string((gort_string){$0.ptr, $0.len}, (gort_string){$1.ptr, $1.len})"))
	model("internal/bytealg.Equal", expr("($0.len == $1.len && memcmp($0.ptr, $1.ptr, $0.len) == 0)"))
	model("internal/bytealg.Compare", expr("gort_string_compare((gort_string){$0.ptr, $0.len}, (gort_string){$1.ptr, $1.len})"))
	model("internal/bytealg.Cutover", expr("(($0 + 4) >> 3)"))
	model("internal/bytealg.MakeNoZero", expr("gort_slice_make($site, 1, $0, $0)"))
}

// modelCall is the model's C for a call of fn, if fn is modelled.
func (tr *translator) modelCall(e *funcEmitter, fn *ssa.Function, args []string, result string) (string, bool) {
	name := fn.String()
	f, ok := models[name]
	p := pkgPath(fn)
	if !ok {
		if hardModelled[p] && !translatedFromSource(fn) && fn.Synthetic == "" {
			why := whyRefused[p]
			if why == "" {
				why = "chanfuzz models package " + p + " but not this function"
			}
			tr.unsupported(e.pos, name, why)
			return fmt.Sprintf("gort_panic_runtime(%s, %s);", e.site(), cString("chanfuzz: unsupported: "+name)), true
		}
		return "", false
	}
	m := &modelCtx{e: e, fn: fn, args: args, result: result, site: e.site()}
	return f(m), true
}

// modelFuncValue: a modelled function used as a value gets a C function
// of the uniform signature that makes the model's call.
func (tr *translator) modelFuncValue(fn *ssa.Function) string {
	if _, ok := models[fn.String()]; !ok {
		return ""
	}
	key := "value:" + fn.String()
	if n, ok := tr.modelValues[key]; ok {
		return n
	}
	sig := fn.Signature
	name := tr.fresh("MV")
	params := []string{"void *env"}
	var args []string
	all := []*types.Var{}
	if sig.Recv() != nil {
		all = append(all, sig.Recv())
	}
	for i := 0; i < sig.Params().Len(); i++ {
		all = append(all, sig.Params().At(i))
	}
	for i, v := range all {
		params = append(params, fmt.Sprintf("%s a%d", tr.types.ctype(v.Type()), i))
		args = append(args, fmt.Sprintf("a%d", i))
	}
	tr.emitWrapper(name, params, tr.resultType(sig), fn, func(e *funcEmitter, result string) string {
		code, _ := tr.modelCall(e, fn, args, result)
		return code
	})
	value := fmt.Sprintf("((gort_func){(void *)%s, NULL})", name)
	tr.modelValues[key] = value
	return value
}

// modelGlobalInit: a package variable of a modelled package, set at the
// start of every execution, after its allocation.
func (tr *translator) modelGlobalInit(g *ssa.Global) string {
	name := tr.globals[g]
	switch g.Pkg.Pkg.Path() + "." + g.Name() {
	case "context.Canceled":
		return fmt.Sprintf("    *%s = gort_error_from_model(&go_canceled);\n", name)
	case "context.DeadlineExceeded":
		return fmt.Sprintf("    *%s = gort_error_from_model(&go_deadline_exceeded);\n", name)
	}
	return ""
}
