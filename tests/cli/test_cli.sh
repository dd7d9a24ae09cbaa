#!/bin/sh
# test_cli.sh CHANFUZZ CASE -- one transcript-style check of the chanfuzz
# command line (harness/cli/README.md is the contract checked here).
# Each CASE is one CTest test (tests/cli/CMakeLists.txt). Uses the demo
# scenarios (scenarios/demo/), which stay put while the catalogue grows.
set -eu
CHANFUZZ=$1
CASE=$2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

. "$HERE/checks.sh"

# The crash state a replay prints (first one).
crash_state() { grep -m1 '^crash state: ' "$1" | sed 's/^crash state: //'; }

# One reproducer of first_result:buggy, written by run.
make_reproducer() {
    expect_status 0 "$CHANFUZZ" run first_result:buggy --out repro
    set -- repro/first_result/buggy/*.trace
    [ -f "$1" ] || fail "run wrote no reproducer under repro/first_result/buggy/"
    REPRO=$1
}

case $CASE in
fuzz_says_when_each_finding_was_first_seen)
    # Only in a libFuzzer build (the fuzz preset): the real multi-variant
    # process writes when it first saw each crash state, and the JSON and
    # the HTML page say it, as run's do.
    expect_status 0 env CHANFUZZ_FUZZ_BIN_DIR="$FUZZ_BIN_DIR" "$CHANFUZZ" fuzz first_result \
        --time 6 --out out --corpus corpus --json --html page.html
    python3 - out.txt <<'PY'
import json, sys
found = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"kind"')]
assert len(found) == 1 and found[0]["variant"] == "buggy", found
f = found[0]
assert f["found_at_execution"] >= 1 and 0 <= f["found_at_seconds"] < 6, f
PY
    grep -q 'class="first-seen">[0-9.e-]*s into the run<' page.html ||
        fail "the page has no first-seen time"
    grep -q '"found_at_execution":' page.html || fail "the page's JSON has no found_at_execution"
    ;;
list_json)
    expect_status 0 "$CHANFUZZ" list --json
    python3 - out.txt <<'PY'
import json, sys
variants = json.load(open(sys.argv[1]))
assert isinstance(variants, list) and variants, "not a non-empty array"
for v in variants:
    for field in ("scenario", "variant", "tags", "expect", "allow", "description", "file",
                  "step_budget", "executions"):
        assert field in v, (field, v)
    assert v["variant"] in ("buggy", "fixed"), v
    assert isinstance(v["tags"], list) and isinstance(v["expect"], list), v
    assert (v["variant"] == "fixed") == (v["expect"] == []), v
names = {(v["scenario"], v["variant"]) for v in variants}
assert ("first_result", "buggy") in names and ("first_result", "fixed") in names
PY
    expect_status 0 "$CHANFUZZ" list tag:demo
    grep -q '^first_result ' out.txt || fail "list tag:demo does not show first_result"
    ;;
run_finds_buggy_keeps_fixed_clean)
    expect_status 0 "$CHANFUZZ" run first_result --out out
    grep -Eq '^first_result +buggy +portfolio +[0-9]+ as expected' out.txt || fail "buggy row"
    grep -Eq '^ +fixed|^first_result +fixed +portfolio +1000 as expected' out.txt || fail "fixed row"
    grep -q '^reproducer: out/first_result/buggy/leak-[0-9a-f]*\.trace$' out.txt ||
        fail "no reproducer line"
    grep -q '^replay: chanfuzz replay out/first_result/buggy/' out.txt || fail "no replay line"
    grep -q 'executions.*/s.*interleavings.*finding' err.txt || fail "no progress line"
    ;;
run_exit_1_when_missed)
    # Ignoring the leaking goroutines hides the bug: the buggy variant is MISSED.
    expect_status 1 "$CHANFUZZ" run first_result:buggy --budget 20 --ignore top:first_worker --out out
    grep -q 'MISSED' out.txt || fail "no MISSED verdict"
    ;;
run_modes)
    expect_status 0 "$CHANFUZZ" run first_result --mode pct --out out
    expect_status 0 "$CHANFUZZ" run first_result --mode random --out out
    grep -Eq '^first_result +buggy +random +[0-9]+ as expected' out.txt || fail "random row"
    expect_status 0 "$CHANFUZZ" run first_result --mode portfolio --out out
    grep -Eq '^first_result +buggy +portfolio +[0-9]+ as expected' out.txt || fail "portfolio row"
    expect_status 0 "$CHANFUZZ" run first_result:fixed --mode exhaustive --bound 1 --out out
    grep -Eq 'exhaustive first_result:fixed: [0-9]+ schedules with at most 1 preemption: exhausted' \
        out.txt || fail "exhaustive did not say it exhausted"
    expect_status 0 "$CHANFUZZ" run check_then_close:buggy --rate 50 --out out
    grep -Eq 'check_then_close:buggy +panic [0-9]+/50$' out.txt || fail "no 'panic k/50' rate"
    ;;
