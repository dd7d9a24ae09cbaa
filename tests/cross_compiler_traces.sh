#!/usr/bin/env bash
# The same decisions must give the same trace on gcc and on clang, at -O0
# and -O2 (DESIGN.md: determinism). Builds the runtime and the demo with
# each compiler into a scratch directory, prints the trace of every demo
# pattern's variants over a few seeds, and compares the outputs byte for byte.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$source_dir"

sources=$(ls runtime/*.c | tr '\n' ' ')
flags="-std=gnu11 -Iruntime -Iruntime/include -ffile-prefix-map=$source_dir/= \
       -fstack-clash-protection -frounding-math -DCF_CHECKS=1"
build() { # name compiler opt
    "$2" $flags "$3" -o "$scratch/$1" $sources runtime/arch/switch_x86_64.S \
        harness/demo/chanfuzz_demo.c scenarios/demo/patterns.c
}
build gcc-O0 gcc -O0
build clang-O2 clang -O2

patterns=$("$scratch/gcc-O0" --list | awk '{print $1}')
for binary in gcc-O0 clang-O2; do
    for p in $patterns; do
        for variant in buggy fixed; do
            for seed in 1 2 3 4 5; do
                "$scratch/$binary" --trace "$p:$variant" "$seed"
            done
        done
    done > "$scratch/$binary.trace"
done
lines=$(wc -l < "$scratch/gcc-O0.trace")
if ! cmp -s "$scratch/gcc-O0.trace" "$scratch/clang-O2.trace"; then
    diff "$scratch/gcc-O0.trace" "$scratch/clang-O2.trace" | head -20
    echo "traces differ between gcc -O0 and clang -O2"
    exit 1
fi
echo "gcc -O0 and clang -O2 traces identical ($lines lines)"
