#!/usr/bin/env bash
# test_run_table.sh: bench/run.sh's contract without the hour of measuring.
# bench/testdata/run holds the raw files of a real `bench/run.sh --quick
# --keep DIR` (trimmed to a few scenarios); this checks that
#   - bench_runtime's table and `chanfuzz list` parse into what run.sh reads;
#   - --json's array holds measurements with exactly the fields name, value,
#     unit, baseline, target, met, of the right types, met agreeing with
#     target, and every part of the run present;
#   - the Markdown carries each table;
#   - run.sh rejects a bad argument with status 2 and one line.
# CTest: bench_run_table (a few seconds).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=$root/bench/testdata/run
table=$root/bench/run_table.py
fail() { echo "test_run_table: $*" >&2; exit 1; }

parsed=$(python3 "$table" parse-runtime "$data/bench_runtime.txt")
[[ $(grep -c $'^chanfuzz\t' <<<"$parsed") -eq 8 ]] || fail "parse-runtime: not the 8 rows of bench_runtime: $parsed"
grep -q $'^ratio\tyield_over_switch\t[0-9.]*\t2\tx$' <<<"$parsed" || fail "parse-runtime: no yield/switch ratio with its target"
variants=$(python3 "$table" parse-list "$data/list.txt")
[[ $(wc -l <<<"$variants") -eq 37 ]] || fail "parse-list: $(wc -l <<<"$variants") buggy variants, the list has 37"
grep -q $'^rpc_reply_after_timeout\t.*rare' <<<"$variants" || fail "parse-list: rpc_reply_after_timeout lost its rare tag"

json=$(python3 "$table" json "$data")
jq -e 'type == "array" and length > 0' <<<"$json" >/dev/null || fail "--json is not a non-empty array"
bad=$(jq -c '.[] | select((keys != ["baseline", "met", "name", "target", "unit", "value"])
        or (.name | type) != "string" or (.unit | type) != "string"
        or ((.value | type) != "number" and .value != null)
        or ((.baseline | type) != "number" and .baseline != null)
        or ((.target | type) != "string" and .target != null)
        or ((.met | type) != "boolean" and .met != null)
        or (.target == null and .met != null)
        or (.target != null and .value != null and .met == null))' <<<"$json")
[[ -z $bad ]] || fail "measurements off the contract: $bad"
# met must be what target says of value
wrong=$(jq -c '.[] | select(.target != null and .value != null) |
        (.target | split(" ")) as [$op, $b] |
        select(.met != (if $op == "<=" then .value <= ($b | tonumber) else .value >= ($b | tonumber) end))' <<<"$json")
[[ -z $wrong ]] || fail "met disagrees with target: $wrong"
for name in primitives.pingpong.ns runtime.yield_over_switch detect.rpc_reply_after_timeout.random.executions_median \
            detect.first_result.libfuzzer_fb.found feedback.rpc_reply_after_timeout.executions_median \
            growth.g512.k1000.ns_per_op; do
    jq -e --arg n "$name" 'any(.[]; .name == $n)' <<<"$json" >/dev/null || fail "--json has no $name"
done
jq -e '.[] | select(.name == "primitives.pingpong.ns") | .baseline != null' <<<"$json" >/dev/null ||
    fail "primitives.pingpong.ns has no Go baseline"
jq -e 'all(.[]; (.name | startswith("detect.tick_in_select_loop")) | not)' <<<"$json" >/dev/null ||
    fail "a variant that did not run has measurements"

md=$(python3 "$table" markdown "$data" bench/plots)
for heading in '| operation | chanfuzz | Go |' '| C catalogue |' '**Interleaving feedback' '**Cost growth**' 'bench/plots/ttd.png'; do
    grep -qF -- "$heading" <<<"$md" || fail "the Markdown has no '$heading'"
done
grep -qF 'not run (Go 1.23 default)' <<<"$md" || fail "the Markdown does not say a skipped variant did not run"

rc=0
err=$("$root/bench/run.sh" --no-such-flag 2>&1 >/dev/null) || rc=$?
[[ $rc -eq 2 && $(wc -l <<<"$err") -eq 1 ]] || fail "run.sh --no-such-flag: status $rc, '$err'"
echo "test_run_table: ok"
