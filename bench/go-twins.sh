#!/usr/bin/env bash
# go-twins.sh BUILD_DIR [BUDGET]: executions per second of each Go twin
# (scenarios/go/, through chanfuzz go test) against its hand-written C
# model (scenarios/catalogue/, chanfuzz run), fixed variants, the same
# budget, seed and mode, in three alternating rounds of this run (each
# rate the best of its three); and what the
# translation of the twins costs (load and SSA, lowering to C, compiling
# the runner). Prints ratios, asserts nothing (bench/README.md).
set -euo pipefail
build=$(cd "$1" && pwd)
budget=${2:-5000}
chanfuzz=$build/harness/cli/chanfuzz
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CHANFUZZ_GO_CACHE="$work/runners"
cd "$src/scenarios/go"
# Both on one CPU (CHANFUZZ_BENCH_CPU, default 0): on these shared 2-core
# machines one CPU was measured 47% slower than the other.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "${CHANFUZZ_BENCH_CPU:-0}"); fi
# A cold translation and build, timed by the frontend itself (not pinned:
# go/packages and the C compiler use both CPUs); then the runs, from the
# cache it filled.
CHANFUZZ_GO_TIMING=1 "$chanfuzz" go test ./... -run '_fixed$' --budget 1 --seed 1 \
    --go-semantics 1.22 --out "$work/go-out" > "$work/go-timing.txt" 2>&1 || true
# Three rounds of both kinds, each rate the best of its three: a neighbour
# on the machine only ever slows a run, and one round's C models ran a
# third slower in its second half than in its first.
for round in 1 2 3; do
    "${pin[@]}" "$chanfuzz" go test ./... -run '_fixed$' --budget "$budget" --seed 1 \
        --go-semantics 1.22 --out "$work/go-out" > "$work/go-$round.txt" 2>&1 || true
    "${pin[@]}" "$chanfuzz" run all --budget "$budget" --seed 1 --go-semantics 1.22 \
        --out "$work/c-out" > "$work/c-$round.txt" 2>&1 || true
done
python3 - "$work" "$work/go-timing.txt" <<'PY'
import re, statistics, sys
def rates(kind):
    out = {}
    for round in (1, 2, 3):
        for line in open("%s/%s-%d.txt" % (sys.argv[1], kind, round)):
            m = re.match(r"chanfuzz run: (\S+):fixed \S+: (\d+) executions, (\d+)/s", line)
            if m:
                rate = int(m.group(3))
                out[m.group(1)] = (int(m.group(2)), max(rate, out.get(m.group(1), (0, 0))[1]))
    return out
c, g = rates("c"), rates("go")
camel = lambda s: "".join(w.capitalize() for w in s.split("_"))
rows = []
for name, (n, rate) in sorted(c.items()):
    key = "%s.Test%s" % (name, camel(name))
    if key in g:
        rows.append((name, rate, g[key][1], g[key][1] / rate))
print("%-28s %12s %12s %7s" % ("scenario (fixed)", "C model/s", "Go twin/s", "ratio"))
for r in rows:
    print("%-28s %12d %12d %7.2f" % r)
ratios = [r[3] for r in rows]
print("%d twins: median ratio %.2f, min %.2f, max %.2f (goal: >= 0.5)" % (
    len(rows), statistics.median(ratios), min(ratios), max(ratios)))
for line in open(sys.argv[2]):
    if line.startswith("chanfuzz go:"):
        print(line.rstrip())
PY
