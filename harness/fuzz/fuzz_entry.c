/* fuzz_entry.c -- LLVMFuzzerInitialize and LLVMFuzzerTestOneInput for every
 * scenario variant (fuzz_entry.h says how a binary picks its variant).
 *
 * A good target keeps nothing between inputs: everything an execution
 * owns hangs off its go_exec, freed before returning; the feedback
 * history is reset per input. The only process state is the choice of
 * variant, made once, and the execution count (reported at a crash so
 * bench/feedback.sh can count executions to detection exactly). */
#include "fuzz_entry.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "feedback.h"
#include "fuzz_multi.h"

/* Defined by target_name.c in binaries built for one variant. */
extern const char chanfuzz_fuzz_target_spec[] __attribute__((weak));

static chanfuzz_target current;
static bool have_target;
static go_semantics semantics;
static bool semantics_forced;   /* -chanfuzz_go_semantics= given */
static uint64_t executions;
static bool empty_target;       /* -chanfuzz_empty=1: return at once (bench) */
static double end_time;         /* -chanfuzz_end=: CLOCK_MONOTONIC seconds, or 0 */
static chanfuzz_feedback feedback;

static void crash_on_finding(const chanfuzz_target *target, const uint8_t *data, size_t size,
                             const chanfuzz_findings *findings);
static chanfuzz_finding_handler *on_finding = crash_on_finding;

void chanfuzz_fuzz_set_finding_handler(chanfuzz_finding_handler *handler) {
    on_finding = handler ? handler : crash_on_finding;
}

const chanfuzz_target *chanfuzz_fuzz_current_target(void) { return have_target ? &current : NULL; }

void chanfuzz_fuzz_choose_target(const chanfuzz_target *target) {
    current = *target;
    have_target = true;
    if (!semantics_forced) semantics = chanfuzz_fuzz_semantics_for(target);
}

go_semantics chanfuzz_fuzz_current_semantics(void) { return semantics; }

uint64_t chanfuzz_fuzz_executions(void) { return executions; }

/* ---- flags ------------------------------------------------------------------ */

static const char *flag_value(const char *arg, const char *name) {
    size_t length = strlen(name);
    return strncmp(arg, name, length) == 0 && arg[length] == '=' ? arg + length + 1 : NULL;
}