run_json_and_sarif)
    expect_status 0 "$CHANFUZZ" run tag:demo --budget 200 --json --sarif run.sarif --out out
    python3 - out.txt run.sarif <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) >= 2, "no findings and summary"
*findings, summary = lines
for f in findings:
    for field in ("kind", "scenario", "variant", "reproducer", "crash_state"):
        assert f.get(field) is not None, (field, f)
for field in ("executions", "seconds", "findings", "variants"):
    assert field in summary, (field, summary)
assert summary["findings"] == len(findings)
assert all(v["verdict"] == "as expected" for v in summary["variants"])
sarif = json.load(open(sys.argv[2]))
assert sarif["version"] == "2.1.0", sarif.get("version")
assert len(sarif["runs"][0]["results"]) == len(findings)
PY
    ;;
default_mode_is_portfolio_and_its_finding_replays)
    # No --mode: the portfolio. Its found-by line names the execution and
    # the strategy; running that line again, cut at that execution, finds
    # the same crash state there, and replaying the reproducer gives it too.
    # double_close_guard:buggy is found at execution 4, a PCT one (seed 1).
    expect_status 0 "$CHANFUZZ" run double_close_guard:buggy --out out
    grep -Eq '^double_close_guard +buggy +portfolio +[0-9]+ as expected' out.txt ||
        { cat out.txt >&2; fail "the default mode is not portfolio"; }
    repro=$(sed -n 's/^reproducer: //p' out.txt | head -1)
    [ -f "$repro" ] || fail "no reproducer"
    want=$(grep -m1 '^# ' "$repro" | sed 's/^# //')
    found_by=$(sed -n 's/^# found by //p' "$repro")
    case $found_by in
    *"--mode portfolio --seed 1 "*"(execution "*", random)"|*"(execution "*", pct depth "[0-9]")") ;;
    *) fail "found-by line '$found_by' does not name the portfolio's execution and strategy" ;;
    esac
    execution=$(printf '%s\n' "$found_by" | sed 's/.*(execution \([0-9]*\),.*/\1/')
    command=$(printf '%s\n' "$found_by" | sed 's/^chanfuzz //; s/ (execution.*//')
    # shellcheck disable=SC2086 # the found-by line is words to split
    expect_status 0 "$CHANFUZZ" $command --budget "$execution" --out again
    grep -Eq "^double_close_guard +buggy +portfolio +$execution as expected +$execution " out.txt ||
        { cat out.txt >&2; fail "rerunning '$found_by' did not find it at execution $execution"; }
    grep -qF "crash state: $want" err.txt || grep -qF "crash state: $want" out.txt ||
        fail "rerunning found another crash state"
    expect_status 1 "$CHANFUZZ" replay "$repro"
    [ "$(crash_state out.txt)" = "$want" ] || fail "replay gave '$(crash_state out.txt)', not '$want'"
    ;;
replay_reproduces_run)
    make_reproducer
    want=$(grep -m1 '^# ' "$REPRO" | sed 's/^# //')
    expect_status 1 "$CHANFUZZ" replay "$REPRO" --trace-json schedule.json
    [ "$(crash_state out.txt)" = "$want" ] || fail "replay gave '$(crash_state out.txt)', not '$want'"
    grep -q '^decision 1: ' out.txt || fail "no decisions in the trace"
    grep -q '^event ' out.txt || fail "no events in the trace"
    python3 - schedule.json <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
events = t["traceEvents"]
assert any(e["ph"] == "X" for e in events), "no spans"
assert any(e["ph"] == "i" and e["name"].startswith("block") for e in events), "no block events"
assert len({e["tid"] for e in events if e["ph"] == "X"}) >= 2, "one track only"
PY
    expect_status 1 "$CHANFUZZ" replay "$REPRO" --json --sarif replay.sarif
    python3 -c 'import json,sys; l=[json.loads(x) for x in open("out.txt")]; assert l[-1]["findings"]==len(l)-1>=1; assert json.load(open("replay.sarif"))["version"]=="2.1.0"'
    ;;
