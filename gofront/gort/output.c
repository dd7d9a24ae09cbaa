/* output.c -- what the execution printed (fmt.Print*, println, log, t.Log),
 * and gort_exec_begin, which every translated scenario main calls first:
 * it empties the output and every per-execution pool of gort, so nothing
 * of one execution is seen by the next (the same input gives the same
 * output and trace). The output is malloc'ed text: it holds no pointer
 * the model must see. */
#include <stdlib.h>

#include "gort_internal.h"

static struct {
    char *text;
    size_t len, cap;
} out;

void gort_output_append(gort_string s) {
    size_t n = (size_t)s.len;
    if (out.len + n + 1 > out.cap) {
        size_t cap = out.cap ? out.cap : 256;
        while (cap < out.len + n + 1) cap *= 2;
        char *text = realloc(out.text, cap);
        if (!text) abort();
        out.text = text;
        out.cap = cap;
    }
    if (n) memcpy(out.text + out.len, s.ptr, n);
    out.len += n;
    out.text[out.len] = 0;
}

const char *gort_output(size_t *length) {
    if (length) *length = out.len;
    return out.text ? out.text : "";
}

void gort_exec_begin(void) {
    out.len = 0;
    if (out.text) out.text[0] = 0;
    gort__buf_reset();
    gort__panic_reset();
    gort__fmt_reset();
    gort__test_reset();
    gort__sync_reset();
    gort__context_reset();
    gort__strconv_reset();
}
