#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: every scenario variant's fuzz target
# (and fuzz_ops when the tree has it) into $OUT, each with
# <target>_seed_corpus.zip, <target>.dict and <target>.options.
#
# Uses the standard variables: $CC, $CFLAGS (the sanitizer and
# -fsanitize=fuzzer-no-link), $LIB_FUZZING_ENGINE (how to link a target),
# $OUT; $SRC and $WORK when set. harness/fuzz/README.md, "ClusterFuzzLite",
# shows how to run it by hand.
src=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
build="$work/chanfuzz-build"
mkdir -p "$OUT"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# The project's own sanitizer option stays off: $CFLAGS carries the one
# this build is for (address, undefined, memory, coverage).
cmake -S "$src" -B "$build" "${generator[@]}" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCHANFUZZ_FUZZ=ON -DCHANFUZZ_SANITIZE= -DCHANFUZZ_CHECKS=ON \
    -DCHANFUZZ_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
    -DCHANFUZZ_TESTS=OFF -DCHANFUZZ_BENCH=OFF
targets=(fuzz-targets)
if cmake --build "$build" --target help | grep -q '^fuzz_ops:'; then targets+=(fuzz_ops); fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

for binary in "$build"/fuzz/fuzz_* $(find "$build" -maxdepth 3 -name fuzz_ops -type f -perm -u+x); do
    name=$(basename "$binary")
    cp "$binary" "$OUT/$name"
    if [ "$name" = fuzz_ops ]; then
        cp "$src/harness/ops/fuzz_ops.dict" "$OUT/$name.dict"
    else
        cp "$src/harness/fuzz/scenario.dict" "$OUT/$name.dict"
    fi
    cp "$src/harness/fuzz/scenario.options" "$OUT/$name.options"
    if [ -d "$src/corpus/$name" ]; then
        rm -f "$OUT/${name}_seed_corpus.zip"
        (cd "$src/corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" . -x 'README*')
    fi
done
echo "chanfuzz: $(ls "$OUT" | grep -c '\.options$') fuzz targets in $OUT"