raw_convert_replay)
    mkdir -p corpus/first_result_buggy
    printf '\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017\020' \
        > corpus/first_result_buggy/crash-1
    expect_status 1 "$CHANFUZZ" replay corpus/first_result_buggy/crash-1
    raw_state=$(crash_state out.txt)
    [ -n "$raw_state" ] || fail "the raw input found nothing"
    expect_status 0 "$CHANFUZZ" convert corpus/first_result_buggy/crash-1 -o crash-1.trace
    expect_status 1 "$CHANFUZZ" replay crash-1.trace
    [ "$(crash_state out.txt)" = "$raw_state" ] || fail "trace: '$(crash_state out.txt)', raw: '$raw_state'"
    # --scenario instead of the path, and back to raw bytes.
    cp corpus/first_result_buggy/crash-1 anywhere.bin
    expect_status 1 "$CHANFUZZ" replay anywhere.bin --scenario first_result:buggy
    [ "$(crash_state out.txt)" = "$raw_state" ] || fail "--scenario replay differs"
    expect_status 0 "$CHANFUZZ" convert crash-1.trace -o back.bin
    expect_status 1 "$CHANFUZZ" replay back.bin --scenario first_result:buggy
    [ "$(crash_state out.txt)" = "$raw_state" ] || fail "trace -> raw replay differs"
    ;;
minimize_keeps_crash_state)
    # A long random walk of a buggy variant, then its minimization.
    expect_status 0 "$CHANFUZZ" run check_then_close:buggy --seed 7 --out repro
    set -- repro/check_then_close/buggy/*.trace
    expect_status 1 "$CHANFUZZ" replay "$1"
    want=$(crash_state out.txt)
    expect_status 0 "$CHANFUZZ" minimize "$1" -o min.trace
    before=$(sed -n 's/^  before: \([0-9]*\) decisions (last non-zero answer at \([0-9]*\)), \([0-9]*\) preemption.*/\2 \3/p' out.txt)
    after=$(sed -n 's/^  after:  \([0-9]*\) decisions (last non-zero answer at \([0-9]*\)), \([0-9]*\) preemption.*/\2 \3/p' out.txt)
    [ -n "$before" ] && [ -n "$after" ] || { cat out.txt; fail "no before/after lines"; }
    set -- $before $after
    [ "$3" -le "$1" ] || fail "significant length grew: $1 -> $3"
    [ "$3" -lt "$1" ] || [ "$4" -le "$2" ] || fail "preemptions grew: $2 -> $4"
    expect_status 1 "$CHANFUZZ" replay min.trace
    [ "$(crash_state out.txt)" = "$want" ] || fail "minimized: '$(crash_state out.txt)', not '$want'"
    ;;
corpus_check)
    make_reproducer
    mkdir -p c/regressions/first_result/buggy c/regressions/first_result/fixed c/first_result_fixed
    cp "$REPRO" c/regressions/first_result/buggy/leak.trace
    : > empty
    expect_status 0 "$CHANFUZZ" convert empty --scenario first_result:fixed \
        -o c/regressions/first_result/fixed/clean.trace
    printf '\001\001\001' > c/first_result_fixed/seed-1
    expect_status 0 "$CHANFUZZ" corpus check c
    grep -q '^corpus check: 3 files: 3 passed, 0 failed, 0 diverged, 0 errors, 0 skipped$' out.txt ||
        { cat out.txt; fail "summary"; }
    # A sidecar that asks for something else fails.
    echo "panic" > c/regressions/first_result/buggy/leak.trace.expect
    expect_status 1 "$CHANFUZZ" corpus check c
    grep -q '^FAIL ' out.txt || fail "no FAIL for a wrong .expect"
    echo "leak" > c/regressions/first_result/buggy/leak.trace.expect
    expect_status 0 "$CHANFUZZ" corpus check c
    # An edited trace diverges: DIVERGED, never a pass.
    awk '/^(preempt|schedule) over/ && !done { sub(/^(preempt|schedule)/, "select"); done = 1 } { print }' \
        "$REPRO" > c/regressions/first_result/buggy/edited.trace
    expect_status 1 "$CHANFUZZ" corpus check c
    grep -q '^DIVERGED .*edited.trace: .*diverged at decision' out.txt || { cat out.txt; fail "no DIVERGED"; }
    expect_status 2 "$CHANFUZZ" replay c/regressions/first_result/buggy/edited.trace
    grep -q 'diverged at decision' err.txt || fail "replay of an edited trace: no divergence line"
    # A malformed file is an input error.
    printf 'chanfuzz-trace 1\nscenario first_result/buggy\n' > c/regressions/first_result/buggy/cut.trace
    expect_status 2 "$CHANFUZZ" corpus check c
    grep -q 'cut.trace:' err.txt || fail "the malformed file is not named"
    ;;
