/* closure.c -- closures: a func literal's captured variables (go_env).
 *
 * Go compiles a closure to a code pointer and a record of the variables it
 * captures; what a closure keeps alive is that record. Here the code is
 * the go_func given to go_go (or go_after_func, go_context_after_func) and
 * the record is a go_env of words, passed as the function's argument: the
 * goroutine (or timer, or context) holds the closure through that
 * argument, and the closure holds whatever its words point to. */
#include <stdio.h>
#include <string.h>

#include "graph.h"
#include "sched.h"

/* Go allows any number of captures; this keeps a runaway count sane. */
#define CF_CLOSURE_MAX_WORDS ((size_t)1 << 20)

struct go_env {
    cf_object obj;
    size_t count;
    go_word words[];
};

static void describe(const cf_object *obj, char *out, size_t size) {
    const go_env *env = (const go_env *)obj;
    snprintf(out, size, "%zu captured word%s", env->count, env->count == 1 ? "" : "s");
}

/* Each captured word may be a pointer or an integer: conservative. */
static void trace(const cf_object *obj, cf_tracer *tracer) {
    const go_env *env = (const go_env *)obj;
    for (size_t i = 0; i < env->count; i++) cf_trace_word(tracer, env->words[i]);
}

static const cf_object_ops closure_ops = {.describe = describe, .trace = trace};

go_env *go_closure_at(const go_site *site, size_t count, const go_word *words) {
    go_exec *e = cf_exec();
    if (count > CF_CLOSURE_MAX_WORDS)
        cf_fail(e, GO_END_PANIC, site, "chanfuzz: closure captures too many words");
    /* The words are still the caller's (in its compound literal) while a
     * collection may run here: they are on its stack, so they are seen. */
    cf_graph_allocation_point(e, site);
    go_env *env = cf_object_new(GO_OBJ_CLOSURE, sizeof(go_env) + count * sizeof(go_word), site,
                                &closure_ops);
    env->count = count;
    if (words) memcpy(env->words, words, count * sizeof(go_word));
    return env;
}

static void check_index(const go_site *site, const go_env *env, size_t index) {
    go_exec *e = cf_exec();
    if (!env) cf_fail(e, GO_END_PANIC, site,
                      "runtime error: invalid memory address or nil pointer dereference");
    /* The panic value must outlive a recover: a constant, without the
     * numbers Go puts in it. */
    if (index >= env->count)
        cf_fail(e, GO_END_PANIC, site, "runtime error: index out of range");
}

go_word go_env_word_at(const go_site *site, const go_env *env, size_t index) {
    check_index(site, env, index);
    return env->words[index];
}

void go_env_set_at(const go_site *site, go_env *env, size_t index, go_word value) {
    check_index(site, env, index);
    env->words[index] = value;
}

size_t go_env_len(const go_env *env) { return env ? env->count : 0; }
