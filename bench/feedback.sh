#!/usr/bin/env bash
# feedback.sh -- what interleaving feedback (harness/fuzz/feedback.c) costs
# and what it buys, on the fuzz-fast preset (clang -O2, libFuzzer, no
# sanitizers).
#
#   bench/feedback.sh [--build-dir DIR] [--seeds N] [--runs CAP] [--no-build]
#                     [--sizes-only | --detect-only] [--raw FILE] [--jobs J]
#                     [TARGET...]
#
# 1. Counter size against speed: fuzz_counters_<bytes> (first_result's
#    fixed variant with 0, 1, 4, 16 and 64 KiB of counters) each run
#    SIZE_RUNS (20000) executions from an empty corpus; executions per
#    CPU-second (user+sys, so load from other processes matters less),
#    and the ratio to the no-counter baseline of the same run.
# 2. Executions to detect each buggy variant (TARGET..., default every
#    fuzz_*_buggy), with CHANFUZZ_FEEDBACK=1 and =0 on the same binary,
#    for seeds 1..N (30): libFuzzer -seed=S -runs=CAP (100000) from an
#    empty corpus; the count is the target's own (the executions= of its
#    ==chanfuzz== FINDING line). Median and p95; a seed that did not find
#    the bug within CAP counts as CAP and the "missed" column says how
#    many. --raw FILE also writes one line per run there (bench/run.sh
#    reads it): target, feedback (1|0), seed, executions to the finding
#    (or "-" when missed), wall seconds of the target process. --jobs J
#    runs J seeds at a time (default 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz-fast"
seeds=30
cap=100000
do_build=1
parts=both
targets=()
raw=/dev/null
jobs=1
while [ $# -gt 0 ]; do
    case "$1" in
        --build-dir) build=$(realpath -m "$2"); shift 2 ;;
        --seeds) seeds=$2; shift 2 ;;
        --runs) cap=$2; shift 2 ;;
        --no-build) do_build=0; shift ;;
        --sizes-only) parts=sizes; shift ;;
        --detect-only) parts=detect; shift ;;
        --raw) raw=$(realpath -m "$2"); : >"$raw"; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        -*) echo "usage: $0 [--build-dir DIR] [--seeds N] [--runs CAP] [--no-build] [--sizes-only|--detect-only] [--raw FILE] [--jobs J] [TARGET...]" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
size_runs=${SIZE_RUNS:-20000}

if [ "$do_build" = 1 ]; then
    cmake --preset fuzz-fast -B "$build" -DCHANFUZZ_TESTS=OFF -DCHANFUZZ_BENCH=OFF >/dev/null
    cmake --build "$build" -j2 --target fuzz-targets fuzz-feedback-bench >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cpu_seconds() {   # cpu_seconds COMMAND...: user+sys seconds of COMMAND
    local TIMEFORMAT='%U %S'
    { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }'
}

if [ "$parts" != detect ]; then
    echo "== counter size vs speed: first_result:fixed, $size_runs executions each, -seed=1"
    printf '%-10s %12s %14s %10s\n' bytes cpu_seconds exec_per_cpu_s vs_none
    base=""
    for bytes in 0 1024 4096 16384 65536; do
        binary="$build/fuzz-bench/fuzz_counters_$bytes"
        rm -rf "$tmp/corpus" && mkdir "$tmp/corpus"
        seconds=$(cpu_seconds "$binary" -seed=1 -runs="$size_runs" "$tmp/corpus")
        rate=$(awk -v n="$size_runs" -v s="$seconds" 'BEGIN { printf "%.0f", n / (s > 0 ? s : 0.001) }')
        [ -n "$base" ] || base=$rate
        printf '%-10s %12s %14s %10s\n' "$bytes" "$seconds" "$rate" \
            "$(awk -v r="$rate" -v b="$base" 'BEGIN { printf "%.2f", r / b }')"
    done
    echo
fi

[ "$parts" != sizes ] || exit 0
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cd "$build/fuzz" && ls fuzz_*_buggy | sort)
fi

# executions_to_find BINARY SEED FEEDBACK: the count (CAP when missed),
# and the run's line to --raw. No corpus directory (libFuzzer keeps it in
# memory) and each run's artifacts under its own prefix, so that --jobs can
# run seeds side by side; two processes per run (the target and sed), as a
# process start costs ~0.1 s on a loaded machine. libFuzzer leaves the
# abort that reports a finding to the default handler (-handle_abrt=0):
# the FINDING line is printed before it, and libFuzzer's own handler would
# spend half a second symbolizing a stack nobody reads.
executions_to_find() {
    local binary=$1 seed=$2 feedback=$3 found t0 t1
    t0=${EPOCHREALTIME/./}
    found=$(CHANFUZZ_FEEDBACK=$feedback "$binary" -seed="$seed" -runs="$cap" -handle_abrt=0 \
        -artifact_prefix="$tmp/a.$feedback.$seed." 2>&1 | sed -n 's/^==chanfuzz== FINDING:.* executions=\([0-9]*\).*/\1/p;T;q')
    t1=${EPOCHREALTIME/./}
    printf '%s\t%s\t%s\t%s\t%d.%06d\n' "${binary##*/}" "$feedback" "$seed" "${found:--}" \
        $(((t1 - t0) / 1000000)) $(((t1 - t0) % 1000000)) >>"$raw"
    echo "${found:-$cap}"
}
export -f executions_to_find
export tmp cap raw
# seeds_of BINARY FEEDBACK: the counts of seeds 1..N, JOBS at a time
seeds_of() {
    seq 1 "$seeds" | xargs -P "$jobs" -I{} bash -c 'executions_to_find "$1" {} "$2"' _ "$1" "$2"
}

# summary: "median p95 missed" of the numbers on stdin (CAP = missed)
summary() {
    sort -n | awk -v cap="$cap" '{ v[NR] = $1; if ($1 >= cap) missed++ }
        END { m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)];
              printf "%9s %9s %6d", m, p, missed }'
}

echo "== executions to detect, $seeds seeds, cap $cap (median, p95, missed)"
printf '%-42s %9s %9s %6s   %9s %9s %6s\n' target on_med on_p95 missed off_med off_p95 missed
for name in "${targets[@]}"; do
    binary="$build/fuzz/$name"
    [ -x "$binary" ] || { echo "$name: no binary in $build/fuzz" >&2; continue; }
    on=$(seeds_of "$binary" 1 | summary)
    off=$(seeds_of "$binary" 0 | summary)
    printf '%-42s %s   %s\n' "$name" "$on" "$off"
done
