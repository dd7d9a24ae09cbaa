/* chanfuzz/gort.h -- what C translated from Go calls: Go's values that C
 * lacks (strings, slices, interfaces, maps, func values, panics with
 * values), their type descriptors, and the models of the standard library
 * (fmt, strconv, errors, sort, testing, the glue to sync, time, context).
 *
 * The translator (gofront/translate) lowers go/ssa to C against this
 * header and chanfuzz/go.h. Everything here runs inside a model execution
 * (a goroutine of go_exec_run): allocations are go_alloc'ed model objects,
 * so the object graph and the detectors see translated code exactly as
 * they see a hand-written scenario. Nothing here keeps state past an
 * execution except pools reset to empty and immutable caches (itabs).
 *
 * Conventions every entry point keeps:
 *   - `site` is the Go source position of the instruction (file:line:col
 *     of the .go file); panics and blocking report it.
 *   - A Go function value is called as fn(env, args...): every translated
 *     function takes `void *env` first (top-level functions ignore it).
 *   - A method called through an interface is fns[k](data, args...), with
 *     data the interface's data word (see gort_iface).
 *   - Values are passed and returned by their lowered C type; a value of
 *     a type this header does not know is passed as `const void *` to its
 *     bytes together with its descriptor.
 *
 * Sections:
 *   1. Lowered types        string, slice, interface, func value, time.Time
 *   2. Type descriptors     what reflect would know: kind, size, name,
 *                           elements, fields, methods; equality and hash
 *   3. Interfaces           itabs, conversion, assertion, equality
 *   4. Strings              concatenation, comparison, conversions, runes
 *   5. Slices               make, append, copy, bounds checks
 *   6. Maps                 map[K]V for any comparable K; iteration order
 *                           is a decision
 *   7. Panics               panic(v), recover(), runtime errors
 *   8. fmt, strconv, errors, sort, math/rand, os, log
 *   9. testing              T, B: Run, Parallel, Cleanup, Fatal, ...
 *  10. sync, time, context  the Go types' words mapped onto the model's
 */
#ifndef CHANFUZZ_GORT_H
#define CHANFUZZ_GORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chanfuzz/go.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Lowered types ---------------------------------------------------- */

/* Go's int and uint are 64 bits here, as on amd64 and arm64. */
typedef int64_t gort_int;

/* string: immutable bytes, not NUL-terminated. */
typedef struct gort_string {
    const uint8_t *ptr;
    gort_int len;
} gort_string;

/* A string literal: GORT_STR("abc"). */
#define GORT_STR(lit) ((gort_string){(const uint8_t *)(lit), (gort_int)(sizeof(lit) - 1)})

/* []T */
typedef struct gort_slice {
    void *ptr;
    gort_int len, cap;
} gort_slice;

typedef struct gort_type gort_type;
typedef struct gort_itab gort_itab;

/* Any interface value. tab == NULL is the nil interface. data is the value
 * itself for pointer-shaped types (GORT_DIRECT: pointers, channels, maps,
 * unsafe.Pointer), else a pointer to a go_alloc'ed copy that is never
 * written again (boxes are immutable, so copies of an interface share it). */
typedef struct gort_iface {
    const gort_itab *tab;
    void *data;
} gort_iface;

/* A func value: fn(env, args...). {NULL, NULL} is the nil func. A closure's
 * env is a go_env (go_closure_at) holding its captured words, so the
 * closure detector sees it; a top-level function's env is NULL. */
typedef struct gort_func {
    void *fn;
    void *env;
} gort_func;

/* time.Time as Go 1.19 lays it out. The model's clock is virtual: a Time
 * from time.Now has wall == 0 and ext == nanoseconds since the execution
 * began plus GORT_TIME_EPOCH, loc == NULL (UTC). A time.Time crosses a
 * channel as its ext word (gort_time_word / gort_time_from_word). */
typedef struct gort_time {
    uint64_t wall;
    int64_t ext;
    void *loc;
} gort_time;
/* 2026-01-01T00:00:00Z in Go's internal seconds-since-year-1 scale times
 * 1e9 would overflow; the model's epoch is simply 1<<40 ns, so that a
 * zero Time (IsZero) is never a time the clock shows. */
