/* gort_support.h -- running gort code inside model executions, for the
 * Criterion tests. Code under test runs in an execution (it needs one for
 * go_alloc, panics and goroutines) and records what it saw with note();
 * the tests assert after go_exec_run returned, outside the coroutines. */
#ifndef GORT_TEST_SUPPORT_H
#define GORT_TEST_SUPPORT_H

#include <chanfuzz/exec.h>
#include <chanfuzz/gort.h>

/* Runs fn(arg) under the first-ready source (gort_exec_begin first). */
go_exec *gort_run(go_func *fn, void *arg);
/* The same, each decision answering the next of answers (mod options). */
go_exec *gort_run_answers(go_func *fn, void *arg, const uint64_t *answers, size_t count);

/* Notes: what the execution saw, kept past it. */
#define NOTE_MAX 64
extern char notes[NOTE_MAX][512];
extern int note_count;
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note_str(gort_string s);
void notes_clear(void);

/* An interface{} holding the value at v of type t. */
gort_iface box(const gort_type *t, const void *v);
#define BOX_INT(x) box(&gort_type_int, &(gort_int){(x)})
#define BOX_STR(lit) box(&gort_type_string, &GORT_STR(lit))
/* A []any of the given interfaces. */
#define ARGS(...)                                                                        \
    ((gort_slice){(gort_iface[]){__VA_ARGS__},                                           \
                  sizeof((gort_iface[]){__VA_ARGS__}) / sizeof(gort_iface),               \
                  sizeof((gort_iface[]){__VA_ARGS__}) / sizeof(gort_iface)})
#define NO_ARGS ((gort_slice){NULL, 0, 0})

/* Descriptors shared by the tests. */
extern const gort_type t_int_slice, t_string_int_map, t_T, t_ptr_T, t_any, t_Stringer,
    t_S, t_E, t_ptr_E, t_func;
/* main.T {A int; b string}; main.S string with String(); *main.E with Error() */
typedef struct test_T {
    gort_int A;
    gort_string b;
} test_T;
typedef struct test_E {
    gort_string msg;
} test_E;

#endif
