#!/bin/sh
# test_robust.sh CHANFUZZ CASE -- nothing a run writes is lost or torn:
# atomic outputs, concurrent runs into one folder, real signals to real
# processes, outputs refused before any work (issue 19). Each CASE is one
# CTest test (tests/cli/CMakeLists.txt).
set -eu
CHANFUZZ=$1
CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-robust.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
cd "$WORK"

. "$HERE/checks.sh"

# wait_for FILE: until FILE exists (10 s at most).
wait_for() {
    n=0
    while [ ! -e "$1" ]; do
        n=$((n + 1))
        [ $n -lt 200 ] || fail "$1 never appeared"
        sleep 0.05
    done
}

# alive PID: is the process still there (and not a zombie)?
alive() {
    [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# A stand-in for a libFuzzer target, enough for `chanfuzz fuzz`: fuzzing
# prints "#N" lines (FAKE_EXECUTIONS), writes one new input, sleeps
# FAKE_DELAY seconds, starts a
# worker (as -fork does) and, with FAKE_HANG, waits to be killed; -merge=1
# copies the new inputs into the corpus; -chanfuzz_info=1 (chanfuzz fuzz's
# probe for the multi-variant mode) prints nothing: one process per variant.
make_fake_fuzzer() {
    mkdir -p bin
    cat >bin/fuzz_first_result_fixed <<'SH'
#!/bin/sh
merge=0; dirs=""
for arg; do
    case $arg in
    -merge=1) merge=1 ;;
    -chanfuzz_info=1) exit 0 ;;   # the multi-variant probe: no such mode here
    -*) ;;
    *) dirs="$dirs $arg" ;;
    esac
done
set -- $dirs
if [ $merge = 1 ]; then cp "$2"/* "$1"/ 2>/dev/null; exit 0; fi
echo "#${FAKE_EXECUTIONS:-7}	DONE"
echo "new input $$" >"$1/input-$$"
sleep "${FAKE_DELAY:-0}"
if [ -n "${FAKE_HANG:-}" ]; then
    sleep 1000 &
    echo $! >"$FAKE_HANG/worker.pid"
    echo $$ >"$FAKE_HANG/parent.pid"
    wait
fi
exit 0
SH
    chmod +x bin/fuzz_first_result_fixed
}

case $CASE in
concurrent_runs_keep_their_reproducers)
    # Two runs into one --out, 10 times: every reproducer a run reports
    # parses, replays its finding, and holds that run's own schedule (its
    # "found by" comment is the one the run reported).
    round=0
    while [ $round -lt 10 ]; do
        a=$((round * 2 + 1)) b=$((round * 2 + 2))
        "$CHANFUZZ" run check_then_close:buggy --seed $a --out S --json >a.txt 2>a.err &
        pid_a=$!
        "$CHANFUZZ" run check_then_close:buggy --seed $b --out S --json >b.txt 2>b.err &
        pid_b=$!
        wait $pid_a || fail "run --seed $a: exit $?"
        wait $pid_b || fail "run --seed $b: exit $?"
        for run in a b; do
            # The first finding line's fields (paths and commands: no quotes).
            file=$(head -1 $run.txt | sed -n 's/.*"reproducer":"\([^"]*\)".*/\1/p')
            found_by=$(head -1 $run.txt | sed -n 's/.*"found_by":"\([^"]*\)".*/\1/p')
            [ -n "$file" ] || fail "run $run reported no reproducer"
            grep -qxF -- "# found by $found_by" "$file" ||
                fail "$file holds another run's schedule, not the one of '$found_by'"
            expect_status 1 "$CHANFUZZ" replay "$file"
        done
        round=$((round + 1))
    done
    # A later run keeps the earlier reproducer and says so.
    first=$(ls S/check_then_close/buggy | head -1)
    cp "S/check_then_close/buggy/$first" kept.trace
    expect_status 0 "$CHANFUZZ" run check_then_close:buggy --seed 999 --out S
    cmp -s kept.trace "S/check_then_close/buggy/$first" || fail "a later run replaced $first"
    ;;
