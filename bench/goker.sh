#!/usr/bin/env bash
# goker.sh: chanfuzz against the Go runtime and goleak on a directory of Go
# test packages (default scenarios/goker, the 50 GoKer blocking kernels; any
# other kernel set laid out the same way works: nothing here names a
# kernel). On the same files it measures
#   1. chanfuzz, per scenario (buggy and fixed test of one package) and per
#      strategy:
#      portfolio (the default mode), random, pct
#                   `chanfuzz go test PKGS --mode M --seed S --json` for K
#                   seeds: found (the variant's verdict is as expected), the
#                   kinds seen, executions and seconds to the first finding
#                   (median and p95 over the seeds that found it);
#      exhaustive   `--mode exhaustive --bound B --budget N` once (it is
#                   deterministic): found or not, schedules to the first
#                   finding, and whether the search ended within its cap;
#      libfuzzer    `chanfuzz go fuzz` (a fuzz-preset build) translates and
#                   compiles once; then each buggy variant's target runs
#                   alone for K seeds (-seed=S -runs=CAP -max_total_time=T)
#                   and its `==chanfuzz== FINDING: ... executions=N` line
#                   gives the executions to the first finding; each fixed
#                   variant's target gets one short run;
#      fixed variants must stay clean under every strategy: any finding is
#      a false alarm, and is reported;
#   2. the Go runtime alone: each buggy test run N times for real
#      (`go test -c`, the binary run as -test.run -test.count=1
#      -test.timeout T): a test timeout (hang), "all goroutines are asleep",
#      another fatal error, a panic or a failure counts as found;
#   3. goleak: the same N runs with goleak.VerifyTestMain added to a
#      temporary copy of the package (the kernels are not touched): a leak
#      report counts as found.
# Then it prints one markdown table (bench/goker_table.py), also written to
# --out FILE, and with --readme FILE put between the lines
# <!-- goker-table:begin --> and <!-- goker-table:end --> of FILE.
#
# usage: bench/goker.sh [DIR] [--modes LIST] [--seeds K|MODE=K,...] [--only REGEX]
#          [--budget B] [--bound K] [--exhaustive-budget N] [--exhaustive-time S]
#          [--fuzz-runs CAP] [--fuzz-time S] [--fuzz-fixed-time S]
#          [--runs N] [--timeout S] [--no-peers] [--jobs J] [--run-jobs J]
#          [--chanfuzz PATH] [--fuzz-chanfuzz PATH] [--goleak-path D]
#          [--out FILE] [--readme FILE] [--keep DIR] [--quick]
#
#   DIR            a directory whose subdirectories holding a _test.go file
#                  are GOPATH-mode Go test packages importing only the
#                  standard library (default scenarios/goker)
#   --modes LIST   chanfuzz strategies, comma-separated, of portfolio,
#                  random, pct, exhaustive, libfuzzer (default all five)
#   --seeds K      seeds per randomized strategy (default 30): seed
#                  j*1000003 for j = 1..K: far apart, so that the seeds are
#                  disjoint even under an explorer that runs seed S+i as
#                  execution i (chanfuzz did until it mixed S and i).
#                  MODE=K,... sets it per strategy
#                  (e.g. random=30,pct=10,libfuzzer=10; others keep 30)
#   --only REGEX   only the packages whose directory name matches (grep -E)
#   --budget B     the seeded modes: chanfuzz --budget (default: each test's
#                  own, 1000 unless //chanfuzz:budget says otherwise)
#   --bound K      exhaustive: the preemption bound (default 2)
#   --exhaustive-budget N  exhaustive: schedules per variant at most
#                  (default 10000); a search that reaches it has not ended
#   --exhaustive-time S    exhaustive: seconds per variant at most (default
#                  60: a polling loop makes each schedule long)
#   --fuzz-runs CAP        libfuzzer: executions per buggy run at most
#                  (default 1000000)
#   --fuzz-time S  libfuzzer: seconds per buggy run at most (default 60)
#   --fuzz-fixed-time S    libfuzzer: seconds of the one run of each fixed
#                  variant (default 10)
#   --runs N       real runs per scenario and Go tool (default 20)
#   --timeout S    the real runs' -test.timeout in seconds (default 10)
#   --no-peers     chanfuzz only
#   --jobs J       parallel chanfuzz processes and builds (default 2)
#   --run-jobs J   parallel real runs (default 16: a hanging run sleeps
#                  until its timeout and costs no CPU)
#   --chanfuzz P   chanfuzz for all but libfuzzer (default
#                  build/default/harness/cli/chanfuzz, or $CHANFUZZ)
#   --fuzz-chanfuzz P      chanfuzz of a fuzz-preset build, for libfuzzer
#                  (default build/fuzz/harness/cli/chanfuzz)
#   --goleak-path D        a GOPATH entry holding go.uber.org/goleak
#                  (default /usr/share/gocode, Debian's golang-uber-goleak-dev)
#   --out FILE     also write the table there
#   --readme FILE  replace FILE's goker-table block with the table
#   --keep DIR     keep the raw results there (TSV files and logs):
#                  `python3 bench/goker_table.py DIR` makes the table again
#   --quick        the CI check: random mode only (unless --modes), 3 seeds
#                  (unless --seeds), no peers; exit 1 when a buggy variant
#                  is found in no seed of some strategy or a fixed variant
#                  has any finding. The model is deterministic: the same
#                  seeds give the same verdicts on every machine.
#
# Exit status: 0 the measurement completed (with --quick: and passed); 1 a
# --quick failure; 2 a usage or infrastructure error (a tool that does not
# build or run).
set -euo pipefail
# One block, so bash reads all of it before running any: a run of an hour
# survives edits to this file.
{
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SEED_STRIDE=1000003
ALL_MODES=portfolio,random,pct,exhaustive,libfuzzer

dir=$ROOT/scenarios/goker
modes="" seeds_arg="" only="" budget="" bound=2 exh_budget=10000 exh_time=60
fuzz_runs=1000000 fuzz_time=60 fuzz_fixed_time=10
runs=20 tmo=10 peers=1 jobs=2 run_jobs=16 out="" readme="" keep="" quick=0
chanfuzz=${CHANFUZZ:-$ROOT/build/default/harness/cli/chanfuzz}
fuzz_chanfuzz=$ROOT/build/fuzz/harness/cli/chanfuzz
goleak_path=/usr/share/gocode

die() { echo "goker.sh: $*" >&2; exit 2; }
log() { echo "goker.sh: $*" >&2; }
need_arg() { [[ $# -ge 2 ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --modes) need_arg "$@"; modes=$2; shift 2 ;;
        --seeds) need_arg "$@"; seeds_arg=$2; shift 2 ;;
        --only) need_arg "$@"; only=$2; shift 2 ;;
        --budget) need_arg "$@"; budget=$2; shift 2 ;;
        --bound) need_arg "$@"; bound=$2; shift 2 ;;
        --exhaustive-budget) need_arg "$@"; exh_budget=$2; shift 2 ;;
        --exhaustive-time) need_arg "$@"; exh_time=$2; shift 2 ;;
        --fuzz-runs) need_arg "$@"; fuzz_runs=$2; shift 2 ;;
        --fuzz-time) need_arg "$@"; fuzz_time=$2; shift 2 ;;
        --fuzz-fixed-time) need_arg "$@"; fuzz_fixed_time=$2; shift 2 ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --timeout) need_arg "$@"; tmo=$2; shift 2 ;;
        --no-peers) peers=0; shift ;;
        --jobs) need_arg "$@"; jobs=$2; shift 2 ;;
        --run-jobs) need_arg "$@"; run_jobs=$2; shift 2 ;;
        --chanfuzz) need_arg "$@"; chanfuzz=$2; shift 2 ;;
        --fuzz-chanfuzz) need_arg "$@"; fuzz_chanfuzz=$2; shift 2 ;;
        --goleak-path) need_arg "$@"; goleak_path=$2; shift 2 ;;
        --out) need_arg "$@"; out=$2; shift 2 ;;
        --readme) need_arg "$@"; readme=$2; shift 2 ;;
        --keep) need_arg "$@"; keep=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *) dir=$1; shift ;;
    esac
