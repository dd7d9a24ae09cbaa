#!/usr/bin/env bash
# The standalone driver on bad input: exit 2 and one line naming the cause.
set -u
driver=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

expect_status() {   # expect_status WANT PATTERN COMMAND...
    local want=$1 pattern=$2; shift 2
    local output status
    output=$("$@" 2>&1)
    status=$?
    if [ "$status" != "$want" ] || ! grep -q -- "$pattern" <<<"$output"; then
        echo "FAIL: $* -> exit $status (want $want, output matching '$pattern'):"
        echo "$output" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok: $* -> exit $status"
    fi
}

target=$("$(dirname "$driver")/../harness/fuzz/chanfuzz-list-targets" 2>/dev/null | head -1)
[ -n "$target" ] || target=first_result:buggy
expect_status 2 "$tmp/missing: cannot read" "$driver" --target "$target" "$tmp/missing"
expect_status 2 "no such scenario variant 'nope:buggy'" "$driver" --target nope:buggy "$tmp"
expect_status 2 "no scenario variant chosen" "$driver" "$tmp"
expect_status 2 "expected verdict, allowed or report" "$driver" --target "$target" --expect sometimes "$tmp"
expect_status 2 "unknown flag" "$driver" -chanfuzz_bogus=1 "$tmp"
expect_status 2 "expected 1.22 or 1.23" "$driver" -chanfuzz_go_semantics=1.21 "$tmp"
mkdir "$tmp/fuzz_no_such_scenario_buggy"
expect_status 1 "no scenario variant of that name" "$driver" --corpus "$tmp"
exit $((failures > 0))
