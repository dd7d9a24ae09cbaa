#!/usr/bin/env bash
# run-go.sh CHANFUZZ DIR NAME [RUN FLAGS]: chanfuzz go test ./... in DIR
# (a directory under the build's GOPATH), reproducers under the build
# directory; its exit status (0: every variant as expected).
set -euo pipefail
chanfuzz=$1 dir=$2 name=$3
shift 3
out="${CHANFUZZ_GO_CACHE:-$(mktemp -d)}/out-$name"
rm -rf "$out"
cd "$dir"
"$chanfuzz" go test ./... --out "$out" "$@"
