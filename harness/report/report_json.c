/* report_json.c -- findings as JSON Lines, one object per finding, for
 * tools. The schema is README.md's ("JSON"); its field names are part of
 * the format: add fields, never rename or remove one without bumping
 * "format". Built with cJSON (Debian's libcjson-dev): escaping is not
 * something to get almost right by hand. */
#include <stdlib.h>

#include "report.h"

#define FORMAT "chanfuzz.finding/1"

/* cJSON's adders return NULL when out of memory and leave the object
 * without the field. The builder remembers that, so a finding is either
 * written whole or not at all. */
typedef struct builder {
    bool failed;
} builder;

static cJSON *check(builder *b, cJSON *item) {
    if (!item) b->failed = true;
    return item;
}

/* A string, or null for NULL: optional fields are present and null, never
 * missing, so a consumer can tell "not known" from an older format. */
static void put_string(builder *b, cJSON *object, const char *name, const char *value) {
    check(b, value ? cJSON_AddStringToObject(object, name, value)
                   : cJSON_AddNullToObject(object, name));
}

/* Integers up to 2^53 are exact in a JSON number (a double): 104 days of
 * virtual nanoseconds, more steps than any budget. */
static void put_number(builder *b, cJSON *object, const char *name, double value) {
    check(b, cJSON_AddNumberToObject(object, name, value));
}

static void put_item(builder *b, cJSON *object, const char *name, cJSON *item) {
    if (!check(b, item)) return;
    if (!cJSON_AddItemToObject(object, name, item)) {
        cJSON_Delete(item);
        b->failed = true;
    }
}

cJSON *cf_report_site_json(const go_site *site) {
    if (!site) return cJSON_CreateNull();
    cJSON *object = cJSON_CreateObject();
    builder b = {false};
    if (!object) return NULL;
    put_string(&b, object, "file", site->file);
    put_number(&b, object, "line", site->line);
    int column = chanfuzz_site_column(site);
    if (column > 0) put_number(&b, object, "column", column);
    put_string(&b, object, "function", site->func);
    if (b.failed) {
        cJSON_Delete(object);
        return NULL;
    }
    return object;
}

/* {"kind": "chan", "id": 1, "state": "unbuffered, ..."}, or null. */
static cJSON *object_json(builder *b, go_object_kind kind, uint64_t id, const char *state) {
    if (kind == GO_OBJ_NONE) return cJSON_CreateNull();
    cJSON *object = cJSON_CreateObject();
    if (!check(b, object)) return NULL;
    put_string(b, object, "kind", go_object_kind_name(kind));
    put_number(b, object, "id", (double)id);
    put_string(b, object, "state", state);
    return object;
}

static cJSON *goroutine_json(builder *b, const chanfuzz_goroutine *g) {
    const go_goroutine_info *info = &g->info;
    cJSON *object = cJSON_CreateObject();
    if (!check(b, object)) return NULL;
    put_number(b, object, "id", (double)info->id);
    put_string(b, object, "state", go_end_state_name(info->state));
    put_string(b, object, "entry", info->entry_name);
    put_string(b, object, "wait_reason",
               info->wait_reason != GO_WAIT_NONE ? go_wait_reason_name(info->wait_reason) : NULL);
    put_item(b, object, "wait_site", cf_report_site_json(info->wait_site));
    put_item(b, object, "object",
             object_json(b, info->object_kind, info->object_id, g->object_state));
    put_number(b, object, "blocked_ns", (double)g->blocked_for);
    if (info->creator_site) {
        cJSON *created = cJSON_CreateObject();
        if (check(b, created)) {
            put_number(b, created, "goroutine", (double)info->creator_id);
            put_item(b, created, "site", cf_report_site_json(info->creator_site));
        }
        put_item(b, object, "created_by", created);
    } else {
        check(b, cJSON_AddNullToObject(object, "created_by"));
    }
    return object;
}

static cJSON *witness_json(builder *b, const chanfuzz_witness *w) {
    cJSON *object = cJSON_CreateObject();
    if (!check(b, object)) return NULL;
    put_string(b, object, "kind", chanfuzz_witness_kind_id(w->kind));
    put_string(b, object, "summary", w->summary);
    cJSON *links = cJSON_CreateArray();
    for (size_t i = 0; links && i < w->link_count; i++) {
        const chanfuzz_witness_link *l = &w->links[i];
        cJSON *link = cJSON_CreateObject();
        if (!check(b, link)) break;
        put_string(b, link, "role", l->role);
        put_string(b, link, "kind", go_object_kind_name(l->object_kind));
        put_number(b, link, "id", (double)l->object_id);
        put_string(b, link, "state", l->state);
        put_item(b, link, "site", cf_report_site_json(l->site));
        if (!cJSON_AddItemToArray(links, link)) {
            cJSON_Delete(link);
            b->failed = true;
        }
    }
    put_item(b, object, "links", links);
    return object;
}