#define GORT_TIME_EPOCH ((int64_t)1 << 40)

/* ---- 2. Type descriptors -------------------------------------------------- */

/* reflect.Kind's numbering. */
typedef enum gort_kind {
    GORT_INVALID = 0, GORT_BOOL, GORT_INT, GORT_INT8, GORT_INT16, GORT_INT32, GORT_INT64,
    GORT_UINT, GORT_UINT8, GORT_UINT16, GORT_UINT32, GORT_UINT64, GORT_UINTPTR,
    GORT_FLOAT32, GORT_FLOAT64, GORT_COMPLEX64, GORT_COMPLEX128,
    GORT_ARRAY, GORT_CHAN, GORT_FUNC, GORT_INTERFACE, GORT_MAP, GORT_POINTER, GORT_SLICE,
    GORT_STRING, GORT_STRUCT, GORT_UNSAFE_POINTER,
} gort_kind;

enum {
    GORT_COMPARABLE = 1u << 0, /* == is defined (may still panic inside an
                                  interface field holding a func, map or slice) */
    GORT_DIRECT = 1u << 1,     /* an interface holds the value itself */
    GORT_NAMED = 1u << 2,      /* a defined type: name is "pkg.Name" */
};

typedef struct gort_field {
    const char *name;          /* Go's field name ("" never: embedded fields
                                  carry their type's name) */
    const gort_type *type;
    size_t offset;
    bool embedded;
    bool exported;
} gort_field;

/* One method of a type's method set, sorted by name (bytewise). fn is
 * called through an interface: fn(data, args...) where data is what a
 * gort_iface holding this type carries. */
typedef struct gort_method {
    const char *name;
    void *fn;
} gort_method;

struct gort_type {
    gort_kind kind;
    uint32_t flags;            /* GORT_COMPARABLE | GORT_DIRECT | GORT_NAMED */
    size_t size, align;
    const char *name;          /* as %T prints it: "int", "*pkg.T", "[]string",
                                  "map[string]int", "chan int", "func(int) error" */
    const gort_type *elem;     /* pointer, slice, array, chan: the element;
                                  map: the value */
    const gort_type *key;      /* map: the key */
    gort_int len;              /* array: the length */
    int chan_dir;              /* chan: 1 recv-only, 2 send-only, 3 both */
    const gort_field *fields;  /* struct */
    size_t field_count;
    const gort_method *methods; /* the method set of this type, sorted */
    size_t method_count;
    const char *const *interface_methods; /* interface: its method names, sorted:
                                             the order of gort_itab.fns */
    size_t interface_method_count;
};

/* Equality of two values of type t (Go's ==). Panics "runtime error:
 * comparing uncomparable type T" when an interface inside holds one. */
bool gort_equal(const go_site *site, const gort_type *t, const void *a, const void *b);
/* A hash consistent with gort_equal; deterministic (no seed: the model
 * draws every order it needs from the decision source instead). */
uint64_t gort_hash(const go_site *site, const gort_type *t, const void *value);

/* Descriptors of the predeclared types, for code and models that need
 * them without the translator's help (fmt's %v of a runtime error, ...). */
extern const gort_type gort_type_bool, gort_type_int, gort_type_int8, gort_type_int16,
    gort_type_int32, gort_type_int64, gort_type_uint, gort_type_uint8, gort_type_uint16,
    gort_type_uint32, gort_type_uint64, gort_type_uintptr, gort_type_float32,
    gort_type_float64, gort_type_string, gort_type_unsafe_pointer;

/* ---- 3. Interfaces -------------------------------------------------------- */

/* What an interface value knows of its dynamic type: the type, which
 * interface, and that interface's methods of the type in the interface's
 * (sorted) method order. The empty interface's itab has no fns. Itabs for
 * conversions known when translating are static in the translated code;
 * gort_itab_get makes the others (cached for the process: immutable). */
struct gort_itab {
    const gort_type *type;
    const gort_type *iface;    /* NULL for the empty interface */
    void *fns[];
};

