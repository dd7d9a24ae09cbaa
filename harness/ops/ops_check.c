/* ops_check.c -- the consistency fuzz_ops asks of the runtime and the
 * detectors on every program. Findings are the programs' business (random
 * programs leak all the time); what must never happen is the harness
 * disagreeing with itself:
 *   - a goroutine left behind that no finding accounts for, or an
 *     execution cut short without the finding that says why;
 *   - a crash state that is empty or names an id (goroutine 3, chan#2),
 *     which would split one bug into many buckets;
 *   - a finding whose JSON does not parse, or names another kind;
 *   - the same decisions giving another end or other crash states. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "chanfuzz/sources.h"
#include "ops_table.h"

static void set_problem(chanfuzz_ops_check_result *r, const char *format, ...) {
    if (!r->consistent) return; /* keep the first */
    r->consistent = false;
    va_list ap;
    va_start(ap, format);
    vsnprintf(r->problem, sizeof r->problem, format, ap);
    va_end(ap);
}

static bool finding_has_goroutine(const chanfuzz_finding *f, uint64_t id) {
    for (size_t i = 0; i < f->goroutine_count; i++)
        if (f->goroutines[i].info.id == id) return true;
    return false;
}

/* The kind a cut execution must be reported as. */
static bool end_accounted_for(const chanfuzz_findings *f, go_end end) {
    switch (end) {
    case GO_END_PANIC:
        return chanfuzz_findings_first(f, CHANFUZZ_PANIC) ||
               chanfuzz_findings_first(f, CHANFUZZ_STACK_OVERFLOW);
    case GO_END_FATAL:
        return chanfuzz_findings_first(f, CHANFUZZ_FATAL_ERROR) ||
               chanfuzz_findings_first(f, CHANFUZZ_STACK_OVERFLOW);
    case GO_END_DEADLOCK: return chanfuzz_findings_first(f, CHANFUZZ_GLOBAL_DEADLOCK);
    case GO_END_STEP_BUDGET: return chanfuzz_findings_first(f, CHANFUZZ_STEP_BUDGET);
    default: return true;
    }
}

static void check_goroutines(const go_exec *e, const chanfuzz_findings *f,
                             chanfuzz_ops_check_result *r) {
    go_end end = go_exec_end(e);
    if (end == GO_END_STOPPED) {
        set_problem(r, "execution stopped: %s", go_exec_message(e));
        return;
    }
    if (end != GO_END_RETURNED) {
        if (!end_accounted_for(f, end))
            set_problem(r, "execution ended as %s (%s) and no finding says so", go_end_name(end),
                        go_exec_message(e));
        return;
    }
    for (size_t i = 0; i < go_exec_goroutine_count(e); i++) {
        const go_goroutine_info *g = go_exec_goroutine(e, i);
        if (g->state == GO_STATE_EXITED) continue;
        bool found = false;
        for (size_t k = 0; k < f->count && !found; k++)
            found = finding_has_goroutine(&f->items[k], g->id);
        if (!found)
            set_problem(r, "goroutine %llu is %s (%s) after main returned, in no finding",
                        (unsigned long long)g->id, go_end_state_name(g->state),
                        go_wait_reason_name(g->wait_reason));
    }
}

/* An id in a crash state: "#<digit>" (chan#2) or "goroutine <digit>". */
static const char *names_an_id(const char *text) {
    for (const char *p = text; *p; p++) {
        if (p[0] == '#' && isdigit((unsigned char)p[1])) return p;
        if (strncmp(p, "goroutine ", 10) == 0 && isdigit((unsigned char)p[10])) return p;
    }
    return NULL;
}

