/* list.c -- `chanfuzz list [SCENARIO] [--json]`: the registry, one entry
 * per variant, with the verdict each must get.
 *
 * --json prints one array; each element has (README.md, "list --json"):
 * scenario, variant, tags, expect, allow, description, file, step_budget,
 * executions, semantics, ignore. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static cJSON *words(const char *text) {
    cJSON *array = cJSON_CreateArray();
    const char *at = text ? text : "";
    while (*at) {
        while (*at == ' ') at++;
        const char *end = at;
        while (*end && *end != ' ') end++;
        if (end > at) {
            char *word = strndup(at, (size_t)(end - at));
            cJSON_AddItemToArray(array, cJSON_CreateString(word));
            free(word);
        }
        at = end;
    }
    return array;
}

static cJSON *variant_json(const chanfuzz_target *t) {
    const chanfuzz_scenario *s = t->scenario;
    const chanfuzz_variant *v = chanfuzz_scenario_variant(s, t->variant);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", s->name);
    cJSON_AddStringToObject(o, "variant", chanfuzz_variant_name(t->variant));
    cJSON_AddItemToObject(o, "tags", words(s->tags));
    cJSON_AddItemToObject(o, "expect", cli_kind_array(v->expect));
    cJSON_AddItemToObject(o, "allow", cli_kind_array(v->allow));
    cJSON_AddStringToObject(o, "description", s->description);
    if (s->fix)
        cJSON_AddStringToObject(o, "fix", s->fix);
    else
        cJSON_AddNullToObject(o, "fix");
    if (s->file)
        cJSON_AddStringToObject(o, "file", s->file);
    else
        cJSON_AddNullToObject(o, "file");
    uint64_t step_budget = s->step_budget ? s->step_budget : CHANFUZZ_DEFAULT_STEP_BUDGET;
    cJSON_AddNumberToObject(o, "step_budget", (double)step_budget);
    cJSON_AddNumberToObject(o, "executions",
                            (double)(s->executions ? s->executions : CHANFUZZ_DEFAULT_EXECUTIONS));
    cJSON *semantics = cJSON_CreateArray();
    for (int g = GO_SEMANTICS_1_22; g >= GO_SEMANTICS_1_23; g--)
        if (chanfuzz_scenario_runs_under(s, (go_semantics)g))
            cJSON_AddItemToArray(semantics, cJSON_CreateString(go_semantics_name((go_semantics)g)));
    cJSON_AddItemToObject(o, "semantics", semantics);
    cJSON *ignore = cJSON_CreateArray();
    for (const char *const *rule = s->ignore; rule && *rule; rule++)
        cJSON_AddItemToArray(ignore, cJSON_CreateString(*rule));
    cJSON_AddItemToObject(o, "ignore", ignore);
    return o;
}

const char cli_usage_list[] = "usage: chanfuzz list [SCENARIO] [--json]";

int cli_list(int argc, char **argv) {
    bool json = false;
    const char *spec = "all";
    bool spec_given = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!cli_is_flag(argv[i]) && !spec_given)
            spec = argv[i], spec_given = true;
        else
            return cli_fail("list", "unknown argument '%s' (%s)", argv[i], cli_usage_list);
    }
    chanfuzz_target *targets;
    char error[256];
    size_t count = chanfuzz_select(spec, &targets, error, sizeof error);
    if (!count) {
        if (!strcmp(spec, "all") && chanfuzz_scenario_count() == 0) {
            if (json) puts("[]");
            return 0;
        }
        return cli_fail("list", "%s", error);
    }
    if (json) {
        cJSON *array = cJSON_CreateArray();
        for (size_t i = 0; i < count; i++) cJSON_AddItemToArray(array, variant_json(&targets[i]));
        char *text = cJSON_Print(array);
        puts(text);
        free(text);
        cJSON_Delete(array);
    } else {
        /* Columns as wide as their widest entry. */
        int name_width = 8, expect_width = 6, tags_width = 4;
        for (size_t i = 0; i < count; i++) {
            const chanfuzz_scenario *s = targets[i].scenario;
            char *expect = cli_kind_list(chanfuzz_scenario_variant(s, targets[i].variant)->expect);
            int n = (int)strlen(s->name), e = (int)strlen(expect);
            int t = s->tags ? (int)strlen(s->tags) : 0;
            name_width = n > name_width ? n : name_width;
            expect_width = e > expect_width ? e : expect_width;
            tags_width = t > tags_width ? t : tags_width;
            free(expect);
        }
        printf("%-*s %-7s %-*s %-*s %s\n", name_width, "scenario", "variant", expect_width,
               "expect", tags_width, "tags", "description");
        for (size_t i = 0; i < count; i++) {
            const chanfuzz_scenario *s = targets[i].scenario;
            const chanfuzz_variant *v = chanfuzz_scenario_variant(s, targets[i].variant);
            char *expect = cli_kind_list(v->expect);
            bool first = i == 0 || targets[i - 1].scenario != s;
            if (first)
                printf("%-*s %-7s %-*s %-*s %s\n", name_width, s->name,
                       chanfuzz_variant_name(targets[i].variant), expect_width,
                       expect[0] ? expect : "clean", tags_width, s->tags ? s->tags : "",
                       s->description);
            else /* the second variant: no padding after its verdict */
                printf("%-*s %-7s %s\n", name_width, "", chanfuzz_variant_name(targets[i].variant),
                       expect[0] ? expect : "clean");
            free(expect);
        }
    }
    free(targets);
    return 0;
}