/* The itab of type t for interface type iface (NULL: interface{}); NULL
 * when t lacks a method of iface. */
const gort_itab *gort_itab_get(const gort_type *t, const gort_type *iface);

/* Box a value of type t (size bytes at value) into an interface with itab
 * tab: copies into a new go_alloc'ed box unless t is GORT_DIRECT, in which
 * case the value (a pointer-sized word) is the data itself. */
gort_iface gort_iface_make(const go_site *site, const gort_itab *tab, const void *value);

/* x.(T) for a concrete T: copies the value into out (t->size bytes) and
 * returns true if x's dynamic type is t; else zeroes out and returns
 * false. must: panic as Go does ("interface conversion: interface {} is
 * string, not int", or "... is nil, not int") instead of returning false. */
bool gort_assert_type(const go_site *site, gort_iface x, const gort_type *t, void *out,
                      bool must, const gort_type *from_iface);

/* x.(I) for an interface type I (NULL: interface{}): the same value with
 * I's itab. Fails (false, or panic when must: "interface conversion:
 * T is not I: missing method M") when x is nil or lacks a method. */
bool gort_assert_iface(const go_site *site, gort_iface x, const gort_type *iface,
                       gort_iface *out, bool must);

/* An interface value converted to another interface type (always valid
 * statically): re-pick the itab. */
gort_iface gort_iface_convert(gort_iface x, const gort_type *iface);

/* x == y for interfaces: same dynamic type and equal values (panics on
 * uncomparable dynamic types); both nil is true. */
bool gort_iface_equal(const go_site *site, gort_iface x, gort_iface y);
/* x == v where v is a concrete value of type t (SSA compares an interface
 * with a constant or a converted value this way). */
bool gort_iface_equal_value(const go_site *site, gort_iface x, const gort_type *t,
                            const void *v);

/* The dynamic type of x (NULL for nil). */
static inline const gort_type *gort_iface_type(gort_iface x) {
    return x.tab ? x.tab->type : NULL;
}

/* ---- 4. Strings ------------------------------------------------------------- */

/* a + b (a new string unless one side is empty). */
gort_string gort_string_concat(const go_site *site, gort_string a, gort_string b);
/* -1, 0, 1 as bytes compare (Go's <, ==, > on strings). */
int gort_string_compare(gort_string a, gort_string b);
bool gort_string_equal(gort_string a, gort_string b);
/* s[low:high] with Go's bounds check ("slice bounds out of range [:5]
 * with length 3"). */
gort_string gort_string_slice(const go_site *site, gort_string s, gort_int low, gort_int high);
/* s[i] with the bounds check. */
uint8_t gort_string_index(const go_site *site, gort_string s, gort_int i);
/* string(b []byte), []byte(s), string(r rune), string(rs []rune), []rune(s) */
gort_string gort_string_from_bytes(const go_site *site, gort_slice b);
gort_slice gort_bytes_from_string(const go_site *site, gort_string s);
gort_string gort_string_from_rune(const go_site *site, int32_t r);
gort_string gort_string_from_runes(const go_site *site, gort_slice runes);
gort_slice gort_runes_from_string(const go_site *site, gort_string s);
/* for i, r := range s: decodes the rune at byte offset i (invalid UTF-8
 * gives U+FFFD, width 1); returns the offset of the next rune. */
gort_int gort_string_decode_rune(gort_string s, gort_int i, int32_t *rune);
/* A NUL-terminated copy for C (malloc'ed: the caller frees). */
char *gort_string_cstr(gort_string s);

/* ---- 5. Slices ----------------------------------------------------------- */

/* make([]T, len, cap): panics "makeslice: len out of range" /
 * "makeslice: cap out of range" as Go does. elem_size may be 0. */
gort_slice gort_slice_make(const go_site *site, size_t elem_size, gort_int len, gort_int cap);
/* append(s, elems...) of count elements of elem_size bytes at elems: grows
 * as Go 1.19's growslice (double below 256, then by (n+3*256)/4). */