done

# ---- options ------------------------------------------------------------------
if [[ $quick -eq 1 ]]; then
    peers=0
    modes=${modes:-random}
    seeds_arg=${seeds_arg:-3}
fi
modes=${modes:-$ALL_MODES}
seeds_arg=${seeds_arg:-30}
is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
IFS=, read -r -a mode_list <<<"$modes"
for m in "${mode_list[@]}"; do
    [[ ,$ALL_MODES, == *,$m,* ]] || die "--modes: unknown strategy '$m' (portfolio, random, pct, exhaustive, libfuzzer)"
done
has_mode() { [[ ,$modes, == *,$1,* ]]; }
declare -A seeds_of=([portfolio]=30 [random]=30 [pct]=30 [libfuzzer]=30)
if is_count "$seeds_arg"; then
    for m in portfolio random pct libfuzzer; do seeds_of[$m]=$seeds_arg; done
else
    IFS=, read -r -a pairs <<<"$seeds_arg"
    for p in "${pairs[@]}"; do
        [[ $p =~ ^(portfolio|random|pct|libfuzzer)=([1-9][0-9]*)$ ]] ||
            die "--seeds: expected K or MODE=K,... with MODE portfolio, random, pct or libfuzzer (got '$p')"
        seeds_of[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    done
fi
for v in bound exh_budget exh_time fuzz_runs fuzz_time fuzz_fixed_time runs tmo jobs run_jobs; do
    opt=${v/tmo/timeout}; opt=${opt/exh_/exhaustive_}
    is_count "${!v}" || die "--${opt//_/-} must be a positive integer (got '${!v}')"
done
[[ -z $budget ]] || is_count "$budget" || die "--budget must be a positive integer (got '$budget')"
[[ -d $dir ]] || die "no directory $dir"
dir=$(cd "$dir" && pwd)
[[ ! -e $dir/go.mod ]] || die "$dir/go.mod: the packages must be GOPATH-mode packages (no go.mod)"
abs_bin() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
[[ -x $chanfuzz ]] || die "no chanfuzz at $chanfuzz (cmake --preset default && cmake --build --preset default, or --chanfuzz)"
chanfuzz=$(abs_bin "$chanfuzz")
if has_mode libfuzzer; then
    [[ -x $fuzz_chanfuzz ]] || die "no fuzz-preset chanfuzz at $fuzz_chanfuzz (cmake --preset fuzz && cmake --build --preset fuzz --target chanfuzz chanfuzz_go, or --fuzz-chanfuzz; or leave libfuzzer out of --modes)"
    fuzz_chanfuzz=$(abs_bin "$fuzz_chanfuzz")
fi
command -v jq >/dev/null || die "jq is needed"
command -v python3 >/dev/null || die "python3 is needed"
if [[ $peers -eq 1 ]]; then
    command -v go >/dev/null || die "go is needed for the peers (or --no-peers)"
    [[ -d $goleak_path/src/go.uber.org/goleak ]] || die "no go.uber.org/goleak under $goleak_path/src (--goleak-path)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/goker-bench.XXXXXX")
