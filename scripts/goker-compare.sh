#!/usr/bin/env bash
# goker-compare.sh: the GoKer side-by-side proof. On the same kernel files
# (scenarios/goker/<project>_<id>/), measures
#   1. chanfuzz: `chanfuzz go test` over every kernel for K seeds: per buggy
#      variant in how many seeds its expected finding came within the budget
#      and the median/max executions to detect; per fixed variant any
#      finding (a false alarm);
#   2. the Go runtime alone: each kernel's buggy test run N times for real
#      (`go test -run '_buggy$' -count=1 -timeout T`, compiled once with
#      `go test -c`, the binary run N times), counting the runs where Go
#      reported something: a test timeout (hang), "all goroutines are
#      asleep" (deadlock), another fatal error, a panic, a test failure;
#   3. goleak: the same N runs with goleak.VerifyTestMain added, counting
#      the runs where goleak reported leaked goroutines. The kernels are not
#      touched: each package is copied into a temporary GOPATH and a
#      generated goleak_main_test.go is added there.
# and prints a markdown table (also written to --out FILE).
#
# usage: scripts/goker-compare.sh [--seeds K] [--runs N] [--timeout SECS]
#          [--jobs J] [--budget B] [--mode random|pct] [--only REGEX]
#          [--chanfuzz PATH] [--out FILE] [--quick]
#
#   --seeds K      chanfuzz runs K seeds (default 30): seed j*1000003 for
#                  j = 1..K. chanfuzz's execution i under --seed S runs the
#                  schedule of seed S+i, so seeds 1, 2, 3... would replay
#                  almost the same schedules shifted by one; seeds 1000003
#                  apart keep the K runs disjoint (for budgets below that)
#   --runs N       real runs per kernel and per Go tool (default 20)
#   --timeout S    go test -timeout for a real run, in seconds (default 10)
#   --jobs J       parallel jobs (default 2 for chanfuzz and builds; the real
#                  runs use --run-jobs, default 16: a hanging run sleeps until
#                  its timeout and costs no CPU)
#   --run-jobs J   parallel real runs (default 16)
#   --budget B     chanfuzz --budget (default: chanfuzz's own)
#   --mode M       chanfuzz --mode (default: chanfuzz's own, random)
#   --only REGEX   only the kernels whose directory name matches (grep -E)
#   --chanfuzz P   the chanfuzz binary (default build/default/harness/cli/chanfuzz,
#                  or $CHANFUZZ)
#   --goleak-path D  a GOPATH entry holding go.uber.org/goleak
#                  (default /usr/share/gocode)
#   --out FILE     also write the table there
#   --quick        chanfuzz only, 3 seeds (CI): exit 1 when a buggy variant
#                  is found in none of the seeds or a fixed variant has a
#                  finding in any (the model is deterministic: the same
#                  seeds give the same verdicts on every machine)
#
# Exit status: 0 when the measurement completed (and, with --quick, passed);
# 1 on a --quick failure; 2 on a
# usage or infrastructure error (chanfuzz or go failing to build or run).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOKER=$ROOT/scenarios/goker

seeds=30 runs=20 tmo=10 jobs=2 run_jobs=16 budget="" mode="" only="" out="" quick=0
chanfuzz=${CHANFUZZ:-$ROOT/build/default/harness/cli/chanfuzz}
goleak_path=/usr/share/gocode
seeds_set=0
SEED_STRIDE=1000003

die() { echo "goker-compare: $*" >&2; exit 2; }
need_arg() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --seeds) need_arg "$@"; seeds=$2; seeds_set=1; shift 2 ;;
        --runs) need_arg "$@"; runs=$2; shift 2 ;;
        --timeout) need_arg "$@"; tmo=${2%s}; shift 2 ;;
        --jobs) need_arg "$@"; jobs=$2; shift 2 ;;
        --run-jobs) need_arg "$@"; run_jobs=$2; shift 2 ;;
        --budget) need_arg "$@"; budget=$2; shift 2 ;;
        --mode) need_arg "$@"; mode=$2; shift 2 ;;
        --only) need_arg "$@"; only=$2; shift 2 ;;
        --chanfuzz) need_arg "$@"; chanfuzz=$2; shift 2 ;;
        --goleak-path) need_arg "$@"; goleak_path=$2; shift 2 ;;
        --out) need_arg "$@"; out=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
if [[ $quick -eq 1 && $seeds_set -eq 0 ]]; then seeds=3; fi
for v in seeds runs tmo jobs run_jobs; do
    if ! [[ ${!v} =~ ^[1-9][0-9]*$ ]]; then
        opt=${v/tmo/timeout}
        die "--${opt//_/-} must be a positive integer (got '${!v}')"
    fi
