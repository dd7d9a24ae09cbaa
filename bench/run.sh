#!/usr/bin/env bash
# run.sh: the benchmark table of README.md ("Benchmarks"), in one run.
#
#   bench/run.sh [--quick] [--json] [--seeds K] [--readme FILE] [--plots DIR]
#                [--goker-seeds K] [--goker-results DIR] [--keep DIR]
#                [--no-build] [--no-goker] [--no-libfuzzer]
#
# Four parts, all measured in this invocation:
#   1. runtime primitives: bench_runtime (release preset) and the same
#      operations in Go at GOMAXPROCS=1 (bench/go/primitives.go, when go is
#      installed), side by side with their ratio, and the runtime's targets;
#   2. time to detect: every buggy variant of the C catalogue (`chanfuzz
#      list`) under each strategy: seeded random, PCT, the portfolio when
#      `chanfuzz run --help` lists it (`chanfuzz run V --mode M --seed S
#      --json`, S = j x 1000003 for j = 1..K), bounded exhaustive (once:
#      schedules to the first finding), libFuzzer with and without
#      interleaving feedback (bench/feedback.sh --raw on the fuzz-fast
#      preset: CHANFUZZ_FEEDBACK=1/0, libFuzzer -seed=j); executions and
#      seconds to the first finding, median and p95 over the seeds that
#      found it; plus the GoKer kernels (bench/goker.sh --no-peers, its raw
#      results); and the gain of feedback on the `rare`-tagged scenarios;
#   3. cost growth: bench_growth, executions per second and ns per channel
#      operation for 2..512 goroutines x 10..1000 operations each;
#   4. plots (gnuplot): time-to-detect distributions per strategy and the
#      growth curves, PNG files in --plots DIR (default bench/plots).
#
# Output: the Markdown tables on stdout (with --json: one JSON array of
# measurements, each {name, value, unit, baseline, target, met}; see
# bench/README.md); progress on stderr.
#
#   --quick        under 2 minutes: 2 seeds, short timed runs, budgets of
#                  2,000 executions, libFuzzer on the `rare` scenarios only
#                  (at most 20,000 executions), no GoKer run (one seed of it
#                  alone takes minutes: --goker-results reuses a run's)
#   --json         the JSON array instead of Markdown
#   --seeds K      seeds per randomized strategy (default 30, --quick 2)
#   --readme FILE  put the Markdown between <!-- bench-table:begin --> and
#                  <!-- bench-table:end --> of FILE
#   --goker-seeds K  seeds per strategy for the GoKer kernels (default
#                  --seeds; a GoKer run translates and compiles 50 packages,
#                  about a minute on this machine kind)
#   --goker-results DIR  the GoKer rows from a kept goker.sh run
#                  (`bench/goker.sh --keep DIR`; run.sh --keep DIR keeps its
#                  own under DIR/goker) instead of running it
#   --plots DIR    where the PNG files go (default bench/plots)
#   --keep DIR     keep the raw results (TSV) there
#   --no-build     use the builds as they are (build/release, build/default,
#                  build/fuzz-fast)
#   --no-goker     leave the GoKer kernels out
#   --no-libfuzzer leave the libFuzzer columns out (no fuzz-fast build)
#
# Builds: build/release (bench_runtime, bench_growth, chanfuzz: the figures
# of parts 1-3), build/default (chanfuzz and chanfuzz_go, for GoKer: the
# frontend is not in the release build's test set) and build/fuzz-fast
# (the fuzz_*_buggy targets only). Each is configured and built here
# unless --no-build.
# Exit status: 0 done; 2 a usage error or a tool that did not build or run.
set -euo pipefail
{
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SEED_STRIDE=1000003
quick=0 json=0 seeds="" goker_seeds="" goker_results="" readme="" plots=$ROOT/bench/plots keep="" build=1 goker=1 libfuzzer=1
die() { echo "run.sh: $*" >&2; exit 2; }
log() { echo "run.sh: $*" >&2; }
need_arg() { [[ $# -ge 2 ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --quick) quick=1; shift ;;
        --json) json=1; shift ;;
        --seeds) need_arg "$@"; seeds=$2; shift 2 ;;
        --goker-seeds) need_arg "$@"; goker_seeds=$2; shift 2 ;;
        --goker-results) need_arg "$@"; goker_results=$(realpath -m "$2"); shift 2 ;;
        --readme) need_arg "$@"; readme=$(realpath -m "$2"); shift 2 ;;
        --plots) need_arg "$@"; plots=$(realpath -m "$2"); shift 2 ;;
        --keep) need_arg "$@"; keep=$(realpath -m "$2"); shift 2 ;;
        --no-build) build=0; shift ;;
        --no-goker) goker=0; shift ;;
        --no-libfuzzer) libfuzzer=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -z $seeds ]] && seeds=$([[ $quick -eq 1 ]] && echo 2 || echo 30)
