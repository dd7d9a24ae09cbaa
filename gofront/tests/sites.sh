#!/usr/bin/env bash
# sites.sh CHANFUZZ: a Go finding names its sites as Go does, file:line:col
# (the blocking send's arrow, the go statement), in the text report, the
# crash state, the JSON sites' "column" and SARIF's region.startColumn.
set -euo pipefail
chanfuzz=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/leak_demo.sh"
leak_demo "$work" sitesdemo
cd "$work/src/sitesdemo"
fail() { echo "sites: $1"; exit 1; }
"$chanfuzz" go test . --out "$work/out" --seed 3 --sarif "$work/out.sarif" > "$work/test.log" 2>&1 ||
    { cat "$work/test.log"; fail "chanfuzz go test failed"; }
# line 11: "\tgo func() { result <- 42 }()": go at column 2, <- at 21
grep -q '^crash state: partial deadlock: chan send at sitesdemo_test.go:11:21 (.*) created at sitesdemo_test.go:11:2$' "$work/test.log" ||
    { cat "$work/test.log"; fail "no file:line:col in the crash state"; }
grep -q '^    sitesdemo.TestLeak_buggy.func1 at sitesdemo_test.go:11:21$' "$work/test.log" ||
    { cat "$work/test.log"; fail "no file:line:col at the blocked goroutine"; }
grep -q '^created by sitesdemo.TestLeak_buggy in goroutine 2 at sitesdemo_test.go:11:2$' "$work/test.log" ||
    { cat "$work/test.log"; fail "no file:line:col at the go statement"; }
"$chanfuzz" go test . --out "$work/out" --seed 3 --json > "$work/test.json" 2>/dev/null ||
    fail "chanfuzz go test --json failed"
grep -q '"site":{"file":"sitesdemo_test.go","line":11,"column":21,' "$work/test.json" ||
    { cat "$work/test.json"; fail "no column in the JSON site"; }
python3 - "$work/out.sarif" <<'PY' || fail "SARIF regions lack startColumn"
import json, sys
log = json.load(open(sys.argv[1]))
result = log["runs"][0]["results"][0]
region = result["locations"][0]["physicalLocation"]["region"]
related = result["relatedLocations"][0]["physicalLocation"]["region"]
assert (region["startLine"], region["startColumn"]) == (11, 21), region
assert (related["startLine"], related["startColumn"]) == (11, 2), related
PY
echo "sites: file:line:col in text, crash state, JSON and SARIF"