gort_slice gort_slice_append(const go_site *site, gort_slice s, size_t elem_size,
                             const void *elems, gort_int count);
/* copy(dst, src): the count copied (overlap allowed). */
gort_int gort_slice_copy(gort_slice dst, gort_slice src, size_t elem_size);
/* s[low:high:max] of a slice (cap_limit = cap(s)) or of an array or
 * pointer to array (cap_limit = its length); max < 0 means absent. */
gort_slice gort_slice_slice(const go_site *site, void *base, gort_int len, gort_int cap,
                            size_t elem_size, gort_int low, gort_int high, gort_int max);
/* Panics "runtime error: index out of range [i] with length n" unless
 * 0 <= i < n. Inline: on every index. */
_Noreturn void gort_panic_index(const go_site *site, gort_int i, gort_int n);
static inline void gort_check_index(const go_site *site, gort_int i, gort_int n) {
    if ((uint64_t)i >= (uint64_t)n) gort_panic_index(site, i, n);
}

/* ---- 6. Maps ------------------------------------------------------------- */

/* map[K]V: a model object (go_alloc'ed table, so the object graph sees what
 * keys and values point to). NULL is the nil map: reads see it empty,
 * writes panic "assignment to entry in nil map". */
typedef struct gort_map gort_map;

/* make(map[K]V, hint); map_type is the map's descriptor (key, elem). */
gort_map *gort_map_make(const go_site *site, const gort_type *map_type, gort_int hint);
/* v, ok := m[k]: copies the value (or zero) into value_out. For the nil map
 * (NULL: no descriptor at hand) value_out is left as it is: pass it
 * zeroed. */
bool gort_map_get(const go_site *site, const gort_map *m, const void *key, void *value_out);
/* m[k] = v */
void gort_map_set(const go_site *site, gort_map *m, const void *key, const void *value);
/* delete(m, k) */
void gort_map_delete(const go_site *site, gort_map *m, const void *key);
gort_int gort_map_len(const gort_map *m);

/* for k, v := range m. Go leaves the order unspecified and randomises it;
 * here the order is the map's insertion order rotated by a DATA decision
 * (go_fz_intn over len(m)), so schedules that depend on it are explored
 * and replay. Entries deleted before they are reached are skipped; entries
 * added during the loop are not produced (Go may or may not produce them). */
typedef struct gort_map_iter {
    gort_map *map;
    void *keys;                /* a snapshot of the keys, go_alloc'ed */
    gort_int count, next, start;
} gort_map_iter;
void gort_map_iter_init(const go_site *site, gort_map_iter *it, gort_map *m);
/* The next entry into key_out and value_out (either may be NULL); false at
 * the end. */
bool gort_map_iter_next(gort_map_iter *it, void *key_out, void *value_out);

/* ---- 7. Panics ------------------------------------------------------------ */

/* panic(v). The report's message is Go's printpanicval of v: an error's
 * Error(), a Stringer's String(), a string as is, numbers as printed. */
_Noreturn void gort_panic(const go_site *site, gort_iface value);
/* A run-time error ("runtime error: " + text, a runtime.Error). */
_Noreturn void gort_panic_runtime(const go_site *site, const char *text);
/* recover(): the panic's value; a panic raised by the model itself (close
 * of a closed channel, a negative WaitGroup counter) comes back as a
 * runtime.Error or a string value with the model's message, as Go gives. */
gort_iface gort_recover(const go_site *site);
/* Nil checks and integer division, with Go's messages. */
_Noreturn void gort_panic_nil(const go_site *site);
static inline void gort_check_nil(const go_site *site, const void *p) {
    if (!p) gort_panic_nil(site);
}
_Noreturn void gort_panic_divide(const go_site *site);

/* The runtime.Error type (descriptor, for errors.As and %T) */
extern const gort_type gort_type_runtime_error;

/* ---- 8. fmt, strconv, errors, sort, math/rand, os, log -------------------- */

