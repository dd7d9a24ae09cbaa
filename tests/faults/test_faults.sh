#!/bin/sh
# test_faults.sh CHANFUZZ_FAULTS CASE [SANITIZE] -- one case of the fault
# suite (faults.c): the scenario's fault is one finding of the expected
# kind, the run exits as expected and writes a reproducer, replaying the
# reproducer gives the same crash state (text and SARIF), minimize keeps
# it and corpus check passes it as a regression; run_all_goes_on runs every
# fault scenario and the ordinary one in one command and checks that the
# ordinary one is still explored and reported.
set -eu
CHANFUZZ=$1
CASE=$2
SANITIZE=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-faults.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

. "$HERE/../cli/checks.sh"

# The memory case runs under a limit: address space for the plain build,
# under ASan (which maps terabytes of shadow) its allocator's limit on
# one allocation, below the 64 MiB the scenario asks for.
limit() {
    if [ "$CASE" != memory ] && [ "$CASE" != run_all_goes_on ]; then "$@"; return; fi
    if [ -n "$SANITIZE" ]; then
        ASAN_OPTIONS="${ASAN_OPTIONS:-}:max_allocation_size_mb=32:allocator_may_return_null=1" "$@"
    else
        (ulimit -v 2000000; "$@")
    fi
}

# check_fault SCENARIO KIND: run finds KIND, the reproducer replays to it.
check_fault() {
    scenario=$1 kind=$2
    expect_status 0 limit "$CHANFUZZ" run "$scenario:buggy" --json --exec-timeout 1 --out out
    python3 - out.txt "$kind" >state.txt <<'PY'
import json, sys
findings = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
findings = [f for f in findings if "kind" in f]
assert len(findings) == 1, findings
f = findings[0]
assert f["kind"] == sys.argv[2], f
assert f["reproducer"], f
gs = f.get("goroutines") or []
assert gs and gs[0]["id"] != 1, f   # the goroutine that was running, not main
print(f["crash_state"])
PY
    set -- out/"$scenario"/buggy/*.trace
    [ -f "$1" ] || fail "no reproducer under out/$scenario/buggy"
    grep -q "^$kind: \|^$(echo "$kind" | tr _ ' '): " state.txt || fail "crash state $(cat state.txt)"
    expect_status 1 limit "$CHANFUZZ" replay "$1" --exec-timeout 1
    grep -qxF "crash state: $(cat state.txt)" out.txt ||
        { cat out.txt >&2; fail "replay of $1 does not reach '$(cat state.txt)'"; }
    # And in SARIF.
    expect_status 1 limit "$CHANFUZZ" replay "$1" --exec-timeout 1 --sarif s.sarif
    grep -Eq "\"ruleId\":[[:space:]]*\"$kind\"" s.sarif || fail "no $kind result in SARIF"
    # minimize keeps it; corpus check passes it as a regression.
    expect_status 0 limit "$CHANFUZZ" minimize "$1" -o min.trace --exec-timeout 1
    grep -qxF "  crash state: $(cat state.txt)" out.txt || { cat out.txt >&2; fail "minimize"; }
    mkdir -p "kept/regressions/$scenario/buggy"
    cp min.trace "kept/regressions/$scenario/buggy/"
    expect_status 0 limit "$CHANFUZZ" corpus check kept --exec-timeout 1
    grep -q "^PASS .*min.trace" out.txt || { cat out.txt >&2; fail "corpus check"; }
}

case $CASE in
null_write) check_fault fault_null_write crash ;;
abort) check_fault fault_abort crash ;;
divide) check_fault fault_divide crash ;;
stack_overflow) check_fault fault_stack_overflow stack_overflow ;;
spin) check_fault fault_spin hang ;;
memory) check_fault fault_memory crash ;;
run_all_goes_on)
    # Every fault and the ordinary scenario in one run (under the memory
    # limit): the table lists them all, each as expected.
    expect_status 0 limit "$CHANFUZZ" run tag:fault --exec-timeout 1 --out out --sarif all.sarif \
        --html page.html
    for s in fault_null_write fault_abort fault_divide fault_stack_overflow fault_spin \
             fault_memory; do
        grep -Eq "^$s +buggy +portfolio +[0-9]+ as expected" out.txt || { cat out.txt >&2; fail "no row for $s"; }
    done
    grep -Eq '^fault_control +buggy +portfolio +[0-9]+ as expected' out.txt || fail "control buggy row"
    grep -Eq '^fault_control +fixed +portfolio +1000 as expected' out.txt || fail "control fixed row"
    grep -q '^crash state: leak: ' out.txt || fail "control's leak not reported"
    grep -Eq '"ruleId":[[:space:]]*"leak"' all.sarif && grep -Eq '"ruleId":[[:space:]]*"crash"' all.sarif &&
        grep -Eq '"ruleId":[[:space:]]*"hang"' all.sarif || fail "SARIF lacks the leak, crash or hang"
    # The HTML page of an isolated run: the findings recorded in the
    # children, the leak with its timeline, a crash and a hang noted.
    grep -q 'leak: chan send at tests/faults/faults.c' page.html || fail "the page lacks the leak"
    grep -q '"traceEvents"' page.html || fail "the page has no timeline"
    grep -q 'crashed ([^)]*): no timeline for it' page.html || fail "the page lacks a crash's note"
    grep -q 'hung past --exec-timeout: no timeline for it' page.html || fail "the page lacks a hang's note"
    ;;
many_goroutines)
    # 100,000 goroutines spawned and parked do not exhaust the step budget
    # (it grows with the goroutines started). The plain schedule only: a
    # random one spends its time picking among 10^5 runnable goroutines.
    expect_status 0 "$CHANFUZZ" run fault_many_goroutines --mode exhaustive --budget 1 --out out
    grep -Eq '^fault_many_goroutines +fixed +exhaustive +1 as expected' out.txt ||
        { cat out.txt >&2; fail "no clean row"; }
    ;;
livelock)
    # step budget exhausted names the runnable goroutine and how to raise
    # the budget; --steps moves where it runs out.
    expect_status 0 "$CHANFUZZ" run fault_livelock:buggy --out out
    grep -q '^crash state: step budget exhausted: runnable yielder created at' out.txt ||
        { cat out.txt >&2; fail "crash state"; }
    grep -q 'more steps: --steps N' out.txt || fail "no hint on raising the budget"
    grep -q 'after 100[0-9]* steps' out.txt || fail "not at the default budget"
    expect_status 0 "$CHANFUZZ" run fault_livelock:buggy --steps 5000 --out out2
    grep -q 'after 50[0-9][0-9] steps' out.txt || { cat out.txt >&2; fail "--steps 5000 not applied"; }
    # Its reproducer says the budget it ran under, and replays under it.
    repro=$(sed -n 's/^reproducer: //p' out.txt | head -1)
    grep -q '^# found by chanfuzz run fault_livelock:buggy .* --steps 5000 (' "$repro" ||
        { grep '^#' "$repro" >&2; fail "the found-by line leaves out --steps 5000"; }
    ;;
fuzz_buckets)
    # chanfuzz fuzz judges libFuzzer's artifacts in child processes: a
    # crash file that crashes the scenario, a timeout that hangs it, an
    # oom and a LeakSanitizer leak are findings, the ordinary leak beside
    # them is still reported, and the table is printed. The targets are
    # fake_libfuzzer.sh, so this runs in every build.
    mkdir bin
    for target in null_write_buggy null_write_fixed abort_buggy divide_buggy livelock_buggy \
                  stack_overflow_buggy spin_buggy memory_buggy control_buggy control_fixed; do
        ln -s "$HERE/fake_libfuzzer.sh" "bin/fuzz_fault_$target"
    done
    export FAKE_LIBFUZZER_ARGS="$WORK/args"
    expect_status 1 env CHANFUZZ_FUZZ_BIN_DIR="$WORK/bin" "$CHANFUZZ" fuzz tag:fault --time 10 \
        --exec-timeout 1 --json --out found --corpus corpus
    python3 - out.txt >states.txt <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
found = {(f["scenario"], f["variant"]): f for f in lines if "kind" in f}
summary = [l for l in lines if "executions" in l]
assert summary and summary[0]["findings"] == 6, summary
def check(scenario, variant, kind, state, verdict):
    f = found[(scenario, variant)]
    assert f["kind"] == kind and f["crash_state"].startswith(state) and f["verdict"] == verdict, f
    return f
crash = check("fault_null_write", "buggy", "crash", "crash: ", "expected")
check("fault_abort", "buggy", "crash", "crash: ", "expected")
check("fault_spin", "buggy", "hang", "hang: in spinner created at", "expected")
check("fault_memory", "buggy", "crash", "out of memory", "clean")
check("fault_control", "buggy", "leak", "leak: ", "expected")
check("fault_control", "fixed", "crash", "memory leak in scenario code", "clean")
print(crash["trace"])
print(crash["crash_state"])
PY
    trace=$(sed -n 1p states.txt)
    expect_status 1 "$CHANFUZZ" replay "$trace" --exec-timeout 1
    grep -qxF "crash state: $(sed -n 2p states.txt)" out.txt ||
        { cat out.txt >&2; fail "the crash's trace does not replay to its crash state"; }
    grep -q "^fuzz_fault_spin_buggy .*-timeout=1" args || fail "libFuzzer was not given -timeout=1"
    ;;
*) fail "unknown case" ;;
esac