cleanup() {
    local rc=$?
    local pids
    pids=$(jobs -p) || true
    if [[ -n $pids ]]; then kill $pids 2>/dev/null || true; wait 2>/dev/null || true; fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the packages -------------------------------------------------------------
# A GOPATH whose src/<base> is DIR itself (a symlink: the same files).
base=$(basename "$dir")
mkdir -p "$tmp/gopath/src"
ln -s "$dir" "$tmp/gopath/src/$base"
pkgs=()
for d in "$dir"/*/; do
    k=$(basename "$d")
    compgen -G "$d*_test.go" >/dev/null || continue
    [[ -z $only ]] || grep -Eq -- "$only" <<<"$k" || continue
    pkgs+=("$k")
done
[[ ${#pkgs[@]} -gt 0 ]] || die "no test packages under $dir${only:+ matching '$only'}"
printf './%s\n' "${pkgs[@]}" >"$tmp/pkgs"

# meta.tsv: directory, package name, GoBench subtype, reproduction rate,
# both read from the package comment (joined into one line first, as a
# sentence may wrap).
for k in "${pkgs[@]}"; do
    f=$(ls "$dir/$k"/*_test.go | head -n1)
    name=$(sed -n -E 's/^package +([A-Za-z0-9_]+).*/\1/p' "$f" | head -n1)
    comment=$(sed -n '/^package /q; s|^// \{0,1\}||p' "$f" | tr '\n' ' ' | tr -s ' ')
    sub=$(grep -o -E 'GoBench subtype: [^(.]*' <<<"$comment" | head -n1 | sed -E 's/.*subtype: *//; s/^[^\/]*\/ *//; s/ +$//') || true
    rate=$(grep -o -E '[0-9]+/100 reproductions' <<<"$comment" | head -n1 | sed 's/ reproductions//') || true
    printf '%s\t%s\t%s\t%s\n' "$k" "${name%_test}" "${sub:--}" "${rate:--}"
done >"$tmp/meta.tsv"

export GOPATH_DIR=$tmp/gopath/src/$base GOPATH_ROOT=$tmp/gopath
in_gopath() { # command...: run in DIR's place in the temporary GOPATH
    (cd "$GOPATH_DIR" && GO111MODULE=off GOPATH="$GOPATH_ROOT" GOFLAGS= GOWORK=off "$@")
}
export -f in_gopath

# The scenarios: `chanfuzz go list` (this also translates and checks every
# package before anything is timed).
in_gopath "$chanfuzz" go list $(cat "$tmp/pkgs") >"$tmp/list.txt" 2>"$tmp/list.err" || {
    tail -n 20 "$tmp/list.err" >&2; die "chanfuzz go list failed on $dir"; }
# scenarios.tsv: scenario variant test expected-kinds ("-" for a fixed one)
awk '{ print $1 "\t" $2 "\t" $3 "\t" ($4 == "expects" ? $5 : "-") }' "$tmp/list.txt" >"$tmp/scenarios.tsv"

started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
t0=$(date +%s)
# run.txt: KEY<TAB>VALUE facts for the table's header
{
    printf 'dir\t%s\n' "${dir#"$ROOT"/}"
    printf 'started\t%s\n' "$started"
    printf 'machine\t%s, %s cores%s\n' "$(uname -m)" "$(nproc)" \
        "$(awk -F': ' '/model name/{printf " (%s)", $2; exit}' /proc/cpuinfo 2>/dev/null)"
    printf 'load_start\t%s\n' "$load_start"
    printf 'commit\t%s\n' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")"
    printf 'dirty\t%s\n' "$(git -C "$ROOT" status --porcelain -- "$dir" 2>/dev/null | wc -l)"
    printf 'modes\t%s\n' "$modes"
    for m in portfolio random pct libfuzzer; do printf 'seeds_%s\t%s\n' "$m" "${seeds_of[$m]}"; done
    printf 'stride\t%s\n' "$SEED_STRIDE"
    printf 'budget\t%s\n' "${budget:--}"
    printf 'bound\t%s\nexhaustive_budget\t%s\nexhaustive_time\t%s\n' "$bound" "$exh_budget" "$exh_time"
    printf 'fuzz_runs\t%s\nfuzz_time\t%s\nfuzz_fixed_time\t%s\n' "$fuzz_runs" "$fuzz_time" "$fuzz_fixed_time"
    printf 'chanfuzz\t%s\n' "$chanfuzz"
    printf 'fuzz_chanfuzz\t%s\n' "$(has_mode libfuzzer && echo "$fuzz_chanfuzz" || echo -)"
    printf 'peers\t%s\nruns\t%s\ntimeout\t%s\n' "$peers" "$runs" "$tmo"
    printf 'quick\t%s\n' "$quick"
} >"$tmp/run.txt"
fact() { printf '%s\t%s\n' "$1" "$2" >>"$tmp/run.txt"; }

# ---- chanfuzz go test: portfolio, random, pct, exhaustive ---------------------------------
# cf.tsv, one line per (mode, seed, variant): mode seed scenario variant
# as_expected executions executions_to_detection seconds seen verdict
# exhaustive.schedules exhaustive.exhausted
mkdir -p "$tmp/cf"
: >"$tmp/cf.tsv"
export CF_BIN=$chanfuzz CF_TMP=$tmp/cf
cf_go_test() { # tag packages-file flags...: one chanfuzz go test, to cf/<tag>.json
    local tag=$1 list=$2 rc=0
    shift 2
    in_gopath "$CF_BIN" go test $(cat "$list") "$@" --json --out "$CF_TMP/out.$tag" \
        >"$CF_TMP/$tag.json" 2>"$CF_TMP/$tag.err" || rc=$?
    echo "$rc" >"$CF_TMP/$tag.rc"
    rm -rf "$CF_TMP/out.$tag"
}
export -f cf_go_test
cf_collect() { # mode seed tag
    local summary
    summary=$(grep -m1 '"format":"chanfuzz.summary' "$tmp/cf/$3.json" || true)
    if [[ -z $summary ]]; then
        log "chanfuzz $1 ($3): no summary (exit $(cat "$tmp/cf/$3.rc")); its stderr ends:"
        tail -n 5 "$tmp/cf/$3.err" >&2
        return 1
    fi
    jq -r --arg m "$1" --arg s "$2" '.variants[] | [$m, $s, .scenario, .variant,
        (if .as_expected then 1 else 0 end), .executions, (.executions_to_detection // "-"),
        .seconds, ((.seen // []) | join(",") | if . == "" then "-" else . end), .verdict,
        (.exhaustive.schedules // "-"), (if .exhaustive == null then "-" elif .exhaustive.exhausted then 1 else 0 end)]
        | map(tostring) | @tsv' <<<"$summary" >>"$tmp/cf.tsv"
}
budget_flags=()
[[ -z $budget ]] || budget_flags=(--budget "$budget")
for m in portfolio random pct; do
    has_mode "$m" || continue
    k=${seeds_of[$m]}
    log "chanfuzz $m: ${#pkgs[@]} packages x $k seeds${budget:+, budget $budget}, $jobs jobs"
    t=$(date +%s)
    seq 1 "$k" | xargs -P "$jobs" -I{} bash -c \
        'cf_go_test "$1.$2" "$3" --mode "$1" --seed $(($2 * $4)) "${@:5}"' _ "$m" {} "$tmp/pkgs" "$SEED_STRIDE" "${budget_flags[@]}"
    errors=0
    for j in $(seq 1 "$k"); do cf_collect "$m" "$j" "$m.$j" || errors=$((errors + 1)); done
    [[ $errors -lt $k ]] || die "chanfuzz $m gave no result for any seed"
    fact "seconds_$m" $(($(date +%s) - t))
    fact "errors_$m" "$errors"
done
if has_mode exhaustive; then
    # Deterministic: one run, the packages split over the jobs.
    log "chanfuzz exhaustive: ${#pkgs[@]} packages, bound $bound, at most $exh_budget schedules and $exh_time s per variant"
    t=$(date +%s)
    split -n "r/$jobs" -d "$tmp/pkgs" "$tmp/cf/exh-pkgs."
    ls "$tmp/cf"/exh-pkgs.* | xargs -P "$jobs" -I{} bash -c \
        'cf_go_test "exhaustive.${1##*.}" "$1" --mode exhaustive --bound "$2" --budget "$3" --time "$4"' _ {} "$bound" "$exh_budget" "$exh_time"
    errors=0
    for f in "$tmp/cf"/exh-pkgs.*; do cf_collect exhaustive 1 "exhaustive.${f##*.}" || errors=$((errors + 1)); done
    [[ $errors -eq 0 ]] || die "chanfuzz exhaustive failed on some packages (above)"
    fact seconds_exhaustive $(($(date +%s) - t))
fi

# ---- libFuzzer: chanfuzz go fuzz, then each variant's target on its own ---------
# fuzz.tsv: seed scenario variant kind verdict executions seconds (kind "-":
# no finding within the caps)
: >"$tmp/fuzz.tsv"
if has_mode libfuzzer; then
    mkdir -p "$tmp/fz/work" "$tmp/fz/runs"
    log "libfuzzer: translating and compiling the fuzz target ($fuzz_chanfuzz go fuzz --work)"
    t=$(date +%s)
    in_gopath "$fuzz_chanfuzz" go fuzz $(cat "$tmp/pkgs") --time 1 --work "$tmp/fz/work" \
        --out "$tmp/fz/out" --corpus "$tmp/fz/corpus" >"$tmp/fz/build.log" 2>&1 || true
    targets=$(ls -d "$tmp/fz/work"/*/targets 2>/dev/null | head -n1)
    [[ -n $targets ]] || { tail -n 20 "$tmp/fz/build.log" >&2; die "chanfuzz go fuzz built no targets"; }
    rm -rf "$tmp/fz/out" "$tmp/fz/corpus"
    fact seconds_fuzz_build $(($(date +%s) - t))
    # One run: seed scenario variant max-time runs.
    fz_run() { # seed scenario variant seconds runs
        local log=$FZ_TMP/runs/$2.$3.$1 t0 t1 line kind verdict execs
        mkdir -p "$log.art"
        t0=$(date +%s.%N)
        (cd "$log.art" && "$FZ_TARGETS/fuzz_$2_$3" -seed=$(($1 * SEED_STRIDE)) -runs="$5" \
            -max_total_time="$4" -chanfuzz_go_semantics=1.22 -artifact_prefix="$log.art/" \
            -print_final_stats=1) >"$log" 2>&1 || true
        t1=$(date +%s.%N)
        line=$(grep -m1 '^==chanfuzz== FINDING:' "$log" || true)
        if [[ -n $line ]]; then
            kind=$(sed -E 's/.* kind=([^ ]+).*/\1/' <<<"$line")
            verdict=$(sed -E 's/.* verdict=([^ ]+).*/\1/' <<<"$line")
            execs=$(sed -E 's/.* executions=([0-9]+).*/\1/' <<<"$line")
        elif grep -q -E '^Done [0-9]+ runs|^stat::number_of_executed_units' "$log"; then
            kind=- verdict=- execs=$(sed -n -E 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | head -n1)
        else
            kind=error verdict=- execs=-
            echo "libfuzzer: fuzz_$2_$3 -seed=$(($1 * SEED_STRIDE)) did not run; its log ends:" >&2
            tail -n 5 "$log" >&2
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$kind" "$verdict" "${execs:--}" \
            "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" >"$log.tsv"
        rm -rf "$log.art"
    }
    export -f fz_run
    export FZ_TMP=$tmp/fz FZ_TARGETS=$targets SEED_STRIDE
    k=${seeds_of[libfuzzer]}
    log "libfuzzer: buggy variants x $k seeds (at most $fuzz_runs executions, ${fuzz_time} s), fixed variants ${fuzz_fixed_time} s each, $jobs jobs"
    t=$(date +%s)
    {
        awk -F'\t' '$2 == "buggy" { print $1 }' "$tmp/scenarios.tsv" | while read -r s; do
            for j in $(seq 1 "$k"); do echo "$j $s buggy $fuzz_time $fuzz_runs"; done
        done
        awk -F'\t' '$2 == "fixed" { print $1 }' "$tmp/scenarios.tsv" | while read -r s; do
            echo "1 $s fixed $fuzz_fixed_time 2000000000"
        done
    } | xargs -P "$jobs" -n 5 bash -c 'fz_run "$@"' _
    cat "$tmp/fz/runs"/*.tsv >"$tmp/fuzz.tsv" 2>/dev/null || true
    fact seconds_libfuzzer $(($(date +%s) - t))
fi

# ---- the peers: the Go runtime alone, and goleak ------------------------------
# peers.tsv: tool scenario run outcome wall-seconds
: >"$tmp/peers.tsv"
if [[ $peers -eq 1 ]]; then
    mkdir -p "$tmp/go/leak/src/$base" "$tmp/go/bin" "$tmp/go/res" "$tmp/go/log"
    for k in "${pkgs[@]}"; do
        grep -q 'func TestMain(' "$dir/$k"/*_test.go && die "$k has its own TestMain; goleak's cannot be added"
        mkdir -p "$tmp/go/leak/src/$base/$k"
        cp "$dir/$k"/*.go "$tmp/go/leak/src/$base/$k/"
        pkg=$(sed -n -E 's/^package +([A-Za-z0-9_]+).*/\1/p' "$dir/$k"/*_test.go | head -n1)
        cat >"$tmp/go/leak/src/$base/$k/goleak_main_test.go" <<EOF
// Generated by bench/goker.sh (in a temporary copy only).
package $pkg

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
EOF
    done
    go_build() { # plain|leak package
        local src=$GOPATH_ROOT gp=$GOPATH_ROOT
        [[ $1 == leak ]] && src=$GO_TMP/leak gp=$GO_TMP/leak:$GOLEAK_PATH
        if ! (cd "$src/src/$BASE/$2" && GO111MODULE=off GOFLAGS= GOWORK=off GOPATH="$gp" CGO_ENABLED=0 \
                go test -c -vet=off -o "$GO_TMP/bin/$2.$1" "$BASE/$2") >"$GO_TMP/log/build.$2.$1" 2>&1; then
            echo "build failed: $BASE/$2 ($1)" >&2
            cat "$GO_TMP/log/build.$2.$1" >&2
            return 255 # stops xargs
        fi
    }
    # One real run of a scenario's buggy test; its outcome (clean, hang,
    # deadlock, fatal, panic, fail, leak) and wall time to res/.
    go_run() { # plain|leak package scenario i
        local kind=$1 k=$2 test=${3##*.} i=$4 rc=0 o=$GO_TMP/log/$1.$3.$4 res t0 t1 src=$GOPATH_ROOT
        [[ $kind == leak ]] && src=$GO_TMP/leak
        t0=$(date +%s.%N)
        (cd "$src/src/$BASE/$k" && timeout -k 5 $((GO_TIMEOUT + 30)) "$GO_TMP/bin/$k.$kind" \
            -test.run "^${test}(_buggy)?\$" -test.count=1 -test.timeout "${GO_TIMEOUT}s") >"$o" 2>&1 || rc=$?
        t1=$(date +%s.%N)
        if [[ $kind == leak ]] && grep -q 'goleak: Errors on successful test run' "$o"; then res=leak
        elif grep -q 'panic: test timed out after' "$o" || [[ $rc -eq 124 || $rc -eq 137 ]]; then res=hang
        elif grep -q 'fatal error: all goroutines are asleep' "$o"; then res=deadlock
        elif grep -q '^fatal error:' "$o"; then res=fatal
        elif grep -q '^panic:' "$o"; then res=panic
        elif grep -q -e '^--- FAIL' -e '^FAIL' "$o" || [[ $rc -ne 0 ]]; then res=fail
        elif grep -q 'testing: warning: no tests to run' "$o"; then res=norun
        elif grep -q -e '^ok' -e '^PASS' "$o"; then res=clean
        else res=fail
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$kind" "$3" "$i" "$res" \
            "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')" >"$GO_TMP/res/$kind.$3.$i"
        [[ $res == clean ]] && rm -f "$o"
        return 0
    }
    export -f go_build go_run
    export GO_TMP=$tmp/go GOLEAK_PATH=$goleak_path GO_TIMEOUT=$tmo BASE=$base
    t=$(date +%s)
    log "peers: building $((2 * ${#pkgs[@]})) test binaries ($(go version | awk '{print $3}'), $jobs jobs)"
    for k in "${pkgs[@]}"; do echo "plain $k"; echo "leak $k"; done |
        xargs -P "$jobs" -n 2 bash -c 'go_build "$@"' _ || die "a test binary did not build"
    # The scenarios with a buggy test, each with its package's directory.
    awk -F'\t' 'NR == FNR { dir[$2] = $1; next }
        $2 == "buggy" { p = $1; sub(/\.[^.]*$/, "", p); d = (p in dir) ? dir[p] : p; gsub(/.*\./, "", d); print d "\t" $1 }' \
        "$tmp/meta.tsv" "$tmp/scenarios.tsv" >"$tmp/go/buggy.tsv"
    log "peers: $runs runs per buggy test and tool, timeout ${tmo}s, $run_jobs parallel runs"
    # Interleave scenarios and tools so that the hangs spread over the phase.
    for i in $(seq 1 "$runs"); do
        while IFS=$'\t' read -r k s; do echo "plain $k $s $i"; echo "leak $k $s $i"; done <"$tmp/go/buggy.tsv"
    done | xargs -P "$run_jobs" -n 4 bash -c 'go_run "$@"' _
    cat "$tmp/go/res"/* >"$tmp/peers.tsv" 2>/dev/null || true
    fact go_version "$(go version | awk '{print $3}')"
    goleak_version="from $goleak_path"
    if [[ $goleak_path == /usr/share/gocode ]] && command -v dpkg-query >/dev/null; then
        goleak_version=$(dpkg-query -W -f '${Version}' golang-uber-goleak-dev 2>/dev/null || echo "$goleak_version")
    fi
    fact goleak_version "$goleak_version"
    fact seconds_peers $(($(date +%s) - t))
fi

fact seconds_total $(($(date +%s) - t0))
fact load_end "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")"

# ---- the table ----------------------------------------------------------------
if [[ -n $keep ]]; then
    mkdir -p "$keep"
    cp -r "$tmp"/. "$keep"/
    rm -f "$keep/gopath/src/$base"
    log "raw results kept in $keep"
fi
status=0
python3 "$ROOT/bench/goker_table.py" "$tmp" >"$tmp/table.md" || status=$?
[[ $status -le 1 ]] || die "the table could not be made (bench/goker_table.py, exit $status)"
cat "$tmp/table.md"
if [[ -n $out ]]; then
    mkdir -p "$(dirname "$out")"
    cp "$tmp/table.md" "$out"
fi
if [[ -n $readme ]]; then
    python3 "$ROOT/bench/goker_table.py" --replace "$readme" "$tmp/table.md" ||
        die "$readme: no <!-- goker-table:begin --> ... <!-- goker-table:end --> block"
    log "table written into $readme"
fi
if [[ $quick -eq 1 && $status -eq 1 ]]; then
    log "--quick: a buggy variant never found or a fixed variant with a finding (see the table)"
    exit 1
fi
exit 0
}