static void usage_error(const char *program, const char *why, const char *what) {
    fprintf(stderr, "%s: %s '%s'\n", program, why, what);
    exit(CHANFUZZ_EXIT_USAGE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    const char *program = *argc > 0 ? (*argv)[0] : "fuzz";
    const char *target_flag = NULL, *list_flag = NULL, *findings_flag = NULL, *stats_flag = NULL,
               *end_flag = NULL;
    bool info = false;
    int kept = 0;
    for (int i = 0; i < *argc; i++) {
        const char *arg = (*argv)[i], *value;
        if ((value = flag_value(arg, "-chanfuzz_target"))) {
            target_flag = value;
        } else if ((value = flag_value(arg, "-chanfuzz_targets"))) {
            list_flag = value;
        } else if ((value = flag_value(arg, "-chanfuzz_findings"))) {
            findings_flag = value;
        } else if ((value = flag_value(arg, "-chanfuzz_stats"))) {
            stats_flag = value;
        } else if ((value = flag_value(arg, "-chanfuzz_end"))) {
            end_flag = value;
        } else if ((value = flag_value(arg, "-chanfuzz_empty"))) {
            empty_target = strcmp(value, "0") != 0;
        } else if ((value = flag_value(arg, "-chanfuzz_info"))) {
            info = strcmp(value, "0") != 0;
        } else if ((value = flag_value(arg, "-chanfuzz_go_semantics"))) {
            if (strcmp(value, "1.23") == 0)
                semantics = GO_SEMANTICS_1_23;
            else if (strcmp(value, "1.22") == 0)
                semantics = GO_SEMANTICS_1_22;
            else
                usage_error(program, "-chanfuzz_go_semantics: expected 1.22 or 1.23, not", value);
            semantics_forced = true;
        } else if (strncmp(arg, "-chanfuzz_", 10) == 0) {
            usage_error(program, "unknown flag", arg);
        } else {
            (*argv)[kept++] = (*argv)[i];
        }
    }
    *argc = kept;
    (*argv)[kept] = NULL;   /* argv is NULL-terminated; keep it so */

    /* libFuzzer's -fork workers get argv after this function removed our
     * flags: the environment carries the multi-variant mode to them. */
    if (!list_flag) list_flag = getenv("CHANFUZZ_FUZZ_TARGETS");
    if (!findings_flag) findings_flag = getenv("CHANFUZZ_FUZZ_FINDINGS");
    if (!stats_flag) stats_flag = getenv("CHANFUZZ_FUZZ_STATS");
    if (!end_flag) end_flag = getenv("CHANFUZZ_FUZZ_END");
    if (end_flag && *end_flag) {
        char *rest;
        end_time = strtod(end_flag, &rest);
        if (*rest || end_time <= 0) usage_error(program, "-chanfuzz_end: expected seconds, not", end_flag);
    }
    if (list_flag && *list_flag) {
        char why[PATH_MAX + 300];
        if (!chanfuzz_multi_load(list_flag, why, sizeof why))
            usage_error(program, "-chanfuzz_targets:", why);
        if (info) {
            /* What `chanfuzz fuzz` probes before trusting the mode. */
            printf("{\"multi\":%zu}\n", chanfuzz_multi_count());
            exit(0);
        }
        chanfuzz_multi_set_outputs(findings_flag, stats_flag);
        /* Fair time shares only while fuzzing to a deadline (chanfuzz
         * fuzz); a merge or a replay must judge every input. */
        chanfuzz_multi_set_fair(end_time > 0);
        return 0;
    }
    chanfuzz_target chosen;
    if (target_flag) {
        if (!chanfuzz_target_parse(target_flag, &chosen))
            usage_error(program, "-chanfuzz_target: no such scenario variant", target_flag);
    } else if (chanfuzz_fuzz_target_spec) {
        /* A build-time name the registry lacks is a build error. */
        if (!chanfuzz_target_parse(chanfuzz_fuzz_target_spec, &chosen)) {
            fprintf(stderr, "%s: built for '%s', which the scenario registry lacks\n", program,
                    chanfuzz_fuzz_target_spec);
            abort();
        }
    } else if (!chanfuzz_fuzz_target_from_name(program, &chosen)) {
        /* The standalone driver with --target or --corpus chooses later. */
        if (info) usage_error(program, "no scenario variant chosen (-chanfuzz_target=)", program);
        return 0;
    }
    chanfuzz_fuzz_choose_target(&chosen);
    if (info) {
        chanfuzz_fuzz_write_info(stdout, &current);
        exit(0);
    }
    return 0;
}

/* ---- one input -------------------------------------------------------------- */

static void run_one(const chanfuzz_target *target, const uint8_t *data, size_t size,
                    go_semantics under, chanfuzz_finding_handler *handler) {
    bool with_feedback = chanfuzz_feedback_enabled();
    if (with_feedback) chanfuzz_feedback_begin(&feedback);
    chanfuzz_findings *findings = chanfuzz_fuzz_judge(
        target, data, size, under, with_feedback ? chanfuzz_feedback_event : NULL, &feedback,
        with_feedback ? chanfuzz_feedback_finish : NULL, &feedback);
    if (!findings) {
        fprintf(stderr, "chanfuzz: out of memory judging an execution\n");
        abort();
    }
    if (findings->count) handler(target, data, size, findings);
    chanfuzz_findings_free(findings);
}

/* -chanfuzz_end: `chanfuzz fuzz`'s deadline, kept by the target itself.
 * libFuzzer's -max_total_time counts whole seconds from its start, stops
 * only past N + 1 and then tears down (LeakSanitizer's exit check with
 * ASan): seconds over a short budget. Checked at every input (a vDSO
 * clock read, ~20 ns: one stress-scenario input can take 30 ms, 64 of
 * them overran by a second); at the deadline the counts are written, libFuzzer's kind of
 * "#N DONE" line is printed for the log reader, and the process ends at
 * once -- every input libFuzzer kept is already on disk. */
static void end_at_deadline(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if ((double)now.tv_sec + (double)now.tv_nsec / 1e9 < end_time) return;
    chanfuzz_multi_finish();
    fprintf(stderr, "#%llu\tDONE   (chanfuzz deadline)\n", (unsigned long long)executions);
    fflush(stderr);
    _exit(0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (empty_target) return 0;
    executions++;
    if (end_time > 0) end_at_deadline();
    if (chanfuzz_multi_active()) {
        const chanfuzz_target *target = chanfuzz_multi_pick(&data, &size);
        if (!target) return -1;   /* over its share of the time: not kept */
        run_one(target, data, size,
                semantics_forced ? semantics : chanfuzz_fuzz_semantics_for(target),
                chanfuzz_multi_record);
        chanfuzz_multi_done(target);
        return 0;
    }
    if (!have_target) {
        /* libFuzzer calls Initialize first; only a misbuilt binary gets
         * here. */
        fprintf(stderr, "chanfuzz: no scenario variant chosen: pass -chanfuzz_target=NAME:VARIANT\n");
        abort();
    }
    run_one(&current, data, size, semantics, on_finding);
    return 0;
}

/* In a fuzz target every finding is a crash: on a buggy variant the hunt
 * succeeded, on a fixed one it is a false alarm or a bug in the fix. The
 * lines starting with ==chanfuzz== are for scripts (fuzz-smoke.sh,
 * bench/feedback.sh, `chanfuzz fuzz`); the crash state is what the crash
 * is bucketed by. */
static void crash_on_finding(const chanfuzz_target *target, const uint8_t *data, size_t size,
                             const chanfuzz_findings *findings) {
    (void)data, (void)size;
    char name[256];
    chanfuzz_fuzz_target_name(target, name, sizeof name);
    chanfuzz_report_info info = {.scenario = target->scenario->name,
                                 .variant = chanfuzz_variant_name(target->variant)};
    chanfuzz_write_text(stderr, &info, findings);
    const chanfuzz_finding *primary = chanfuzz_fuzz_primary(target, findings);
    fprintf(stderr, "==chanfuzz== CRASH STATE: %s\n", primary->crash_state);
    fprintf(stderr, "==chanfuzz== FINDING: target=%s kind=%s verdict=%s executions=%llu\n", name,
            chanfuzz_kind_id(primary->kind),
            chanfuzz_input_verdict_name(chanfuzz_fuzz_classify(target, findings)),
            (unsigned long long)executions);
    fflush(stderr);
    abort();
}
