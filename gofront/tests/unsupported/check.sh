#!/usr/bin/env bash
# check.sh CHANFUZZ: every case here (a directory with a want.txt) is a Go
# package chanfuzz refuses: chanfuzz go test on it must exit 2 and print
# exactly one line, the one in its want.txt
# ("file.go:line:col: unsupported: ...").
set -uo pipefail
chanfuzz=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
ln -s "$here" "$work/src/unsupported"
gopath="$work${GOPATH:+:$GOPATH}"
[ -d /usr/share/gocode/src ] && gopath="$gopath:/usr/share/gocode" # goleak
status=0 n=0
for want in "$here"/*/want.txt; do
    dir=$(dirname "$want") name=$(basename "$(dirname "$want")")
    n=$((n + 1))
    out=$(cd "$work/src/unsupported/$name" &&
          GO111MODULE=off GOPATH="$gopath" "$chanfuzz" go test . --budget 5 2>&1)
    rc=$?
    if [ $rc -ne 2 ]; then
        echo "unsupported/$name: exit $rc, want 2"; echo "$out" | head -20; status=1; continue
    fi
    if [ "$out" != "$(cat "$want")" ]; then
        echo "unsupported/$name: output differs"
        echo "  got:  $(echo "$out" | head -5)"
        echo "  want: $(cat "$want")"
        status=1
        continue
    fi
    echo "unsupported/$name: ok"
done
[ $n -gt 0 ] || { echo "unsupported: no cases"; exit 1; }
exit $status