/* Every function takes its variadic ...any arguments as the []any slice SSA
 * builds (elements are gort_iface). Verbs: %v %+v %#v(as %v) %T %d %s %q
 * %x %X %o %b %c %U %t %p %f %e %g with width, precision and flags - + # 0
 * space; %w in Errorf; Go's %!verb(type=value) and %!(EXTRA ...) forms for
 * mismatches. Values print as fmt does: Error() / String() methods first,
 * structs {a b}, %+v {A:a B:b}, pointers to structs &{...}, slices [a b],
 * maps map[k:v] in key order, nil as <nil>. */
gort_string gort_fmt_sprintf(const go_site *site, gort_string format, gort_slice args);
gort_string gort_fmt_sprint(const go_site *site, gort_slice args);    /* fmt.Sprint */
gort_string gort_fmt_sprintln(const go_site *site, gort_slice args);  /* fmt.Sprintln */
/* fmt.Errorf: an error whose Error() is the formatted text; with one %w
 * its Unwrap() returns that operand (Go 1.19: at most one %w). */
gort_iface gort_fmt_errorf(const go_site *site, gort_string format, gort_slice args);

/* What the execution printed (fmt.Print*, println, log, t.Log): kept per
 * execution, shown with a finding. gort_output_append adds; gort_output
 * reads (NUL-terminated; valid until the next append or execution). */
void gort_output_append(gort_string text);
const char *gort_output(size_t *length);
/* Called first by every translated scenario main: empties the output and
 * the pools of the previous execution. */
void gort_exec_begin(void);

/* errors.New(text): an *errors.errorString-like error value. */
gort_iface gort_errors_new(const go_site *site, gort_string text);
/* errors.Is / errors.As / errors.Unwrap over Unwrap() chains (Go 1.19:
 * Unwrap() error only). As takes the target pointer and the descriptor of
 * what it points to; panics as Go does on a nil or non-pointer target. */
bool gort_errors_is(const go_site *site, gort_iface err, gort_iface target);
bool gort_errors_as(const go_site *site, gort_iface err, void *target,
                    const gort_type *target_elem);
gort_iface gort_errors_unwrap(const go_site *site, gort_iface err);
/* The `error` interface type's descriptor (one method: Error). */
extern const gort_type gort_type_error;
/* An error with a fixed text whose data is a const go_error * (direct): the
 * model's errors (context.Canceled, os.ErrClosed, ...) as Go values. Two
 * such values are == when they wrap the same go_error. */
gort_iface gort_error_from_model(const go_error *err);
/* The go_error an error value wraps when it came from the model, else a
 * go_error allocated with err.Error()'s text. */
const go_error *gort_error_to_model(const go_site *site, gort_iface err);
/* err.Error() of any error value (through its itab). */
gort_string gort_error_text(const go_site *site, gort_iface err);

/* strconv */
gort_string gort_strconv_itoa(const go_site *site, gort_int v);
gort_string gort_strconv_format_int(const go_site *site, int64_t v, gort_int base);
gort_string gort_strconv_quote(const go_site *site, gort_string s);
/* n, err := strconv.Atoi(s); the error is a *strconv.NumError-like value
 * whose Error() is Go's ("strconv.Atoi: parsing \"x\": invalid syntax"). */
gort_int gort_strconv_atoi(const go_site *site, gort_string s, gort_iface *err);
/* strconv.ErrSyntax, strconv.ErrRange (one value per execution, so that
 * errors.Is(err, strconv.ErrSyntax) holds for Atoi's errors). */
gort_iface gort_strconv_err_syntax(const go_site *site);
gort_iface gort_strconv_err_range(const go_site *site);

/* sort.Slice(x, less) and sort.SliceStable: an insertion sort (stable) over
 * the slice in x (an interface holding a slice); less is called as
 * ((bool (*)(void *, gort_int, gort_int))less.fn)(less.env, i, j). */
void gort_sort_slice(const go_site *site, gort_iface x, gort_func less);
/* sort.Ints, sort.Strings */
void gort_sort_ints(gort_slice s);
void gort_sort_strings(gort_slice s);

/* math/rand: every value is a DATA decision (the seed is ignored), so the
 * explorer and the fuzzer choose it. Intn panics on n <= 0 as Go does. */
