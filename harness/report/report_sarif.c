/* report_sarif.c -- findings as a SARIF 2.1.0 log, for code scanning
 * (GitHub, IDEs): one run of tool "chanfuzz", one result per finding,
 * located at its blocking (or panicking, or allocation) site, with the
 * goroutines' creation site as a related location.
 *
 * partialFingerprints carries a hash of the crash state, so a scanner
 * matches a result across runs exactly when libFuzzer would call it the
 * same crash: same kind, same sites, whatever the schedule. The whole
 * finding, in README.md's JSON schema, rides along in properties. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_KEY "chanfuzzCrashState/v1"
/* Relative sites (the build maps the source root away, see
 * cmake/flags.cmake) resolve against the checkout. */
#define SOURCE_ROOT "%SRCROOT%"

struct chanfuzz_sarif {
    cJSON *results;     /* the results so far, without ruleIndex */
    cJSON *seen;        /* crash state -> true: added once only */
};

chanfuzz_sarif *chanfuzz_sarif_new(void) {
    chanfuzz_sarif *log = calloc(1, sizeof *log);
    if (!log) return NULL;
    log->results = cJSON_CreateArray();
    log->seen = cJSON_CreateObject();
    if (!log->results || !log->seen) {
        chanfuzz_sarif_free(log);
        return NULL;
    }
    return log;
}

void chanfuzz_sarif_free(chanfuzz_sarif *log) {
    if (!log) return;
    cJSON_Delete(log->results);
    cJSON_Delete(log->seen);
    free(log);
}

/* ---- building one result ---------------------------------------------------- */

/* What a finding costs the program: a goroutine gone for good or a crash
 * is an error; a lost cancel, a context pinned until its parent goes, or
 * a budget that may simply be too small, a warning. */
static const char *level_of(chanfuzz_kind kind) {
    switch (kind) {
    case CHANFUZZ_STEP_BUDGET:
    case CHANFUZZ_LOST_CANCEL:
    case CHANFUZZ_CONTEXT_REGISTERED:
    case CHANFUZZ_TIMER_NOT_STOPPED:
    case CHANFUZZ_GROWTH: return "warning";
    default: return "error";
    }
}

/* Every node is attached to its parent as it is made (cJSON_Add*ToObject,
 * add_to_array), so when memory runs out half way, deleting the root
 * frees everything and nothing is freed twice. */

/* Appends item to array; false, with item freed, when it could not. */
static bool add_to_array(cJSON *array, cJSON *item) {
    if (item && cJSON_AddItemToArray(array, item)) return true;
    cJSON_Delete(item);
    return false;
}

/* Adds item to object under name; false, with item freed, when it could
 * not. */
static bool add_to_object(cJSON *object, const char *name, cJSON *item) {
    if (item && cJSON_AddItemToObject(object, name, item)) return true;
    cJSON_Delete(item);
    return false;
}

/* object.name = {"text": text} */
static bool add_message(cJSON *object, const char *name, const char *text) {
    cJSON *message = cJSON_AddObjectToObject(object, name);
    return message && cJSON_AddStringToObject(message, "text", text);
}

/* Appends {"physicalLocation": {"artifactLocation": {"uri", "uriBaseId"},
 * "region": {"startLine", "startColumn" (Go sites)}}, "message": {"text"}} to array; returns the
 * location, or NULL when out of memory. */
static cJSON *add_location(cJSON *array, const go_site *site, const char *text) {
    cJSON *location = cJSON_CreateObject();
    if (!add_to_array(array, location)) return NULL;
    cJSON *physical = cJSON_AddObjectToObject(location, "physicalLocation");
    cJSON *artifact = physical ? cJSON_AddObjectToObject(physical, "artifactLocation") : NULL;
    cJSON *region = physical ? cJSON_AddObjectToObject(physical, "region") : NULL;
    bool ok = artifact && region && cJSON_AddStringToObject(artifact, "uri", site->file) &&
              (site->file[0] == '/' ||
               cJSON_AddStringToObject(artifact, "uriBaseId", SOURCE_ROOT)) &&
              cJSON_AddNumberToObject(region, "startLine", site->line > 0 ? site->line : 1) &&
              (chanfuzz_site_column(site) <= 0 ||
               cJSON_AddNumberToObject(region, "startColumn", chanfuzz_site_column(site))) &&
              (!text || add_message(location, "message", text));
    return ok ? location : NULL;
}

/* Appends the result of finding f to results; false when out of memory. */
static bool add_result(cJSON *results, const chanfuzz_report_info *info,
                       const chanfuzz_findings *findings, const chanfuzz_finding *f) {
    cJSON *result = cJSON_CreateObject();
    if (!result) return false;
    char text[CHANFUZZ_MESSAGE_MAX + CHANFUZZ_CRASH_STATE_MAX + 128];
    cf_report_header(text, sizeof text, info, f);
    char hash[17];
    chanfuzz_crash_state_hash(f->crash_state, hash);

    bool ok = cJSON_AddStringToObject(result, "ruleId", chanfuzz_kind_id(f->kind)) &&
              cJSON_AddStringToObject(result, "level", level_of(f->kind)) &&
              add_message(result, "message", text);
    if (ok && f->site) {
        cJSON *locations = cJSON_AddArrayToObject(result, "locations");
        ok = locations && add_location(locations, f->site, f->witness.summary);
    }
    if (ok && f->creation_site && f->creation_site != f->site) {
        cJSON *related = cJSON_AddArrayToObject(result, "relatedLocations");
        cJSON *created =
            related ? add_location(related, f->creation_site, "the goroutine was created here")
                    : NULL;
        ok = created && cJSON_AddNumberToObject(created, "id", 1);
    }
    if (ok) {
        cJSON *fingerprints = cJSON_AddObjectToObject(result, "partialFingerprints");
        ok = fingerprints && cJSON_AddStringToObject(fingerprints, FINGERPRINT_KEY, hash);
    }
    if (ok) {
        cJSON *properties = cJSON_AddObjectToObject(result, "properties");
        ok = properties && cJSON_AddStringToObject(properties, "crashState", f->crash_state) &&
             add_to_object(properties, "chanfuzz", cf_report_finding_json(info, findings, f));
    }
    if (!ok) {
        cJSON_Delete(result);
        return false;
    }
    return add_to_array(results, result);
}

