/* support.c -- helpers shared by the Criterion tests. */
#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>

go_exec *run_first(go_func *fn, void *arg) {
    go_config cfg = {.decider = go_decider_first(), .record_trace = true};
    return go_exec_run(&cfg, fn, arg);
}

go_exec *run_under(go_func *fn, go_semantics semantics) {
    go_config cfg = {.decider = go_decider_first(), .semantics = semantics};
    return go_exec_run(&cfg, fn, NULL);
}

go_exec *run_seeded(go_func *fn, void *arg, uint64_t seed) {
    go_prng_source src;
    go_config cfg = {.decider = go_decider_prng(&src, seed, 2), .record_trace = true};
    return go_exec_run(&cfg, fn, arg);
}

typedef struct {
    const uint64_t *answers;
    size_t count;
    size_t next;
} answer_source;

static uint64_t decide_answers(void *self, go_decision_kind kind, uint64_t options) {
    answer_source *src = self;
    (void)kind;
    if (src->next >= src->count) return 0;
    return src->answers[src->next++] % options;
}

go_exec *run_answers(go_func *fn, void *arg, const uint64_t *answers, size_t count) {
    answer_source src = {answers, count, 0};
    go_config cfg = {.decider = {decide_answers, &src}, .record_trace = true};
    return go_exec_run(&cfg, fn, arg);
}

go_end_state state_of(const go_exec *e, uint64_t id) { return go_exec_goroutine_state(e, id); }

const go_goroutine_info *info_of(const go_exec *e, uint64_t id) {
    for (size_t i = 0; i < go_exec_goroutine_count(e); i++)
        if (go_exec_goroutine(e, i)->id == id) return go_exec_goroutine(e, i);
    return NULL;
}

static char *capture(const go_exec *e, void (*write)(const go_exec *, FILE *)) {
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    write(e, f);
    fclose(f);
    return text;
}

char *trace_text(const go_exec *e) { return capture(e, go_exec_write_trace); }
char *dump_text(const go_exec *e) { return capture(e, go_exec_write_goroutines); }

go_exec *run_script(go_func *fn, void *arg, const go_decision_kind *kinds,
                    const uint64_t *answers, size_t count) {
    go_exec *e = run_answers(fn, arg, answers, count);
    size_t made;
    const go_decision *log = go_exec_decisions(e, &made);
    cr_assert_geq(made, count, "the script has %zu decisions, the run made %zu", count, made);
    for (size_t i = 0; i < count; i++)
        if (log[i].kind != kinds[i])
            cr_assert_fail("decision %zu is %s, the script expected %s:\n%s", i + 1,
                           go_decision_kind_name((go_decision_kind)log[i].kind),
                           go_decision_kind_name(kinds[i]), trace_text(e));
    return e;
}

const go_context_info *context_info(const go_exec *e, uint64_t id) {
    const go_context_info *info = id ? go_exec_context(e, (size_t)(id - 1)) : NULL;
    cr_assert_not_null(info, "no context#%llu", (unsigned long long)id);
    cr_assert_eq(info->id, id);
    return info;
}

size_t mapping_count(void) {
    FILE *maps = fopen("/proc/self/maps", "r");
    cr_assert(maps != NULL);
    size_t lines = 0;
    for (int ch; (ch = getc(maps)) != EOF;) lines += ch == '\n';
    fclose(maps);
    return lines;
}
