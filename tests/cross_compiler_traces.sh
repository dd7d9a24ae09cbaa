#!/usr/bin/env bash
# The same decisions must give the same trace on gcc and on clang, at -O0
# and -O2 (DESIGN.md: determinism), and on AArch64 (its own assembly
# switch) under qemu-user when the cross compiler is installed. Builds the
# runtime, the scenario registry and every scenario with each compiler into
# a scratch directory, prints the trace of every scenario variant over a
# few seeds (tests/trace_every_scenario.c), and compares the outputs byte
# for byte. Stress scenarios are left out: they collect while running, and
# a conservative stack scan sees different dead slots per compiler.
set -euo pipefail
source_dir=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$source_dir"

sources="$(ls runtime/*.c | tr '\n' ' ') harness/scenario/registry.c harness/scenario/run.c \
         $(find scenarios -name '*.c' | sort | tr '\n' ' ')"
flags="-std=gnu11 -Iruntime -Iruntime/include -Iharness/include -ffile-prefix-map=$source_dir/= \
       -fstack-clash-protection -frounding-math -DCF_CHECKS=1"
build() { # name compiler opt [arch]
    local arch=${4:-x86_64}
    "$2" $flags $3 -o "$scratch/$1" $sources runtime/arch/switch_$arch.S runtime/arch/spill_$arch.S \
        tests/trace_every_scenario.c
}
build gcc-O0 gcc -O0
build clang-O2 clang -O2
binaries="gcc-O0 clang-O2"
if command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64 >/dev/null; then
    build aarch64-O2 aarch64-linux-gnu-gcc "-O2 -static" aarch64
    binaries="$binaries aarch64-O2"
else
    echo "(no aarch64-linux-gnu-gcc or qemu-aarch64: AArch64 not checked)"
fi
run() { # binary args...
    case "$1" in
    aarch64-*) qemu-aarch64 "$scratch/$1" "${@:2}" ;;
    *) "$scratch/$1" "${@:2}" ;;
    esac
}

for binary in $binaries; do
    run "$binary" 2 -stress > "$scratch/$binary.trace"
done
lines=$(wc -l < "$scratch/gcc-O0.trace")
for binary in $binaries; do
    if ! cmp -s "$scratch/gcc-O0.trace" "$scratch/$binary.trace"; then
        diff "$scratch/gcc-O0.trace" "$scratch/$binary.trace" | head -20
        echo "traces differ between gcc-O0 and $binary"
        exit 1
    fi
done
echo "traces identical across $binaries ($lines lines)"