int chanfuzz_sarif_add(chanfuzz_sarif *log, const chanfuzz_report_info *info,
                       const chanfuzz_findings *findings) {
    for (size_t i = 0; log && findings && i < findings->count; i++) {
        const chanfuzz_finding *f = &findings->items[i];
        if (cJSON_GetObjectItemCaseSensitive(log->seen, f->crash_state)) continue;
        if (!add_result(log->results, info, findings, f)) return -1;
        if (!cJSON_AddTrueToObject(log->seen, f->crash_state)) return -1;
    }
    return log ? 0 : -1;
}

char *chanfuzz_sarif_results_text(const chanfuzz_sarif *log) {
    return log ? cJSON_PrintUnformatted(log->results) : NULL;
}

int chanfuzz_sarif_add_results_text(chanfuzz_sarif *log, const char *text) {
    cJSON *results = log && text ? cJSON_Parse(text) : NULL;
    if (!cJSON_IsArray(results)) {
        cJSON_Delete(results);
        return -1;
    }
    int status = 0;
    cJSON *result;
    while (status == 0 && (result = cJSON_DetachItemFromArray(results, 0))) {
        const cJSON *properties = cJSON_GetObjectItemCaseSensitive(result, "properties");
        const char *state =
            cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(properties, "crashState"));
        if (!state || cJSON_GetObjectItemCaseSensitive(log->seen, state)) {
            cJSON_Delete(result);
            continue;
        }
        if (!cJSON_AddTrueToObject(log->seen, state) || !add_to_array(log->results, result))
            status = -1;
    }
    cJSON_Delete(results);
    return status;
}

/* ---- the log ---------------------------------------------------------------- */

/* tool.driver.rules: one per kind found, in kind order; rule_index[k] is
 * kind k's place among them. */
static bool add_rules(cJSON *driver, chanfuzz_kind_set kinds,
                      int rule_index[CHANFUZZ_KIND_COUNT]) {
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    int next = 0;
    for (int k = 0; rules && k < CHANFUZZ_KIND_COUNT; k++) {
        if (!(kinds & CHANFUZZ_KIND_BIT(k))) continue;
        chanfuzz_kind kind = (chanfuzz_kind)k;
        cJSON *rule = cJSON_CreateObject();
        if (!add_to_array(rules, rule)) return false;
        cJSON *configuration = cJSON_AddObjectToObject(rule, "defaultConfiguration");
        if (!configuration || !cJSON_AddStringToObject(rule, "id", chanfuzz_kind_id(kind)) ||
            !cJSON_AddStringToObject(rule, "name", chanfuzz_kind_id(kind)) ||
            !add_message(rule, "shortDescription", chanfuzz_kind_name(kind)) ||
            !cJSON_AddStringToObject(configuration, "level", level_of(kind)))
            return false;
        rule_index[k] = next++;
    }
    return rules != NULL;
}

static cJSON *log_json(const chanfuzz_sarif *log) {
    cJSON *root = cJSON_CreateObject();
    if (!root) return NULL;
    bool ok = cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA) &&
              cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *runs = ok ? cJSON_AddArrayToObject(root, "runs") : NULL;
    cJSON *run = runs ? cJSON_CreateObject() : NULL;
    ok = runs && add_to_array(runs, run);
    cJSON *tool = ok ? cJSON_AddObjectToObject(run, "tool") : NULL;
    cJSON *driver = tool ? cJSON_AddObjectToObject(tool, "driver") : NULL;
    cJSON *results = driver ? cJSON_Duplicate(log->results, true) : NULL;
    ok = driver && add_to_object(run, "results", results) &&
         cJSON_AddStringToObject(driver, "name", "chanfuzz");
    /* ruleIndex needs the rules, and the rules are the kinds found. */
    chanfuzz_kind_set kinds = 0;
    cJSON *result;
    chanfuzz_kind kind;
    if (ok)
        cJSON_ArrayForEach(result, results) {
            if (chanfuzz_kind_from_id(cJSON_GetObjectItem(result, "ruleId")->valuestring, &kind))
                kinds |= CHANFUZZ_KIND_BIT(kind);
        }
    int rule_index[CHANFUZZ_KIND_COUNT] = {0};
    ok = ok && add_rules(driver, kinds, rule_index);
    if (ok)
        cJSON_ArrayForEach(result, results) {
            chanfuzz_kind_from_id(cJSON_GetObjectItem(result, "ruleId")->valuestring, &kind);
            if (!cJSON_AddNumberToObject(result, "ruleIndex", rule_index[kind])) ok = false;
        }
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

int chanfuzz_sarif_write(const chanfuzz_sarif *log, FILE *out) {
    if (!log) return -1;
    cJSON *root = log_json(log);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) return -1;
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    return 0;
}

int chanfuzz_write_sarif(FILE *out, const chanfuzz_report_info *info,
                         const chanfuzz_findings *findings) {
    chanfuzz_sarif *log = chanfuzz_sarif_new();
    int status = log ? chanfuzz_sarif_add(log, info, findings) : -1;
    if (status == 0) status = chanfuzz_sarif_write(log, out);
    chanfuzz_sarif_free(log);
    return status;
}
