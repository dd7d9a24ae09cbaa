#!/usr/bin/env bash
# gcc-clang-traces.sh SOURCE_DIR CHANFUZZ PKG_DIR: the same Go reproducer
# replays to a byte-identical trace (every decision and event, then the
# report) from a runner built with gcc and from one built with clang
# (DESIGN.md: determinism). Translates the Go tests under PKG_DIR once,
# builds both runners from the sources, records reproducers with the gcc
# one and replays each with both. Traces of growth findings are left out:
# runtime.GC in a stress loop collects while running, and a conservative
# stack scan sees different dead slots per compiler (the C scenarios'
# trace check leaves stress scenarios out for the same reason).
set -euo pipefail
src=$1 chanfuzz=$2 pkgs=$3
command -v clang >/dev/null || { echo "no clang: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$pkgs" && "$chanfuzz" go translate -o "$work/program.c" ./...)
arch=$(uname -m)
sources=""
for f in "$src"/runtime/*.c "$src"/runtime/arch/switch_$arch.S "$src"/runtime/arch/spill_$arch.S \
         "$src"/harness/sources/*.c "$src"/harness/detect/*.c "$src"/harness/report/*.c \
         "$src"/harness/scenario/*.c "$src"/harness/isolate/*.c "$src"/harness/cli/*.c \
         "$src"/gofront/gort/*.c; do
    sources="$sources $f"
done
flags="-std=gnu11 -O1 -g -iquote $src/runtime -I$src/runtime/include -I$src/harness/include
       -I$src/harness/report -I$src/harness/detect -I$src/gofront/gort -I$src/gofront/gort/include
       -ffile-prefix-map=$src/= -fstack-clash-protection -frounding-math -DCF_CHECKS=1
       -DCHANFUZZ_VERSION=\"trace-check\" -w"
for cc in gcc clang; do
    # shellcheck disable=SC2086
    $cc $flags -o "$work/runner-$cc" $sources "$work/program.c" -lcjson -lm &
done
wait
set +e
"$work/runner-gcc" run all --go-semantics 1.22 --budget 200 --out "$work/out" > "$work/run.log" 2>&1
set -e
checked=0 skipped=0
while IFS= read -r trace; do
    # Every decision and event, the finding's headline and crash state; the
    # witness's list of retained objects follows the stack scan, whose
    # order is the compiler's.
    "$work/runner-gcc" replay "$trace" 2>&1 | sed '/^witness:/,$d' > "$work/gcc.txt" || true
    "$work/runner-clang" replay "$trace" 2>&1 | sed '/^witness:/,$d' > "$work/clang.txt" || true
    if grep -q '^event collect' "$work/gcc.txt"; then
        skipped=$((skipped + 1))
        continue
    fi
    if ! cmp -s "$work/gcc.txt" "$work/clang.txt"; then
        diff "$work/gcc.txt" "$work/clang.txt" | head -20
        echo "gcc-clang-traces: $trace replays differently under gcc and clang"
        exit 1
    fi
    checked=$((checked + 1))
done < <(find "$work/out" -name '*.trace' | sort)
[ "$checked" -gt 0 ] || { cat "$work/run.log"; echo "gcc-clang-traces: no reproducer to check"; exit 1; }
echo "gcc-clang-traces: $checked Go reproducers replay byte-identically under gcc and clang" \
     "($skipped left out: they collect while running)"
