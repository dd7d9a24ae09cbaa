#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh as ClusterFuzzLite would, with its
# variables set to local values, and checks that every target, zip, dict
# and options file appears and that each target runs (-runs=10 on its
# seeds). Exit 77 (skipped) when clang has no libFuzzer.
#
#   cflite_build_local.sh SOURCE_DIR [BUILD_SH LIST_TOOL]
#
# BUILD_SH defaults to chanfuzz's own; LIST_TOOL (relative to $WORK) is
# the program that lists the variants it built targets for. The example's
# (examples/clusterfuzzlite) is checked the same way, with PROJECT_SRC
# set to examples/worker_pool.
set -u
src=${1:?usage: $0 SOURCE_DIR [BUILD_SH LIST_TOOL]}
build_sh=${2:-$src/.clusterfuzzlite/build.sh}
list_tool=${3:-chanfuzz-build/harness/fuzz/chanfuzz-list-targets}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$tmp/probe.c"
if ! clang -fsanitize=fuzzer "$tmp/probe.c" -o "$tmp/probe" 2>/dev/null; then
    echo "clang with libFuzzer not found: skipped"
    exit 77
fi
export CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export OUT="$tmp/out" WORK="$tmp/work" SRC="$src"
export CHANFUZZ_SRC="$src" PROJECT_SRC="$src/examples/worker_pool"
mkdir -p "$OUT" "$WORK"
"$build_sh" >"$tmp/build.log" 2>&1 ||
    { tail -30 "$tmp/build.log"; echo "FAIL: build.sh failed"; exit 1; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
mapfile -t specs < <("$WORK/$list_tool")
[ ${#specs[@]} -gt 0 ] || fail "no scenario variants listed"
for spec in "${specs[@]}"; do
    name="fuzz_${spec%%:*}_${spec##*:}"
    for file in "$name" "$name.dict" "$name.options" "${name}_seed_corpus.zip"; do
        [ -f "$OUT/$file" ] || fail "missing $OUT/$file"
    done
    [ -x "$OUT/$name" ] || continue
    seeds="$tmp/seeds/$name"
    mkdir -p "$seeds"
    unzip -q -o "$OUT/${name}_seed_corpus.zip" -d "$seeds" || fail "$name: bad seed zip"
    # Buggy variants may crash on a seed (that is a finding); what must not
    # happen is a crash that is not a chanfuzz finding, or a fixed variant
    # crashing at all.
    (cd "$tmp" && "$OUT/$name" -runs=10 -dict="$OUT/$name.dict" "$seeds") >"$tmp/run.log" 2>&1
    status=$?
    if [ $status != 0 ]; then
        case "$name" in
            *_buggy) grep -q '^==chanfuzz== FINDING:' "$tmp/run.log" ||
                         { fail "$name: exit $status without a chanfuzz finding"; tail -5 "$tmp/run.log"; } ;;
            *) fail "$name: exit $status"; tail -5 "$tmp/run.log" ;;
        esac
    fi
done
echo "checked ${#specs[@]} targets in $OUT: $failures failures"
exit $((failures > 0))
