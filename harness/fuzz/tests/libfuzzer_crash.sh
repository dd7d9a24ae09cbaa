#!/usr/bin/env bash
# A libFuzzer target of a buggy variant that is found on the plain schedule
# crashes at once, prints the crash-state line and saves the input.
set -u
bin=$1
target=$bin/fuzz_first_result_buggy
[ -x "$target" ] || { echo "no $target"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$target" -seed=1 -runs=100 -artifact_prefix="$tmp/" "$tmp" >"$tmp/log" 2>&1
status=$?
grep -q '^==chanfuzz== CRASH STATE: leak: chan send at scenarios/demo/patterns.c' "$tmp/log" &&
    grep -q '^==chanfuzz== FINDING: target=fuzz_first_result_buggy kind=leak verdict=expected' "$tmp/log" &&
    [ "$status" != 0 ] && ls "$tmp"/crash-* >/dev/null 2>&1 ||
    { echo "FAIL: exit $status"; cat "$tmp/log"; exit 1; }
echo "ok: crashed (exit $status) with the crash state, input saved"
