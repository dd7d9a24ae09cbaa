#!/usr/bin/env bash
# fuzz-smoke.sh -- the CI fuzz smoke stage: every buggy scenario variant not
# tagged `rare` must crash its libFuzzer target with a kind the variant
# expects or allows, within a time and run cap; every fixed variant, and
# fuzz_ops when it is built, must stay clean for a short run.
#
#   scripts/fuzz-smoke.sh [--build-dir DIR] [--out DIR] [--jobs N] [--no-build]
#
# Builds the `fuzz` preset (clang, libFuzzer, ASan+UBSan, checks) into
# DIR (default build/fuzz), runs N targets at a time (default 2), and
# writes to OUT (default fuzz-artifacts/): per target a folder with its log
# and crash file, and summary.txt (the table printed at the end) and
# summary.tsv. Exit 0 when every row says ok, 1 otherwise, 2 on usage.
#
# Caps (environment): SMOKE_BUGGY_SECONDS (15) and SMOKE_BUGGY_RUNS
# (200000) per buggy variant; SMOKE_CLEAN_SECONDS (3) and SMOKE_CLEAN_RUNS
# (3000) per fixed variant and fuzz_ops. Every run uses -seed=1, so a
# stage that passed passes again on the same build.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz"
out="$root/fuzz-artifacts"
jobs=2
do_build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --build-dir) build=$(realpath -m "$2"); shift 2 ;;
        --out) out=$(realpath -m "$2"); shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --no-build) do_build=0; shift ;;
        *) echo "usage: $0 [--build-dir DIR] [--out DIR] [--jobs N] [--no-build]" >&2; exit 2 ;;
    esac
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "$0: --jobs: expected a positive number, not '$jobs'" >&2; exit 2; }

export SMOKE_BUGGY_SECONDS=${SMOKE_BUGGY_SECONDS:-15}
export SMOKE_BUGGY_RUNS=${SMOKE_BUGGY_RUNS:-200000}
export SMOKE_CLEAN_SECONDS=${SMOKE_CLEAN_SECONDS:-3}
export SMOKE_CLEAN_RUNS=${SMOKE_CLEAN_RUNS:-3000}
# Leaks of the harness itself are findings too; libFuzzer handles the
# abort() a chanfuzz finding ends in and saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

started=$(date +%s)
if [ "$do_build" = 1 ]; then
    echo "== building the fuzz preset into $build"
    cmake --preset fuzz -B "$build" >/dev/null
    targets=(fuzz-targets chanfuzz)
    # The target list read whole (grep -q would close the pipe early, and
    # under pipefail cmake's SIGPIPE would read as "no such target").
    help=$(cmake --build "$build" --target help)
    if grep '^fuzz_ops:' <<<"$help" >/dev/null; then targets+=(fuzz_ops); fi
    # chanfuzz go fuzz (gofront/tests/go-fuzz.sh, run below): the CLI and the
    # Go frontend of this build.
    if grep '^chanfuzz_go:' <<<"$help" >/dev/null; then targets+=(chanfuzz chanfuzz_go); fi
    cmake --build "$build" -j "$jobs" --target "${targets[@]}" >"$build/smoke-build.log" 2>&1 ||
        { tail -40 "$build/smoke-build.log"; echo "$0: build failed (log: $build/smoke-build.log)"; exit 1; }
fi
built=$(date +%s)

