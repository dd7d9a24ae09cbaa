#!/usr/bin/env bash
# go-fuzz.sh CHANFUZZ TWINS_DIR GOFRONT_CONF [SECONDS]: chanfuzz go fuzz, as a
# user runs it (GOFRONT_CONF: the build's gofront.conf, which says whether
# it links libFuzzer).
#
# In a fuzz build: libFuzzer drives a Go twin of the catalogue and finds its
# bug as the buggy test expects (exit 0), writing a trace that chanfuzz go
# replay takes (exit 1, the finding again); a plain test that leaks (no
# _buggy name, no directive) is a finding that fails the run (exit 1).
# In any other build: refused in one line, exit 2, before any work.
set -euo pipefail
chanfuzz=$1 twins=$2 conf=$3 seconds=${4:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "go-fuzz: $*"; exit 1; }

expect_status() {   # expect_status WANT LOG COMMAND...
    local want=$1 log=$2 status=0
    shift 2
    "$@" >"$log" 2>&1 || status=$?
    [ "$status" -eq "$want" ] || { cat "$log"; fail "$* exited $status, not $want"; }
}

cd "$twins"
expect_status 2 "$work/no-time.log" "$chanfuzz" go fuzz ./timeout_unbuffered_result
grep -q -- '--time S is required' "$work/no-time.log" || { cat "$work/no-time.log"; fail "no --time message"; }

if ! grep -q '^fuzz_main=' "$conf"; then
    expect_status 2 "$work/refused.log" "$chanfuzz" go fuzz ./timeout_unbuffered_result --time 1
    [ "$(wc -l <"$work/refused.log")" -eq 1 ] || { cat "$work/refused.log"; fail "refusal is not one line"; }
    grep -q 'built without libFuzzer' "$work/refused.log" || { cat "$work/refused.log"; fail "no reason"; }
    echo "go-fuzz: not a fuzz build: chanfuzz go fuzz refused in one line, as it must be"
    exit 0
fi

# The twin: buggy found as expected, fixed clean.
expect_status 0 "$work/twin.json" "$chanfuzz" go fuzz ./timeout_unbuffered_result --time "$seconds" \
    --json --out "$work/out" --corpus "$work/corpus"
grep -q '"kind":"partial_deadlock".*"variant":"buggy","verdict":"expected"' "$work/twin.json" ||
    { cat "$work/twin.json"; fail "the buggy twin's partial deadlock was not found"; }
grep -q '"variant":"fixed"' "$work/twin.json" && { cat "$work/twin.json"; fail "a finding on the fixed twin"; }
trace=$(sed -n 's/.*"trace":"\([^"]*\)".*/\1/p' "$work/twin.json" | head -1)
[ -f "$trace" ] || { cat "$work/twin.json"; fail "no trace written for the finding"; }
grep -q '^program go [0-9a-f]\{16\} .*timeout_unbuffered_result$' "$trace" || { cat "$trace"; fail "no program line"; }
ls "$work/corpus" | grep -q '^fuzz_timeout_unbuffered_result\.' || fail "no corpus kept under --corpus"
expect_status 1 "$work/replay.log" "$chanfuzz" go replay "$trace"
grep -q 'partial deadlock' "$work/replay.log" || { cat "$work/replay.log"; fail "the replay lost the finding"; }

# A plain test of a user's own, leaking: the finding fails the run.
mkdir -p "$work/src/userpkg"
cat >"$work/src/userpkg/user_test.go" <<'GO'
package userpkg

import (
	"testing"
	"time"
)

func fetch(timeout time.Duration) (int, bool) {
	result := make(chan int)
	go func() { result <- 42 }()
	select {
	case v := <-result:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}

func TestFetch(t *testing.T) {
	if _, ok := fetch(time.Millisecond); !ok {
		t.Log("timed out")
	}
}
GO
(
    cd "$work/src/userpkg"
    export GOPATH="$work:${GOPATH:-}"
    expect_status 1 "$work/user.log" "$chanfuzz" go fuzz . -run TestFetch --time "$seconds" \
        --out "$work/user-out" --corpus "$work/user-corpus"
    grep -q 'partial_deadlock.*userpkg.TestFetch' "$work/user.log" || { cat "$work/user.log"; fail "the leak was not reported"; }
    grep -q 'replay: chanfuzz go replay ' "$work/user.log" || { cat "$work/user.log"; fail "no replay command"; }
)
echo "go-fuzz: the twin found and replayed, its fix clean; a user's leaking test fails the run"