static void check_findings(const chanfuzz_findings *f, chanfuzz_ops_check_result *r) {
    for (size_t i = 0; i < f->count; i++) {
        const chanfuzz_finding *item = &f->items[i];
        r->kinds |= CHANFUZZ_KIND_BIT(item->kind);
        if (item->crash_state[0] == '\0')
            set_problem(r, "finding %zu (%s) has an empty crash state", i,
                        chanfuzz_kind_id(item->kind));
        if (names_an_id(item->crash_state))
            set_problem(r, "crash state names an id: %s", item->crash_state);
        char *json = chanfuzz_finding_json(NULL, f, i);
        if (!json) {
            set_problem(r, "finding %zu (%s): no JSON", i, chanfuzz_kind_id(item->kind));
            continue;
        }
        cJSON *object = cJSON_Parse(json);
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(object, "kind");
        const cJSON *state = cJSON_GetObjectItemCaseSensitive(object, "crash_state");
        if (!cJSON_IsObject(object))
            set_problem(r, "finding %zu: JSON does not parse: %.200s", i, json);
        else if (!cJSON_IsString(kind) || strcmp(kind->valuestring, chanfuzz_kind_id(item->kind)))
            set_problem(r, "finding %zu: JSON kind is not %s: %.200s", i,
                        chanfuzz_kind_id(item->kind), json);
        else if (!cJSON_IsString(state) || strcmp(state->valuestring, item->crash_state))
            set_problem(r, "finding %zu: JSON crash_state differs: %.200s", i, json);
        cJSON_Delete(object);
        free(json);
    }
}

/* Runs the same decisions again; the end and every crash state must be
 * the same. */
static void check_replay(const chanfuzz_program *p, const go_exec *first,
                         const chanfuzz_findings *first_findings, chanfuzz_ops_check_result *r) {
    size_t count;
    const go_decision *recorded = go_exec_decisions(first, &count);
    go_decision *log = malloc((count ? count : 1) * sizeof *log);
    if (!log) {
        set_problem(r, "out of memory");
        return;
    }
    if (count) memcpy(log, recorded, count * sizeof *log);
    go_replay_source replay;
    go_config cfg = {.decider = go_decider_replay(&replay, log, count)};
    go_exec *again = chanfuzz_ops_run(p, &cfg);
    chanfuzz_findings *f = chanfuzz_detect(again, NULL);
    if (!f) {
        set_problem(r, "detection failed on the replay");
    } else if (go_exec_end(again) != go_exec_end(first) ||
               strcmp(go_exec_message(again), go_exec_message(first)) != 0) {
        set_problem(r, "replay ended as %s (%s), the first run as %s (%s)",
                    go_end_name(go_exec_end(again)), go_exec_message(again),
                    go_end_name(go_exec_end(first)), go_exec_message(first));
    } else if (f->count != first_findings->count) {
        set_problem(r, "replay found %zu findings, the first run %zu", f->count,
                    first_findings->count);
    } else {
        for (size_t i = 0; i < f->count; i++)
            if (strcmp(f->items[i].crash_state, first_findings->items[i].crash_state) != 0)
                set_problem(r, "replay's finding %zu is \"%s\", the first run's \"%s\"", i,
                            f->items[i].crash_state, first_findings->items[i].crash_state);
    }
    chanfuzz_findings_free(f);
    go_exec_free(again);
    free(log);
}

static void check(const chanfuzz_program *p, go_decider decider, bool replay,
                  chanfuzz_ops_check_result *result) {
    memset(result, 0, sizeof *result);
    result->consistent = true;
    go_config cfg = {.decider = decider};
    go_exec *e = chanfuzz_ops_run(p, &cfg);
    result->end = go_exec_end(e);
    chanfuzz_findings *f = chanfuzz_detect(e, NULL);
    if (!f) {
        set_problem(result, "detection failed (out of memory)");
    } else {
        result->findings = f->count;
        check_goroutines(e, f, result);
        check_findings(f, result);
        if (replay) check_replay(p, e, f, result);
    }
    chanfuzz_findings_free(f);
    go_exec_free(e);
}

void chanfuzz_ops_check(const chanfuzz_program *p, go_decider decider,
                        chanfuzz_ops_check_result *result) {
    check(p, decider, true, result);
}

void chanfuzz_ops_check_once(const chanfuzz_program *p, go_decider decider,
                             chanfuzz_ops_check_result *result) {
    check(p, decider, false, result);
}

void chanfuzz_ops_check_input(const uint8_t *data, size_t size, chanfuzz_program *program,
                              chanfuzz_ops_check_result *result) {
    chanfuzz_program local;
    chanfuzz_program *p = program ? program : &local;
    size_t used = chanfuzz_ops_decode(data, size, p);
    /* No pointer arithmetic on NULL, even by 0 (UBSan says so). */
    const uint8_t *schedule = used < size ? data + used : NULL;
    chanfuzz_fuzz_bytes source;
    chanfuzz_ops_check(p, chanfuzz_fuzz_bytes_decider(&source, schedule, size - used), result);
}
