package main

// prelude opens every generated file: Go's arithmetic where C's differs
// (wrapping signed overflow, division by zero and MinInt/-1, shifts of the
// width or more), written once for each integer width.
const prelude = `#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <complex.h>
#include <chanfuzz/go.h>
#include <chanfuzz/gort.h>
#include <chanfuzz/gort_std.h>
#include <chanfuzz/scenario.h>
#include <chanfuzz/site_column.h>

#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wunused-label"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wmissing-braces"
#pragma GCC diagnostic ignored "-Wincompatible-pointer-types"
#pragma GCC diagnostic ignored "-Wpointer-to-int-cast"
#pragma GCC diagnostic ignored "-Wint-to-pointer-cast"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wsometimes-uninitialized"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wgnu-empty-initializer"
#pragma GCC diagnostic ignored "-Wgnu-empty-struct"
#pragma GCC diagnostic ignored "-Wtautological-compare"
#pragma GCC diagnostic ignored "-Wparentheses-equality"
#pragma GCC diagnostic ignored "-Wunused-value"
#pragma GCC diagnostic ignored "-Wself-assign"

#define CF_INT_OPS(T, U, BITS)                                                   \
    static inline T cf_div_##T(const go_site *s, T a, T b) {                    \
        if (b == 0) gort_panic_divide(s);                                       \
        if ((T)-1 < 0 && b == (T)-1) return (T)((U)0 - (U)a);                   \
        return a / b;                                                           \
    }                                                                           \
    static inline T cf_rem_##T(const go_site *s, T a, T b) {                    \
        if (b == 0) gort_panic_divide(s);                                       \
        if ((T)-1 < 0 && b == (T)-1) return 0;                                  \
        return a % b;                                                           \
    }                                                                           \
    static inline T cf_shl_##T(T a, uint64_t n) {                               \
        return n >= BITS ? 0 : (T)((U)a << n);                                  \
    }                                                                           \
    static inline T cf_shr_##T(T a, uint64_t n) {                               \
        if (n >= BITS) return (T)-1 < 0 && a < 0 ? (T)-1 : 0;                   \
        return a >> n;                                                          \
    }
CF_INT_OPS(int8_t, uint8_t, 8)
CF_INT_OPS(int16_t, uint16_t, 16)
CF_INT_OPS(int32_t, uint32_t, 32)
CF_INT_OPS(int64_t, uint64_t, 64)
CF_INT_OPS(uint8_t, uint8_t, 8)
CF_INT_OPS(uint16_t, uint16_t, 16)
CF_INT_OPS(uint32_t, uint32_t, 32)
CF_INT_OPS(uint64_t, uint64_t, 64)

static void cf_negative_shift(const go_site *s) { gort_panic_runtime(s, "negative shift amount"); }

/* A value in a go_word (channel elements, closure bindings): its bits when
 * it fits, else a pointer to a go_alloc'ed copy (0: the zero value). */
#define CF_WORD_OF(T, v) (__extension__({ T cf_v_ = (v); go_word cf_w_ = 0;    \
        memcpy(&cf_w_, &cf_v_, sizeof cf_v_ < sizeof cf_w_ ? sizeof cf_v_ : sizeof cf_w_); cf_w_; }))
#define CF_OF_WORD(T, w) (__extension__({ go_word cf_w_ = (w); T cf_v_;         \
        memset(&cf_v_, 0, sizeof cf_v_);                                         \
        memcpy(&cf_v_, &cf_w_, sizeof cf_v_ < sizeof cf_w_ ? sizeof cf_v_ : sizeof cf_w_); cf_v_; }))
#define CF_BOX(s, T, v) (__extension__({ T *cf_p_ = go_alloc_at((s), sizeof(T) ? sizeof(T) : 1); \
        *cf_p_ = (v); (go_word)cf_p_; }))
#define CF_UNBOX(T, w) (__extension__({ go_word cf_w_ = (w); T cf_v_;           \
        if (cf_w_) cf_v_ = *(T *)cf_w_; else memset(&cf_v_, 0, sizeof cf_v_); cf_v_; }))
/* A value's bytes as another type of the same layout (a conversion
 * between struct types that differ only in tags). */
#define CF_RETYPE(T, v) (__extension__({ __typeof__(v) cf_v_ = (v); T cf_r_;    \
        memcpy(&cf_r_, &cf_v_, sizeof cf_r_); cf_r_; }))

typedef struct cf_string_iter { gort_string s; gort_int i; } cf_string_iter;
`
