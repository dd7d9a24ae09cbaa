#!/usr/bin/env bash
# real-go.sh GO ROOT: the Go files chanfuzz go test runs are real Go. Under
# ROOT (the build's GOPATH/src/chanfuzz): go vet every package of
# gofront/tests/lang, scenarios/go and scenarios/goker, then run every
# test that must pass under go test -- all but the _buggy ones -- with
# goleak on for the twins (their goleak_test.go, build tag goleak).
set -euo pipefail
go=$1 root=$2
status=0
for tree in gofront/tests/lang scenarios/go scenarios/goker; do
    [ -d "$root/$tree" ] || continue
    cd "$root/$tree"
    tags=""
    [ "$tree" = scenarios/go ] && tags="-tags goleak"
    "$go" vet $tags ./... || { echo "real-go: go vet failed in $tree"; status=1; }
    # One listing and one run for the whole tree: go builds and runs the
    # packages in parallel.
    names=$("$go" test $tags -list . ./... | grep '^Test' | grep -v '_buggy$' | sort -u || true)
    if [ -n "$names" ]; then
        regex="^($(echo $names | tr ' ' '|'))\$"
        if ! out=$("$go" test $tags -count=1 -timeout 300s -run "$regex" ./... 2>&1); then
            echo "$out" | grep -v '^ok ' | head -60
            echo "real-go: $tree: a test that must pass under go test failed"
            status=1
        fi
    fi
    echo "real-go: $tree: vet and go test done"
done
exit $status