usage_errors)
    make_reproducer
    usage_error "'nosuch'" "$CHANFUZZ" run nosuch
    usage_error "'nosuch'" "$CHANFUZZ" run nosuch:buggy
    usage_error "--bogus" "$CHANFUZZ" run first_result --bogus
    usage_error "--budget" "$CHANFUZZ" run first_result --budget many
    usage_error "--mode" "$CHANFUZZ" run first_result --mode sideways
    usage_error "--go-semantics" "$CHANFUZZ" run first_result --go-semantics 1.21
    usage_error "frobnicate" "$CHANFUZZ" frobnicate
    usage_error "missing.trace" "$CHANFUZZ" replay missing.trace
    usage_error "missing.bin" "$CHANFUZZ" replay missing.bin --scenario first_result:buggy
    head -c 60 "$REPRO" > truncated.trace
    usage_error "truncated.trace:" "$CHANFUZZ" replay truncated.trace
    sed '1s/.*/chanfuzz-trase 1/' "$REPRO" > magic.trace
    usage_error "magic.trace:1:1:" "$CHANFUZZ" replay magic.trace
    sed '1s/.*/chanfuzz-trace 7/' "$REPRO" > version.trace
    usage_error "version.trace:1:" "$CHANFUZZ" replay version.trace
    sed 's|^scenario first_result/buggy|scenario no_such_scenario/buggy|' "$REPRO" > unknown.trace
    usage_error "unknown.trace:" "$CHANFUZZ" replay unknown.trace
    grep -q "unknown scenario 'no_such_scenario/buggy'" err.txt || fail "unknown scenario not said"
    usage_error "--go-semantics" "$CHANFUZZ" replay "$REPRO" --go-semantics 1.22
    printf 'xyz' > orphan.bin
    usage_error "orphan.bin" "$CHANFUZZ" replay orphan.bin
    usage_error "nowhere" "$CHANFUZZ" corpus check nowhere
    usage_error "-o" "$CHANFUZZ" convert orphan.bin --scenario first_result:buggy
    usage_error "nosuch" "$CHANFUZZ" list nosuch
    ;;
run_skips_other_semantics)
    # A scenario registered for one timer semantics only is skipped, and
    # said so, under the other; it does not change the exit status.
    expect_status 0 "$CHANFUZZ" list --json
    only=$(python3 -c 'import json,sys
for v in json.load(open("out.txt")):
    if v["semantics"] == ["1.22"]: print(v["scenario"]); break')
    if [ -n "$only" ]; then
        expect_status 0 "$CHANFUZZ" run "$only" --go-semantics 1.23 --out out
        grep -q "skipped: not meant for Go 1.23" err.txt || fail "no skip notice"
        grep -Eq "^$only +buggy +portfolio +0 skipped" out.txt || fail "no skipped row"
    fi
    expect_status 0 "$CHANFUZZ" run first_result --go-semantics 1.22 --out out
    set -- out/first_result/buggy/*.trace
    grep -q '^go-semantics 1.22$' "$1" || fail "the reproducer does not record 1.22"
    ;;
help_and_version)
    expect_status 0 "$CHANFUZZ" --help
    grep -q '^usage: chanfuzz COMMAND' out.txt || fail "usage"
    expect_status 0 "$CHANFUZZ" help
    expect_status 0 "$CHANFUZZ"
    expect_status 0 "$CHANFUZZ" --version
    grep -Eq '^chanfuzz [0-9]+\.[0-9]+\.[0-9]+$' out.txt || fail "version"
    # Every command's own usage, on stdout, exit 0, nothing on stderr.
    for command in list run replay convert minimize corpus fuzz ops diff; do
        for flag in --help -h; do
            expect_status 0 "$CHANFUZZ" $command $flag
            grep -q "^usage: chanfuzz $command" out.txt || fail "$command $flag: no usage on stdout"
            [ ! -s err.txt ] || fail "$command $flag wrote to stderr"
        done
    done
    expect_status 0 "$CHANFUZZ" run first_result --budget 3 --help
    ;;
*)
    fail "unknown case"
    ;;
esac
echo "ok [$CASE]"
