/* test_resource.c -- modelled files and connections (os.File's Close
 * contract, Go 1.23), one test per rule, and the end-of-execution list the
 * "resource never closed" detector reads. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

typedef struct {
    const go_error *first_close;
    const go_error *second_close;
    const go_error *use_open;
    const go_error *use_closed;
    const go_error *nil_close;
} resource_case;

static void open_close_main(void *arg) {
    resource_case *t = arg;
    go_resource *f = go_open("data.txt");
    t->use_open = go_resource_use(f);
    t->first_close = go_resource_close(f);
    t->second_close = go_resource_close(f);
    t->use_closed = go_resource_use(f);
    t->nil_close = go_resource_close(NULL);
}

Test(resource, open_then_close_returns_nil_and_the_resource_ends_closed) {
    resource_case t = {0};
    go_exec *e = run_first(open_close_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect_null(t.use_open);
    cr_expect_null(t.first_close);
    cr_assert_eq(go_exec_resource_count(e), 1);
    const go_resource_info *r = go_exec_resource(e, 0);
    cr_expect_eq(r->kind, GO_OBJ_RESOURCE);
    cr_expect_eq(r->id, 1);
    cr_expect(r->closed);
    cr_expect_str_eq(r->close_site->func, "open_close_main");
    cr_expect_null(go_exec_resource(e, 1));
    go_exec_free(e);
}

Test(resource, closing_twice_returns_file_already_closed_not_a_panic) {
    resource_case t = {0};
    go_exec *e = run_first(open_close_main, &t);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_not_null(t.second_close);
    cr_expect_str_eq(t.second_close->text, "close data.txt: file already closed");
    go_exec_free(e);
}

Test(resource, use_after_close_returns_file_already_closed) {
    resource_case t = {0};
    go_exec *e = run_first(open_close_main, &t);
    cr_assert_not_null(t.use_closed);
    cr_expect_str_eq(t.use_closed->text, "use data.txt: file already closed");
    go_exec_free(e);
}

Test(resource, close_of_a_nil_resource_returns_invalid_argument) {
    resource_case t = {0};
    go_exec *e = run_first(open_close_main, &t);
    cr_assert_not_null(t.nil_close);
    cr_expect_str_eq(t.nil_close->text, "invalid argument");
    go_exec_free(e);
}

/* ---- a resource left open is listed at the end, with its open site ------ */

static void close_fn(void *f) { go_resource_close(f); }

static void handler(void *arg) {
    go_resource *conn = go_open("conn");
    if (go_fz_bool()) return;            /* the early return that leaks */
    go_defer(close_fn, conn);
}

static void leaky_main(void *arg) {
    char name[16];
    snprintf(name, sizeof name, "file%d", 2);
    go_resource *kept = go_open(name);  /* name is copied */
    name[0] = 'X';
    (void)kept;
    go_call(handler, NULL);
}

Test(resource, a_resource_left_open_is_listed_at_the_end_with_its_name_and_open_site) {
    const uint64_t leak[] = {1};
    go_exec *e = run_answers(leaky_main, NULL, leak, 1);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_assert_eq(go_exec_resource_count(e), 2);
    const go_resource_info *kept = go_exec_resource(e, 0);
    cr_expect_str_eq(kept->name, "file2");
    cr_expect_not(kept->closed);
    cr_expect_str_eq(kept->open_site->func, "leaky_main");
    cr_expect_str_eq(kept->open_site->file, "tests/test_resource.c");
    cr_expect_eq(kept->opened_by, 1);
    const go_resource_info *conn = go_exec_resource(e, 1);
    cr_expect_str_eq(conn->name, "conn");
    cr_expect_not(conn->closed);
    cr_expect_str_eq(conn->open_site->func, "handler");
    char desc[128];
    go_exec_describe_object(e, GO_OBJ_RESOURCE, 2, desc, sizeof desc);
    cr_expect_str_eq(desc, "conn, open");
    go_exec_free(e);
}

Test(resource, a_deferred_close_closes_the_resource_on_the_normal_path) {
    go_exec *e = run_first(leaky_main, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_RETURNED);
    cr_expect(go_exec_resource(e, 1)->closed);
    cr_expect_str_eq(go_exec_resource(e, 1)->close_site->func, "close_fn");
    go_exec_free(e);
}

/* ---- defer Close runs when the function panics -------------------------- */

static void panics_with_open_file(void *arg) {
    go_resource *f = go_open("log");
    go_defer(close_fn, f);
    go_panic("disk full");
}

Test(resource, a_deferred_close_runs_when_the_function_panics) {
    go_exec *e = run_first(panics_with_open_file, NULL);
    cr_assert_eq(go_exec_end(e), GO_END_PANIC);
    cr_expect(go_exec_resource(e, 0)->closed);
    char *trace = trace_text(e);
    cr_expect(strstr(trace, "event close g1 resource#1") != NULL, "%s", trace);
    free(trace);
    go_exec_free(e);
}
