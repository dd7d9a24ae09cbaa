#!/usr/bin/env bash
# replay.sh CHANFUZZ DIR: chanfuzz go test writes a reproducer whose
# program line names the package and the hash of its translation;
# chanfuzz go replay gives the same finding (exit 1), and refuses, with
# one line and exit 2, a reproducer whose program changed since.
set -euo pipefail
chanfuzz=$1 dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/leak_demo.sh"
leak_demo "$work" replaydemo
cd "$work/src/replaydemo"
set +e
"$chanfuzz" go test . --out "$work/out" --seed 3 > "$work/test.log" 2>&1
status=$?
set -e
[ $status -eq 0 ] || { cat "$work/test.log"; echo "replay: chanfuzz go test exited $status"; exit 1; }
trace=$(find "$work/out" -name '*.trace' | head -1)
[ -n "$trace" ] || { cat "$work/test.log"; echo "replay: no reproducer written"; exit 1; }
grep -q '^program go [0-9a-f]\{16\} replaydemo$' "$trace" || { cat "$trace"; echo "replay: no program line"; exit 1; }
set +e
"$chanfuzz" go replay "$trace" > "$work/replay.log" 2>&1
status=$?
set -e
[ $status -eq 1 ] || { cat "$work/replay.log"; echo "replay: chanfuzz go replay exited $status, not 1"; exit 1; }
grep -q 'partial deadlock' "$work/replay.log" || { cat "$work/replay.log"; echo "replay: no finding"; exit 1; }
# The same package outside every GOPATH entry (GOPATH mode names it
# "_/dir"): its reproducer replays too, from the folder above it.
mkdir -p "$work/outside/replaydemo"
cp replaydemo_test.go "$work/outside/replaydemo/"
(
    cd "$work/outside"
    set +e
    "$chanfuzz" go test ./replaydemo --out "$work/out-outside" --seed 3 > "$work/outside.log" 2>&1
    status=$?
    outside=$(find "$work/out-outside" -name '*.trace' | head -1)
    [ $status -eq 0 ] && [ -n "$outside" ] || { cat "$work/outside.log"; echo "replay: outside GOPATH, go test exited $status"; exit 1; }
    "$chanfuzz" go replay "$outside" > "$work/outside.log" 2>&1
    status=$?
    set -e
    [ $status -eq 1 ] && grep -q 'partial deadlock' "$work/outside.log" ||
        { cat "$work/outside.log"; echo "replay: outside GOPATH, go replay exited $status"; exit 1; }
)
# The program changes: the reproducer is refused.
sed -i 's/result <- 42/result <- 43/' replaydemo_test.go
set +e
"$chanfuzz" go replay "$trace" > "$work/stale.log" 2>&1
status=$?
set -e
[ $status -eq 2 ] || { cat "$work/stale.log"; echo "replay: a stale reproducer exited $status, not 2"; exit 1; }
[ "$(wc -l < "$work/stale.log")" -eq 1 ] && grep -q 'recorded from program' "$work/stale.log" ||
    { cat "$work/stale.log"; echo "replay: the refusal is not one line"; exit 1; }
echo "replay: reproducer replays; a stale one is refused: $(cat "$work/stale.log")"