/* Growth findings: each growing site with its whole series, for tools
 * that plot it; an empty array for other kinds. */
static cJSON *growth_json(builder *b, const chanfuzz_finding *f) {
    cJSON *array = cJSON_CreateArray();
    for (size_t i = 0; array && i < f->growth_count; i++) {
        const chanfuzz_growth *g = &f->growth[i];
        cJSON *item = cJSON_CreateObject();
        if (!check(b, item)) break;
        if (!cJSON_AddItemToArray(array, item)) {
            cJSON_Delete(item);
            b->failed = true;
            break;
        }
        put_item(b, item, "site", cf_report_site_json(g->site));
        put_string(b, item, "kind", go_object_kind_name(g->kind));
        put_string(b, item, "measure", g->measure);
        put_number(b, item, "first", (double)g->first);
        put_number(b, item, "last", (double)g->last);
        put_number(b, item, "slope", g->slope);
        put_number(b, item, "first_bytes", (double)g->first_bytes);
        put_number(b, item, "last_bytes", (double)g->last_bytes);
        cJSON *series = cJSON_CreateArray();
        for (size_t k = 0; series && k < g->series_count; k++) {
            cJSON *value = cJSON_CreateNumber((double)g->series[k]);
            if (!value || !cJSON_AddItemToArray(series, value)) {
                cJSON_Delete(value);
                b->failed = true;
                break;
            }
        }
        put_item(b, item, "series", series);
    }
    check(b, array);
    return array;
}

static cJSON *execution_json(builder *b, const chanfuzz_findings *findings) {
    cJSON *object = cJSON_CreateObject();
    if (!check(b, object)) return NULL;
    put_string(b, object, "end", go_end_name(findings->end));
    put_string(b, object, "message", findings->end_message);
    put_number(b, object, "time_ns", (double)findings->end_time);
    put_number(b, object, "steps", (double)findings->steps);
    put_string(b, object, "semantics", go_semantics_name(findings->semantics));
    check(b, cJSON_AddBoolToObject(object, "settle_exhausted", findings->settle_exhausted));
    return object;
}

cJSON *cf_report_finding_json(const chanfuzz_report_info *info, const chanfuzz_findings *findings,
                              const chanfuzz_finding *f) {
    static const chanfuzz_report_info nothing = {0};
    if (!info) info = &nothing;
    builder b = {false};
    cJSON *object = cJSON_CreateObject();
    if (!object) return NULL;
    put_string(&b, object, "format", FORMAT);
    put_string(&b, object, "kind", chanfuzz_kind_id(f->kind));
    put_string(&b, object, "kind_name", chanfuzz_kind_name(f->kind));
    put_string(&b, object, "title", f->title);
    put_string(&b, object, "scenario", info->scenario);
    put_string(&b, object, "variant", info->variant);
    put_string(&b, object, "reproducer", info->reproducer);
    put_string(&b, object, "replay_command", info->replay_command);
    put_string(&b, object, "crash_state", f->crash_state);
    char hash[17];
    chanfuzz_crash_state_hash(f->crash_state, hash);
    put_string(&b, object, "crash_state_hash", hash);
    put_string(&b, object, "message", f->message);
    put_item(&b, object, "site", cf_report_site_json(f->site));
    put_item(&b, object, "creation_site", cf_report_site_json(f->creation_site));
    put_number(&b, object, "occurrences", (double)f->occurrences);
    put_item(&b, object, "execution", execution_json(&b, findings));
    cJSON *goroutines = cJSON_CreateArray();
    for (size_t i = 0; goroutines && i < f->goroutine_count; i++) {
        cJSON *g = goroutine_json(&b, &f->goroutines[i]);
        if (g && !cJSON_AddItemToArray(goroutines, g)) {
            cJSON_Delete(g);
            b.failed = true;
        }
    }
    put_item(&b, object, "goroutines", goroutines);
    put_item(&b, object, "witness", witness_json(&b, &f->witness));
    put_item(&b, object, "growth", growth_json(&b, f));
    if (b.failed) {
        cJSON_Delete(object);
        return NULL;
    }
    return object;
}

char *chanfuzz_finding_json(const chanfuzz_report_info *info, const chanfuzz_findings *findings,
                            size_t index) {
    if (!findings || index >= findings->count) return NULL;
    cJSON *object = cf_report_finding_json(info, findings, &findings->items[index]);
    if (!object) return NULL;
    char *text = cJSON_PrintUnformatted(object);
    cJSON_Delete(object);
    return text;
}

int chanfuzz_write_json(FILE *out, const chanfuzz_report_info *info,
                        const chanfuzz_findings *findings) {
    for (size_t i = 0; findings && i < findings->count; i++) {
        char *line = chanfuzz_finding_json(info, findings, i);
        if (!line) return -1;
        fprintf(out, "%s\n", line);
        cJSON_free(line);
    }
    return 0;
}
