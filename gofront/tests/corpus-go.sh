#!/usr/bin/env bash
# corpus-go.sh CHANFUZZ DIR CORPUS: chanfuzz go corpus check CORPUS ./...
# from DIR (a directory under the build's GOPATH: cd keeps its logical
# path, the one go list resolves the import paths from).
set -euo pipefail
chanfuzz=$1 dir=$2 corpus=$3
cd "$dir"
"$chanfuzz" go corpus check "$corpus" ./... --quiet