gort_int gort_rand_intn(const go_site *site, gort_int n);
int64_t gort_rand_int63n(const go_site *site, int64_t n);
double gort_rand_float64(const go_site *site);

/* ---- 9. testing ------------------------------------------------------------ */

/* *testing.T and *testing.B point to a gort_test. */
typedef struct gort_test gort_test;

/* The scenario main of a translated test: runs fn(t) as Go's tRunner
 * does, in a goroutine of its own that the main goroutine waits for (on a
 * model channel); when fn returns (or calls Goexit) the test's goroutine
 * waits for its parallel subtests, then runs its Cleanup functions (last
 * added first), as Go's tRunner. fn is called as
 * ((void (*)(void *, gort_test *))fn.fn)(fn.env, t). A test that ended
 * failed (t.Error, t.Fatal, ...; skips are not failures) ends the
 * execution as a panic at the site of the first failure, "--- FAIL:
 * <name>: <file.go:line: log text; ...>", so the harness reports it. */
void gort_test_main(const char *name, gort_func fn, bool benchmark);
/* Whether the execution's test failed (valid after the execution too,
 * until the next gort_exec_begin). */
bool gort_test_failed(void);

/* t.Run(name, f): f runs in a new goroutine, Run waits for it (or until it
 * calls t.Parallel) and returns whether it passed. */
bool gort_t_run(const go_site *site, gort_test *t, gort_string name, gort_func f);
/* t.Parallel(): the subtest goes on once its parent's function returned. */
void gort_t_parallel(const go_site *site, gort_test *t);
/* t.Cleanup(f) */
void gort_t_cleanup(const go_site *site, gort_test *t, gort_func f);
/* t.Log/Logf/Error/Errorf/Fatal/Fatalf/Skip/Skipf/SkipNow/FailNow/Fail:
 * args as []any; format may be {0} for the non-f forms. Fatal*, FailNow,
 * Skip* end the test's goroutine (runtime.Goexit), as Go does. */
void gort_t_log(const go_site *site, gort_test *t, gort_string format, bool formatted,
                gort_slice args);
void gort_t_error(const go_site *site, gort_test *t, gort_string format, bool formatted,
                  gort_slice args);
_Noreturn void gort_t_fatal(const go_site *site, gort_test *t, gort_string format,
                            bool formatted, gort_slice args);
_Noreturn void gort_t_skip(const go_site *site, gort_test *t, gort_string format,
                           bool formatted, gort_slice args);
void gort_t_fail(gort_test *t);
bool gort_t_failed(const gort_test *t);
bool gort_t_skipped(const gort_test *t);
gort_string gort_t_name(const gort_test *t);
/* t.TempDir(): a fresh name (no directory is made: os is modelled). */
gort_string gort_t_tempdir(const go_site *site, gort_test *t);
/* b.N: benchmarks run their body with N = 1 under the model. */
gort_int gort_b_n(const gort_test *b);

/* ---- 10. sync, time, context ------------------------------------------------ *
 *
 * The Go types keep their Go layout in translated code (a struct may embed
 * a sync.Mutex by value); the model object lives behind the type's first
 * word, made on first use, so the zero value is ready as in Go:
 *   sync.Mutex, RWMutex, WaitGroup, Once: word 0 -> go_mutex, ...
 *   sync.Map, sync.Pool: word 0 -> gort's map, pool (below)
 *   sync.Cond (Go 1.19: L at byte 0, notify at 16, checker at 48): the
 *     checker word (byte offset 48) -> go_cond; L stays the Go field
 *   time.Timer, time.Ticker: C is the Go field; word 1 (r.pp) -> go_timer
 * Each takes the address of the Go value. */
go_mutex *gort_mutex(const go_site *site, void *mu);
go_rwmutex *gort_rwmutex(const go_site *site, void *rw);
go_waitgroup *gort_waitgroup(const go_site *site, void *wg);
go_once *gort_once(const go_site *site, void *once);
/* sync.NewCond(l): l must hold a *sync.Mutex (else an unsupported panic
 * names what it holds). Fills the Go struct at cond: L and the checker
 * word. gort_cond also makes the go_cond on first use, for a Cond built
 * as &sync.Cond{L: &mu}. */
