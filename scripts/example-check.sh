#!/usr/bin/env bash
# example-check.sh -- uses a chanfuzz build as another project would:
# installs it to a temporary prefix, checks that nothing there names the
# build tree, then builds examples/worker_pool against the prefix with
# CMake (find_package) and with pkg-config + make, and checks that
#   - each buggy variant is found (its reproducer replays to exit 1) and
#     each fixed one stays clean (`run` exits 0 for both: as expected);
#   - the corpus replays (CTest pool_scenarios_corpus, `make check`);
#   - a build whose sanitizers differ from the flavour's is refused at
#     configure time, in one line;
#   - with a fuzz flavour: every libFuzzer target runs, buggy ones crash
#     with the expected kind, fixed ones stay clean.
#
#   scripts/example-check.sh BUILD_DIR [--dev-only] [--keep]
#
# --dev-only builds and installs only the `dev` component (libraries,
# headers, package, pkg-config: what the example needs), for a build
# whose programs are not built (the fuzz stage's). --keep leaves the
# work directory. Exit 0 when every check passed, 1 otherwise, 2 on usage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=""
dev_only=0
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --dev-only) dev_only=1; shift ;;
        --keep) keep=1; shift ;;
        -*) echo "usage: $0 BUILD_DIR [--dev-only] [--keep]" >&2; exit 2 ;;
        *) build=$(realpath "$1"); shift ;;
    esac
done
[ -n "$build" ] && [ -f "$build/CMakeCache.txt" ] ||
    { echo "usage: $0 BUILD_DIR [--dev-only] [--keep] (a configured chanfuzz build)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/chanfuzz-example.XXXXXX")
if [ "$keep" = 0 ]; then trap 'rm -rf "$work"' EXIT; fi
prefix="$work/prefix"
example="$root/examples/worker_pool"
started=$SECONDS
failures=0
fail() { echo "example-check: FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "example-check: ok: $*"; }
# expect STATUS CMD...: runs CMD, its output in $work/last.log.
expect() {
    local want=$1; shift
    local got=0
    "$@" >"$work/last.log" 2>&1 || got=$?
    if [ "$got" != "$want" ]; then
        tail -20 "$work/last.log"
        fail "$* exited $got, not $want"
        return 1
    fi
}

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
cc=$(cache CMAKE_C_COMPILER)

echo "== install $build to $prefix"
if [ "$dev_only" = 1 ]; then
    cmake --build "$build" --target chanfuzz-dev >"$work/build.log" 2>&1 ||
        { tail -20 "$work/build.log"; echo "example-check: building chanfuzz-dev failed"; exit 1; }
    cmake --install "$build" --component dev --prefix "$prefix" >/dev/null
else
    cmake --build "$build" >"$work/build.log" 2>&1 ||
        { tail -20 "$work/build.log"; echo "example-check: building $build failed"; exit 1; }
    cmake --install "$build" --prefix "$prefix" >/dev/null
fi
if grep -rl -- "$build" "$prefix"; then fail "the installed files above name the build tree $build"; else
    ok "nothing under the prefix names the build tree"; fi
flavour_file=$(ls "$prefix"/lib*/cmake/chanfuzz/chanfuzz-*-flavour.cmake)
flavour=$(basename "$flavour_file" | sed 's/^chanfuzz-\(.*\)-flavour\.cmake$/\1/')
flags=$(sed -n 's/^set(chanfuzz_.*_C_FLAGS "\(.*\)")$/\1/p' "$flavour_file")
fuzz=$(sed -n 's/^set(chanfuzz_.*_FUZZ \(ON\|OFF\))$/\1/p' "$flavour_file")
suffix=""
[ "$flavour" = plain ] || suffix="-$flavour"
echo "flavour $flavour, C flags '$flags', compiler $cc"

# Sanitized runs: LSan on; the model's own leaks would be findings too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

echo "== CMake: find_package(chanfuzz) and chanfuzz_add_scenarios"
configure=(cmake -S "$example" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc"
           -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$flags" -Dchanfuzz_FLAVOUR="$flavour")
if expect 0 "${configure[@]}" && expect 0 cmake --build "$work/cmake" -j 2; then
    ok "configured and built against the '$flavour' flavour"
    runner="$work/cmake/pool_scenarios"
    mkdir -p "$work/run"
    cd "$work/run"   # reproducers land in chanfuzz-out/ here
    expect 0 "$runner" run all && ok "pool_scenarios run all: every variant as expected"
    for scenario in pool_fan_out pool_workers; do
        rm -rf "$work/run/chanfuzz-out"
        if expect 0 "$runner" run "$scenario:buggy"; then
            reproducer=$(ls "$work/run/chanfuzz-out/$scenario/buggy/"*.trace 2>/dev/null | head -1)
            if [ -z "$reproducer" ]; then fail "$scenario:buggy: no reproducer written"
            elif expect 1 "$runner" replay "$reproducer"; then ok "$scenario:buggy found; its reproducer replays to exit 1"; fi
        fi
        if expect 0 "$runner" run "$scenario:fixed"; then
            if grep -q "0 findings" "$work/last.log"; then ok "$scenario:fixed clean (exit 0)"; else
                fail "$scenario:fixed: findings"; fi
        fi
    done
    expect 0 ctest --test-dir "$work/cmake" --output-on-failure && ok "ctest: the corpus replays"
    if [ "$fuzz" = ON ]; then
        for target in "$work/cmake/pool_scenarios-fuzz"/fuzz_*; do
            [ -x "$target" ] || continue
            name=$(basename "$target")
            seeds="$work/cmake/pool_scenarios-fuzz/seeds/$name"
            log="$work/$name.log"
            status=0
            ("$target" -seed=1 -runs=20000 -max_total_time=10 \
                -dict="$target.dict" "$seeds" >"$log" 2>&1) || status=$?
            case "$name" in
                *_buggy)
                    if [ "$status" != 0 ] && grep -q "verdict=expected" "$log"; then
                        ok "$name: libFuzzer found the bug ($(grep -o 'kind=[a-z_]*' "$log" | head -1))"
                    else tail -5 "$log"; fail "$name: libFuzzer did not find the bug (exit $status)"; fi ;;
                *)
                    if [ "$status" = 0 ]; then ok "$name: clean"; else tail -5 "$log"; fail "$name: exit $status"; fi ;;
            esac
        done
    fi
fi

# The other way round: sanitizers that differ from the flavour's.
if [ -n "$flags" ]; then wrong=""; else wrong="-fsanitize=address"; fi
if expect 1 cmake -S "$example" -B "$work/mismatch" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_C_FLAGS="$wrong" -Dchanfuzz_FLAVOUR="$flavour"; then
    if grep -q "^   chanfuzz: flavour '$flavour' is built with" "$work/last.log"; then
        ok "mismatched flags refused: $(grep -m1 '^   chanfuzz: flavour' "$work/last.log" | sed 's/^ *//')"
    else tail -10 "$work/last.log"; fail "mismatched flags: not the expected one-line error"; fi
fi

echo "== pkg-config and make"
pc_path=$(ls -d "$prefix"/lib*/pkgconfig | head -1)
if expect 0 env PKG_CONFIG_PATH="$pc_path" make -C "$example" BUILD="$work/make" CC="$cc" FLAVOUR="$suffix" check; then
    ok "make check: built with pkg-config, the corpus replays"
    mkdir -p "$work/run-make"
    cd "$work/run-make"
    expect 0 "$work/make/pool_scenarios" run all && ok "make's pool_scenarios run all: as expected"
fi

echo "example-check: $failures failures, $((SECONDS - started)) s"
[ "$failures" = 0 ]