goker_seeds=${goker_seeds:-$seeds}
for v in seeds goker_seeds; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "--${v/_/-} must be a positive integer (got '${!v}')"
done
[[ -z $readme || -f $readme ]] || die "--readme: no file $readme"
[[ -z $goker_results || -f $goker_results/cf.tsv ]] || die "--goker-results: no cf.tsv in $goker_results"
[[ $quick -eq 0 ]] || goker=0
for tool in jq python3; do command -v $tool >/dev/null || die "$tool is needed"; done
command -v gnuplot >/dev/null || die "gnuplot is needed for the plots (scripts/deps.sh installs gnuplot-nox)"

if [[ $quick -eq 1 ]]; then
    runtime_flags=(--runs 3 --run-ms 10 --goroutines 10000) go_flags=(-runs 3 -run-ms 10 -goroutines 10000)
    growth_ms=20 budget=2000 fuzz_cap=20000 exhaustive_budget=2000
else
    runtime_flags=() go_flags=() growth_ms=400
    budget=10000 fuzz_cap=100000 exhaustive_budget=10000
fi
bound=2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-bench.XXXXXX")
cleanup() {
    local rc=$? pids
    pids=$(jobs -p) || true
    [[ -z $pids ]] || { kill $pids 2>/dev/null || true; wait 2>/dev/null || true; }
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- builds -------------------------------------------------------------------
build_preset() { # preset targets...
    local preset=$1 dir=$ROOT/build/$1
    shift
    [[ $build -eq 1 ]] || return 0
    log "building $* ($preset preset)"
    if [[ ! -f $dir/build.ninja ]]; then
        cmake --preset "$preset" -S "$ROOT" -B "$dir" >"$tmp/configure.$preset.log" 2>&1 ||
            { tail -n 20 "$tmp/configure.$preset.log" >&2; die "cmake --preset $preset failed"; }
    fi
    cmake --build "$dir" -j2 --target "$@" >"$tmp/build.$preset.log" 2>&1 ||
        { tail -n 20 "$tmp/build.$preset.log" >&2; die "building $* in $dir failed"; }
}
release=$ROOT/build/release
build_preset release bench_runtime bench_growth chanfuzz
chanfuzz=$release/harness/cli/chanfuzz
for b in "$release/bench/bench_runtime" "$release/bench/bench_growth" "$chanfuzz"; do
    [[ -x $b ]] || die "no $b (cmake --preset release && cmake --build --preset release)"
done

started=$(date -u '+%Y-%m-%d %H:%M UTC')
t_start=$(date +%s)
{
    printf 'started\t%s\n' "$started"
    printf 'commit\t%s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    printf 'machine\t%s, %s cores%s\n' "$(uname -m)" "$(nproc)" \
        "$(awk -F': ' '/model name/{printf " (%s)", $2; exit}' /proc/cpuinfo 2>/dev/null)"
    printf 'load_start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
    printf 'quick\t%s\nseeds\t%s\nstride\t%s\n' "$quick" "$seeds" "$SEED_STRIDE"
    printf 'budget\t%s\nbound\t%s\nexhaustive_budget\t%s\nfuzz_cap\t%s\n' \
        "$budget" "$bound" "$exhaustive_budget" "$fuzz_cap"
} >"$tmp/run.tsv"
fact() { printf '%s\t%s\n' "$1" "$2" >>"$tmp/run.tsv"; }
phase_start() { phase_t0=$(date +%s); log "$1"; }
phase_end() { fact "seconds_$1" $(($(date +%s) - phase_t0)); }

# ---- 1. primitives ------------------------------------------------------------
# primitives.tsv: implementation row min median unit
phase_start "primitives: bench_runtime${runtime_flags[*]:+ ${runtime_flags[*]}}"
"$release/bench/bench_runtime" "${runtime_flags[@]}" >"$tmp/bench_runtime.txt" 2>"$tmp/bench_runtime.err" ||
    { cat "$tmp/bench_runtime.err" >&2; die "bench_runtime failed"; }
python3 "$ROOT/bench/run_table.py" parse-runtime "$tmp/bench_runtime.txt" >"$tmp/primitives.tsv"
if command -v go >/dev/null; then
    log "primitives: Go $(go version | awk '{print $3}') at GOMAXPROCS=1"
    (cd "$ROOT/bench/go" && GO111MODULE=off GOFLAGS= go run primitives.go "${go_flags[@]}") \
        >"$tmp/go.txt" 2>"$tmp/go.err" || { cat "$tmp/go.err" >&2; die "bench/go/primitives.go failed"; }
    awk -F'\t' '{ print "go\t" $0 }' "$tmp/go.txt" >>"$tmp/primitives.tsv"
    fact go_version "$(go version | awk '{print $3}')"
else
    log "primitives: no go on PATH: the Go column stays empty"
fi
phase_end primitives

# ---- 2. time to detect: the C catalogue ---------------------------------------
modes=(random pct)
if "$chanfuzz" run --help 2>&1 | grep -q 'portfolio'; then modes+=(portfolio); fi
fact modes "${modes[*]}"
"$chanfuzz" list >"$tmp/list.txt" 2>"$tmp/list.err" || { cat "$tmp/list.err" >&2; die "chanfuzz list failed"; }
# variants.tsv: scenario, tags (comma-separated), of each buggy variant
python3 "$ROOT/bench/run_table.py" parse-list "$tmp/list.txt" >"$tmp/variants.tsv"
[[ -s $tmp/variants.tsv ]] || die "chanfuzz list shows no buggy variant"

export CF_BIN=$chanfuzz CF_TMP=$tmp/cf CF_BUDGET=$budget CF_BOUND=$bound CF_EXH_BUDGET=$exhaustive_budget
mkdir -p "$tmp/cf"
# One chanfuzz run of one buggy variant; one TSV line to cf/: mode seed
# scenario as_expected executions_to_detection seconds_to_detection, the
# last two "-" when nothing was found and "skip" when the variant did not
# run (a bug of older Go semantics than the default). --no-isolate: the
# catalogue does not crash, and a fork per run would be most of a quick
# find's cost.
cf_one() { # mode seed scenario
    local mode=$1 seed=$2 s=$3 out=$CF_TMP/$1.$2.$3 flags
    if [[ $mode == exhaustive ]]; then
        flags=(--mode exhaustive --bound "$CF_BOUND" --budget "$CF_EXH_BUDGET")
    else
        flags=(--mode "$mode" --seed "$seed" --budget "$CF_BUDGET")
    fi
    # Two processes per run, chanfuzz and jq: on a loaded machine a process
    # start costs ~0.1 s, more than most runs.
    "$CF_BIN" run "$s:buggy" "${flags[@]}" --no-isolate --json --out "$out.dir" >"$out.json" 2>"$out.err" || true
    # The finding's own clock, or the variant's seconds when it reports none.
    jq -rs --arg m "$mode" --arg seed "$seed" '
        (map(select(.format | startswith("chanfuzz.finding"))) | first | .found_at_seconds // null) as $f |
        map(select(.format | startswith("chanfuzz.summary"))) | first | .variants[0] |
        [$m, $seed, .scenario, (if .as_expected then 1 else 0 end),
         (if .skipped or .executions == 0 then "skip" else (.executions_to_detection // "-") end),
         (if .skipped or .executions == 0 then "skip" elif .executions_to_detection == null then "-"
          elif $f != null then $f else .seconds end)]
        | map(tostring) | @tsv' "$out.json" >"$out.tsv" 2>/dev/null && [[ -s $out.tsv ]] || {
        echo "chanfuzz run $s:buggy ${flags[*]}: no summary; its stderr ends:" >&2
        tail -n 3 "$out.err" >&2
        return 1
    }
}
# cf_batch: cf_one for each (mode seed scenario) triple of its arguments
cf_batch() {
    while [[ $# -ge 3 ]]; do cf_one "$1" "$2" "$3" || return 255; shift 3; done
}
export -f cf_one cf_batch
phase_start "time to detect: $(wc -l <"$tmp/variants.tsv") buggy variants x ${modes[*]} x $seeds seeds, and exhaustive (bound $bound)"
{
    while IFS=$'\t' read -r s _; do
        for m in "${modes[@]}"; do
            for ((j = 1; j <= seeds; j++)); do echo "$m $((j * SEED_STRIDE)) $s"; done
        done
        echo "exhaustive - $s"
    done <"$tmp/variants.tsv"
} | xargs -P 2 -n 60 bash -c 'cf_batch "$@"' _ || die "a chanfuzz run failed"
cat "$tmp/cf"/*.tsv >"$tmp/detect.tsv"
rm -rf "$tmp/cf"
phase_end detect

# ---- 2b. libFuzzer with and without interleaving feedback ----------------------
: >"$tmp/libfuzzer.tsv"
if [[ $libfuzzer -eq 1 ]]; then
    fuzz_build=$ROOT/build/fuzz-fast
    targets=()
    while IFS=$'\t' read -r s tags; do
        [[ $quick -eq 0 || ,$tags, == *,rare,* ]] && targets+=("fuzz_${s}_buggy")
    done <"$tmp/variants.tsv"
    if [[ $build -eq 1 && ! -f $fuzz_build/build.ninja ]]; then
        cmake --preset fuzz-fast -S "$ROOT" -B "$fuzz_build" -DCHANFUZZ_TESTS=OFF -DCHANFUZZ_BENCH=OFF \
            >"$tmp/configure.fuzz-fast.log" 2>&1 || die "cmake --preset fuzz-fast failed"
    fi
    build_preset fuzz-fast "${targets[@]}"
    for t in "${targets[@]}"; do
        [[ -x $fuzz_build/fuzz/$t ]] || die "no $fuzz_build/fuzz/$t (cmake --preset fuzz-fast && cmake --build build/fuzz-fast --target $t; or --no-libfuzzer)"
    done
    phase_start "libFuzzer: ${#targets[@]} targets x feedback on/off x $seeds seeds, at most $fuzz_cap executions (bench/feedback.sh)"
    "$ROOT/bench/feedback.sh" --build-dir "$fuzz_build" --no-build --detect-only --seeds "$seeds" \
        --runs "$fuzz_cap" --jobs 2 --raw "$tmp/libfuzzer.tsv" "${targets[@]}" >"$tmp/feedback.txt" 2>"$tmp/feedback.err" ||
        { tail -n 5 "$tmp/feedback.err" >&2; die "bench/feedback.sh failed"; }
    phase_end libfuzzer
fi

# ---- 2c. GoKer ----------------------------------------------------------------
if [[ -n $goker_results ]]; then
    log "GoKer kernels: the results of $goker_results"
    mkdir -p "$tmp/goker" && cp "$goker_results/cf.tsv" "$goker_results/run.txt" "$tmp/goker/"
    fact goker_seeds "$(awk -F'\t' '$1 == "seeds_random" { print $2 }' "$goker_results/run.txt")"
    fact goker_from "$goker_results"
elif [[ $goker -eq 1 ]]; then
    if command -v go >/dev/null; then
        build_preset default chanfuzz chanfuzz_go
        goker_modes=$([[ $quick -eq 1 ]] && echo random || echo random,pct,exhaustive)
        phase_start "GoKer kernels: bench/goker.sh --no-peers --modes $goker_modes --seeds $goker_seeds"
        fact goker_seeds "$goker_seeds"
        "$ROOT/bench/goker.sh" --no-peers --modes "$goker_modes" --seeds "$goker_seeds" \
            --chanfuzz "$ROOT/build/default/harness/cli/chanfuzz" --keep "$tmp/goker" \
            >"$tmp/goker.md" 2>"$tmp/goker.err" || { tail -n 5 "$tmp/goker.err" >&2; die "bench/goker.sh failed"; }
        phase_end goker
    else
        log "GoKer: no go on PATH: left out"
    fi
fi

# ---- 3. cost growth -----------------------------------------------------------
phase_start "cost growth: bench_growth --ms $growth_ms"
"$release/bench/bench_growth" --ms "$growth_ms" >"$tmp/growth.tsv" || die "bench_growth failed"
phase_end growth

fact load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
fact seconds_total $(($(date +%s) - t_start))

# ---- 4. tables and plots --------------------------------------------------------
mkdir -p "$plots"
python3 "$ROOT/bench/run_table.py" plot-data "$tmp" "$tmp/plot"
gnuplot -e "datadir='$tmp/plot'; outdir='$plots'" "$ROOT/bench/plots.gp" 2>"$tmp/gnuplot.err" ||
    { cat "$tmp/gnuplot.err" >&2; die "gnuplot failed (bench/plots.gp)"; }
plots_rel=$(realpath --relative-to="$ROOT" "$plots")
if [[ -n $keep ]]; then mkdir -p "$keep" && cp -r "$tmp"/. "$keep"/; fi
python3 "$ROOT/bench/run_table.py" markdown "$tmp" "$plots_rel" >"$tmp/table.md"
if [[ -n $readme ]]; then
    python3 "$ROOT/bench/run_table.py" replace "$readme" "$tmp/table.md" ||
        die "$readme: no <!-- bench-table:begin --> ... <!-- bench-table:end --> block"
    log "table written into $readme"
fi
if [[ $json -eq 1 ]]; then
    python3 "$ROOT/bench/run_table.py" json "$tmp"
else
    cat "$tmp/table.md"
fi
}