void gort_cond_init(const go_site *site, void *cond, gort_iface l);
go_cond *gort_cond(const go_site *site, void *cond);
/* once.Do(f) */
void gort_once_do(const go_site *site, void *once, gort_func f);
/* sync.Map (Go 1.19's methods; sync_map.c): word 0 -> the model's
 * map[any]any. Each operation is one scheduling point, then indivisible;
 * Range's order is map iteration's (a decision). */
void gort_sync_map_store(const go_site *site, void *m, gort_iface key, gort_iface value);
gort_iface gort_sync_map_load(const go_site *site, void *m, gort_iface key, bool *ok);
gort_iface gort_sync_map_load_or_store(const go_site *site, void *m, gort_iface key,
                                       gort_iface value, bool *loaded);
gort_iface gort_sync_map_load_and_delete(const go_site *site, void *m, gort_iface key,
                                         bool *loaded);
void gort_sync_map_delete(const go_site *site, void *m, gort_iface key);
void gort_sync_map_range(const go_site *site, void *m, gort_func f);
/* sync.Pool (sync_pool.c): word 0 -> the model's pool; new_offset is the
 * byte offset of the Go struct's New field. Whether Get finds what was
 * Put or the pool was emptied (by a GC, Go says) is a decision. */
void gort_sync_pool_put(const go_site *site, void *pool, gort_iface x);
gort_iface gort_sync_pool_get(const go_site *site, void *pool, size_t new_offset);
/* atomic.AddInt64(&x, d) and friends on plain words: scheduling points,
 * like the model's atomics. size is 4 or 8. */
int64_t gort_atomic_add(const go_site *site, void *addr, int size, int64_t delta);
int64_t gort_atomic_load(const go_site *site, const void *addr, int size);
void gort_atomic_store(const go_site *site, void *addr, int size, int64_t v);
int64_t gort_atomic_swap(const go_site *site, void *addr, int size, int64_t v);
bool gort_atomic_cas(const go_site *site, void *addr, int size, int64_t old, int64_t new_);

/* time: the virtual clock as Go values (gort_std.h has the encoding). A
 * Time crosses a channel as its instant on the virtual clock. */
gort_time gort_time_now(void);
gort_time gort_time_at(go_duration virtual_ns);
go_duration gort_time_virtual(gort_time t);
static inline go_word gort_time_word(gort_time t) { return (go_word)gort_time_virtual(t); }
static inline gort_time gort_time_from_word(go_word w) { return gort_time_at((go_duration)w); }
/* time.NewTimer / NewTicker / AfterFunc into the Go struct at timer (its
 * C field set to the model's channel; NULL for AfterFunc). */
void gort_timer_init(const go_site *site, void *timer, go_duration d, bool ticker);
void gort_after_func_init(const go_site *site, void *timer, go_duration d, gort_func f);
go_timer *gort_timer(const go_site *site, void *timer);

/* context: a context.Context value is an interface whose dynamic type is
 * the model's *context.ctx (gort_type_context); its methods Deadline,
 * Done, Err, Value are the model's. A CancelFunc is a gort_func whose env
 * is the go_cancel_func. */
extern const gort_type gort_type_context;
/* The context.Context interface type (methods Deadline, Done, Err, Value:
 * the order of its itabs' fns). */
extern const gort_type gort_type_context_iface;
gort_iface gort_context_from_model(go_context *ctx);
/* The model context a Context value holds; an unsupported panic for a
 * Context implemented by the program itself. */
go_context *gort_context_to_model(const go_site *site, gort_iface ctx);
gort_func gort_cancel_func_value(go_cancel_func *cancel);
/* context.WithValue's key and value are interfaces: the model compares
 * keys as words, so they are interned into one model word per distinct
 * (type, value). */
go_word gort_context_key(const go_site *site, gort_iface key);
go_word gort_context_boxed_value(const go_site *site, gort_iface value);
gort_iface gort_context_unbox_value(go_word word);

#ifdef __cplusplus
}
#endif
#endif
