/* gort_internal.h -- what the files of gort share and the translated code
 * does not see: a growable byte buffer, Go's allocation size classes, the
 * runtime error values, UTF-8, the formatter's state, and the hooks that
 * gort_exec_begin calls to empty each file's per-execution state. */
#ifndef GORT_INTERNAL_H
#define GORT_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#include "chanfuzz/gort.h"

/* ---- buffers ------------------------------------------------------------- *
 * malloc'ed bytes for text being built (never Go values: no pointers into
 * go_alloc'ed memory are kept in them). A buffer is on a per-execution list
 * while it lives, so one abandoned by a panic or Goexit in a method that
 * fmt called is freed by the next gort_exec_begin instead of leaking. */
typedef struct gort_buf gort_buf;
struct gort_buf {
    char *data;
    size_t len, cap;
    gort_buf *prev, *next;
};
gort_buf *gort__buf_new(void);
void gort__buf_free(gort_buf *b);
void gort__buf_write(gort_buf *b, const void *p, size_t n);
void gort__buf_byte(gort_buf *b, char c);
void gort__buf_str(gort_buf *b, const char *s);
void gort__buf_gostr(gort_buf *b, gort_string s);
void gort__buf_printf(gort_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gort__buf_rune(gort_buf *b, int32_t r);
/* v in decimal, with leading zeros up to `digits`. */
void gort__buf_uint(gort_buf *b, uint64_t v, int digits);
/* The bytes as a Go string (go_alloc'ed); frees b. */
gort_string gort__buf_finish(const go_site *site, gort_buf *b);
/* The bytes NUL-terminated, malloc'ed (the caller frees); frees b. */
char *gort__buf_take(gort_buf *b);
/* Sprintf(format, args...) when formatted, else Sprintln(args...), into a
 * new buffer. */
/* &fs.PathError{Op: op, Path: path, Err: ENOENT}, as an error. */
gort_iface gort__path_error(const go_site *site, const char *op, gort_string path);
gort_buf *gort__format_buf(const go_site *site, gort_string format, bool formatted,
                           gort_slice args);

/* A go_alloc'ed copy of n bytes as a string. */
gort_string gort__string_copy(const go_site *site, const void *p, size_t n);
gort_string gort__string_cstr(const go_site *site, const char *s);

/* ---- sizes ---------------------------------------------------------------- */
/* Go 1.19 roundupsize: the size class a request of `size` bytes gets. */
size_t gort__roundupsize(size_t size);
/* A non-NULL address for zero-sized allocations (Go's zerobase). */
extern uint8_t gort__zerobase[16];

/* ---- UTF-8 (unicode/utf8) ------------------------------------------------ */
#define GORT_RUNE_ERROR 0xFFFD
/* Decodes at p[0..n): the rune and its width (RuneError, 1 when invalid). */
int32_t gort__utf8_decode(const uint8_t *p, size_t n, int *width);
/* Encodes r (invalid runes as U+FFFD) into out[4]; returns the width. */
int gort__utf8_encode(int32_t r, uint8_t *out);
bool gort__rune_printable(int32_t r);

/* ---- values ---------------------------------------------------------------- */
/* Where an interface's value lies: the data word itself for direct types. */
static inline const void *gort__iface_ptr(const gort_iface *x) {
    return (x->tab->type->flags & GORT_DIRECT) ? (const void *)&x->data : x->data;
}
/* The method named `name` of t, or NULL (binary search: sorted). */
void *gort__method(const gort_type *t, const char *name);
/* The itab of t for iface, and the first method it lacks when NULL. */
const gort_itab *gort__itab_lookup(const gort_type *t, const gort_type *iface,
                                   const char **missing);
/* The itab of t for the empty interface. */
const gort_itab *gort__eface_tab(const gort_type *t);
/* Boxes a value of t as interface{}. */
gort_iface gort__box(const go_site *site, const gort_type *t, const void *value);
gort_iface gort__box_string(const go_site *site, gort_string s);

/* Deterministic address for printing: the execution's first printed
 * address is 0xc000010000, the next 0xc000010010, and so on (Go's real
 * addresses differ from run to run; the model's output must not). */
uint64_t gort__fake_address(const void *p);

/* ---- errors ----------------------------------------------------------------- */
/* Runtime error values: kind 0 runtime.errorString ("runtime error: " +
 * text), 1 runtime.plainError (text as is), 2 runtime.boundsError (as
 * errorString), 3 *runtime.TypeAssertionError (text as is). */
gort_iface gort__runtime_error(const go_site *site, int kind, const char *text);
/* errors.New's *errors.errorString over s. */
gort_iface gort__error_string(const go_site *site, gort_string s);
/* fmt.Errorf's *fmt.wrapError */
gort_iface gort__wrap_error(const go_site *site, gort_string msg, gort_iface err);
/* Calls m (a method fn(data) returning gort_string). */
typedef gort_string gort__string_method(void *data);
/* Calls the method of x named "Error" or "String"; false when it has none. */
bool gort__call_string_method(gort_iface x, const char *name, gort_string *out);
/* panic's printpanicval of v into b. */
void gort__print_panic_value(gort_buf *b, gort_iface v);
/* runtime's print of a float64 (+1.500000e+000). */
void gort__print_float(gort_buf *b, double v);

/* ---- strconv ------------------------------------------------------------------ */
void gort__quote(gort_buf *b, const uint8_t *p, size_t n, char quote, bool ascii_only);
void gort__quote_rune(gort_buf *b, int32_t r, bool ascii_only);

/* ---- the formatter (fmt.c, fmt_value.c) ------------------------------------ */
typedef struct gort_pp {
    const go_site *site;
    gort_buf *buf;
    /* flags of the current verb */
    int wid, prec;
    bool wid_present, prec_present;
    bool minus, plus, sharp, space, zero, plus_v, sharp_v;
    /* the operand being printed: an interface, or for nested values none */
    gort_iface arg;
    bool erroring;             /* printing a %!verb(...): no methods */
    bool ro;                   /* below an unexported field: no methods */
    bool wrap_errs;            /* Errorf */
    gort_iface wrapped;        /* its %w operand */
    bool have_wrapped;
} gort_pp;

void gort__pp_print_arg(gort_pp *p, gort_iface arg, int32_t verb);
void gort__pp_print_value(gort_pp *p, const gort_type *t, const void *v, int32_t verb,
                          int depth);
void gort__pp_bad_verb(gort_pp *p, int32_t verb, const gort_type *t, const void *v);
bool gort__pp_handle_methods(gort_pp *p, const gort_type *t, const void *v, int32_t verb);
void gort__fmt_pad(gort_pp *p, const char *s, size_t n);
void gort__fmt_write_padding(gort_pp *p, int n);
void gort__fmt_string(gort_pp *p, gort_string s, int32_t verb, const gort_type *t,
                      const void *v);
void gort__fmt_bytes(gort_pp *p, const uint8_t *s, size_t n, int32_t verb, const char *tname);
void gort__fmt_integer(gort_pp *p, uint64_t u, bool is_signed, int32_t verb, const gort_type *t,
                       const void *v);
void gort__fmt_float(gort_pp *p, double f, int size, int32_t verb, const gort_type *t,
                     const void *v);
void gort__fmt_complex(gort_pp *p, double re, double im, int size, int32_t verb,
                       const gort_type *t, const void *v);
void gort__fmt_bool(gort_pp *p, bool b, int32_t verb, const gort_type *t, const void *v);
void gort__fmt_pointer(gort_pp *p, const void *ptr, int32_t verb, const gort_type *t,
                       const void *v);
/* A map's live entries in insertion order: at most max key and value
 * pointers; returns how many. */
gort_int gort__map_entries(const gort_map *m, const void **keys, const void **values,
                           gort_int max);
/* fmtsort's compare of two values of t (map keys): -1, 0, 1. */
int gort__fmt_compare(const gort_type *t, const void *a, const void *b);
gort_string gort__sprintf(const go_site *site, gort_string format, gort_slice args,
                          bool wrap, gort_iface *wrapped, bool *have_wrapped);

/* ---- per-execution state, emptied by gort_exec_begin ------------------------ */
void gort__buf_reset(void);
void gort__panic_reset(void);
void gort__fmt_reset(void);
void gort__test_reset(void);
void gort__sync_reset(void);
void gort__context_reset(void);
void gort__strconv_reset(void);

/* sync_glue.c: a scheduling point (the model's atomics' kind); poll says
 * a load (a busy-wait loop is idle). */
void gort__sched_point(const go_site *site, bool poll);
/* The model object behind a Go value's first word (word: its address),
 * made by make on first use; panics on a nil word as Go's nil deref. */
void *gort__lazy(const go_site *site, void *word, void *(*make)(const go_site *));

#endif