done
[[ -z $budget || $budget =~ ^[1-9][0-9]*$ ]] || die "--budget must be a positive integer"
[[ -z $mode || $mode =~ ^(random|pct|exhaustive)$ ]] || die "--mode must be random, pct or exhaustive"
[[ -x $chanfuzz ]] || die "no chanfuzz at $chanfuzz (build it: cmake --preset default && cmake --build --preset default, or pass --chanfuzz)"
chanfuzz=$(cd "$(dirname "$chanfuzz")" && pwd)/$(basename "$chanfuzz")
command -v jq >/dev/null || die "jq is needed"
if [[ $quick -eq 0 ]]; then
    command -v go >/dev/null || die "go is needed"
    [[ -d $goleak_path/src/go.uber.org/goleak ]] || die "no go.uber.org/goleak under $goleak_path/src (pass --goleak-path)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/goker-compare.XXXXXX")
cleanup() {
    local rc=$?
    # the jobs this script started (xargs and what it runs), by process id
    local pids
    pids=$(jobs -p) || true
    if [[ -n $pids ]]; then kill $pids 2>/dev/null || true; wait 2>/dev/null || true; fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The kernels: directories holding a _test.go file.
kernels=()
for d in "$GOKER"/*/; do
    k=$(basename "$d")
    compgen -G "$d*_test.go" >/dev/null || continue
    [[ -z $only ]] || echo "$k" | grep -Eq -- "$only" || continue
    kernels+=("$k")
done
[[ ${#kernels[@]} -gt 0 ]] || die "no kernels under $GOKER${only:+ matching '$only'}"
printf '%s\n' "${kernels[@]}" >"$tmp/kernels"
nk=${#kernels[@]}

# Subtype (the GoBench subtype line of the kernel's comment: after the "/",
# up to the first "(" or ".") and the directive of the buggy test.
for k in "${kernels[@]}"; do
    f=$(ls "$GOKER/$k"/*_test.go | head -n1)
    sub=$(grep -m1 'GoBench subtype:' "$f" | sed -E 's/.*subtype:[^/]*\/ *//; s/ *\(.*//; s/\..*//; s/ +$//') || true
    exp=$(grep -h -m1 -o 'chanfuzz:expect [a-z_]*' "$GOKER/$k"/*_test.go | head -n1 | sed 's/chanfuzz:expect //') || true
    printf '%s\t%s\t%s\n' "$k" "${sub:--}" "${exp:--}"
done >"$tmp/meta"

log() { echo "goker-compare: $*" >&2; }
t_start=$(date +%s)
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")

# ---- 1. chanfuzz ------------------------------------------------------------
# A GOPATH whose src/goker is the kernel directory itself (a symlink: the
# same files); reproducers go to a temporary --out, never into the tree.
mkdir -p "$tmp/cf/gopath/src" "$tmp/cf/res"
ln -s "$GOKER" "$tmp/cf/gopath/src/goker"
pkgs=()
for k in "${kernels[@]}"; do pkgs+=("./$k"); done
printf '%s\n' "${pkgs[@]}" >"$tmp/cf/pkgs"
cf_flags=()
[[ -z $budget ]] || cf_flags+=(--budget "$budget")
[[ -z $mode ]] || cf_flags+=(--mode "$mode")

cf_seed() { # seed
    local s=$1 rc=0 seed=$(($1 * SEED_STRIDE))
    cd "$CF_TMP/gopath/src/goker"
    mapfile -t p <"$CF_TMP/pkgs"
    GO111MODULE=off GOPATH="$CF_TMP/gopath" GOFLAGS= "$CF_BIN" go test "${p[@]}" --seed "$seed" --json \
        --out "$CF_TMP/out/$s" ${CF_FLAGS} >"$CF_TMP/res/$s.json" 2>"$CF_TMP/res/$s.err" || rc=$?
    echo "$rc" >"$CF_TMP/res/$s.rc"
    rm -rf "$CF_TMP/out/$s"
}
export -f cf_seed
export CF_TMP=$tmp/cf CF_BIN=$chanfuzz CF_FLAGS="${cf_flags[*]:-}" SEED_STRIDE
log "chanfuzz: $nk kernels x $seeds seeds${budget:+, budget $budget}${mode:+, mode $mode}, $jobs jobs ($chanfuzz)"
# Translate and compile once (the runner is cached) before going parallel.
cf_seed 1
if ! grep -q '"format":"chanfuzz.summary' "$tmp/cf/res/1.json"; then
    tail -n 20 "$tmp/cf/res/1.err" >&2
    die "chanfuzz go test gave no result for the first seed (exit $(cat "$tmp/cf/res/1.rc")); see above"
fi
seq 2 "$seeds" | xargs -r -P "$jobs" -I{} bash -c 'cf_seed "$1"' _ {}

# One TSV line per (seed, variant): seed kernel variant as_expected executions
# executions_to_detection seen-kinds
: >"$tmp/cf/variants.tsv"
cf_errors=0
for s in $(seq 1 "$seeds"); do
    summary=$(grep -m1 '"format":"chanfuzz.summary' "$tmp/cf/res/$s.json" || true)
    if [[ -z $summary ]]; then
        log "chanfuzz seed $((s * SEED_STRIDE)): no summary (exit $(cat "$tmp/cf/res/$s.rc")); its stderr ends:"
        tail -n 5 "$tmp/cf/res/$s.err" >&2
        cf_errors=$((cf_errors + 1))
        continue
    fi
    jq -r --arg s "$s" '.variants[] | [$s, (.scenario | split(".")[0]), .variant,
        (if .as_expected then "1" else "0" end), (.executions | tostring),
        (.executions_to_detection // "-" | tostring), ((.seen // []) | join(",") | if . == "" then "-" else . end)]
        | @tsv' <<<"$summary" >>"$tmp/cf/variants.tsv"
done
[[ $cf_errors -lt $seeds ]] || die "chanfuzz produced no result in any seed"
t_cf=$(date +%s)

# Per kernel: found seeds, median and max executions to detect, the seeds it
# was missed in, false alarms of the fixed variant (seeds and kinds).
awk -F'\t' -v nseeds="$seeds" '
    function median(list,   n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        if (n == 0) return "-"
        if (n % 2) return a[(n + 1) / 2]
        return (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $3 == "buggy" {
        seen_b[$2] = 1
        if ($4 == "1") { found[$2]++; etd[$2] = etd[$2] " " $6; if ($6 + 0 > mx[$2] + 0) mx[$2] = $6 }
        else { missed[$2] = missed[$2] (missed[$2] == "" ? "" : ",") $1; if ($7 != "-") other[$2] = other[$2] " " $7 }
    }
    $3 == "fixed" && ($4 != "1" || $7 != "-") { fa[$2] = fa[$2] (fa[$2] == "" ? "" : "; ") "j = " $1 ": " $7 }
    END {
        for (k in seen_b)
            printf "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", k, found[k], median(etd[k]), (k in mx ? mx[k] : "-"),
                (k in missed ? missed[k] : "-"), (k in fa ? fa[k] : "-"), (k in other ? other[k] : "-")
    }' "$tmp/cf/variants.tsv" | sort >"$tmp/cf/agg.tsv"
cf_seeds_ok=$((seeds - cf_errors))

# ---- 2 and 3. real runs: the Go runtime alone, and goleak -------------------
if [[ $quick -eq 0 ]]; then
    go_env=(env GO111MODULE=off GOFLAGS= GOWORK=off CGO_ENABLED=0)
    # plain: a GOPATH whose src/goker is the kernel directory (the same files)
    mkdir -p "$tmp/go/plain/src" "$tmp/go/leak/src/goker" "$tmp/go/bin" "$tmp/go/res" "$tmp/go/log"
    ln -s "$GOKER" "$tmp/go/plain/src/goker"
    # goleak: a copy of each package plus a generated TestMain
    for k in "${kernels[@]}"; do
        mkdir -p "$tmp/go/leak/src/goker/$k"
        cp "$GOKER/$k"/*.go "$tmp/go/leak/src/goker/$k/"
        pkg=$(sed -n -E 's/^package +([A-Za-z0-9_]+).*/\1/p' "$GOKER/$k"/*_test.go | head -n1)
        if grep -q 'func TestMain(' "$GOKER/$k"/*_test.go; then
            die "$k has its own TestMain; goleak's cannot be added"
        fi
        cat >"$tmp/go/leak/src/goker/$k/goleak_main_test.go" <<EOF
// Generated by scripts/goker-compare.sh (temporary copy only).
package $pkg

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
EOF
    done
    go_build() { # kind kernel
        local gp=$GO_TMP/$1
        [[ $1 == leak ]] && gp=$gp:$GOLEAK_PATH
        if ! (cd "$GO_TMP/$1/src/goker/$2" && env GO111MODULE=off GOFLAGS= GOWORK=off GOPATH="$gp" \
                go test -c -vet=off -o "$GO_TMP/bin/$2.$1" "goker/$2") >"$GO_TMP/log/build.$2.$1" 2>&1; then
            echo "build failed: goker/$2 ($1)" >&2
            cat "$GO_TMP/log/build.$2.$1" >&2
            return 255 # stops xargs
        fi
    }
    # One real run: write its outcome (clean, hang, deadlock, fatal, panic,
    # fail, leak) to res/<kind>.<kernel>.<i>.
    go_run() { # kind kernel i
        local kind=$1 k=$2 i=$3 rc=0 o=$GO_TMP/log/$1.$2.$3 res
        (cd "$GO_TMP/$kind/src/goker/$k" && timeout -k 5 $((GO_TIMEOUT + 30)) "$GO_TMP/bin/$k.$kind" \
            -test.run '_buggy$' -test.count=1 -test.timeout "${GO_TIMEOUT}s") >"$o" 2>&1 || rc=$?
        if [[ $kind == leak ]] && grep -q 'goleak: Errors on successful test run' "$o"; then res=leak
        elif grep -q 'panic: test timed out after' "$o" || [[ $rc -eq 124 || $rc -eq 137 ]]; then res=hang
        elif grep -q 'fatal error: all goroutines are asleep' "$o"; then res=deadlock
        elif grep -q '^fatal error:' "$o"; then res=fatal
        elif grep -q '^panic:' "$o"; then res=panic
        elif grep -q -e '^--- FAIL' -e '^FAIL' "$o" || [[ $rc -ne 0 ]]; then res=fail
        elif grep -q -e '^ok' -e '^PASS' "$o"; then res=clean
        else res=fail
        fi
        echo "$res" >"$GO_TMP/res/$kind.$k.$i"
        [[ $res == clean ]] && rm -f "$o"
        return 0
    }
    export -f go_build go_run
    export GO_TMP=$tmp/go GOLEAK_PATH=$goleak_path GO_TIMEOUT=$tmo
    log "go: building $((2 * nk)) test binaries ($(go version | awk '{print $3}'), $jobs jobs)"
    for k in "${kernels[@]}"; do echo "plain $k"; echo "leak $k"; done |
        xargs -P "$jobs" -n 2 bash -c 'go_build "$@"' _ || die "a test binary did not build"
    log "go: $runs runs per kernel and tool, timeout ${tmo}s, $run_jobs parallel runs"
    # Interleave kernels and tools so that hangs spread over the whole phase.
    for i in $(seq 1 "$runs"); do
        for k in "${kernels[@]}"; do echo "plain $k $i"; echo "leak $k $i"; done
    done | xargs -P "$run_jobs" -n 3 bash -c 'go_run "$@"' _
    # Per kernel and tool: runs reported, and the outcomes (count x kind)
    for kind in plain leak; do
        for k in "${kernels[@]}"; do
            printf '%s\t' "$k"
            cat "$tmp/go/res/$kind.$k."* 2>/dev/null | sort | uniq -c | awk -v kind="$kind" -v n="$runs" '
                { c[$2] = $1; tot += $1 }
                END {
                    hit = (kind == "leak") ? c["leak"] + 0 : tot - c["clean"] - 0
                    d = ""
                    for (x in c) if (x != "clean" && !(kind == "leak" && x == "leak"))
                        d = d (d == "" ? "" : ", ") c[x] " " (kind == "leak" ? "test " x : x)
                    printf "%d\t%d\t%s\n", hit, tot, (d == "" ? "-" : d)
                }'
        done >"$tmp/go/$kind.tsv"
    done
fi
t_end=$(date +%s)

# ---- the table -----------------------------------------------------------
git_rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
if [[ -n $(git -C "$ROOT" status --porcelain -- 'scenarios/goker/*.go' 2>/dev/null) ]]; then
    git_rev="$git_rev (kernel files with uncommitted changes)"
fi
cf_stamp="$chanfuzz, built $(date -u -r "$chanfuzz" '+%Y-%m-%d %H:%M UTC')"
cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
cf_budget_desc=${budget:-"$(awk -F'\t' '$3 == "fixed" && $5 + 0 > m { m = $5 + 0 } END { print m + 0 }' "$tmp/cf/variants.tsv") (chanfuzz's default)"}
{
    echo "GoKer comparison, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) cores${cpu:+ ($cpu)}, load average $load_start at the start and $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?") at the end; kernels at commit $git_rev"
    echo
    echo "- chanfuzz: \`chanfuzz go test\`, $seeds seeds (--seed j*$SEED_STRIDE, j = 1..$seeds), mode ${mode:-random}, budget $cf_budget_desc per variant" \
         "($((t_cf - t_start)) s; $cf_stamp)$( [[ $cf_errors -eq 0 ]] || echo ", $cf_errors seeds without a result")"
    if [[ $quick -eq 0 ]]; then
        echo "- go runtime: $(go version | awk '{print $3}'), \`go test -run '_buggy\$' -count=1 -timeout ${tmo}s\` x $runs per kernel;" \
             "goleak 1.2.0 \`VerifyTestMain\` x $runs ($((t_end - t_cf)) s for both)"
    fi
    echo
    echo "| kernel | subtype | chanfuzz found (seeds) | median execs (max) | go runtime (runs) | goleak (runs) |"
    echo "|---|---|---|---|---|---|"
    for k in "${kernels[@]}"; do
        IFS=$'\t' read -r _ sub exp < <(grep -P "^\Q$k\E\t" "$tmp/meta")
        line=$(grep -P "^\Q$k\E\t" "$tmp/cf/agg.tsv" || true)
        if [[ -n $line ]]; then
            IFS=$'\t' read -r _ found med mx missed fa other <<<"$line"
            cf="$found/$cf_seeds_ok"
            [[ $fa == - ]] || cf="$cf, **fixed alarms**"
            medc="$med ($mx)"
            [[ $med != - ]] || medc="-"
        else
            cf="no result" medc="-"
        fi
        if [[ $quick -eq 0 ]]; then
            IFS=$'\t' read -r _ gh gt gd < <(grep -P "^\Q$k\E\t" "$tmp/go/plain.tsv")
            IFS=$'\t' read -r _ lh lt ld < <(grep -P "^\Q$k\E\t" "$tmp/go/leak.tsv")
            gc="$gh/$gt"; [[ $gd == - ]] || gc="$gc ($gd)"
            lc="$lh/$lt"; [[ $ld == - ]] || lc="$lc ($ld)"
        else
            gc="-" lc="-"
        fi
        echo "| $k | $sub | $cf | $medc | $gc | $lc |"
    done
    echo
    # totals
    cf_once=$(awk -F'\t' '$2 > 0' "$tmp/cf/agg.tsv" | wc -l)
    cf_all=$(awk -F'\t' -v n="$cf_seeds_ok" '$2 == n' "$tmp/cf/agg.tsv" | wc -l)
    echo "Totals over $nk kernels (found at least once / in every seed or run):"
    echo
    echo "- chanfuzz: $cf_once / $cf_all (of $cf_seeds_ok seeds)"
    if [[ $quick -eq 0 ]]; then
        echo "- go runtime: $(awk -F'\t' '$2 > 0' "$tmp/go/plain.tsv" | wc -l) / $(awk -F'\t' '$2 == $3 && $3 > 0' "$tmp/go/plain.tsv" | wc -l) (of $runs runs)"
        echo "- goleak: $(awk -F'\t' '$2 > 0' "$tmp/go/leak.tsv" | wc -l) / $(awk -F'\t' '$2 == $3 && $3 > 0' "$tmp/go/leak.tsv" | wc -l) (of $runs runs)"
    fi
    echo
    misses=$(awk -F'\t' -v n="$cf_seeds_ok" '$2 < n { printf "%s- %s: found in %d/%d seeds, missed with j = %s%s\n", "", $1, $2, n, $5, ($7 != "-" ? " (its findings in those seeds:" $7 ")" : "") }' "$tmp/cf/agg.tsv")
    if [[ -n $misses ]]; then echo "chanfuzz misses:"; echo; echo "$misses"; else echo "chanfuzz misses: none"; fi
    echo
    alarms=$(awk -F'\t' '$6 != "-" { printf "- %s fixed: %s\n", $1, $6 }' "$tmp/cf/agg.tsv")
    if [[ -n $alarms ]]; then echo "Fixed variants with findings (false alarms):"; echo; echo "$alarms"; else echo "Fixed variants with findings (false alarms): none"; fi
} >"$tmp/table.md"

cat "$tmp/table.md"
if [[ -n $out ]]; then
    mkdir -p "$(dirname "$out")"
    cp "$tmp/table.md" "$out"
fi

[[ $cf_errors -eq 0 ]] || exit 2
if [[ $quick -eq 1 ]]; then
    bad=$(awk -F'\t' '$2 == 0 || $6 != "-"' "$tmp/cf/agg.tsv" | wc -l)
    [[ $bad -eq 0 ]] || { log "--quick: $bad kernels never found or with a false alarm"; exit 1; }
fi
exit 0