concurrent_fuzz_runs_have_their_own_logs)
    # Two `chanfuzz fuzz` into one --out: each reads its own log.
    make_fake_fuzzer
    export CHANFUZZ_FUZZ_BIN_DIR=$PWD/bin
    mkdir corpus
    # The first one's libFuzzer ends after the second's has written.
    FAKE_EXECUTIONS=111 FAKE_DELAY=1 "$CHANFUZZ" fuzz first_result:fixed --time 1 --out F \
        --corpus corpus >a.txt 2>a.err &
    pid_a=$!
    sleep 0.2
    FAKE_EXECUTIONS=222 "$CHANFUZZ" fuzz first_result:fixed --time 1 --out F --corpus corpus \
        >b.txt 2>b.err &
    pid_b=$!
    wait $pid_a || fail "first fuzz run: exit $?"
    wait $pid_b || fail "second fuzz run: exit $?"
    grep -q 'in 111 executions' a.txt || { cat a.txt >&2; fail "first run's count is not its own"; }
    grep -q 'in 222 executions' b.txt || { cat b.txt >&2; fail "second run's count is not its own"; }
    # A third run does not read the earlier runs' counts either.
    FAKE_EXECUTIONS=5 expect_status 0 "$CHANFUZZ" fuzz first_result:fixed --time 1 --out F \
        --corpus corpus
    grep -q 'in 5 executions' out.txt || { cat out.txt >&2; fail "third run read an old log"; }
    ;;
sigint_run_writes_sarif_so_far)
    # SIGINT to a real run: the SARIF file keeps its old contents while
    # the run goes on, then holds the findings so far; exit 130.
    echo OLD >run.sarif
    "$CHANFUZZ" run tag:demo --time 60 --sarif run.sarif --out out >out.txt 2>err.txt &
    pid=$!
    # first_result:buggy is found at once; the fixed variants then run.
    n=0
    until grep -q 'first_result:fixed' err.txt 2>/dev/null || grep -q 'reproducer:' out.txt; do
        n=$((n + 1)); [ $n -lt 200 ] || fail "the run never got going"; sleep 0.05
    done
    sleep 0.5
    [ "$(cat run.sarif)" = OLD ] || fail "run.sarif changed before the run ended"
    kill -INT $pid
    set +e; wait $pid; got=$?; set -e
    [ $got -eq 130 ] || { cat err.txt >&2; fail "interrupted run exited $got, not 130"; }
    grep -q 'interrupted' err.txt || fail "no line saying the run was interrupted"
    python3 - run.sarif <<'PY' || fail "run.sarif is not the complete SARIF log of the findings"
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0"
results = log["runs"][0]["results"]
assert results and all(r["properties"]["crashState"] for r in results), results
PY
    grep -q 'distinct finding' out.txt || fail "no summary line"
    ;;
sigterm_fuzz_stops_its_children)
    # SIGTERM to a real `chanfuzz fuzz`: libFuzzer's parent and worker are
    # killed through their process group, the new input is merged, exit 143.
    make_fake_fuzzer
    export CHANFUZZ_FUZZ_BIN_DIR=$PWD/bin FAKE_HANG=$PWD
    mkdir corpus
    "$CHANFUZZ" fuzz first_result:fixed --time 600 --out F --corpus corpus >out.txt 2>err.txt &
    pid=$!
    wait_for worker.pid
    wait_for parent.pid
    worker=$(cat worker.pid) parent=$(cat parent.pid)
    kill -TERM $pid
    set +e; wait $pid; got=$?; set -e
    [ $got -eq 143 ] || { cat err.txt >&2; fail "interrupted fuzz exited $got, not 143"; }
    sleep 0.2
    ! alive "$parent" || fail "libFuzzer's parent $parent outlived chanfuzz fuzz"
    ! alive "$worker" || { kill "$worker"; fail "libFuzzer's worker $worker outlived chanfuzz fuzz"; }
    ls corpus/fuzz_first_result_fixed/input-* >/dev/null 2>&1 ||
        fail "the new input was not merged into the corpus"
    grep -q 'interrupted' err.txt || fail "no line saying fuzz was interrupted"
    ;;
empty_out_refused)
    # "" + "/first_result/..." would be the filesystem root.
    [ ! -e /first_result ] || fail "/first_result exists before the test"
    usage_error "--out ''" "$CHANFUZZ" run first_result:buggy --out ""
    [ ! -s out.txt ] || fail "run did work before refusing --out ''"
    [ ! -e /first_result ] || { rm -rf /first_result; fail "run wrote under /first_result"; }
    mkdir -p bin && printf '#!/bin/sh\nexit 0\n' >bin/fuzz_first_result_buggy
    chmod +x bin/fuzz_first_result_buggy
    CHANFUZZ_FUZZ_BIN_DIR=$PWD/bin usage_error "--out ''" "$CHANFUZZ" fuzz first_result:buggy \
        --time 1 --out ""
    usage_error "--sarif ''" "$CHANFUZZ" run first_result:buggy --sarif ""
    ;;
