#!/usr/bin/env bash
# fuzz_rates.sh -- executions per second of libFuzzer per scenario variant,
# beside the explorer's for the same variant and beside an empty target,
# and the harness's fixed cost per execution; on the fuzz-fast preset
# (clang -O2, libFuzzer, no sanitizers, no checks). One run prints it all.
#
#   bench/fuzz_rates.sh [--build-dir DIR] [--runs N] [--no-build] [VARIANT...]
#
# VARIANT is NAME:buggy or NAME:fixed (default: every fuzz target of the
# build). Every figure is from one binary, fuzz_rates (harness/fuzz/
# CMakeLists.txt: the catalogue plus bench/fuzz_empty_scenario.c), so
# instrumentation and code layout are the same throughout:
#   libfuzzer  fuzz_rates -chanfuzz_targets=<that variant> -runs=N from an
#              empty corpus, -seed=1: the multi-variant mode, so a finding
#              does not end the run (fuzz_multi.h);
#   explorer   chanfuzz run VARIANT --mode random --rate N --no-isolate
#              --seed 1 (the fuzz-fast build's chanfuzz: same libraries);
#   empty      fuzz_rates -chanfuzz_empty=1 -runs=N: libFuzzer's own loop,
#              LLVMFuzzerTestOneInput returning at once;
#   fixed cost the empty scenario (bench_empty:fixed, a main that returns)
#              in the multi-variant mode, minus the empty target, per
#              execution: what the harness adds to every input (each the
#              best of five runs).
# Rates are per CPU second (user+sys; the machine is shared, so wall time
# would measure the neighbours), with a 1-execution run of the same command
# subtracted so process start and set-up are not counted; N (--runs, 1000)
# grows for a variant until its run takes 0.2 CPU seconds or more.
# Goals (issue 17): libfuzzer >= 0.5 x explorer per variant; fixed cost
# <= 300 ns. A benchmark, not a test: it reports, it never fails on a goal.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz-fast"
runs=1000
do_build=1
variants=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build-dir) build=$(realpath -m "$2"); shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --no-build) do_build=0; shift ;;
        -*) echo "usage: $0 [--build-dir DIR] [--runs N] [--no-build] [VARIANT...]" >&2; exit 2 ;;
        *) variants+=("$1"); shift ;;
    esac
done

if [ "$do_build" = 1 ]; then
    cmake --preset fuzz-fast -B "$build" -DCHANFUZZ_TESTS=OFF -DCHANFUZZ_BENCH=OFF >/dev/null
    cmake --build "$build" -j2 --target chanfuzz fuzz-rates-bench >/dev/null
fi
binary="$build/fuzz-bench/fuzz_rates"
chanfuzz="$build/harness/cli/chanfuzz"
for program in "$binary" "$chanfuzz"; do
    [ -x "$program" ] || { echo "$0: no $program: build the fuzz-fast preset" >&2; exit 2; }
