#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build of a project whose scenarios use
# chanfuzz (examples/worker_pool stands for it): chanfuzz built from source
# with OSS-Fuzz's compiler and sanitizer flags and installed as the `fuzz`
# flavour into $WORK, then the project's libFuzzer targets (one per
# scenario variant, chanfuzz_add_scenarios) linked with
# $LIB_FUZZING_ENGINE, and each copied to $OUT with its .dict, .options
# and <target>_seed_corpus.zip.
#
# Standard variables: $CC, $CFLAGS, $LIB_FUZZING_ENGINE, $OUT; $SRC and
# $WORK when set. CHANFUZZ_SRC is chanfuzz's source (default
# $SRC/chanfuzz, where the Dockerfile clones it); PROJECT_SRC the
# project's (default: the folder above this script).
project=${PROJECT_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
chanfuzz_src=${CHANFUZZ_SRC:-$SRC/chanfuzz}
work=${WORK:-$(mktemp -d)}
prefix="$work/chanfuzz-prefix"
mkdir -p "$OUT"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# chanfuzz's own sanitizer option stays off: $CFLAGS carries the
# sanitizer this build is for, and the installed flavour records it.
cmake -S "$chanfuzz_src" -B "$work/chanfuzz-build" "${generator[@]}" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCHANFUZZ_FUZZ=ON -DCHANFUZZ_SANITIZE= -DCHANFUZZ_FLAVOUR=fuzz \
    -DCHANFUZZ_TESTS=OFF -DCHANFUZZ_BENCH=OFF
cmake --build "$work/chanfuzz-build" -j "$(nproc)" --target chanfuzz-dev
cmake --install "$work/chanfuzz-build" --component dev --prefix "$prefix"

# The project, with the same flags: find_package(chanfuzz) checks them.
cmake -S "$project" -B "$work/project-build" "${generator[@]}" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -Dchanfuzz_FLAVOUR=fuzz \
    -DCHANFUZZ_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"
cmake --build "$work/project-build" -j "$(nproc)"

for fuzz_dir in "$work/project-build"/*-fuzz; do
    for binary in "$fuzz_dir"/fuzz_*; do
        case "$binary" in *.dict|*.options) continue ;; esac
        [ -x "$binary" ] || continue
        name=$(basename "$binary")
        cp "$binary" "$binary.dict" "$binary.options" "$OUT/"
        # Seeds: chanfuzz's generated ones and the project's own corpus.
        rm -f "$OUT/${name}_seed_corpus.zip"
        (cd "$fuzz_dir/seeds/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
        if [ -d "$project/corpus/$name" ]; then
            (cd "$project/corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" . -x 'README*')
        fi
    done
done
echo "worker_pool: $(ls "$OUT" | grep -c '\.options$') fuzz targets in $OUT"