output_naming_input_refused)
    "$CHANFUZZ" run first_result:buggy --out repro >/dev/null 2>&1 || true
    set -- repro/first_result/buggy/*.trace
    cp "$1" x.trace
    cp x.trace keep.trace
    ln x.trace hard.trace
    usage_error "is the input" "$CHANFUZZ" convert x.trace -o x.trace
    usage_error "is the input" "$CHANFUZZ" convert x.trace -o ./x.trace
    usage_error "is the input" "$CHANFUZZ" replay x.trace --trace-json x.trace
    usage_error "is the input" "$CHANFUZZ" replay x.trace --sarif hard.trace
    usage_error "is the input" "$CHANFUZZ" minimize x.trace -o x.trace
    usage_error "is the input" "$CHANFUZZ" minimize x.trace --output "$PWD/x.trace"
    usage_error "name one file" "$CHANFUZZ" replay x.trace --sarif o.json --trace-json o.json
    cmp -s x.trace keep.trace || fail "a refused command changed its input"
    [ ! -s out.txt ] || fail "a refused command did work first"
    ;;
unwritable_output_refused_before_work)
    "$CHANFUZZ" run first_result:buggy --out repro >/dev/null 2>&1 || true
    set -- repro/first_result/buggy/*.trace
    touch plain-file
    usage_error "no/such/dir" "$CHANFUZZ" replay "$1" --trace-json no/such/dir/t.json
    [ ! -s out.txt ] || fail "replay ran before refusing --trace-json"
    usage_error "plain-file" "$CHANFUZZ" replay "$1" --sarif plain-file/x.sarif
    usage_error "/proc" "$CHANFUZZ" run first_result:buggy --sarif /proc/chanfuzz.sarif
    [ ! -s out.txt ] || fail "run ran before refusing --sarif"
    usage_error "plain-file" "$CHANFUZZ" run first_result:buggy --out plain-file/sub
    usage_error "no/such" "$CHANFUZZ" convert "$1" -o no/such/raw
    usage_error "no/such" "$CHANFUZZ" minimize "$1" -o no/such/min.trace
    mkdir -p bin && printf '#!/bin/sh\nexit 0\n' >bin/fuzz_first_result_buggy
    chmod +x bin/fuzz_first_result_buggy
    CHANFUZZ_FUZZ_BIN_DIR=$PWD/bin usage_error "plain-file" "$CHANFUZZ" fuzz first_result:buggy \
        --time 1 --corpus plain-file/c
    ;;
time_runs_at_least_one_execution)
    # A --time below one execution's length ran none and passed.
    expect_status 0 "$CHANFUZZ" run first_result:fixed --time 1e-9 --out out
    grep -Eq '^first_result +fixed +portfolio +1 as expected' out.txt ||
        { cat out.txt >&2; fail "--time 1e-9 did not run one execution"; }
    ;;
conflicting_options_refused)
    usage_error "--mode given twice" "$CHANFUZZ" run first_result --mode pct --mode random
    usage_error "--bound" "$CHANFUZZ" run first_result --bound 1
    usage_error "--seed" "$CHANFUZZ" run first_result --mode exhaustive --seed 3
    usage_error "--budget given twice" "$CHANFUZZ" run first_result --budget 3 --budget 4
    expect_status 0 "$CHANFUZZ" run first_result:buggy --ignore top:x --ignore top:y --out out
    # fuzz usage errors are one line too.
    usage_error "--time S is required" "$CHANFUZZ" fuzz first_result
    usage_error "unknown option" "$CHANFUZZ" fuzz first_result --time 1 --frob 2
    ;;
oversized_input_refused)
    truncate -s 100M big.trace
    usage_error "larger than any reproducer" "$CHANFUZZ" replay big.trace
    truncate -s 100M big-raw
    usage_error "larger than any reproducer" "$CHANFUZZ" replay big-raw --scenario first_result:buggy
    ;;
corpus_check_skips_a_fifo)
    mkdir -p tree/first_result/buggy
    "$CHANFUZZ" run first_result:buggy --out r >/dev/null 2>&1 || true
    cp r/first_result/buggy/*.trace tree/first_result/buggy/
    mkfifo tree/first_result/buggy/pipe
    set +e
    timeout 20 "$CHANFUZZ" corpus check tree >out.txt 2>err.txt
    got=$?
    set -e
    [ $got -ne 124 ] || fail "corpus check hung on a FIFO"
    [ $got -eq 0 ] || { cat out.txt err.txt >&2; fail "corpus check exited $got"; }
    grep -q 'pipe: skipped: not a regular file' err.txt || fail "no line for the FIFO"
    ;;
*)
    fail "unknown case '$CASE'"
    ;;
esac