done
if [ ${#variants[@]} -eq 0 ]; then
    mapfile -t variants <"$build/harness/fuzz/fuzz-targets.txt"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Every command on one CPU (CHANFUZZ_BENCH_CPU, default 0): on these
# shared 2-core machines one CPU was measured 47% slower than the other,
# and a ratio of two runs the scheduler put on different CPUs measured that.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "${CHANFUZZ_BENCH_CPU:-0}"); fi

cpu_seconds() {   # cpu_seconds COMMAND...: user+sys seconds of COMMAND
    local TIMEFORMAT='%U %S'
    { time "${pin[@]}" "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }'
}

# rate N RUNS-FLAG COMMAND...: executions per CPU second of COMMAND with
# RUNS-FLAG$N, less the same command's one-execution run. When that took
# under 0.2 CPU seconds (the clock counts milliseconds, a process start
# varies by a few), N grows until it takes about 0.3.
rate() {
    local n=$1 flag=$2; shift 2
    local one full delta
    one=$(cpu_seconds "$@" "${flag}1")
    while :; do
        full=$(cpu_seconds "$@" "$flag$n")
        delta=$(awk -v a="$full" -v b="$one" 'BEGIN { d = a - b; print (d > 0.001 ? d : 0.001) }')
        if awk -v d="$delta" -v n="$n" 'BEGIN { exit !(d >= 0.2 || n >= 20000000) }'; then break; fi
        n=$(awk -v d="$delta" -v n="$n" 'BEGIN { f = 0.3 / d; if (f > 100) f = 100; printf "%d", n * f + 1 }')
    done
    awk -v n="$n" -v d="$delta" 'BEGIN { printf "%.0f", (n - 1) / d }'
}

libfuzzer_rate() {   # libfuzzer_rate NAME:VARIANT [RUNS]
    printf '%s\n' "$1" >list.txt
    rm -rf findings && mkdir findings
    rate "${2:-$runs}" -runs= "$binary" -seed=1 -max_len=1024 -chanfuzz_targets=list.txt \
        -chanfuzz_findings=findings
}

explorer_rate() {   # explorer_rate NAME:VARIANT
    rm -rf out
    # The semantics libFuzzer runs it under (a scenario meant only for Go
    # 1.22 is skipped under the default 1.23).
    local semantics
    semantics=$("$binary" -chanfuzz_target="$1" -chanfuzz_info=1 |
                sed -n 's/.*"semantics":"\([0-9.]*\)".*/\1/p')
    # --rate takes its count as the next word: "--rate" "N".
    rate "$runs" "" "$chanfuzz" run "$1" --mode random --seed 1 --no-isolate --out out \
        --go-semantics "$semantics" --rate
}

# The fixed cost is a difference of two small figures: each is the best of
# five runs, since a neighbour on the machine only ever slows a run down
# (single runs of the empty target ranged 887-1,440 ns here).
best_of_5() {
    local best=0 r
    for _ in 1 2 3 4 5; do
        r=$("$@")
        if [ "$r" -gt "$best" ]; then best=$r; fi
    done
    echo "$best"
}
empty=$(best_of_5 rate "$runs" -runs= "$binary" -seed=1 -max_len=1024 -chanfuzz_empty=1)
empty_scenario=$(best_of_5 libfuzzer_rate bench_empty:fixed)

echo "## libFuzzer against the explorer, fuzz-fast, $runs executions each, executions per CPU second"
echo
echo "| variant | libFuzzer | explorer | libFuzzer / explorer | empty target | libFuzzer / empty |"
echo "|---|---|---|---|---|---|"
met=0 total=0 ratios=()
for variant in "${variants[@]}"; do
    fuzz=$(libfuzzer_rate "$variant")
    explore=$(explorer_rate "$variant")
    ratio=$(awk -v a="$fuzz" -v b="$explore" 'BEGIN { printf "%.2f", a / b }')
    to_empty=$(awk -v a="$fuzz" -v b="$empty" 'BEGIN { printf "%.4f", a / b }')
    echo "| $variant | $fuzz | $explore | $ratio | $empty | $to_empty |"
    ratios+=("$ratio")
    total=$((total + 1))
    if awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }'; then met=$((met + 1)); fi
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo
echo "goal libFuzzer >= 0.5 x explorer: met by $met of $total variants (median ratio $median)"
fixed=$(awk -v s="$empty_scenario" -v e="$empty" 'BEGIN { printf "%.0f", 1e9 / s - 1e9 / e }')
echo
echo "## The harness's fixed cost per execution"
echo
echo "| measure | executions per CPU second | ns per execution |"
echo "|---|---|---|"
echo "| empty target (-chanfuzz_empty=1) | $empty | $(awk -v e="$empty" 'BEGIN { printf "%.0f", 1e9 / e }') |"
echo "| empty scenario (bench_empty:fixed, multi-variant mode) | $empty_scenario | $(awk -v e="$empty_scenario" 'BEGIN { printf "%.0f", 1e9 / e }') |"
echo "| fixed cost (difference) | | $fixed |"
echo
if [ "$fixed" -le 300 ]; then
    echo "goal fixed cost <= 300 ns: met ($fixed ns)"
else
    echo "goal fixed cost <= 300 ns: NOT met ($fixed ns)"
fi