bin="$build/fuzz"
[ -d "$bin" ] || { echo "$0: no fuzz targets in $bin: build first" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"

# One row of the table per target: target, role, result, kind, executions,
# seconds, detail. Run in a child so xargs can spread them over cores.
run_one() {
    local binary=$1 out=$2 root=$3
    local name; name=$(basename "$binary")
    local dir="$out/$name"
    mkdir -p "$dir/new-inputs"
    local role info="" expect="" allow="" rare=false
    if [ "$name" = fuzz_ops ]; then
        role=clean
    else
        info=$("$binary" -chanfuzz_info=1 2>/dev/null) || { printf '%s\t?\tFAIL\t-\t-\t-\tno -chanfuzz_info\n' "$name"; return; }
        expect=$(sed -n 's/.*"expect":"\([^"]*\)".*/\1/p' <<<"$info")
        allow=$(sed -n 's/.*"allow":"\([^"]*\)".*/\1/p' <<<"$info")
        rare=$(sed -n 's/.*"rare":\([a-z]*\).*/\1/p' <<<"$info")
        case "$name" in *_buggy) role=find ;; *) role=clean ;; esac
    fi
    if [ "$role" = find ] && [ "$rare" = true ]; then
        printf '%s\trare\tskip\t-\t-\t-\tleft to the batch workflow\n' "$name"
        return
    fi
    local seconds runs
    if [ "$role" = find ]; then
        seconds=$SMOKE_BUGGY_SECONDS runs=$SMOKE_BUGGY_RUNS
    else
        seconds=$SMOKE_CLEAN_SECONDS runs=$SMOKE_CLEAN_RUNS
    fi
    local seeds=()
    [ -d "$root/corpus/$name" ] && seeds=("$root/corpus/$name")
    local t0 t1 status=0
    t0=$(date +%s.%N)
    (cd "$dir" && "$binary" -seed=1 -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 \
        -artifact_prefix="$dir/" "$dir/new-inputs" "${seeds[@]}" >"$dir/log" 2>&1) || status=$?
    t1=$(date +%s.%N)
    local elapsed; elapsed=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    rm -rf "$dir/new-inputs"
    local finding kind="-" executions
    finding=$(grep -m1 '^==chanfuzz== FINDING:' "$dir/log" || true)
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    if [ -n "$finding" ]; then
        kind=$(sed -n 's/.* kind=\([^ ]*\).*/\1/p' <<<"$finding")
        executions=$(sed -n 's/.* executions=\([0-9]*\).*/\1/p' <<<"$finding")
    fi
    executions=${executions:--}
    local result detail
    if [ "$role" = find ]; then
        if [ -n "$finding" ] && [[ ",$expect,$allow," == *",$kind,"* ]]; then
            result=ok detail="found"
        elif [ -n "$finding" ]; then
            result=FAIL detail="found $kind, expected $expect"
        elif [ "$status" != 0 ]; then
            result=FAIL detail="crashed outside the detectors (see log)"
        else
            result=FAIL detail="not found within the cap"
        fi
    else
        if [ "$status" = 0 ]; then
            result=ok detail="clean"
        elif [ -n "$finding" ]; then
            result=FAIL detail="false alarm: $(sed -n 's/^==chanfuzz== CRASH STATE: //p' "$dir/log" | head -1)"
        else
            result=FAIL detail="crashed (see log)"
        fi
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$role" "$result" "$kind" "$executions" "$elapsed" "$detail"
}
export -f run_one

echo "== running the targets in $bin, $jobs at a time"
find "$bin" -maxdepth 1 -type f -perm -u+x \( -name 'fuzz_*' \) -print | sort |
    xargs -P "$jobs" -I{} bash -c 'run_one "$1" "$2" "$3"' _ {} "$out" "$root" >"$out/rows.tsv"

finished=$(date +%s)
{
    printf 'target\trole\tresult\tkind\texecutions\tseconds\tdetail\n'
    sort "$out/rows.tsv"
} >"$out/summary.tsv"
rm -f "$out/rows.tsv"
{
    column -t -s $'\t' "$out/summary.tsv"
    echo
    total=$(($(wc -l <"$out/summary.tsv") - 1))
    failed=$(awk -F'\t' 'NR > 1 && $3 == "FAIL"' "$out/summary.tsv" | wc -l)
    echo "targets: $total, failed: $failed; build $((built - started)) s, fuzzing $((finished - built)) s, stage $((finished - started)) s"
} | tee "$out/summary.txt"

echo "== chanfuzz fuzz: a real multi-variant run says when it found each bug"
cli_status=0
ctest --test-dir "$build" -R '^cli_fuzz_' --output-on-failure >"$out/cli-fuzz.log" 2>&1 || cli_status=1
tail -n 3 "$out/cli-fuzz.log"

go_status=0
if [ -x "$build/gofront/stage/bin/chanfuzz-go" ]; then
    echo "== chanfuzz go fuzz: libFuzzer over translated Go tests"
    ctest --test-dir "$build" -R '^gofront_go_fuzz$' --output-on-failure >"$out/go-fuzz.log" 2>&1 ||
        go_status=1
    tail -n 4 "$out/go-fuzz.log"
fi

! awk -F'\t' 'NR > 1 && $3 == "FAIL" { bad = 1 } END { exit !bad }' "$out/summary.tsv" && [ "$go_status" = 0 ] && [ "$cli_status" = 0 ]
