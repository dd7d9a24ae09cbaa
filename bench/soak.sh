#!/usr/bin/env bash
# soak.sh [--build-dir DIR] [--ops-runs N] [--fuzz-seconds S] [--target T]
#         [--quick] -- does a long run stay flat? Not a test: it prints what
# it saw and asserts only that each part ran to its end.
#
# 1. fuzz_ops for N (10^6) executions in one libFuzzer process of the fuzz
#    build (ASan+UBSan, LeakSanitizer at exit): random op programs, each
#    one execution of the model. RSS as libFuzzer reports it at its first
#    and last status lines, executions per second, and whether
#    LeakSanitizer reported anything (it runs at exit, and on inputs
#    whose mallocs and frees do not match: -detect_leaks=1). ASan holds
#    freed memory in its quarantine (256 MB by default) before reusing
#    it, so RSS climbs by that much first: flat is what follows.
# 2. `chanfuzz fuzz T --time S` (600 s) of one fixed variant (nothing to
#    find, so the whole time is fuzzing): every 30 s (S/20), the RSS of
#    chanfuzz and every process under it and the executions so far from
#    libFuzzer's log, as a table of exec/s and RSS over time.
# --quick: 10^4 executions and 20 s, to see that it runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/fuzz"
ops_runs=1000000
fuzz_seconds=600
target=fuzz_first_result_fixed
while [ $# -gt 0 ]; do
    case "$1" in
    --build-dir) build=$(cd "$2" && pwd); shift 2 ;;
    --ops-runs) ops_runs=$2; shift 2 ;;
    --fuzz-seconds) fuzz_seconds=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --quick) ops_runs=10000; fuzz_seconds=20; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
chanfuzz="$build/harness/cli/chanfuzz"
for need in "$build/harness/ops/fuzz_ops" "$build/fuzz/$target" "$chanfuzz"; do
    [ -x "$need" ] || { echo "soak.sh: no $need: build the fuzz preset (cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_ops $target chanfuzz)" >&2; exit 2; }
done
work=$(mktemp -d)
# Kept when a part fails: its log and libFuzzer's artifact are the finding.
trap 'status=$?; if [ $status -eq 0 ]; then rm -rf "$work"; else echo "soak.sh: logs and artifacts kept in $work" >&2; fi' EXIT
echo "# soak: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---- 1. fuzz_ops in one process ------------------------------------------------
mkdir "$work/ops-corpus"
start=$(date +%s.%N)
set +e
"$build/harness/ops/fuzz_ops" -runs="$ops_runs" -seed=1 -print_final_stats=1 -detect_leaks=1 \
    -artifact_prefix="$work/" "$work/ops-corpus" > "$work/ops.log" 2>&1
ops_status=$?
set -e
end=$(date +%s.%N)
python3 - "$work/ops.log" "$ops_status" "$start" "$end" "$ops_runs" <<'PY'
import re, sys
log, status, start, end, runs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
rss, last = [], 0
for line in open(log, errors="replace"):
    m = re.match(r"#(\d+)\s.*rss: (\d+)Mb", line)
    if m:
        last = int(m.group(1))
        rss.append((last, int(m.group(2))))
text = open(log, errors="replace").read()
leaks = "LeakSanitizer" in text
print("## fuzz_ops, one process (fuzz build: ASan+UBSan, LSan)")
print()
seconds = end - start
print(f"{last:,} executions in {seconds:.0f} s ({last / seconds:,.0f}/s), exit {status}, "
      f"LeakSanitizer {'REPORTED: see the log' if leaks else 'clean'}.")
print()
# RSS at libFuzzer's status lines: powers of two, then its pulses; the
# first, each tenth of the run, and the last.
print("| executions | RSS |")
print("|---:|---:|")
shown, step = set(), max(1, last // 10)
for n, mb in rss:
    mark = n // step
    if n == rss[0][0] or n == rss[-1][0] or (n >= 1024 and mark not in shown):
        shown.add(mark)
        print(f"| {n:,} | {mb} MB |")
print()
if status != 0 or last < runs:
    print(f"soak.sh: fuzz_ops stopped at {last} of {runs} executions (exit {status}): see its log", file=sys.stderr)
    sys.exit(1)
PY

# ---- 2. chanfuzz fuzz of one target over time ------------------------------------
# The RSS of chanfuzz and every process below it (libFuzzer's -fork parent
# and its workers), in MB.
tree_rss() {
    local pids=$1 all=$1 next
    while [ -n "$pids" ]; do
        next=$(for p in $pids; do cat /proc/"$p"/task/*/children 2>/dev/null; done | tr '\n' ' ')
        all="$all $next"
        pids=$(echo $next)
    done
    # A process may end between the listing and the read.
    for p in $all; do awk '/^VmRSS:/ {print $2}' /proc/"$p"/status 2>/dev/null || true; done |
        awk '{kb += $1} END {printf "%d", kb / 1024}'
}
# Executions so far: the last "#N" of the target's logs.
executions_so_far() {
    # One process for all selected variants logs under OUT/multi-*/; the
    # per-variant path under OUT/<target>/.
    { cat "$work"/fuzz-out/multi-*/fuzz-*.log "$work"/fuzz-out/"$target"/fuzz-*.log 2>/dev/null || true; } |
        sed -n 's/^#\([0-9][0-9]*\).*/\1/p' | tail -1
}
scenario_spec=$("$build/fuzz/$target" -chanfuzz_info=1 2>/dev/null |
    python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(d["scenario"] + ":" + d["variant"])')
interval=$((fuzz_seconds / 20))
[ "$interval" -ge 1 ] || interval=1
CHANFUZZ_FUZZ_BIN_DIR="$build/fuzz" "$chanfuzz" fuzz "$scenario_spec" --time "$fuzz_seconds" \
    --out "$work/fuzz-out" --corpus "$work/fuzz-corpus" > "$work/fuzz.txt" 2>&1 &
fuzz_pid=$!
t0=$(date +%s)
echo "## chanfuzz fuzz $scenario_spec --time $fuzz_seconds"
echo
echo "| seconds | executions | exec/s since last | RSS (all processes) |"
echo "|---:|---:|---:|---:|"
previous=0
previous_t=$t0
while kill -0 "$fuzz_pid" 2>/dev/null; do
    sleep "$interval"
    kill -0 "$fuzz_pid" 2>/dev/null || break
    now=$(date +%s)
    n=$(executions_so_far); n=${n:-0}
    rss=$(tree_rss "$fuzz_pid")
    dt=$((now - previous_t)); [ "$dt" -ge 1 ] || dt=1
    rate=$(( (n > previous ? n - previous : 0) / dt ))
    echo "| $((now - t0)) | $n | $rate | ${rss} MB |"
    previous=$n
    previous_t=$now
done
wait "$fuzz_pid" || true
echo
echo "Summary line: $(tail -1 "$work/fuzz.txt")"
