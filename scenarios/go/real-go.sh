#!/usr/bin/env bash
# real-go.sh -- what real Go (and goleak) says about the Go twins of the
# catalogue scenarios.
#
# For every package under scenarios/go/, in GOPATH mode in a temporary
# GOPATH (no module proxy needed; goleak comes from /usr/share/gocode):
#   1. go vet (with and without -tags goleak)                  must pass
#   2. the _fixed test, -race -count=3 -tags goleak             must pass
#   3. the _buggy test, -tags goleak -timeout 20s -count=1      recorded
# and prints a table: scenario | real go test | goleak.
#
# "real go test" is what the buggy test itself did: passed, test failed,
# panic, timeout (test hung), fatal error: all goroutines are asleep.
# "goleak" is goleak.VerifyTestMain's verdict after a passing run:
# "N leaked", or "none (missed)"; it never runs when the test did not pass.
#
# Exits non-zero only if vet fails or a _fixed test fails.
#
# Usage: scenarios/go/real-go.sh [scenario ...]   (default: all)
# Environment: GO (default: go), GOLEAK_GOPATH (default: /usr/share/gocode),
# RACE (default: -race when it works, set RACE= to drop it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
go=${GO:-go}
goleak_gopath=${GOLEAK_GOPATH:-/usr/share/gocode}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-real-go.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/gopath/src"
ln -s "$here" "$tmp/gopath/src/chanfuzzgo"

export GO111MODULE=off
export GOPATH="$tmp/gopath:$goleak_gopath"
export GOFLAGS=
cd "$tmp/gopath/src/chanfuzzgo"

if [[ -z ${RACE+set} ]]; then
    RACE=-race
    mkdir -p "$tmp/gopath/src/racecheck"
    printf 'package racecheck\n\nimport "testing"\n\nfunc TestRace(t *testing.T) {}\n' \
        >"$tmp/gopath/src/racecheck/race_test.go"
    if ! "$go" test -race -count=1 racecheck >/dev/null 2>&1; then
        echo "real-go.sh: -race does not work here, running without it" >&2
        RACE=
    fi
fi

if (($# > 0)); then
    scenarios=("$@")
else
    scenarios=()
    for d in "$here"/*/; do
        n=$(basename "$d")
        [[ -f "$d/$n.go" ]] && scenarios+=("$n")
    done
fi

# classify LOG STATUS: prints "real go test|goleak" for a buggy test's run.
classify() {
    local log=$1 status=$2 test goleak
    if grep -q '^panic: test timed out' "$log"; then
        test="timeout (test hung)"
    elif grep -q '^fatal error: all goroutines are asleep' "$log"; then
        test="fatal error: all goroutines are asleep"
    elif grep -q '^panic: ' "$log"; then
        test="panic"
    elif grep -q '^fatal error: ' "$log"; then
        test="fatal error"
    elif grep -q -- '--- FAIL: ' "$log"; then
        test="test failed"
    elif grep -q -- '--- PASS: ' "$log"; then
        test="passed"
    elif grep -q '\[build failed\]\|\[setup failed\]' "$log"; then
        test="build failed"
    else
        test="no test run"
    fi
    if grep -q 'found unexpected goroutines' "$log"; then
        # one "goroutine N [state]:" stack header per leaked goroutine
        goleak="$(sed -n '/found unexpected goroutines/,$p' "$log" |
            grep -c '^goroutine [0-9]* \[' || true) leaked"
    elif [[ $test == passed && $status == 0 ]]; then
        goleak="none (missed)"
    else
        goleak="not reached"
    fi
    printf '%s|%s' "$test" "$goleak"
}

failures=0
rows=()
for n in "${scenarios[@]}"; do
    pkg="chanfuzzgo/$n"
    log="$tmp/$n.log"
    testfile="$here/$n/${n}_test.go"
    if [[ ! -f $testfile ]]; then
        echo "real-go.sh: $n: no $testfile" >&2
        failures=$((failures + 1))
        continue
    fi
    fixed=$(grep -o '^func Test[A-Za-z0-9]*_fixed' "$testfile" | sed 's/^func //' || true)
    buggy=$(grep -o '^func Test[A-Za-z0-9]*_buggy' "$testfile" | sed 's/^func //' || true)

    if ! "$go" vet "$pkg" >"$log" 2>&1 || ! "$go" vet -tags goleak "$pkg" >>"$log" 2>&1; then
        echo "real-go.sh: $n: go vet failed:" >&2
        cat "$log" >&2
        failures=$((failures + 1))
        rows+=("$n|vet failed|-")
        continue
    fi

    if [[ -n $fixed ]]; then
        # shellcheck disable=SC2086 # RACE is one flag or none
        if ! "$go" test $RACE -count=3 -tags goleak -timeout 300s -run "^${fixed}\$" "$pkg" \
            >"$log" 2>&1; then
            echo "real-go.sh: $n: $fixed failed:" >&2
            cat "$log" >&2
            failures=$((failures + 1))
        fi
    else
        echo "real-go.sh: $n: no _fixed test" >&2
        failures=$((failures + 1))
    fi

    if [[ -z $buggy ]]; then
        rows+=("$n|n/a (fixed only)|-")
        continue
    fi
    status=0
    "$go" test -v -tags goleak -timeout 20s -count=1 -run "^${buggy}\$" "$pkg" >"$log" 2>&1 ||
        status=$?
    rows+=("$n|$(classify "$log" "$status")")
done

printf '| %-28s | %-38s | %-14s |\n' scenario "real go test" goleak
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..30})" "$(printf -- '-%.0s' {1..40})" \
    "$(printf -- '-%.0s' {1..16})"
for row in "${rows[@]}"; do
    IFS='|' read -r name test leak <<<"$row"
    printf '| %-28s | %-38s | %-14s |\n' "$name" "$test" "$leak"
done

if ((failures > 0)); then
    echo "real-go.sh: $failures failure(s) in vet or _fixed tests" >&2
    exit 1
fi
