#!/usr/bin/env bash
# make-seeds.sh -- writes the seed corpus of every fuzz target:
# corpus/fuzz_<scenario>_<variant>/, a few short inputs each.
#
#   harness/fuzz/make-seeds.sh LIST_TOOL [CORPUS_DIR]
#
# LIST_TOOL is chanfuzz-list-targets from any build (it knows the
# registry); CORPUS_DIR defaults to corpus/. Existing seed files of the same
# names are rewritten, other files are left alone, so inputs libFuzzer
# added stay.
#
# The seeds follow the fuzz-bytes encoding (harness/sources/README.md):
# scenario data is read from the front, schedule decisions from the tail,
# and a preemption byte preempts only when its low three bits are 001.
#   empty             no preemption, smallest data: the plain schedule
#   preempt-once      one byte 0x01: the first scheduling point preempts
#   preempt-often     0x01 x 16: preempt at every one of the first 16
#   data-max          0xff x 16: largest data, never preempt (0xff is "no")
#   mixed             alternating: large data, every other point preempts
set -euo pipefail
list_tool=${1:?usage: $0 LIST_TOOL [CORPUS_DIR]}
corpus=${2:-$(cd "$(dirname "$0")/../.." && pwd)/corpus}

repeat() { local byte=$1 count=$2; for ((i = 0; i < count; i++)); do printf "$byte"; done; }

count=0
while IFS= read -r spec; do
    [ -n "$spec" ] || continue
    dir="$corpus/fuzz_${spec%%:*}_${spec##*:}"
    mkdir -p "$dir"
    : >"$dir/empty"
    printf '\x01' >"$dir/preempt-once"
    repeat '\x01' 16 >"$dir/preempt-often"
    repeat '\xff' 16 >"$dir/data-max"
    repeat '\xff\x01' 8 >"$dir/mixed"
    count=$((count + 1))
done < <("$list_tool")
echo "seeded $count targets in $corpus"
