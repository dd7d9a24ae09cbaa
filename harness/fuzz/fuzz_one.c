/* fuzz_one.c -- one fuzz input against one scenario variant: run, judge,
 * classify against the variant's verdict, and the names fuzz targets go
 * by. */
#include <string.h>

#include "chanfuzz/sources.h"
#include "fuzz_target.h"

/* ---- 1. Judging ------------------------------------------------------------ */

go_semantics chanfuzz_fuzz_semantics_for(const chanfuzz_target *target) {
    if (chanfuzz_scenario_runs_under(target->scenario, GO_SEMANTICS_1_23)) return GO_SEMANTICS_1_23;
    return GO_SEMANTICS_1_22;
}

chanfuzz_findings *chanfuzz_fuzz_judge(const chanfuzz_target *target, const uint8_t *data,
                                       size_t size, go_semantics semantics, go_event_hook *hook,
                                       void *hook_self, chanfuzz_fuzz_finish *finish,
                                       void *finish_self) {
    chanfuzz_fuzz_bytes source;
    go_config config =
        chanfuzz_target_config(target, chanfuzz_fuzz_bytes_decider(&source, data, size), semantics);
    config.event_hook = hook;
    config.event_hook_self = hook_self;
    go_exec *exec = chanfuzz_target_run(target, &config);
    if (finish) finish(finish_self, exec);
    chanfuzz_findings *findings = chanfuzz_target_judge(target, exec, NULL);
    go_exec_free(exec);
    return findings;
}

/* ---- 2. Verdicts ------------------------------------------------------------- */

const char *chanfuzz_input_verdict_name(chanfuzz_input_verdict verdict) {
    switch (verdict) {
    case CHANFUZZ_INPUT_CLEAN: return "clean";
    case CHANFUZZ_INPUT_EXPECTED: return "expected";
    case CHANFUZZ_INPUT_ALLOWED: return "allowed";
    case CHANFUZZ_INPUT_UNEXPECTED: return "unexpected";
    }
    return "?";
}

static chanfuzz_kind_set expected_kinds(const chanfuzz_target *target) {
    return chanfuzz_scenario_variant(target->scenario, target->variant)->expect;
}

bool chanfuzz_fuzz_kind_ok(const chanfuzz_target *target, chanfuzz_kind kind) {
    const chanfuzz_variant *v = chanfuzz_scenario_variant(target->scenario, target->variant);
    return ((v->expect | v->allow) & CHANFUZZ_KIND_BIT(kind)) != 0;
}

chanfuzz_input_verdict chanfuzz_fuzz_classify(const chanfuzz_target *target,
                                              const chanfuzz_findings *findings) {
    if (findings->count == 0) return CHANFUZZ_INPUT_CLEAN;
    bool found_expected = false;
    for (size_t i = 0; i < findings->count; i++) {
        chanfuzz_kind kind = findings->items[i].kind;
        if (!chanfuzz_fuzz_kind_ok(target, kind)) return CHANFUZZ_INPUT_UNEXPECTED;
        if (expected_kinds(target) & CHANFUZZ_KIND_BIT(kind)) found_expected = true;
    }
    return found_expected ? CHANFUZZ_INPUT_EXPECTED : CHANFUZZ_INPUT_ALLOWED;
}

const chanfuzz_finding *chanfuzz_fuzz_primary(const chanfuzz_target *target,
                                              const chanfuzz_findings *findings) {
    for (size_t i = 0; i < findings->count; i++)
        if (expected_kinds(target) & CHANFUZZ_KIND_BIT(findings->items[i].kind))
            return &findings->items[i];
    for (size_t i = 0; i < findings->count; i++)
        if (!chanfuzz_fuzz_kind_ok(target, findings->items[i].kind)) return &findings->items[i];
    return findings->count ? &findings->items[0] : NULL;
}

/* ---- 3. Naming --------------------------------------------------------------- */

bool chanfuzz_fuzz_target_name(const chanfuzz_target *target, char *out, size_t size) {
    int written = snprintf(out, size, "fuzz_%s_%s", target->scenario->name,
                           chanfuzz_variant_name(target->variant));
    return written > 0 && (size_t)written < size;
}

bool chanfuzz_fuzz_target_from_name(const char *name, chanfuzz_target *target) {
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (strncmp(base, "fuzz_", 5) != 0) return false;
    base += 5;
    /* The variant is the last word: scenario names have underscores too. */
    const char *split = strrchr(base, '_');
    if (!split || split == base) return false;
    const chanfuzz_scenario *scenario = chanfuzz_scenario_find(base, (size_t)(split - base));
    chanfuzz_variant_kind variant;
    if (!scenario || !chanfuzz_variant_from_name(split + 1, strlen(split + 1), &variant) ||
        !chanfuzz_scenario_variant(scenario, variant))
        return false;
    *target = (chanfuzz_target){scenario, variant};
    return true;
}

void chanfuzz_fuzz_write_kinds(FILE *out, chanfuzz_kind_set kinds) {
    const char *separator = "";
    for (int kind = 0; kind < CHANFUZZ_KIND_COUNT; kind++)
        if (kinds & CHANFUZZ_KIND_BIT(kind)) {
            fprintf(out, "%s%s", separator, chanfuzz_kind_id((chanfuzz_kind)kind));
            separator = ",";
        }
}

/* Registry strings are code, but a tag could still hold a quote. */
static void write_json_string(FILE *out, const char *text) {
    fputc('"', out);
    for (const char *c = text ? text : ""; *c; c++) {
        if (*c == '"' || *c == '\\') fputc('\\', out);
        if ((unsigned char)*c >= 0x20) fputc(*c, out);
    }
    fputc('"', out);
}

void chanfuzz_fuzz_write_info(FILE *out, const chanfuzz_target *target) {
    const chanfuzz_scenario *s = target->scenario;
    const chanfuzz_variant *v = chanfuzz_scenario_variant(s, target->variant);
    char name[256];
    chanfuzz_fuzz_target_name(target, name, sizeof name);
    fprintf(out, "{\"target\":");
    write_json_string(out, name);
    fprintf(out, ",\"scenario\":");
    write_json_string(out, s->name);
    fprintf(out, ",\"variant\":\"%s\",\"tags\":", chanfuzz_variant_name(target->variant));
    write_json_string(out, s->tags);
    fprintf(out, ",\"rare\":%s,\"expect\":\"", chanfuzz_scenario_has_tag(s, "rare") ? "true" : "false");
    chanfuzz_fuzz_write_kinds(out, v->expect);
    fprintf(out, "\",\"allow\":\"");
    chanfuzz_fuzz_write_kinds(out, v->allow);
    fprintf(out, "\",\"semantics\":\"%s\",\"executions\":%llu}\n",
            go_semantics_name(chanfuzz_fuzz_semantics_for(target)),
            (unsigned long long)(s->executions ? s->executions : CHANFUZZ_DEFAULT_EXECUTIONS));
}
