#!/bin/sh
# fuzz_command_summary.sh CHANFUZZ SOURCE_DIR -- `chanfuzz fuzz` on both
# variants of first_result with the fuzz preset's binaries: the
# multi-variant process fuzzed every selected variant, the findings are as
# expected (the buggy variant's leak, nothing on the fixed one), and the
# summary reports how the budget was split. Then the same with
# --per-variant. No timing is asserted: what fits in the budget on a loaded
# machine varies, what the summary must say does not.
set -eu
chanfuzz=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "fuzz_command_summary: $*" >&2; exit 1; }
mkdir "$work/corpus"
cp -r "$source/corpus/fuzz_first_result_buggy" "$source/corpus/fuzz_first_result_fixed" "$work/corpus/"

"$chanfuzz" fuzz first_result --time 6 --json --out "$work/out" --corpus "$work/corpus" \
    >"$work/multi.json" 2>"$work/multi.err" || { cat "$work/multi.err" >&2; fail "exit $?"; }
python3 - "$work/multi.json" <<'PY' || { cat "$work/multi.json" "$work/multi.err" >&2; fail "multi-variant run"; }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
summary, findings = lines[-1], lines[:-1]
for key in ("executions", "seconds", "findings", "unexpected", "budget_seconds", "startup_seconds",
            "fuzz_seconds", "merge_seconds", "minimize_seconds", "executions_per_second",
            "variants", "variants_fuzzed", "variants_skipped", "processes", "variant_executions"):
    assert key in summary, "summary lacks " + key
assert summary["mode"] == "multi", summary
assert summary["budget_seconds"] == 6
assert summary["variants"] == 2 and summary["variants_fuzzed"] == 2, summary
assert summary["variants_skipped"] == 0
runs = summary["variant_executions"]
assert set(runs) == {"fuzz_first_result_buggy", "fuzz_first_result_fixed"}, runs
assert all(n > 0 for n in runs.values()), runs
assert summary["executions"] >= sum(runs.values()) > 0, summary
parts = [summary[k] for k in ("startup_seconds", "fuzz_seconds", "merge_seconds", "minimize_seconds")]
assert all(p >= 0 for p in parts) and summary["fuzz_seconds"] > 0, summary
assert sum(parts) <= summary["seconds"] + 0.1, summary
# One process, not one per variant.
assert summary["processes"] == 1 + summary["crashed_processes"], summary
assert summary["unexpected"] == 0 and summary["findings"] == len(findings) >= 1, summary
for f in findings:
    assert (f["scenario"], f["variant"], f["kind"], f["verdict"]) == \
        ("first_result", "buggy", "leak", "expected"), f
PY
# The finding was recorded by the target itself, once per crash state.
ls "$work/out/fuzz_first_result_buggy/" | grep -q '^crash-[0-9a-f]\{16\}$' ||
    fail "no crash-<crash state hash> file from the multi-variant process"
[ ! -e "$work/out/fuzz_first_result_fixed" ] || [ -z "$(ls "$work/out/fuzz_first_result_fixed")" ] ||
    fail "the fixed variant has crash files"
grep -q '^time: start-up' "$work/multi.err" && fail "the split went to stderr"

# Text mode: the split is on the summary line.
"$chanfuzz" fuzz first_result:fixed --time 6 --out "$work/out2" --corpus "$work/corpus" \
    >"$work/text.txt" 2>"$work/text.err" || { cat "$work/text.err" >&2; fail "text run: exit $?"; }
grep -q '^0 findings in [0-9]* executions' "$work/text.txt" || { cat "$work/text.txt" >&2; fail "no summary"; }
grep -q '^time: start-up [0-9.]* s, fuzzing [0-9.]* s, merging [0-9.]* s, minimizing [0-9.]* s (budget 6 s); [0-9]* executions/s; [01] of 1 variants fuzzed (multi' \
    "$work/text.txt" || { cat "$work/text.txt" >&2; fail "no time split line"; }

# One process per variant, as before: every variant is fuzzed or skipped
# and said to be.
"$chanfuzz" fuzz first_result --time 8 --json --per-variant --out "$work/out3" \
    --corpus "$work/corpus" >"$work/each.json" 2>"$work/each.err" ||
    { cat "$work/each.err" >&2; fail "per-variant run: exit $?"; }
python3 - "$work/each.json" <<'PY' || { cat "$work/each.json" "$work/each.err" >&2; fail "per-variant run"; }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
s = lines[-1]
assert s["mode"] == "per-variant", s
assert s["variants_fuzzed"] + s["variants_skipped"] == 2 and s["variants_fuzzed"] >= 1, s
assert s["processes"] == s["variants_fuzzed"], s
assert s["unexpected"] == 0, s
PY
echo "fuzz_command_summary: ok"
